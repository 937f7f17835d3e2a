"""Leases on jobs that one process at a time may run, held in the database for any number of workers on any hosts.

A lease is one row per job name. `take` is a conditional UPDATE that only succeeds where the row is free, has
expired or is already the caller's, so of workers racing for it exactly one gets it, on PostgreSQL (the row lock
makes a concurrent UPDATE re-check its condition after the winner commits) and on SQLite (one writer at a time)
alike: unlike digests/claims.py, which picks many rows and so needs SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL, there is no difference between the backends here.

The holder renews the lease while it works (`renew`) and frees it when done (`release`). A holder that dies
keeps it until `expires_at`; then the next worker takes it over. A holder that finds its lease gone (it was too
slow to renew and another took over) must stop: `renew` tells it so.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from paperfeed.ingest.models import JobLease


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def take(name: str, *, owner: str, seconds: float, now: datetime | None = None) -> bool:
    """Whether `owner` now holds the lease `name` for `seconds` (taken, taken over after expiry, or renewed)."""
    now = now or timezone.now()
    JobLease.objects.bulk_create([JobLease(name=name)], ignore_conflicts=True)  # the row, once
    free = Q(owner="") | Q(expires_at__lt=now) | Q(owner=owner)
    return bool(
        JobLease.objects.filter(free, name=name).update(owner=owner, expires_at=now + timedelta(seconds=seconds))
    )


def renew(name: str, *, owner: str, seconds: float, now: datetime | None = None) -> bool:
    """Extend `owner`'s lease; False when it is no longer theirs (expired and taken over)."""
    now = now or timezone.now()
    return bool(JobLease.objects.filter(name=name, owner=owner).update(expires_at=now + timedelta(seconds=seconds)))


def release(name: str, *, owner: str) -> bool:
    """Free the lease if `owner` still holds it, so the next worker need not wait for it to expire."""
    return bool(JobLease.objects.filter(name=name, owner=owner).update(owner="", expires_at=None))


def holder(name: str, *, now: datetime | None = None) -> str | None:
    """Who holds the lease `name` now, or None."""
    now = now or timezone.now()
    lease = JobLease.objects.filter(name=name, expires_at__gte=now).exclude(owner="").first()
    return lease.owner if lease else None
