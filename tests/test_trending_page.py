"""/papers/trending: decayed votes, young accounts weigh nothing, imported upvotes count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from paperfeed.papers import paper_actions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_trending_orders_by_decayed_votes(client, make_paper):
    today = timezone.localdate()
    old = make_paper("2611.00001", title="Old but loved", first_listing_date=(today - timedelta(days=5)).isoformat())
    new = make_paper("2611.00002", title="New and liked", first_listing_date=today.isoformat())
    make_paper("2611.00003", title="Ignored", first_listing_date=today.isoformat())
    voters = [make_user(f"v{i}") for i in range(6)]
    for v in voters[:6]:
        paper_actions.upvote(v, old)
    for v in voters[:3]:
        paper_actions.upvote(v, new)
    response = client.get("/papers/trending")
    titles = [item.paper.title for item in response.context["page"].items]
    assert titles == ["New and liked", "Old but loved", "Ignored"]
    assert b"score 0." not in response.content


def test_votes_from_young_accounts_count_zero_in_trending(client, make_paper):
    today = timezone.localdate().isoformat()
    sybil = make_paper("2611.00011", title="Pushed by new accounts", first_listing_date=today)
    honest = make_paper("2611.00012", title="Liked by regulars", first_listing_date=today)
    for i in range(5):
        paper_actions.upvote(make_user(f"fresh{i}", days_old=0.1), sybil)
    paper_actions.upvote(make_user("regular", days_old=90), honest)
    items = client.get("/papers/trending").context["page"].items
    assert [i.paper.title for i in items] == ["Liked by regulars", "Pushed by new accounts"]
    assert items[1].paper.upvotes == 5  # the votes still show; they just don't push trending


def test_imported_upvotes_count_in_trending(client, make_paper):
    today = timezone.localdate().isoformat()
    from paperfeed.papers.models import Paper

    make_paper("2611.00021", title="Popular on HF", first_listing_date=today)
    make_paper("2611.00022", title="Unknown", first_listing_date=today)
    Paper.objects.filter(arxiv_id="2611.00021").update(imported_upvotes=40)
    items = client.get("/papers/trending").context["page"].items
    assert items[0].paper.title == "Popular on HF" and items[0].effective_votes == 40


def test_papers_outside_the_window_are_not_trending(client, make_paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "TRENDING_WINDOW_DAYS": 3}
    make_paper(
        "2611.00031", title="Ancient", first_listing_date=(timezone.localdate() - timedelta(days=10)).isoformat()
    )
    assert client.get("/papers/trending").context["page"].items == []
