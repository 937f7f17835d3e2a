"""The demo: a few thousand real arXiv papers (shipped in this folder) and clearly-labelled demo users' votes.

Listing days are shifted by whole weeks so that the newest demo day falls in the past week: the demo looks
alive on any date, and weekdays stay weekdays. Paper pages keep arXiv's own dates.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from paperfeed.demo.embeddings import store_demo_embeddings
from paperfeed.ingest.store import Summary, ingest_records
from paperfeed.papers import vote_counts
from paperfeed.papers.models import Listing, Paper, Vote

CORPUS = Path(__file__).with_name("papers.jsonl.gz")
DEMO_PREFIX = "demo-"
DEMO_NAMES = [
    "ada",
    "alan",
    "grace",
    "claude",
    "emmy",
    "kurt",
    "barbara",
    "edsger",
    "john",
    "margaret",
    "donald",
    "frances",
    "leslie",
    "radia",
    "shafi",
    "tony",
    "yoshua",
    "geoffrey",
    "fei-fei",
    "judea",
    "andrew",
    "daphne",
    "michael",
    "cynthia",
    "richard",
    "silvio",
    "whitfield",
    "martin",
    "ken",
    "dennis",
]


def read_corpus(path: Path = CORPUS) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def week_shift(newest: date, today: date) -> timedelta:
    """Whole weeks that move `newest` into the 7 days ending `today` (never into the future)."""
    return timedelta(weeks=(today - newest).days // 7)


def is_loaded() -> bool:
    return User.objects.filter(username__startswith=DEMO_PREFIX).exists()


def load_demo(*, today: date | None = None, seed: int = 7, progress: Callable[[int], None] | None = None) -> Summary:
    today = today or timezone.localdate()
    records = read_corpus()
    shift = week_shift(max(date.fromisoformat(r["first_listing_date"]) for r in records), today)
    for r in records:
        r["first_listing_date"] = (date.fromisoformat(r["first_listing_date"]) + shift).isoformat()
    summary = ingest_records(records, source="demo", progress=progress)
    _demo_votes(seed)
    # Shipped vectors: the demo has semantic search and similar papers without minutes of embedding.
    store_demo_embeddings()
    return summary


@transaction.atomic
def _demo_votes(seed: int) -> None:
    rng = random.Random(seed)
    joined = timezone.now() - timedelta(days=90)
    users = []
    for name in DEMO_NAMES:
        user, _ = User.objects.get_or_create(
            username=DEMO_PREFIX + name,
            defaults={"first_name": "Demo user", "email": f"{DEMO_PREFIX}{name}@demo.invalid", "date_joined": joined},
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        users.append(user)
    votes = []
    listings = Listing.objects.filter(source="demo").values_list("paper_id", "day").order_by("paper_id")
    for paper_id, day in listings:
        # Attention is heavy-tailed: most papers get a vote or none, a few get many.
        n = min(len(users), int(rng.paretovariate(1.5)) - 1)
        if n <= 0:
            continue
        for user in rng.sample(users, n):
            at = datetime.combine(day, time(8), tzinfo=timezone.get_current_timezone()) + timedelta(
                minutes=rng.randrange(0, 36 * 60)
            )
            votes.append(Vote(user=user, paper_id=paper_id, created_at=min(at, timezone.now())))
    Vote.objects.bulk_create(votes, batch_size=1000, ignore_conflicts=True)
    counts = Vote.objects.values("paper_id").annotate(n=Count("id"))
    papers = []
    for row in counts:
        papers.append(Paper(pk=row["paper_id"], vote_count=row["n"]))
    Paper.objects.bulk_update(papers, ["vote_count"], batch_size=1000)
    vote_counts.recount([p.pk for p in papers])  # the Vote rows were bulk-created: count them for rankings
