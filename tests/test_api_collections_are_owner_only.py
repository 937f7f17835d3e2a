"""A collection in /api/v1 is its owner's: a private one is a 404 for everyone else (anonymous or another token),
a public one is readable by all and writable by none but its owner; bad input is a 4xx that says what is wrong."""

import pytest
from django.test import Client

from paperfeed.api.models import ApiToken
from paperfeed.library import collections

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api_for(user) -> Client:
    _, secret = ApiToken.issue(user, "script")
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def alices(alice, make_paper):
    paper = make_paper("2602.00201", title="Quiet paper")
    secret = collections.create(alice, "Secret plans", public=False)
    shared = collections.create(alice, "Shared", public=True)
    for c in (secret, shared):
        item, _ = collections.add_paper(c, paper)
        collections.set_note(item, "my own thought")
    return secret, shared


READS = ["/api/v1/collections/alice/secret-plans", "/api/v1/collections/alice/secret-plans/papers"]


@pytest.mark.parametrize("url", READS)
def test_a_private_collection_is_not_found_for_anyone_else(client, bob, alices, url):
    assert client.get(url).status_code == 404
    response = api_for(bob).get(url)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "status": 404,
        "code": "collection_not_found",
        "message": "No collection 'secret-plans' by 'alice'.",
    }


@pytest.mark.parametrize("url", READS)
def test_a_private_collection_is_there_for_its_owners_token(alice, alices, url):
    assert api_for(alice).get(url).status_code == 200


def test_others_see_public_collections_only_and_no_notes(client, alice, bob, alices):
    assert [c["slug"] for c in client.get("/api/v1/collections/alice").json()] == ["shared"]
    assert [c["slug"] for c in api_for(bob).get("/api/v1/collections/alice").json()] == ["shared"]
    assert [c["slug"] for c in api_for(alice).get("/api/v1/collections/alice").json()] == ["secret-plans", "shared"]
    shared = client.get("/api/v1/collections/alice/shared")
    assert shared.status_code == 200 and shared.json()["papers"] == 1
    assert "my own thought" not in client.get("/api/v1/collections/alice/shared/papers").content.decode()
    assert client.get("/api/v1/collections/nobody").json()["error"]["code"] == "user_not_found"


def test_another_readers_collections_cannot_be_changed_through_me(bob, alices):
    api = api_for(bob)
    for slug in ("secret-plans", "shared"):
        assert api.get(f"/api/v1/me/collections/{slug}").status_code == 404
        assert api.get(f"/api/v1/me/collections/{slug}/items").status_code == 404
        assert api.patch(f"/api/v1/me/collections/{slug}", {"name": "Mine now"}, content_type=JSON).status_code == 404
        item = f"/api/v1/me/collections/{slug}/items/2602.00201"
        assert api.patch(item, {"note": "graffiti"}, content_type=JSON).status_code == 404
        assert api.delete(item).status_code == 404
        assert api.delete(f"/api/v1/me/collections/{slug}").status_code == 404
    secret, shared = alices
    assert {c.name for c in secret.owner.collections.all()} == {"Secret plans", "Shared"}
    assert collections.get_item(shared, "2602.00201").note == "my own thought"


def test_without_a_token_or_session_the_writes_are_401(client, alices):
    response = client.get("/api/v1/me/collections")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
    assert client.post("/api/v1/me/collections", {"name": "x"}, content_type=JSON).status_code == 401
    unknown = Client(headers={"Authorization": "Bearer pf_not_a_token"}).get("/api/v1/collections/alice")
    assert unknown.status_code == 401 and "unknown or has been revoked" in unknown.json()["error"]["message"]


def test_bad_input_is_refused_with_a_message(alice, alices, make_paper):
    api = api_for(alice)
    item = "/api/v1/me/collections/secret-plans/items/2602.00201"
    long_note = api.patch(item, {"note": "x" * 10_001}, content_type=JSON)
    assert long_note.status_code == 422
    assert "note: String should have at most 10000 characters" in long_note.json()["error"]["message"]
    assert collections.get_item(alices[0], "2602.00201").note == "my own thought"
    assert api.patch(item, {"note": "x" * 10_000}, content_type=JSON).status_code == 200

    blank = api.post("/api/v1/me/collections", {"name": "   "}, content_type=JSON)
    assert blank.status_code == 400 and blank.json()["error"]["code"] == "invalid_name"
    assert "1 to 200 characters" in blank.json()["error"]["message"]
    rename = api.patch("/api/v1/me/collections/secret-plans", {"name": " \t "}, content_type=JSON)
    assert rename.status_code == 400 and rename.json()["error"]["code"] == "invalid_name"

    unknown = api.get("/api/v1/me/collections/no-such-slug/items")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "You have no collection 'no-such-slug'."
    missing = api.post("/api/v1/me/collections/secret-plans/items", {"paper": "2602.99999"}, content_type=JSON)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "paper_not_found"
    not_in = api.get("/api/v1/me/collections/secret-plans/items/2602.00999")
    assert not_in.status_code == 404 and not_in.json()["error"]["code"] == "item_not_found"
    for body in ({"position": 0}, {"read": "perhaps"}, {"note": 5}):
        refused = api.patch(item, body, content_type=JSON)
        assert refused.status_code == 422 and refused.json()["error"]["message"].startswith("The request's parameters")
    not_json = api.generic("PATCH", item, "note=hello", content_type="application/x-www-form-urlencoded")
    assert 400 <= not_json.status_code < 500
