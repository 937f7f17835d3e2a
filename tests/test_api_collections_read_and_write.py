"""/api/v1/me/collections with a token: create, rename, move and delete collections; save papers into them,
write notes (math rendered as on the page), mark read, filter unread and reorder; what the API writes is what
the collection page shows."""

import pytest
from django.test import Client

from paperfeed.api.models import ApiToken
from paperfeed.library import collections
from paperfeed.papers.models import Collection, CollectionItem

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api_for(user) -> Client:
    _, secret = ApiToken.issue(user, "script")
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def papers(make_paper):
    return [make_paper(f"2602.0010{i}", title=f"Paper number {i}") for i in range(1, 4)]


def test_create_list_rename_move_and_delete_collections(alice):
    api = api_for(alice)
    made = api.post("/api/v1/me/collections", {"name": "To read", "description": "soon"}, content_type=JSON)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["slug"], body["name"], body["public"], body["papers"]) == ("to-read", "To read", False, 0)
    assert body["url"].endswith("/u/alice/c/to-read")
    second = api.post("/api/v1/me/collections", {"name": "To read", "public": True}, content_type=JSON).json()
    assert second["slug"] == "to-read-2"
    assert [c["slug"] for c in api.get("/api/v1/me/collections").json()] == ["to-read", "to-read-2"]

    renamed = api.patch("/api/v1/me/collections/to-read-2", {"name": "Later", "position": 1}, content_type=JSON)
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["slug"], renamed.json()["position"]) == ("Later", "to-read-2", 1)
    assert [c["name"] for c in api.get("/api/v1/me/collections").json()] == ["Later", "To read"]

    assert api.delete("/api/v1/me/collections/to-read").status_code == 204
    assert list(Collection.objects.filter(owner=alice).values_list("slug", flat=True)) == ["to-read-2"]
    assert api.get("/api/v1/me/collections/to-read").status_code == 404


def test_save_note_read_and_reorder_items(alice, papers, client):
    api = api_for(alice)
    for p in papers:
        saved = api.post("/api/v1/me/collections/reading-list/items", {"paper": p.arxiv_id}, content_type=JSON)
        assert saved.status_code == 201, saved.content
    again = api.post(
        "/api/v1/me/collections/reading-list/items", {"paper": f"arXiv:{papers[0].arxiv_id}v2"}, content_type=JSON
    )
    assert again.status_code == 200  # there already: one item
    assert CollectionItem.objects.filter(collection__owner=alice).count() == 3

    item = f"/api/v1/me/collections/reading-list/items/{papers[1].arxiv_id}"
    patched = api.patch(item, {"note": "Bound: $x^2$ and **bold**", "read": True}, content_type=JSON)
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert body["note"] == "Bound: $x^2$ and **bold**" and body["read"] is True and body["read_at"]
    assert "<math" in body["note_html"] and "<strong>bold</strong>" in body["note_html"]
    assert body["paper"]["title"] == "Paper number 2" and body["unavailable"] is False

    unread = api.get("/api/v1/me/collections/reading-list/items?unread=true&sort=title").json()
    assert [i["paper_id"] for i in unread["items"]] == [papers[0].arxiv_id, papers[2].arxiv_id]
    assert unread["total"] == 2

    last = f"/api/v1/me/collections/reading-list/items/{papers[2].arxiv_id}"
    moved = api.patch(last, {"position": 1}, content_type=JSON)
    assert moved.json()["position"] == 1
    order = api.get("/api/v1/me/collections/reading-list/items?sort=position").json()["items"]
    assert [i["paper_id"] for i in order] == [papers[2].arxiv_id, papers[0].arxiv_id, papers[1].arxiv_id]
    assert [i["position"] for i in order] == [1, 2, 3]

    # The page shows what the API wrote.
    client.force_login(alice)
    page = client.get("/u/alice/c/reading-list?sort=position")
    assert [i.paper.arxiv_id for i in page.context["items"]] == [i["paper_id"] for i in order]
    assert "<strong>bold</strong>" in page.content.decode()

    assert api.delete(item).status_code == 204
    assert api.get(item).status_code == 404
    assert api.get("/api/v1/me/collections/reading-list").json()["papers"] == 2


def test_a_hidden_paper_stays_in_the_collection_as_unavailable(alice, papers):
    c = collections.default_collection(alice)
    collections.add_paper(c, papers[0])
    papers[0].hidden = True
    papers[0].save(update_fields=["hidden"])
    (item,) = api_for(alice).get("/api/v1/me/collections/reading-list/items").json()["items"]
    assert (item["paper_id"], item["paper"], item["unavailable"]) == (papers[0].arxiv_id, None, True)


def test_a_session_writes_with_its_csrf_token_and_is_refused_without(alice, papers):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    refused = browser.post("/api/v1/me/collections", {"name": "From the page"}, content_type=JSON)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    browser.get("/u/alice/collections")  # sets the CSRF cookie, as a page would
    token = browser.cookies["csrftoken"].value
    made = browser.post(
        "/api/v1/me/collections", {"name": "From the page"}, content_type=JSON, headers={"X-CSRFToken": token}
    )
    assert made.status_code == 201
    assert browser.get("/api/v1/me/collections").status_code == 200
