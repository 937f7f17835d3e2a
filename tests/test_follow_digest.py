"""Signed-in users follow categories and authors and get a personal digest of their new papers."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from paperfeed.accounts.models import Follow
from paperfeed.digests.models import Subscriber, Subscription
from paperfeed.digests.send import send_due
from tests.digests_support import TUESDAY_9AM, parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_follows(alice, client, smtp):
    client.force_login(alice)
    client.post("/accounts/follows", {"kind": "category", "value": "math.PR"})
    client.post("/accounts/follows", {"kind": "author", "value": "  Emmy   NOETHER "})
    client.post("/accounts/digests", {"follows": "daily"})
    return client


def test_following_from_the_account_page(alice_follows, alice):
    assert sorted(Follow.objects.values_list("kind", "key")) == [("author", "emmy noether"), ("category", "math.pr")]
    page = alice_follows.get("/accounts/")
    assert b"math.PR" in page.content and b"Emmy NOETHER" in page.content


def test_a_bad_category_is_refused_with_a_400(alice_follows):
    assert alice_follows.post("/accounts/follows", {"kind": "category", "value": "not a category!"}).status_code == 400


def test_unfollowing_removes_it(alice_follows, alice):
    follow = Follow.objects.get(kind="category")
    alice_follows.post(f"/accounts/follows/{follow.pk}/delete")
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_the_account_address_must_be_confirmed_first(alice_follows, smtp, make_paper):
    assert len(smtp.messages) == 1 and "Confirm" in smtp.messages[0]["Subject"]
    make_paper("2603.00001", categories=["math.PR"])
    with time_machine.travel(timezone_now_plus(days=1), tick=False):
        assert send_due().sent == 0


def timezone_now_plus(**delta):
    from django.utils import timezone

    return timezone.now() + timedelta(**delta)


def test_the_personal_digest_has_only_new_papers_in_followed_categories_and_authors(alice_follows, smtp, make_paper):
    Subscriber.objects.update(confirmed_at=TUESDAY_9AM - timedelta(days=3))
    with time_machine.travel(TUESDAY_9AM - timedelta(hours=20), tick=False):  # Monday afternoon: in Tuesday's period
        make_paper("2603.00001", categories=["math.PR", "cs.LG"])
        make_paper("2603.00002", categories=["cs.CV"], authors=["Emmy Noether", "X"])
        make_paper("2603.00003", categories=["cs.CV"])
    with time_machine.travel(TUESDAY_9AM - timedelta(days=3), tick=False):  # listed before the period
        make_paper("2603.00004", categories=["math.PR"])
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    message = smtp.messages[-1]
    text, html = parts(message)
    followed = text.split("== For you ==")[0]  # the rest of the week comes after, ranked For you
    assert "2603.00001" in followed and "2603.00002" in followed
    assert "2603.00003" not in followed and "2603.00004" not in followed
    assert "follows" in message["List-Id"] and "you follow" in message["Subject"]


def test_turning_the_personal_digest_off(alice_follows):
    alice_follows.post("/accounts/digests", {"follows": ""})
    assert not Subscription.objects.get(kind="follows").active


def test_following_needs_a_login(db):
    response = Client().post("/accounts/follows", {"kind": "category", "value": "cs.LG"})
    assert response.status_code == 302 and not Follow.objects.exists()
