"""Counted votes: the votes every ranking uses, kept up to date so that no ranking recounts votes per request.

A vote counts (Vote.counted, summed in Paper.counted_votes) once its account is at least MIN_VOTER_AGE_HOURS
old (ranking.voter_counts). upvote/undo_upvote (paper_actions.py) set it when the vote is cast or taken back;
`count_aged_votes`, a scheduled job (runtime/jobs.py, VOTE_COUNT_INTERVAL), counts the votes whose accounts have
aged past the threshold since, and uncounts those of accounts that are younger than a raised threshold. So a
young account's vote moves no ranking anywhere, and counts within VOTE_COUNT_INTERVAL of its account's coming
of age. Safe in many processes at once: rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL,
and SQLite's IMMEDIATE transactions let one writer in at a time.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from paperfeed.papers import ranking
from paperfeed.papers.models import Paper, Vote

BATCH = 5000


def counts_now(user, now: datetime | None = None) -> bool:
    """Whether a vote by `user` counts when cast at `now`."""
    return ranking.voter_counts(user.date_joined, now or timezone.now(), ranking.TrendingParams.from_settings())


def _cutoff(now: datetime | None) -> datetime:
    params = ranking.TrendingParams.from_settings()
    return (now or timezone.now()) - timedelta(hours=params.min_voter_age_hours)


def count_aged_votes(now: datetime | None = None) -> int:
    """Bring Vote.counted and Paper.counted_votes in line with the accounts' ages at `now`; returns votes changed."""
    cutoff = _cutoff(now)
    young_users = get_user_model().objects.filter(date_joined__gt=cutoff).values("pk")
    changed = 0
    for counted, selection in (
        (True, Vote.objects.filter(counted=False, user__date_joined__lte=cutoff)),
        (False, Vote.objects.filter(counted=True, user__in=young_users)),
    ):
        while True:
            done = _flip_batch(selection, counted)
            changed += done
            if done < BATCH:
                break
    return changed


def _flip_batch(selection, counted: bool) -> int:
    with transaction.atomic():
        rows = list(selection.select_for_update(skip_locked=True, of=("self",)).values_list("pk", "paper_id")[:BATCH])
        if not rows:
            return 0
        Vote.objects.filter(pk__in=[pk for pk, _ in rows]).update(counted=counted)
        sign = 1 if counted else -1
        for paper_id, n in Counter(paper_id for _, paper_id in rows).items():
            Paper.objects.filter(pk=paper_id).update(counted_votes=F("counted_votes") + sign * n)
    return len(rows)


def recount(paper_ids=None, now: datetime | None = None) -> None:
    """Set Vote.counted and recount counted_votes from the Vote rows (all papers, or these): for bulk loaders that
    write Vote rows directly, and for repair. Not for concurrent use with voting; the write path is."""
    cutoff = _cutoff(now)
    votes = Vote.objects.all() if paper_ids is None else Vote.objects.filter(paper_id__in=list(paper_ids))
    papers = Paper.objects.all() if paper_ids is None else Paper.objects.filter(pk__in=list(paper_ids))
    with transaction.atomic():
        votes.filter(user__date_joined__lte=cutoff).exclude(counted=True).update(counted=True)
        votes.filter(user__date_joined__gt=cutoff).exclude(counted=False).update(counted=False)
        counted = Vote.objects.filter(paper=OuterRef("pk"), counted=True).values("paper").annotate(n=Count("id"))
        papers.update(counted_votes=Coalesce(Subquery(counted.values("n")), 0))
