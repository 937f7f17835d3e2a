"""The demo: real arXiv papers shipped in the package, labelled demo users, a trending page that is not empty."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from paperfeed.demo import loader
from paperfeed.papers.models import Listing, Paper

pytestmark = pytest.mark.django_db


def test_week_shift_lands_the_newest_day_in_the_past_week_on_the_same_weekday():
    newest = date(2026, 7, 1)
    for today in [date(2026, 11, 26), date(2026, 7, 1), date(2027, 3, 14)]:
        shifted = newest + loader.week_shift(newest, today)
        assert 0 <= (today - shifted).days < 7 and shifted.weekday() == newest.weekday()


def test_demo_loads_real_papers_votes_and_a_trending_page(client):
    summary = loader.load_demo()
    assert summary.new == len(loader.read_corpus()) >= 2000 and summary.rejected == 0
    assert loader.is_loaded()
    demo_users = User.objects.filter(username__startswith="demo-")
    assert demo_users.count() == len(loader.DEMO_NAMES)
    assert not any(u.has_usable_password() for u in demo_users)
    assert Listing.objects.order_by("-day").first().day > timezone.localdate() - __import__("datetime").timedelta(
        days=7
    )
    assert Paper.objects.filter(vote_count__gt=0).count() > 200
    trending = client.get("/papers/trending")
    assert trending.status_code == 200 and len(trending.context["page"].items) == 30
    assert trending.context["page"].items[0].score > 0
    latest = client.get("/papers")
    assert latest.status_code == 200 and latest.context["page"].total > 50
