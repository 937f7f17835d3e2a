"""The scheduled map job (runtime/jobs.py runs it every MAP_INTERVAL seconds in every worker).

One worker at a time does the work, under the database lease "map" (ingest/leases.py): it rebuilds the whole
map when the last finished build is older than MAP_REBUILD_AGE (nightly by default) or there is none, and
otherwise only places the papers that arrived since. A worker that dies mid-build leaves the old map (the
build writes in one transaction) and its lease expires after LEASE_SECONDS for the next worker to take over.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from paperfeed.ingest import leases
from paperfeed.topics import build, place, vectors

logger = logging.getLogger("paperfeed.topics")
LEASE = "map"
LEASE_SECONDS = 6 * 3600  # longer than a sampled build at 1M papers takes here
MIN_PAPERS = 2


def build_due(now=None) -> bool:
    last = build.latest_build()
    now = now or timezone.now()
    return last is None or last.finished_at < now - timedelta(seconds=settings.PAPERFEED["MAP_REBUILD_AGE"])


def run_map_job(stop: threading.Event | None = None) -> str:
    """Rebuild or place, as due; returns what it did in a few words (logged)."""
    if stop is not None and stop.is_set():
        return "stopped"
    owner = leases.new_owner()
    if not leases.take(LEASE, owner=owner, seconds=LEASE_SECONDS):
        return "another worker holds the map lease"
    try:
        if build_due():
            if vectors.count() < MIN_PAPERS:
                return "too few embedded papers to map"
            record = build.build_map(progress=logger.info)
            done = f"built the map: {record.papers} papers, {record.topics} topics in {record.seconds:.0f} s"
        else:
            done = f"placed {place.place_new()} new papers"
        logger.info("map job: %s", done)
        return done
    finally:
        leases.release(LEASE, owner=owner)
