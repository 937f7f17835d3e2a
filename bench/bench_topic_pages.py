"""Server time of the topic page, its charts, the topics API and the trends page on N stored papers with points
(the same synthetic map as bench_map_page.py: 100 topics, listings spread over a year) and some votes, through
Django's full request handling (median of 5 after a warm-up; the first request, which computes the hub-wide
weekly counts the pages keep, is printed too). What is measured is the queries over listings,
points and votes, which do not depend on where the points came from.

PAPERFEED_DATA_DIR=/tmp/pf-map-1m-pages .venv/bin/python bench/bench_topic_pages.py --n 1000000
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from bench_map_page import fill
from common import setup_django, time_get

VOTERS = 200
VOTES_EACH = 100


def add_votes() -> int:
    from django.contrib.auth.models import User

    from paperfeed.papers.models import Paper, Vote

    users = User.objects.bulk_create([User(username=f"voter{i}") for i in range(VOTERS)])
    top = Paper.objects.order_by("pk").values_list("pk", flat=True)
    pks = np.asarray(list(top[:200_000]))
    rng = np.random.default_rng(5)
    votes = [
        Vote(user=u, paper_id=int(pk), counted=True) for u in users for pk in rng.choice(pks, VOTES_EACH, replace=False)
    ]
    Vote.objects.bulk_create(votes, batch_size=5000)
    return len(votes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--requests", type=int, default=5)
    ap.add_argument("--reuse", action="store_true", help="time the pages on the data already in the data dir")
    args = ap.parse_args()
    setup_django("bench-topic-pages-")
    from django.core.management import call_command
    from django.test import Client

    from paperfeed.topics.models import Topic

    call_command("migrate", verbosity=0)
    if not args.reuse:
        t0 = time.perf_counter()
        fill(args.n)
        print(f"{args.n:,} papers with listings and points stored in {time.perf_counter() - t0:.0f} s", flush=True)
        print(f"{add_votes():,} votes stored", flush=True)
    big = Topic.objects.order_by("-size").first()
    small = Topic.objects.order_by("size").first()
    client = Client(HTTP_HOST="127.0.0.1")
    urls = [
        f"/topics/{big.pk}",
        f"/topics/{small.pk}",
        f"/topics/{big.pk}/share.svg",
        f"/api/v1/topics/{big.pk}",
        "/trends",
    ]
    print(f"server time, median of {args.requests} (biggest topic {big.size:,} papers, smallest {small.size:,}):")
    for url in urls:
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        first = (time.perf_counter() - t) * 1000  # the hub-wide counts of the first page read are computed here
        times, queries = time_get(client, url, args.requests)
        print(
            f"  {url:<28} {np.median(times):8,.0f} ms  (max {max(times):,.0f} ms, {queries} queries; "
            f"first request {first:,.0f} ms)",
            flush=True,
        )


if __name__ == "__main__":
    main()
