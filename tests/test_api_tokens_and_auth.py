"""Writes need a session (with CSRF) or a personal API token; tokens are stored hashed and revocation is immediate."""

import re

import pytest
from django.test import Client

from paperfeed.api.models import ApiToken, hash_token
from paperfeed.papers.models import Paper, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(make_paper):
    return make_paper("2602.00001", title="Votable", first_listing_date="2026-02-10")


def new_token(client, name="bot") -> str:
    response = client.post("/accounts/tokens/new", {"name": name})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return re.search(r'id="token-secret">([^<]+)<', response.content.decode())[1]


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_anonymous_writes_get_401_in_the_error_shape(client, paper):
    for method, url in [
        ("put", "/api/v1/papers/2602.00001/vote"),
        ("delete", "/api/v1/papers/2602.00001/vote"),
        ("post", "/api/v1/papers/2602.00001/comments"),
        ("post", "/api/v1/submissions"),
        ("get", "/api/v1/me"),
    ]:
        extra = {} if method == "get" else {"data": "{}", "content_type": "application/json"}
        response = getattr(client, method)(url, **extra)
        assert response.status_code == 401, url
        assert response.json()["error"]["code"] == "unauthorized"
    assert Vote.objects.count() == 0


def test_a_token_is_shown_once_and_stored_only_as_its_hash(alice_client, alice):
    secret = new_token(alice_client)
    token = ApiToken.objects.get(user=alice)
    assert secret.startswith("pf_") and token.token_hash == hash_token(secret) and secret not in token.token_hash
    assert token.shown_prefix == secret[:10]
    page = alice_client.get("/accounts/").content.decode()
    assert token.shown_prefix in page and secret not in page


def test_a_token_votes_comments_and_stops_working_the_moment_it_is_revoked(alice_client, alice, paper):
    secret = new_token(alice_client)
    api = Client()  # no cookies: only the token speaks
    assert api.get("/api/v1/me", headers=bearer(secret)).json() == {"username": "alice", "authenticated_by": "token"}
    voted = api.put("/api/v1/papers/2602.00001/vote", headers=bearer(secret))
    assert voted.status_code == 200 and voted.json() == {"paper": "2602.00001", "voted": True, "upvotes": 1}
    comment = api.post(
        "/api/v1/papers/2602.00001/comments",
        {"body": "Nice *result*"},
        content_type="application/json",
        headers=bearer(secret),
    )
    assert (
        comment.status_code == 201
        and comment.json()["author"] == "alice"
        and "<em>result</em>" in comment.json()["html"]
    )
    assert api.delete("/api/v1/papers/2602.00001/vote", headers=bearer(secret)).json()["voted"] is False

    token = ApiToken.objects.get(user=alice)
    assert alice_client.post(f"/accounts/tokens/{token.pk}/revoke").status_code == 302
    refused = api.put("/api/v1/papers/2602.00001/vote", headers=bearer(secret))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert "revoked" in refused.json()["error"]["message"]
    assert Vote.objects.count() == 0


def test_nobody_can_revoke_another_users_token(alice_client, bob):
    bobs, _ = ApiToken.issue(bob, "bob's bot")
    response = alice_client.post(f"/accounts/tokens/{bobs.pk}/revoke")
    assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.revoked_at is None


def test_a_cookie_session_must_send_its_csrf_token(alice, paper):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    refused = browser.put("/api/v1/papers/2602.00001/vote")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    browser.get("/papers/2602.00001")  # sets the csrftoken cookie, as the page does for its forms
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.put("/api/v1/papers/2602.00001/vote", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 200 and accepted.json()["voted"] is True


def test_a_token_needs_no_csrf_even_with_checks_on(alice, paper):
    _, secret = ApiToken.issue(alice, "script")
    api = Client(enforce_csrf_checks=True)
    assert api.put("/api/v1/papers/2602.00001/vote", headers=bearer(secret)).status_code == 200


def test_submitting_a_paper_already_here_is_a_conflict(alice, paper):
    _, secret = ApiToken.issue(alice, "script")
    response = Client().post(
        "/api/v1/submissions", {"arxiv_id": "2602.00001"}, content_type="application/json", headers=bearer(secret)
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "duplicate_paper"
    bad = Client().post(
        "/api/v1/submissions", {"arxiv_id": "not an id"}, content_type="application/json", headers=bearer(secret)
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_arxiv_id"
    assert Paper.objects.count() == 1
