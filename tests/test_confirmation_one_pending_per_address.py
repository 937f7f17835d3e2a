"""An address has one pending confirmation: saving two things at once mails one link, which confirms every digest
the address asked for; a used, replaced or expired link says so on its page, with no button that can only fail."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from paperfeed.digests.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db

BUTTON = b"Yes, send me digests"


def confirm_paths(smtp) -> list[str]:
    return [re.search(r"https?://[^/\s]+(/digests/confirm/\S+)", m.get_content()).group(1) for m in smtp.messages]


def test_a_search_alert_and_digest_settings_saved_together_send_one_mail_that_confirms_both(alice_client, smtp):
    alice_client.post("/accounts/saved-searches", {"query": "graph neural networks", "alert": "daily"})
    alice_client.post("/accounts/digests", {"trending": "daily"})
    assert len(smtp.messages) == 1
    (path,) = confirm_paths(smtp)
    page = alice_client.get(path)
    assert BUTTON in page.content
    assert b"Trending papers, daily" in page.content and b"graph neural networks" in page.content
    assert alice_client.post(path).status_code == 200
    assert Subscriber.objects.get().confirmed
    assert set(Subscription.objects.filter(active=True).values_list("kind", "frequency")) == {
        ("search", "daily"),
        ("trending", "daily"),
    }


def test_a_second_request_later_resends_the_same_link_and_either_copy_confirms(db, smtp):
    now = timezone.now()
    Client().post("/digests/subscribe", {"email": "reader@example.net", "frequency": "daily"})
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        Client().post("/digests/subscribe", {"email": "reader@example.net", "frequency": "weekly"})
        first, second = confirm_paths(smtp)
        assert BUTTON in Client().get(first).content and BUTTON in Client().get(second).content
        assert Client().post(first).status_code == 200
    assert Subscriber.objects.get().confirmed
    assert Subscription.objects.get().frequency == "daily"
    page = Client().get(second)
    assert page.status_code == 200 and BUTTON not in page.content
    assert b"already used" in page.content and b"Trending papers, daily" in page.content


def test_a_used_link_says_where_the_address_stands_before_any_click(db, smtp):
    Client().post("/digests/subscribe", {"email": "reader@example.net", "frequency": "weekly"})
    (path,) = confirm_paths(smtp)
    Client().post(path)
    page = Client().get(path)
    assert page.status_code == 200 and BUTTON not in page.content
    assert b"already used" in page.content and b"reader@example.net" in page.content
    assert b"Trending papers, weekly" in page.content
    again = Client().post(path)
    assert again.status_code == 400 and b"already used" in again.content and BUTTON not in again.content


def test_an_expired_link_says_how_to_get_a_new_one_and_has_no_button(db, smtp):
    Client().post("/digests/subscribe", {"email": "reader@example.net", "frequency": "daily"})
    (path,) = confirm_paths(smtp)
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=False):
        page = Client().get(path)
    assert page.status_code == 400 and BUTTON not in page.content
    assert b"expired" in page.content and b"Subscribe again" in page.content


def test_a_mail_the_server_refused_is_sent_again_at_the_next_request(db, settings, smtp):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    assert Client().post("/digests/subscribe", {"email": "reader@example.net", "frequency": "daily"}).status_code == 503
    settings.EMAIL_PORT = port
    Client().post("/digests/subscribe", {"email": "reader@example.net", "frequency": "daily"})
    assert len(smtp.messages) == 1
