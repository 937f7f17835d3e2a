"""Listing.rank_votes is the paper's counted_votes + imported_upvotes after every kind of write (votes, undo, the
vote-counts job, ingest's imported upvotes, a raw UPDATE), and a day's trending candidates are read along the
(day, rank_votes desc) index, not by sorting the whole day."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import F
from django.utils import timezone

from paperfeed.ingest.store import ingest_records
from paperfeed.papers import paper_actions, paper_list, vote_counts
from paperfeed.papers.models import Listing, Paper
from tests.conftest import paper_record

pytestmark = pytest.mark.django_db


def in_step() -> dict[str, tuple[int, int]]:
    """Papers whose listing's rank_votes differs from their counts: {arxiv_id: (rank_votes, counts)}."""
    rows = Listing.objects.values_list(
        "paper__arxiv_id", "rank_votes", "paper__counted_votes", "paper__imported_upvotes"
    )
    return {a: (r, c + i) for a, r, c, i in rows if r != c + i}


def test_every_write_of_a_papers_counts_moves_its_listings_rank_votes(settings):
    today = timezone.localdate().isoformat()
    ingest_records([paper_record("2611.00501", first_listing_date=today, imported_upvotes=12)], source="test")
    ingest_records([paper_record("2611.00502", first_listing_date=today)], source="test")
    assert Listing.objects.get(paper__arxiv_id="2611.00501").rank_votes == 12 and in_step() == {}

    ingest_records([paper_record("2611.00501", first_listing_date=today, imported_upvotes=20)], source="test")
    assert Listing.objects.get(paper__arxiv_id="2611.00501").rank_votes == 20 and in_step() == {}

    old = User.objects.create(username="old", date_joined=timezone.now() - timedelta(days=30))
    young = User.objects.create(username="young", date_joined=timezone.now())
    paper = Paper.objects.get(arxiv_id="2611.00502")
    paper_actions.upvote(old, paper)
    paper_actions.upvote(young, paper)
    assert Listing.objects.get(paper=paper).rank_votes == 1 and in_step() == {}

    vote_counts.count_aged_votes(now=timezone.now() + timedelta(days=30))
    assert Listing.objects.get(paper=paper).rank_votes == 2 and in_step() == {}
    paper_actions.undo_upvote(old, paper)
    assert Listing.objects.get(paper=paper).rank_votes == 1 and in_step() == {}

    Paper.objects.filter(pk=paper.pk).update(imported_upvotes=F("imported_upvotes") + 5)
    stale = Listing.objects.get(paper=paper)
    Listing.objects.filter(pk=stale.pk).update(rank_votes=999)  # a stray write is corrected by the next one
    stale.save()
    assert Listing.objects.get(paper=paper).rank_votes == 6 and in_step() == {}


def test_a_days_trending_candidates_come_off_the_day_and_rank_votes_index(make_paper):
    today = timezone.localdate()
    ingest_records(
        [
            paper_record(f"2611.{i:05d}", first_listing_date=today.isoformat(), imported_upvotes=i % 7)
            for i in range(1, 400)
        ],
        source="test",
    )
    day_query = (
        paper_list.visible_listings()
        .filter(day=today)
        .order_by("-ranked_votes", paper_list._binary(F("paper__arxiv_id")).desc())
        .values_list("pk", "paper__arxiv_id", "day", "ranked_votes")[:30]
    )
    with connection.cursor() as cursor:
        sql, params = day_query.query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE papers_listing")
            cursor.execute("ANALYZE papers_paper")
        cursor.execute(prefix + sql, params)
        plan = "\n".join(str(row) for row in cursor.fetchall())
    assert "listing_day_rank_votes" in plan, plan
    assert [i.paper.arxiv_id for i in paper_list.trending().items][:3] == ["2611.00398", "2611.00391", "2611.00384"]
