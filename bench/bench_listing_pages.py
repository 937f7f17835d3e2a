"""Server time of the trending page and a day page with 100k papers.

Loads the real arxiv-daily-cs corpus (74,728 papers), repeated with new ids up to --papers, into a FRESH database,
adds votes by --users accounts, then times requests through Django's full request handling (middleware, query,
template) in-process, and prints p50/p95 with the number of queries per request (what grows when a page scales
badly). --baseline N first runs the same pages on an N-paper database in the same run, for comparison.

Trending is also timed in-process on its own (paper_list.trending, page 1, uncached: one read per day along the
(day, rank_votes desc) index) against the recount it replaced (every vote in the window counted per request, as
before counted votes were kept), in the same run; --no-pages times only that after the build.
--reuse DIR times only that, on a database already built there (e.g. bench_served.py's 1M papers).

Reproduce:
  .venv/bin/python bench/bench_listing_pages.py                      # SQLite in a temporary data dir
  .venv/bin/python bench/bench_listing_pages.py --reuse /tmp/pf-served-1m   # trending on bench_served's 1M
  createdb -h 127.0.0.1 -U postgres pf_bench   # once
  PAPERFEED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pf_bench .venv/bin/python bench/bench_listing_pages.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import time
from datetime import timedelta

from common import CORPUS, percentile, setup_django, shift_to_this_week, time_get


def records(n: int):
    """The real corpus, then copies with fresh ids (yymm 9xxx, never real) until n records."""
    with gzip.open(CORPUS, "rt") as f:
        base = [json.loads(line) for line in f]
    out = []
    copy = 0
    while len(out) < n:
        for i, r in enumerate(base):
            if len(out) >= n:
                break
            if copy:
                r = {**r, "id": f"{90 + copy:02d}{(i // 99999) + 1:02d}.{i % 99999 + 1:05d}"}
            out.append(r)
        copy += 1
    return out


def recount_trending(now, page_size=30):
    """Trending as computed before Paper.counted_votes: every vote in the window counted on each request."""
    from django.conf import settings
    from django.db.models import Count, Q
    from django.utils import timezone

    from paperfeed.papers import paper_list, ranking

    params = ranking.TrendingParams.from_settings()
    since = timezone.localdate(now) - timedelta(days=settings.PAPERFEED["TRENDING_WINDOW_DAYS"] - 1)
    cutoff = now - timedelta(hours=params.min_voter_age_hours)
    rows = (
        paper_list.visible_listings()
        .filter(day__gte=since, day__lte=timezone.localdate(now))
        .annotate(counted=Count("paper__votes", filter=Q(paper__votes__user__date_joined__lte=cutoff)))
        .values_list("paper__arxiv_id", "day", "counted", "paper__imported_upvotes")
    )
    cands = [ranking.Candidate(a, c + i, paper_list.day_start(d)) for a, d, c, i in rows]
    return ranking.trending_order(cands, now, params)[:page_size]


def time_trending(requests: int) -> None:
    from django.utils import timezone

    from paperfeed.papers import paper_list

    now = timezone.now()
    new_order = [i.paper.arxiv_id for i in paper_list.trending(now=now).items]
    old_order = [c.key for c, _ in recount_trending(now)]
    for label, fn in (
        ("counted votes", lambda: paper_list.trending(now=now)),
        ("recount", lambda: recount_trending(now)),
    ):
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"trending in-process, {label:>13}: p50 {statistics.median(times):7.1f} ms   "
            f"p95 {percentile(times, 95):7.1f} ms"
        )
    print(f"same first page from both: {new_order == old_order}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--baseline", type=int, default=5_000, help="papers in the comparison run first (0: none)")
    parser.add_argument("--reuse", help="an already built data directory: time only trending there")
    parser.add_argument("--no-pages", action="store_true", help="time only trending, not the pages")
    args = parser.parse_args()

    if args.reuse:
        import os

        os.environ["PAPERFEED_DATA_DIR"] = args.reuse
        setup_django("pf-bench-")
        from django.db import connection

        from paperfeed.papers.models import Paper, Vote

        print(f"database: {connection.vendor}; papers: {Paper.objects.count():,}; votes: {Vote.objects.count():,}")
        time_trending(args.requests)
        return
    setup_django("pf-bench-")
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers import vote_counts
    from paperfeed.papers.models import Listing, Paper, Vote

    call_command("migrate", verbosity=0)
    sizes = [args.baseline, args.papers] if args.baseline else [args.papers]
    for size in sizes:
        call_command("flush", interactive=False, verbosity=0)  # a fresh database for each size
        rows = records(size)
        shift_to_this_week(rows)
        t0 = time.perf_counter()
        summary = ingest_records(rows, source="bench")
        load_s = time.perf_counter() - t0

        rng = random.Random(1)
        joined = timezone.now() - timedelta(days=400)
        User.objects.bulk_create(
            [User(username=f"bench{i}", date_joined=joined) for i in range(args.users)], batch_size=1000
        )
        user_ids = list(User.objects.values_list("id", flat=True))
        votes = []
        for paper_id in Paper.objects.values_list("id", flat=True).iterator():
            n = min(len(user_ids), int(rng.paretovariate(1.3)) - 1)
            votes.extend(Vote(user_id=u, paper_id=paper_id) for u in rng.sample(user_ids, max(0, n)))
        Vote.objects.bulk_create(votes, batch_size=5000)
        counts = Vote.objects.values("paper_id").annotate(n=Count("id"))
        Paper.objects.bulk_update(
            [Paper(pk=r["paper_id"], vote_count=r["n"]) for r in counts], ["vote_count"], batch_size=5000
        )
        vote_counts.recount()  # counted_votes (and, by trigger, Listing.rank_votes) from the Vote rows just written
        busiest = Listing.objects.values("day").annotate(n=Count("id")).order_by("-n").first()
        iso = busiest["day"].isocalendar()
        top = Paper.objects.order_by("-vote_count").values_list("arxiv_id", flat=True).first()

        print(
            f"\ndatabase: {connection.vendor}; papers: {summary.new:,} loaded in {load_s:.1f} s; votes: "
            f"{len(votes):,}; "
            f"users: {args.users:,}; busiest day {busiest['day']} with {busiest['n']} papers"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        for label, url in (
            []
            if args.no_pages
            else [
                ("trending", "/papers/trending"),
                ("day (busiest)", f"/papers/date/{busiest['day']}"),
                ("latest day", "/papers"),
                ("week", f"/papers/week/{iso[0]}-W{iso[1]:02d}"),
                ("paper page", f"/papers/{top}"),
            ]
        ):
            times, queries = time_get(client, url, args.requests)
            print(
                f"{label:>14}: p50 {statistics.median(times):7.1f} ms   p95 {percentile(times, 95):7.1f} ms   "
                f"queries/request {queries}   ({url})"
            )
        time_trending(args.requests)


if __name__ == "__main__":
    main()
