"""Saved searches with "email me new matches", daily or weekly: only new papers that match, once each."""

from datetime import timedelta

import pytest
import time_machine

from paperfeed.accounts import follow_actions
from paperfeed.accounts.models import SavedSearch
from paperfeed.digests.models import Subscriber, Subscription
from paperfeed.digests.send import send_due
from tests.digests_support import TUESDAY_9AM, parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(alice, client, smtp):
    client.force_login(alice)
    response = client.post(
        "/accounts/saved-searches",
        {"query": 'diffusion "score matching" cat:cs.LG', "categories": "cs.LG, stat.ML", "alert": "daily"},
    )
    assert response.status_code == 302
    Subscriber.objects.update(confirmed_at=TUESDAY_9AM - timedelta(days=3))
    return SavedSearch.objects.get()


def test_saving_a_search_with_an_alert_from_the_account_page(saved, client):
    assert saved.filters == {"categories": ["cs.LG", "stat.ML"]} and saved.alert == "daily"
    assert Subscription.objects.get(kind="search").saved_search == saved
    page = client.get("/accounts/")
    assert b"diffusion" in page.content and b"email me new matches daily" in page.content


def test_an_alert_mails_only_new_matching_papers(saved, smtp, make_paper):
    with time_machine.travel(TUESDAY_9AM - timedelta(hours=10), tick=False):
        make_paper("2603.00001", title="Diffusion models via score matching", categories=["cs.LG"])
        make_paper("2603.00002", title="Diffusion by matching scores", categories=["cs.LG"])
        make_paper("2603.00003", title="Diffusion with score matching", categories=["cs.CV"])
        make_paper("2603.00004", title="Diffusion without the other thing", categories=["cs.LG"])
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    text, _ = parts(smtp.messages[-1])
    assert "2603.00001" in text
    assert not any(f"2603.0000{i}" in text for i in (2, 3, 4))
    assert "new matches" in smtp.messages[-1]["Subject"]
    with time_machine.travel(TUESDAY_9AM + timedelta(days=1), tick=False):
        summary = send_due()
    assert summary.sent == 0 and summary.empty == 1


def test_a_query_with_nothing_to_search_is_refused(alice, client):
    client.force_login(alice)
    assert client.post("/accounts/saved-searches", {"query": "?!", "alert": "daily"}).status_code == 400
    assert not SavedSearch.objects.exists()


def test_switching_the_alert_to_weekly_and_off(saved, client):
    client.post(f"/accounts/saved-searches/{saved.pk}", {"alert": "weekly"})
    assert Subscription.objects.get().frequency == "weekly"
    client.post(f"/accounts/saved-searches/{saved.pk}", {"alert": ""})
    saved.refresh_from_db()
    assert saved.alert == "" and not Subscription.objects.get().active


def test_deleting_a_saved_search_ends_its_alert(saved, client):
    client.post(f"/accounts/saved-searches/{saved.pk}", {"action": "delete"})
    assert not SavedSearch.objects.exists() and not Subscription.objects.exists()


def test_another_users_saved_search_is_not_reachable(saved, bob, client):
    client.force_login(bob)
    assert client.post(f"/accounts/saved-searches/{saved.pk}", {"action": "delete"}).status_code == 404
    assert SavedSearch.objects.exists()


def test_save_search_turns_on_the_alert_it_is_given(alice, smtp):
    search = follow_actions.save_search(alice, "diffusion transformers", alert="weekly")
    assert SavedSearch.objects.get().alert == "weekly" == search.alert
    subscription = Subscription.objects.get(kind="search")
    assert subscription.saved_search == search and subscription.frequency == "weekly" and subscription.active
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "alice@example.org"  # the address is not confirmed yet
