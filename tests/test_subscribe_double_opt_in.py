"""Subscribing by email alone: only the confirmation mail until the single-use, expiring link is followed."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from paperfeed.digests.models import Subscriber, Subscription
from paperfeed.digests.send import send_due
from tests.digests_support import TUESDAY_9AM, voted_papers

pytestmark = pytest.mark.django_db


def confirm_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/digests/confirm/\S+)", message.get_content()).group(1)


@pytest.fixture
def requested(smtp, make_paper):
    with time_machine.travel(TUESDAY_9AM - timedelta(hours=3), tick=False):
        voted_papers(make_paper, 3)
        response = Client().post("/digests/subscribe", {"email": " Reader@Example.net ", "frequency": "daily"})
    assert response.status_code == 200 and b"Check your inbox" in response.content
    return smtp


def test_the_header_has_a_subscribe_button(client, db):
    page = client.get("/papers/trending")
    assert b'href="/digests/subscribe"' in page.content
    assert b'name="email"' in client.get("/digests/subscribe").content


def test_an_unconfirmed_address_gets_only_the_confirmation_mail(requested):
    assert len(requested.messages) == 1
    assert "Confirm" in requested.messages[0]["Subject"] and requested.messages[0]["To"] == "reader@example.net"
    with time_machine.travel(TUESDAY_9AM, tick=False):
        summary = send_due()
    assert summary.sent == 0 and len(requested.messages) == 1
    assert not Subscription.objects.exists()


def test_confirming_starts_the_digest_asked_for(requested):
    path = confirm_path(requested.messages[0])
    client = Client()
    with time_machine.travel(TUESDAY_9AM - timedelta(hours=2), tick=False):
        assert client.get(path).status_code == 200
        assert not Subscriber.objects.get().confirmed  # a GET (a link scanner) confirms nothing
        assert client.post(path).status_code == 200
    assert Subscriber.objects.get().confirmed
    assert Subscription.objects.get().frequency == "daily"
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    assert requested.messages[-1]["To"] == "reader@example.net" and "trending" in requested.messages[-1]["Subject"]


def test_the_confirmation_link_works_once(requested):
    path = confirm_path(requested.messages[0])
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert Client().post(path).status_code == 200
        Subscription.objects.update(active=False)
        again = Client().post(path)
    assert again.status_code == 400 and b"already used" in again.content
    assert not Subscription.objects.get().active


def test_the_confirmation_link_expires_after_the_set_days(requested, settings):
    path = confirm_path(requested.messages[0])
    with time_machine.travel(TUESDAY_9AM + timedelta(days=3, hours=1), tick=False):
        response = Client().post(path)
    assert response.status_code == 400 and b"expired" in response.content
    assert not Subscriber.objects.get().confirmed
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_CONFIRM_DAYS": 5}
    with time_machine.travel(TUESDAY_9AM + timedelta(days=3, hours=1), tick=False):
        assert Client().post(path).status_code == 200


def test_an_altered_confirmation_token_changes_nothing(requested):
    path = confirm_path(requested.messages[0])
    token = path.rsplit("/", 1)[1]
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = Client().post(f"/digests/confirm/{forged}")
    assert response.status_code == 400
    assert not Subscriber.objects.get().confirmed


def test_a_bad_address_is_a_400_not_a_500(db, smtp):
    response = Client().post("/digests/subscribe", {"email": "not an address", "frequency": "daily"})
    assert response.status_code == 400 and b"not an email address" in response.content
    assert Client().post("/digests/subscribe", {"email": "a@example.org", "frequency": "hourly"}).status_code == 400
    assert smtp.messages == []
