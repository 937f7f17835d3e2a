"""Leaving with one click (RFC 8058): a cookie-less POST stops the next run; a GET or a forged token changes nothing."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client

from paperfeed.digests.models import Subscription
from paperfeed.digests.send import send_due
from paperfeed.digests.tokens import unsubscribe_token
from tests.digests_support import TUESDAY_9AM, subscribe, voted_papers

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_digest(smtp, make_paper):
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 3)
        subscribe("reader@example.net")
        assert send_due().sent == 1
    return smtp.messages[0]


def one_click_path(message) -> str:
    return urlsplit(message["List-Unsubscribe"].strip("<>")).path


def test_a_post_without_cookies_or_csrf_token_unsubscribes_and_stops_the_next_run(first_digest, smtp, make_paper):
    client = Client(enforce_csrf_checks=True)
    response = client.post(one_click_path(first_digest), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.get().active
    with time_machine.travel(TUESDAY_9AM + timedelta(days=1), tick=False):
        voted_papers(make_paper, 3, start=100)
        summary = send_due()
    assert summary.sent == 0 and len(smtp.messages) == 1


def test_the_post_is_idempotent(first_digest):
    path = one_click_path(first_digest)
    answers = [
        Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"}).status_code for _ in range(3)
    ]
    assert answers == [200, 200, 200]
    assert not Subscription.objects.get().active


def test_a_get_shows_a_confirm_page_and_changes_nothing(first_digest):
    response = Client().get(one_click_path(first_digest))
    assert response.status_code == 200 and b'<form method="post"' in response.content
    assert Subscription.objects.get().active


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("xx" if not t.endswith("xx") else "yy"),
        lambda t: "eyJ1Ijo5OTl9" + t[t.index(":") :],
        lambda t: "garbage",
    ],
)
def test_a_forged_or_altered_token_changes_nothing(first_digest, mangle):
    token = one_click_path(first_digest).rsplit("/", 1)[1]
    response = Client(enforce_csrf_checks=True).post(f"/digests/unsubscribe/{mangle(token)}")
    assert response.status_code == 400
    assert Subscription.objects.get().active


def test_a_token_for_another_purpose_is_refused(first_digest):
    manage_path = next(
        w for w in first_digest.get_body(preferencelist=("plain",)).get_content().split() if "/digests/manage/" in w
    )
    token = manage_path.rsplit("/", 1)[1]
    assert Client().post(f"/digests/unsubscribe/{token}").status_code == 400
    assert Subscription.objects.get().active


def test_every_mail_links_one_page_to_manage_all_subscriptions(first_digest, make_paper, alice):
    from paperfeed.accounts.models import SavedSearch

    subscription = Subscription.objects.get()
    search = SavedSearch.objects.create(user=alice, query="learning")
    subscribe("reader@example.net", kind="search", saved_search=search)
    text = first_digest.get_body(preferencelist=("plain",)).get_content()
    manage = urlsplit(next(w for w in text.split() if "/digests/manage/" in w)).path
    client = Client()
    with time_machine.travel(TUESDAY_9AM + timedelta(days=2)):  # the link is followed while still valid
        page = client.get(manage)
        assert page.status_code == 200 and b"Trending papers" in page.content and b"Alert: learning" in page.content
        client.post(manage, {f"sub-{subscription.pk}": "weekly", "timezone": "Europe/Berlin"})
        subscription.refresh_from_db()
        assert subscription.frequency == "weekly" and subscription.subscriber.timezone == "Europe/Berlin"
        client.post(manage, {"action": "unsubscribe_all"})
    assert not Subscription.objects.filter(active=True).exists()


def test_unsubscribe_tokens_name_one_subscription(db):
    assert unsubscribe_token(1) != unsubscribe_token(2)


def test_one_click_on_a_subscription_deleted_since_still_answers_200(first_digest):
    path = one_click_path(first_digest)
    Subscription.objects.all().delete()
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
