"""40 accounts made minutes ago vote one paper: no ranking anywhere moves (listing pages, exports, the API, the
HF-compatible API, feeds, trending, digests, search's most-upvoted sort); once the accounts have aged past
MIN_VOTER_AGE_HOURS and the counting job has run, their votes count everywhere."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from paperfeed.digests import matching
from paperfeed.papers import changes, paper_actions, vote_counts
from paperfeed.papers.models import Paper
from paperfeed.search import indexer
from paperfeed.search.hybrid import search

pytestmark = pytest.mark.django_db

REGULAR, PUSHED, QUIET = "2611.00401", "2611.00402", "2611.00403"


@pytest.fixture
def voted(make_paper, settings, index_dir):
    settings.PAPERFEED = {**settings.PAPERFEED, "PAGE_CACHE_SECONDS": 0}
    today = timezone.localdate().isoformat()
    for arxiv_id in (REGULAR, PUSHED, QUIET):
        make_paper(arxiv_id, title=f"Sybil test paper {arxiv_id}", categories=["cs.LG"], first_listing_date=today)
    changes.mark_changed(Paper.objects.all())
    indexer.catch_up()
    long_ago = timezone.now() - timedelta(days=400)
    for i in range(3):
        paper_actions.upvote(User.objects.create(username=f"regular{i}", date_joined=long_ago), _p(REGULAR))
    start = timezone.now()
    for i in range(40):  # 40 accounts in 12 seconds, each voting at once
        user = User.objects.create(username=f"sybil{i}", date_joined=start + timedelta(seconds=i * 0.3))
        paper_actions.upvote(user, _p(PUSHED))
    return start


def _p(arxiv_id):
    return Paper.objects.get(arxiv_id=arxiv_id)


def rankings(client) -> dict[str, list[str]]:
    day = timezone.localdate().isoformat()
    since = datetime.combine(
        timezone.localdate() - timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    mine = {REGULAR, PUSHED, QUIET}

    def only(ids):
        return [i for i in ids if i in mine]

    return {
        "/papers": only(i.paper.arxiv_id for i in client.get("/papers").context["page"].items),
        "/papers?format=json": only(r["id"] for r in client.get("/papers?format=json").json()["papers"]),
        "week page": only(
            i.paper.arxiv_id for i in client.get(f"/papers/month/{day[:7]}?sort=top").context["page"].items
        ),
        "/papers/trending": only(i.paper.arxiv_id for i in client.get("/papers/trending").context["page"].items),
        "/api/v1/listings/latest": only(p["id"] for p in client.get("/api/v1/listings/latest").json()["items"]),
        "/api/v1/categories top": only(
            p["id"] for p in client.get("/api/v1/categories/cs.LG/papers?sort=top").json()["items"]
        ),
        "/api/v1/trending": only(p["id"] for p in client.get("/api/v1/trending").json()["items"]),
        "/api/daily_papers": only(
            r["paper"]["id"] for r in client.get(f"/api/daily_papers?date={day}&sort=trending").json()
        ),
        "/feeds/trending.json": only(r["id"] for r in client.get("/feeds/trending.json").json()["papers"]),
        "digest window": only(c.arxiv_id for c in matching.window(since, timezone.now() + timedelta(minutes=1))),
        "search upvoted": only(h.paper.arxiv_id for h in search("sybil test paper", sort="upvoted").hits),
    }


def test_forty_young_accounts_move_no_ranking_until_they_have_aged(client, voted):
    assert _p(PUSHED).upvotes == 40  # their votes show in the count
    before = rankings(client)
    for where, order in before.items():
        assert order.index(PUSHED) > order.index(REGULAR), where
        assert order[0] == REGULAR, where

    User.objects.filter(username__startswith="sybil").update(date_joined=voted - timedelta(hours=25))
    vote_counts.count_aged_votes()
    after = rankings(client)
    for where, order in after.items():
        assert order[0] == PUSHED, where


def test_the_counting_job_counts_each_vote_once_however_often_it_runs(voted):
    User.objects.filter(username__startswith="sybil").update(date_joined=voted - timedelta(hours=25))
    assert vote_counts.count_aged_votes() == 40
    assert vote_counts.count_aged_votes() == 0
    assert _p(PUSHED).counted_votes == 40
    paper_actions.undo_upvote(User.objects.get(username="sybil0"), _p(PUSHED))
    assert (_p(PUSHED).vote_count, _p(PUSHED).counted_votes) == (39, 39)
