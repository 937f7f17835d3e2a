"""/api/v1/me: follows, saved searches and digest subscriptions through a token; others' objects are not found."""

import pytest
from django.core import mail
from django.test import Client

from paperfeed.accounts.models import SavedSearch
from paperfeed.api.models import ApiToken
from paperfeed.digests.models import Subscription

pytestmark = pytest.mark.django_db


def api_for(user) -> Client:
    _, secret = ApiToken.issue(user, "script")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_follow_list_and_unfollow(alice):
    api = api_for(alice)
    made = api.post("/api/v1/me/follows", {"kind": "category", "value": "cs.LG"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["value"] == "cs.LG"
    assert [f["value"] for f in api.get("/api/v1/me/follows").json()] == ["cs.LG"]
    bad = api.post(
        "/api/v1/me/follows", {"kind": "category", "value": "not a category!"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_category"
    assert api.delete(f"/api/v1/me/follows/{made.json()['id']}").status_code == 204
    assert api.get("/api/v1/me/follows").json() == []


def test_a_saved_search_with_an_alert_makes_a_subscription_and_asks_to_confirm(alice):
    api = api_for(alice)
    made = api.post(
        "/api/v1/me/saved-searches",
        {"query": "diffusion transformers", "categories": ["cs.CV"], "alert": "weekly"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["query"] == "diffusion transformers" and body["categories"] == ["cs.CV"] and body["alert"] == "weekly"
    subs = api.get("/api/v1/me/subscriptions").json()
    assert len(subs) == 1 and subs[0]["kind"] == "search" and subs[0]["saved_search"] == body["id"]
    assert subs[0]["email_confirmed"] is False and len(mail.outbox) == 1


def test_digests_turn_on_and_off(alice):
    api = api_for(alice)
    on = api.put("/api/v1/me/digests/trending", {"frequency": "daily"}, content_type="application/json")
    assert on.status_code == 200 and on.json()["frequency"] == "daily" and on.json()["active"] is True
    stopped = api.delete(f"/api/v1/me/subscriptions/{on.json()['id']}")
    assert stopped.status_code == 204
    assert api.get("/api/v1/me/subscriptions").json()[0]["active"] is False


def test_another_users_saved_search_and_subscription_are_not_found(alice, bob):
    bobs = SavedSearch.objects.create(user=bob, query="secret topic")
    api_for(bob).put("/api/v1/me/digests/trending", {"frequency": "weekly"}, content_type="application/json")
    bobs_sub = Subscription.objects.get(subscriber__user=bob)
    api = api_for(alice)
    assert api.delete(f"/api/v1/me/saved-searches/{bobs.pk}").status_code == 404
    assert api.delete(f"/api/v1/me/subscriptions/{bobs_sub.pk}").status_code == 404
    assert SavedSearch.objects.filter(pk=bobs.pk).exists()
    bobs_sub.refresh_from_db()
    assert bobs_sub.active
    assert api.get("/api/v1/me/saved-searches").json() == []


def test_anonymous_callers_get_401(client):
    for url in ("/api/v1/me/follows", "/api/v1/me/saved-searches", "/api/v1/me/subscriptions"):
        assert client.get(url).status_code == 401


def test_nul_characters_in_a_body_are_dropped_not_a_500(alice):
    # Found by the schema fuzzer on PostgreSQL, whose jsonb cannot hold \u0000.
    api = api_for(alice)
    made = api.post(
        "/api/v1/me/saved-searches",
        {"query": "gra\x00phs", "authors": ["Ada\x00 Lovelace"]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["query"] == "graphs" and made.json()["authors"] == ["Ada Lovelace"]
