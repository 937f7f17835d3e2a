"""Trending reads the counted votes kept on each paper and only each day's head, never the vote rows; its pages
are exactly the formula's order over every paper in the window."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from paperfeed.ingest.store import ingest_records
from paperfeed.papers import paper_list, ranking
from paperfeed.papers.models import Paper
from tests.conftest import paper_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(db):
    rng = random.Random(7)
    today = timezone.localdate()
    records = [
        paper_record(f"2611.{i:05d}", first_listing_date=(today - timedelta(days=i % 9)).isoformat())
        for i in range(1, 241)
    ]
    ingest_records(records, source="test")
    for pk in Paper.objects.values_list("pk", flat=True):
        # many ties (0 and small counts), as real votes have
        Paper.objects.filter(pk=pk).update(
            counted_votes=rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 40]), imported_upvotes=rng.choice([0, 0, 1, 7])
        )


def formula_order(now):
    params = ranking.TrendingParams.from_settings()
    since = timezone.localdate(now) - timedelta(days=6)
    cands = [
        ranking.Candidate(p.arxiv_id, p.counted_votes + p.imported_upvotes, paper_list.day_start(p.listing.day))
        for p in Paper.objects.select_related("listing").filter(listing__day__gte=since)
    ]
    return [c.key for c, _ in ranking.trending_order(cands, now, params)]


def test_every_page_is_the_formulas_order_over_the_whole_window(window):
    now = timezone.now()
    expected = formula_order(now)
    got, page = [], 1
    while True:
        result = paper_list.trending(now=now, page=page, page_size=17)
        got += [item.paper.arxiv_id for item in result.items]
        assert result.total == len(expected)
        if not result.has_next:
            break
        page += 1
    assert got == expected


def test_trending_reads_no_vote_rows_and_only_each_days_head(window):
    with CaptureQueriesContext(connection) as queries:
        paper_list.trending(page=1, page_size=10)
    sql = [q["sql"].lower() for q in queries.captured_queries]
    assert not any("papers_vote" in s for s in sql)
    per_day = [s for s in sql if "limit 10" in s]
    assert len(per_day) == 7  # one bounded query per day of the window
