"""Signed-in users turn the trending digest on from their account page; the address is confirmed once."""

import re

import pytest

from paperfeed.digests.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db


def test_turning_on_the_weekly_trending_digest_confirms_the_address_once(alice_client, alice, smtp):
    response = alice_client.post("/accounts/digests", {"trending": "weekly"}, follow=True)
    assert b"confirmation link" in response.content
    assert Subscription.objects.get().frequency == "weekly"
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "alice@example.org"
    path = re.search(r"https?://[^/\s]+(/digests/confirm/\S+)", smtp.messages[0].get_content()).group(1)
    alice_client.post(path)
    assert Subscriber.objects.get().user == alice and Subscriber.objects.get().confirmed
    alice_client.post("/accounts/digests", {"trending": "daily", "follows": "daily"})
    assert len(smtp.messages) == 1  # confirmed already: no second mail
    assert set(Subscription.objects.filter(active=True).values_list("kind", "frequency")) == {
        ("trending", "daily"),
        ("follows", "daily"),
    }
    page = alice_client.get("/accounts/")
    assert b'<option value="daily" selected>' in page.content


def test_an_unknown_frequency_is_a_400(alice_client, smtp):
    assert alice_client.post("/accounts/digests", {"trending": "hourly"}).status_code == 400
    assert not Subscription.objects.exists() and smtp.messages == []
