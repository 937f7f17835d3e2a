"""Retraining: a reader's model is trained by a job when their signals changed, never by a request.

Stale models are the queue: a worker claims a batch with a conditional UPDATE (another worker that got there
first keeps its rows), trains each reader, and stores the weights. A claim is a lease: a crashed worker's rows
are taken again after LEASE. A signal that changes while a reader trains leaves the row stale, because
`stale` is cleared only where `changed_at` is still the one the training read.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from paperfeed.recommend import rankers, vectors
from paperfeed.recommend.models import ReaderModel
from paperfeed.recommend.profile import profile_for

LEASE = timedelta(minutes=5)
BATCH = 50


def train_reader(user) -> ReaderModel:
    """Train `user`'s model from their current signals and store it (also when they have no likes)."""
    row, _ = ReaderModel.objects.get_or_create(user=user)
    changed_at = row.changed_at
    profile = profile_for(user)
    model = vectors.model_name() or ""
    found = vectors.vectors_of(list(profile.liked) + list(profile.disliked), model or None)
    liked = np.array([found[pk] for pk in profile.liked if pk in found], np.float32).reshape(-1, vectors.DIM)
    marked = np.array([found[pk] for pk in profile.disliked if pk in found], np.float32).reshape(-1, vectors.DIM)
    exclude = set(profile.liked) | profile.disliked
    background = vectors.background(rankers.BACKGROUND, exclude=exclude, seed=user.pk, model=model or None)
    previous = row.weight_vector() if row.model_name == model else None
    init = rankers.LinearModel(previous, row.bias) if previous is not None else None
    trained = rankers.train(liked, marked, background, init=init)
    fields = {
        "model_name": model,
        "weights": trained.weights.astype("<f4").tobytes(),
        "bias": trained.bias,
        "positives": len(liked),
        "negatives": len(marked),
        "trained_at": timezone.now(),
        "claimed_by": "",
        "claimed_at": None,
    }
    ReaderModel.objects.filter(pk=row.pk).update(**fields)
    ReaderModel.objects.filter(pk=row.pk, changed_at=changed_at).update(stale=False)
    row.refresh_from_db()
    return row


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _free(now) -> Q:
    return Q(stale=True) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))


def claim(owner: str, limit: int = BATCH) -> list[int]:
    """Up to `limit` stale rows for `owner`; empty when none is free or another worker took these first."""
    now = timezone.now()
    free = _free(now)
    ids = list(ReaderModel.objects.filter(free).order_by("changed_at").values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    ReaderModel.objects.filter(free, pk__in=ids).update(claimed_by=owner, claimed_at=now)
    return list(ReaderModel.objects.filter(pk__in=ids, claimed_by=owner).values_list("pk", flat=True))


def retrain_stale(stop: threading.Event | None = None, *, limit: int | None = None) -> int:
    """Retrain every reader whose model is stale (at most `limit`); returns how many were trained."""
    owner = _owner()
    done = 0
    users = get_user_model().objects
    while not (stop and stop.is_set()) and (limit is None or done < limit):
        ids = claim(owner, BATCH if limit is None else min(BATCH, limit - done))
        if not ids:
            # Two workers read the same oldest rows and the other claimed them first: the next ones are free,
            # so go on (stopping here left one worker doing the whole nightly run).
            if ReaderModel.objects.filter(_free(timezone.now())).exists():
                continue
            break
        for row in ReaderModel.objects.filter(pk__in=ids).values_list("user_id", flat=True):
            train_reader(users.get(pk=row))
            done += 1
            if stop and stop.is_set():
                break
    return done


def retrain_all(*, stop: threading.Event | None = None) -> tuple[int, float]:
    """Mark every reader stale and retrain them all (the nightly run); returns (readers, seconds)."""
    started = time.perf_counter()
    ReaderModel.objects.update(stale=True, claimed_at=None)
    return retrain_stale(stop), time.perf_counter() - started
