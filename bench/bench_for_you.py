"""For you at scale: the page's and the API's server time for one reader, and the time to retrain a reader's model.

Corpus: the real 74,728 papers of ../shared/data/arxiv-daily-cs, then shuffled copies with new ids up to --papers
(bench_search.fill_database), each listed on its paper's first listing day moved by whole weeks so the newest is
in the current week, with the real all-MiniLM-L6-v2 vectors (a copy: its original's plus noise, as in
bench_search); the last --week papers are listed over the past seven days (a real cs week). Readers: --readers
accounts, each with 20-200 signals (upvotes and saves of papers near a few papers of their own interest, a few
Not-interested marks, one followed category), bulk-inserted, models stale.

Figures printed:
- retraining one reader (retrain.train_reader: read the signals, their vectors and background papers, fit, store):
  p50/p95/max over --sample readers, cold and after one new upvote, and how the time splits;
- the nightly run over all --readers (retrain.retrain_all, or with --workers N that many processes running the
  retrain job's claim-and-train loop at once), in seconds, per reader, and each process's peak RSS before and
  after (memory should not grow with the number of readers);
- /papers/for-you (week window) and /api/v1/me/for-you server time through Django's whole request handling, for
  a reader with a trained model (p50/p95, queries per request); the first request after a new listing or
  embedding reads the window's matrix again, so that cold request is timed on its own.

Reproduce (SQLite in a temporary data dir, or PAPERFEED_DATABASE_URL):
  .venv/bin/python bench/bench_for_you.py --papers 100000 --readers 300
  PAPERFEED_DATA_DIR=/tmp/pf-fy .venv/bin/python bench/bench_for_you.py --papers 100000 --keep   # build once
  PAPERFEED_DATA_DIR=/tmp/pf-fy .venv/bin/python bench/bench_for_you.py --reuse                  # time again
  PAPERFEED_DATA_DIR=/tmp/pf-fy-1m .venv/bin/python bench/bench_for_you.py --papers 1000000 --readers 10000 \
      --build-only                                                 # 1M papers, 10,000 readers: build once
  PAPERFEED_DATA_DIR=/tmp/pf-fy-1m .venv/bin/python bench/bench_for_you.py --reuse --workers 2  # nightly on 2 cores
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile, setup_django, time_get


def fmt(times: list[float]) -> str:
    return f"p50 {statistics.median(times):8.1f} ms   p95 {percentile(times, 95):8.1f} ms   max {max(times):8.1f} ms"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(papers: int, week: int) -> None:
    from bench_search import fill_database, load_base, vectors_for
    from django.core.management import call_command
    from django.utils import timezone

    from paperfeed.demo.loader import week_shift
    from paperfeed.papers.models import Listing, Paper
    from paperfeed.search.embedder import configured_model_name
    from paperfeed.search.models import Embedding, encode_vector

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    t = time.perf_counter()
    base = load_base()
    fill_database(base, papers)
    rows = list(Paper.objects.order_by("pk").values_list("pk", "announced_on"))
    today = timezone.localdate()
    shift = week_shift(max(d for _, d in rows), today)
    days = [d + shift for _, d in rows]
    # The corpus lists ~1,500 papers a week; arXiv's cs lists 5,000-7,000. The last `week` papers are listed over
    # the past seven days, so the week window holds what a real one does.
    for i in range(max(0, len(rows) - week), len(rows)):
        days[i] = today - timedelta(days=i % 7)
    for start in range(0, len(rows), 5000):
        Listing.objects.bulk_create(
            [Listing(paper_id=rows[i][0], day=days[i]) for i in range(start, min(len(rows), start + 5000))]
        )
    vectors = vectors_for(len(base), len(rows))
    model = configured_model_name()
    for start in range(0, len(rows), 5000):
        Embedding.objects.bulk_create(
            [
                Embedding(
                    paper_id=pk,
                    model_name=model,
                    text_hash="bench",
                    dim=vectors.shape[1],
                    vector=encode_vector(v),
                    seq=pk,
                )
                for (pk, _), v in zip(rows[start : start + 5000], vectors[start : start + 5000], strict=True)
            ]
        )
    print(f"built {len(rows):,} papers with listings and vectors in {time.perf_counter() - t:.0f} s")


def add_readers(count: int, seed: int = 5, chunk: int = 1000) -> None:
    """`count` readers with 20-200 signals around a few papers each, bulk-inserted `chunk` readers at a time (their
    models left stale), so 10,000 readers take seconds and the objects of one chunk at most are held."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from paperfeed.accounts.models import Follow
    from paperfeed.papers.models import Collection, CollectionItem, Paper, Vote
    from paperfeed.recommend.models import NotInterested, ReaderModel

    t = time.perf_counter()
    rng = random.Random(seed)
    pks = list(Paper.objects.order_by("pk").values_list("pk", "primary_category"))
    joined = timezone.now() - timedelta(days=400)
    first = User.objects.count()
    signals = 0
    for offset in range(0, count, chunk):
        names = [f"reader{first + offset + i}" for i in range(min(chunk, count - offset))]
        with transaction.atomic():
            User.objects.bulk_create([User(username=name, date_joined=joined) for name in names])
            users = list(User.objects.filter(username__in=names).order_by("pk"))
            Collection.objects.bulk_create(
                [Collection(owner=u, name="Reading list", slug="reading-list") for u in users]
            )
            lists = dict(Collection.objects.filter(owner__in=users).values_list("owner_id", "pk"))
            votes, items, marks, follows, models = [], [], [], [], []
            for user in users:
                n = rng.randint(20, 200)
                centre = rng.randrange(len(pks) - 400)
                # Papers near one another in id order share days and often topics: a reader's interests, roughly.
                liked = rng.sample(range(centre, centre + 400), n)
                for i, row in enumerate(liked):
                    if i % 3:
                        votes.append(Vote(user=user, paper_id=pks[row][0]))
                    else:
                        items.append(CollectionItem(collection_id=lists[user.pk], paper_id=pks[row][0], position=i))
                marks.extend(NotInterested(user=user, paper_id=pks[rng.randrange(len(pks))][0]) for _ in range(n // 20))
                follows.append(Follow(user=user, kind="category", key=(pks[centre][1] or "cs.lg").lower()))
                models.append(ReaderModel(user=user, stale=True))
            Vote.objects.bulk_create(votes, batch_size=5000, ignore_conflicts=True)
            CollectionItem.objects.bulk_create(items, batch_size=5000, ignore_conflicts=True)
            NotInterested.objects.bulk_create(marks, batch_size=5000, ignore_conflicts=True)
            Follow.objects.bulk_create(follows, batch_size=5000, ignore_conflicts=True)
            ReaderModel.objects.bulk_create(models, batch_size=5000, ignore_conflicts=True)
        signals += len(votes) + len(items) + len(marks) + len(follows)
    print(f"{count:,} readers with {signals:,} signals in all, inserted in {time.perf_counter() - t:.0f} s")


WORDS = ["survey", "quantum", "blockchain", "medical imaging", "federated", "benchmark", "tutorial", "position paper"]
SEARCHES = ["reinforcement learning", "graph neural", "language model", "diffusion", "robot", "privacy attack"]


def add_reader_extras(seed: int = 6) -> None:
    """What a reader sets besides likes, which the page must also apply: every reader 2 excluded words, every
    second one a followed author (the first author of a random paper), every third a saved search."""
    from django.contrib.auth.models import User

    from paperfeed.accounts.models import Follow, SavedSearch
    from paperfeed.papers.models import Paper
    from paperfeed.recommend.models import ReaderSettings

    rng = random.Random(seed)
    users = list(User.objects.filter(username__startswith="reader").order_by("pk").values_list("pk", flat=True))
    top = Paper.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    names = [
        " ".join(a.split(";")[0].lower().split())
        for a in Paper.objects.filter(pk__in=[rng.randint(1, top) for _ in range(5000)]).values_list(
            "authors_text", flat=True
        )
        if a
    ]
    ReaderSettings.objects.filter(user_id__in=users).delete()
    SavedSearch.objects.filter(user_id__in=users).delete()
    Follow.objects.filter(user_id__in=users, kind="author").delete()
    ReaderSettings.objects.bulk_create(
        [ReaderSettings(user_id=u, excluded_words=rng.sample(WORDS, 2)) for u in users], batch_size=5000
    )
    Follow.objects.bulk_create(
        [Follow(user_id=u, kind="author", key=rng.choice(names)) for u in users[::2]],
        batch_size=5000,
        ignore_conflicts=True,
    )
    SavedSearch.objects.bulk_create(
        [SavedSearch(user_id=u, query=rng.choice(SEARCHES)) for u in users[::3]], batch_size=5000
    )
    print(f"{len(users):,} readers: 2 excluded words each, a followed author for half, a saved search for a third")


def time_retrain(sample: int) -> None:
    """Each reader of the sample trained twice: cold (no previous model), then after one new upvote (the retrain
    job's usual case: warm-started from the model it replaces)."""
    import cProfile
    import pstats

    from django.contrib.auth.models import User

    from paperfeed.papers.models import Paper, Vote
    from paperfeed.recommend.models import ReaderModel
    from paperfeed.recommend.retrain import train_reader

    users = list(User.objects.filter(username__startswith="reader").order_by("pk")[:sample])
    train_reader(users[0])  # warm the connection and imports
    ReaderModel.objects.filter(user__in=users).update(weights=b"", model_name="")
    newest = list(Paper.objects.order_by("-pk").values_list("pk", flat=True)[: len(users)])
    for case in ("cold", "one new upvote"):
        if case != "cold":
            Vote.objects.bulk_create([Vote(user=u, paper_id=pk) for u, pk in zip(users, newest)], ignore_conflicts=True)
        times = []
        profiler = cProfile.Profile()
        for user in users:
            t = time.perf_counter()
            profiler.enable()
            train_reader(user)
            profiler.disable()
            times.append((time.perf_counter() - t) * 1000)
        print(f"\nretrain one reader, {case} ({len(users)} readers, 20-200 signals each): {fmt(times)}")
        stats = pstats.Stats(profiler)
        total = sum(times) / 1000
        for label, fn in (
            ("profile_for", "profile_for"),
            ("vectors of their papers", "vectors_of"),
            ("background papers", "background"),
            ("fit (rankers.train)", "train"),
        ):
            cum = sum(v[3] for k, v in stats.stats.items() if k[2] == fn)
            print(f"  {label:<26} {cum / len(users) * 1000:7.1f} ms per reader ({cum / total:5.1%})")


def time_nightly(workers: int) -> None:
    """retrain_all's work, over every reader: all marked stale, then `workers` forked processes each running
    the retrain job's loop (retrain_stale: claim a batch, train it, claim the next) until none is left."""
    import pickle

    from django import db

    from paperfeed.recommend.models import ReaderModel
    from paperfeed.recommend.retrain import retrain_all, retrain_stale

    if workers <= 1:
        before = peak_rss_mib()
        readers, seconds = retrain_all()
        print(
            f"nightly retrain_all: {readers:,} readers in {seconds:.1f} s ({seconds / max(readers, 1) * 1000:.0f} ms "
            f"per reader); peak RSS {before:,.0f} MiB before, {peak_rss_mib():,.0f} MiB after"
        )
    else:
        ReaderModel.objects.update(stale=True, claimed_at=None)
        db.connections.close_all()  # before the fork: a connection shared by two processes would be corrupted
        t = time.perf_counter()
        children = []
        for _ in range(workers):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                start_rss = peak_rss_mib()
                done = retrain_stale()
                os.write(write, pickle.dumps((done, start_rss, peak_rss_mib())))
                os._exit(0)
            os.close(write)
            children.append((pid, read))
        results = []
        for pid, read in children:
            with os.fdopen(read, "rb") as f:
                results.append(pickle.loads(f.read()))
            os.waitpid(pid, 0)
        seconds = time.perf_counter() - t
        readers = sum(r[0] for r in results)
        print(
            f"nightly retrain, {workers} worker processes: {readers:,} readers in {seconds:.1f} s "
            f"({seconds / max(readers, 1) * 1000:.0f} ms per reader, wall); each worker's peak RSS "
            + ", ".join(f"{r[1]:,.0f} -> {r[2]:,.0f} MiB ({r[0]:,} readers)" for r in results)
        )
    assert not ReaderModel.objects.filter(stale=True).exists()


def time_pages(requests: int) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    from paperfeed.api.models import ApiToken
    from paperfeed.recommend import feed
    from paperfeed.recommend import window as windows

    user = User.objects.filter(username__startswith="reader").order_by("pk").first()
    result = feed.recommend(user)
    print(
        f"\nreader {user.username}: {len(result.profile.liked)} likes, model trained {result.trained}; week window "
        f"{result.total:,} candidates"
    )
    windows.clear()
    t = time.perf_counter()
    feed.recommend(user)
    print(
        f"  recommend() with the window's matrix read afresh (first request after a change): "
        f"{(time.perf_counter() - t) * 1000:.0f} ms"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    _, secret = ApiToken.issue(user, "bench")
    api = Client(HTTP_HOST="127.0.0.1", headers={"Authorization": f"Bearer {secret}"})
    for label, c, url in (
        ("/papers/for-you", client, "/papers/for-you"),
        ("/api/v1/me/for-you", api, "/api/v1/me/for-you"),
    ):
        times, queries = time_get(c, url, requests)
        print(f"  {label:<20} {fmt(times)}   queries/request {queries}")
    # One request each for `requests` other readers (20-200 signals, models trained): the spread across readers.
    times, likes = [], []
    for other in User.objects.filter(username__startswith="reader").order_by("pk")[1 : requests + 1]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(other)
        t = time.perf_counter()
        response = client.get("/papers/for-you")
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
        likes.append(len(feed.recommend(other, limit=1).profile.liked))
    who = f"{len(times)} other readers ({min(likes)}-{max(likes)} likes)"
    print(f"  /papers/for-you, {who}, one request each: {fmt(times)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--readers", type=int, default=300)
    parser.add_argument("--week", type=int, default=6000, help="papers listed over the past seven days")
    parser.add_argument("--sample", type=int, default=50, help="readers timed one by one")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="time the database already in PAPERFEED_DATA_DIR")
    parser.add_argument("--keep", action="store_true", help="say where the data dir is, to --reuse it")
    parser.add_argument("--build-only", action="store_true", help="build the database (and readers), time nothing")
    parser.add_argument("--add-readers", type=int, default=0, help="with --reuse: add this many readers first")
    parser.add_argument("--workers", type=int, default=1, help="processes for the nightly retrain (one per core)")
    parser.add_argument(
        "--reader-extras",
        action="store_true",
        help="with --reuse: give the readers excluded words, "
        "followed authors and saved searches (built databases get them)",
    )
    parser.add_argument("--skip-retrain", action="store_true", help="time the pages only")
    args = parser.parse_args()
    setup_django("pf-bench-for-you-")
    from django.db import connection

    from paperfeed.papers.models import Paper

    if not args.reuse:
        build(args.papers, args.week)
        add_readers(args.readers)
        add_reader_extras()
    elif args.add_readers:
        add_readers(args.add_readers)
        add_reader_extras()
    elif args.reader_extras:
        add_reader_extras()
    where = os.environ["PAPERFEED_DATA_DIR"]
    print(f"database: {connection.vendor}; papers: {Paper.objects.count():,}; data dir {where}")
    if args.build_only:
        return
    if not args.skip_retrain:
        time_retrain(args.sample)
        time_nightly(args.workers)
    time_pages(args.requests)
    db = os.environ.get("PAPERFEED_DATABASE_URL", "")
    again = "--reuse" if args.reuse else f"--papers {args.papers} --readers {args.readers} --week {args.week}"
    again += f" --workers {args.workers}"
    print(
        f"\nreproduce: PAPERFEED_DATABASE_URL={db} PAPERFEED_DATA_DIR={where} .venv/bin/python "
        f"bench/bench_for_you.py {again} --sample {args.sample} --requests {args.requests}"
    )


if __name__ == "__main__":
    main()
