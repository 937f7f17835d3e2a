"""The send log as a work queue shared by any number of sender processes on any hosts.

The one place where PostgreSQL and SQLite differ: on PostgreSQL a claim selects rows FOR UPDATE SKIP LOCKED,
so concurrent senders pass each other by; SQLite has one writer at a time (IMMEDIATE transactions), and the
claim is a conditional UPDATE that only takes rows still unclaimed. Either way a row belongs to one owner.
A claim is a lease: rows of an owner that stopped renewing are taken over after DIGEST_CLAIM_LEASE_SECONDS,
and at once when the owner was a process on this host that no longer exists (a SIGKILLed sender).
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from paperfeed.digests.models import SendLog


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _lease() -> timedelta:
    return timedelta(seconds=settings.PAPERFEED["DIGEST_CLAIM_LEASE_SECONDS"])


def _claimable(periods: list[str], now: datetime) -> Q:
    return Q(period__in=periods) & (
        Q(status=SendLog.PENDING, available_at__lte=now) | Q(status=SendLog.CLAIMED, claimed_at__lt=now - _lease())
    )


def claim(periods: list[str], *, owner: str, limit: int, now: datetime | None = None) -> list[int]:
    """Take up to `limit` rows of these periods for `owner`; returns their ids (possibly none)."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = SendLog.objects.filter(_claimable(periods, now)).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("id", flat=True)[:limit])
        if not ids:
            return []
        # Conditional: a row some other sender claimed since our read is not taken again.
        SendLog.objects.filter(_claimable(periods, now), id__in=ids).update(
            status=SendLog.CLAIMED, claimed_by=owner, claimed_at=now
        )
    return list(
        SendLog.objects.filter(id__in=ids, status=SendLog.CLAIMED, claimed_by=owner)
        .order_by("id")
        .values_list("id", flat=True)
    )


def renew(ids: list[int], *, owner: str, now: datetime | None = None) -> set[int]:
    """Extend our lease on these rows; returns the ones that are still ours."""
    now = now or timezone.now()
    SendLog.objects.filter(id__in=ids, status=SendLog.CLAIMED, claimed_by=owner).update(claimed_at=now)
    return set(
        SendLog.objects.filter(id__in=ids, status=SendLog.CLAIMED, claimed_by=owner).values_list("id", flat=True)
    )


def release(ids: list[int], *, owner: str, available_at: datetime | None = None) -> int:
    """Give rows back unsent (stopping, or a temporary failure) so any sender can take them."""
    return SendLog.objects.filter(id__in=ids, status=SendLog.CLAIMED, claimed_by=owner).update(
        status=SendLog.PENDING, claimed_by="", claimed_at=None, available_at=available_at or timezone.now()
    )


def outstanding(periods: list[str], *, now: datetime | None = None) -> int:
    """Rows of these periods still to send now: claimable ones and ones other senders hold."""
    now = now or timezone.now()
    return (
        SendLog.objects.filter(period__in=periods)
        .filter(Q(status=SendLog.PENDING, available_at__lte=now) | Q(status=SendLog.CLAIMED))
        .count()
    )


def free_dead_local_owners() -> int:
    """Expire the leases of senders on this host whose process is gone, so a restart need not wait."""
    host = socket.gethostname()
    owners = set(
        SendLog.objects.filter(status=SendLog.CLAIMED, claimed_by__startswith=f"{host}:")
        .values_list("claimed_by", flat=True)
        .distinct()
    )
    freed = 0
    for owner in owners:
        try:
            pid = int(owner.split(":")[1])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not _alive(pid):
            freed += SendLog.objects.filter(status=SendLog.CLAIMED, claimed_by=owner).update(
                status=SendLog.PENDING, claimed_by="", claimed_at=None
            )
    return freed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
