"""Limits on subscribe requests per IP and confirmation mails per address, so the form can't mail-bomb anyone.

Hits are rows in the database (ThrottleHit), not Django's cache: the default cache is per process, and web
processes on several hosts must count together.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db import transaction

from paperfeed.digests.models import ThrottleHit
from paperfeed.errors import PaperfeedError


class TooManyRequests(PaperfeedError):
    status = 429
    code = "too_many_requests"


def key(scope: str, value: str) -> str:
    return f"{scope}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]}"


def allow(scope: str, value: str, *, limit: int, window: timedelta, now: datetime) -> bool:
    """Record one hit and say whether it is within `limit` hits per `window`; a refused hit is not recorded."""
    k = key(scope, value)
    with transaction.atomic():
        ThrottleHit.objects.filter(key=k, created_at__lt=now - window).delete()
        if ThrottleHit.objects.filter(key=k, created_at__gte=now - window).count() >= limit:
            return False
        ThrottleHit.objects.create(key=k, created_at=now)
    return True


def check(scope: str, value: str, *, limit: int, window: timedelta, now: datetime, message: str) -> None:
    if not allow(scope, value, limit=limit, window=window, now=now):
        raise TooManyRequests(message)
