"""Server time of the API, feeds and exports against the HTML page they mirror, and the rate limiter's cost.

Loads --papers records of the real arxiv-daily-cs corpus into a FRESH database, then times requests through
Django's full request handling in-process (middleware, rate limit, query, serialisation) and prints p50/p95 with
queries per request. The HTML day page is the baseline in the same run. Each API URL is timed with the rate-limit
counters in the database cache (the default, CACHE=database) and in process memory (CACHE=memory), so the
counter's price shows as the difference.

Reproduce:
  .venv/bin/python bench/bench_api.py                      # SQLite in a temporary data dir
  createdb -h 127.0.0.1 -U postgres pf_bench_api   # once
  PAPERFEED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pf_bench_api .venv/bin/python bench/bench_api.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics

from common import CORPUS, percentile, setup_django, shift_to_this_week, time_get

CACHES = {
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "paperfeed_cache"},
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    setup_django("pf-bench-api-")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import override_settings

    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers.models import Listing

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with gzip.open(CORPUS, "rt") as f:
        rows = [json.loads(line) for _, line in zip(range(args.papers), f)]
    shift_to_this_week(rows)
    summary = ingest_records(rows, source="bench")
    busiest = Listing.objects.values("day").annotate(n=Count("id")).order_by("-n").first()
    day = busiest["day"].isoformat()
    settings.PAPERFEED = {**settings.PAPERFEED, "API_RATE_LIMIT_IP": 10**9}
    print(
        f"database: {connection.vendor}; papers: {summary.new:,}; busiest day {day} with {busiest['n']} papers; "
        f"{args.requests} requests per row"
    )

    urls = [
        ("HTML day page (baseline)", f"/papers/date/{day}"),
        ("HF /api/daily_papers, 100", f"/api/daily_papers?date={day}&limit=100"),
        ("/api/v1/listings, 100", f"/api/v1/listings/date/{day}?page_size=100"),
        ("/api/v1/trending", "/api/v1/trending"),
        ("Atom of the day page", f"/papers/date/{day}?format=atom"),
        ("BibTeX of the day page", f"/papers/date/{day}?format=bibtex"),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    for cache in ("database", "memory"):
        with override_settings(CACHES={"default": CACHES[cache]}):
            print(f"\nrate-limit counters in: {cache}")
            for label, url in urls:
                times, queries = time_get(client, url, args.requests)
                print(
                    f"{label:>26}: p50 {statistics.median(times):7.1f} ms   p95 {percentile(times, 95):7.1f} ms   "
                    f"queries/request {queries:3d}   ({url})"
                )


if __name__ == "__main__":
    main()
