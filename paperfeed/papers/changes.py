"""The change sequence: a counter that every change to a paper's searchable text or visibility advances.

Search indexers on every host follow it (`papers with change_seq > my watermark`, plus tombstones for deleted
papers). The counter row is locked until the writing transaction commits, so sequence numbers become visible
in order and an indexer that has seen N has seen everything below N.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F

from paperfeed.papers.models import ChangeCounter


def allocate(count: int = 1) -> int:
    """Reserve `count` sequence numbers inside the caller's transaction; returns the first."""
    if count <= 0:
        raise ValueError("count must be positive")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the transaction that writes the change")
    ChangeCounter.objects.get_or_create(pk=1)
    ChangeCounter.objects.filter(pk=1).update(value=F("value") + count)
    last = ChangeCounter.objects.values_list("value", flat=True).get(pk=1)
    return last - count + 1


def mark_changed(queryset: models.QuerySet, **updates) -> int:
    """`queryset.update(**updates)` that also gives every row a fresh change_seq (for admin actions etc.)."""
    with transaction.atomic():
        ids = list(queryset.values_list("pk", flat=True))
        if not ids:
            return 0
        first = allocate(len(ids))
        model = queryset.model
        for offset, pk in enumerate(ids):
            model.objects.filter(pk=pk).update(change_seq=first + offset, **updates)
        return len(ids)


def database_identity() -> str:
    """A random id made with this database's change sequence. Index files remember the one they were built
    from, so indexes left by another database (or by an earlier database of the same name) are rebuilt, never
    mixed with this one's changes."""
    counter, _ = ChangeCounter.objects.get_or_create(pk=1)
    return counter.instance.hex
