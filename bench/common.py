"""What the benchmarks share: where the real data is, Django set-up on a fresh data directory, percentiles."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS = DATA / "arxiv-daily-cs" / "papers.jsonl.gz"


def setup_django(prefix: str) -> None:
    """Django on PAPERFEED_DATABASE_URL (SQLite by default) with a fresh temporary data directory, unless
    PAPERFEED_DATA_DIR names one; this checkout's paperfeed comes first on the path."""
    if not os.environ.get("PAPERFEED_DATA_DIR"):  # empty counts as unset: else the data would land in bench/
        os.environ["PAPERFEED_DATA_DIR"] = tempfile.mkdtemp(prefix=prefix)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def shift_to_this_week(rows: list[dict]) -> None:
    """Move the records' listing days by whole weeks so the newest is in the past week (as the demo does)."""
    from django.utils import timezone

    from paperfeed.demo.loader import week_shift

    shift = week_shift(max(date.fromisoformat(r["first_listing_date"]) for r in rows), timezone.localdate())
    for r in rows:
        r["first_listing_date"] = (date.fromisoformat(r["first_listing_date"]) + shift).isoformat()


def time_get(client, url: str, requests: int) -> tuple[list[float], int]:
    """Milliseconds of `requests` GETs of `url` through Django's full request handling (after one warm-up
    request), and the number of queries the last one made. Any status but 200 stops the benchmark."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and the connection
    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, len(queries.captured_queries)
