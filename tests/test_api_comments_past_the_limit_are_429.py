"""POST /api/v1/papers/{id}/comments has the comment page's per-user limit (COMMENT_RATE), one count for both,
and answers past it with 429 in the error shape and Retry-After, as its schema says."""

import pytest
from django.test import Client

from paperfeed.api.models import ApiToken
from paperfeed.papers.models import Comment

pytestmark = pytest.mark.django_db


def test_comments_by_token_past_the_limit_get_429_with_retry_after(alice, alice_client, make_paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "COMMENT_RATE": "3/m"}
    make_paper("2601.00001")
    _, secret = ApiToken.issue(alice, "bot")
    api = Client(headers={"Authorization": f"Bearer {secret}"})

    def post(i):
        return api.post("/api/v1/papers/2601.00001/comments", {"body": f"note {i}"}, content_type="application/json")

    assert [post(i).status_code for i in range(3)] == [201] * 3
    refused = post(3)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["error"]["status"] == 429 and body["error"]["code"] == "rate_limited"
    assert "Too many comments from your account" in body["error"]["message"]
    # the page counts against the same limit
    assert alice_client.post("/papers/2601.00001/comments", {"body": "from the page"}).status_code == 429
    assert Comment.objects.count() == 3


def test_the_schema_documents_the_429_and_its_retry_after(client):
    post = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/papers/{arxiv_id}/comments"]["post"]
    limited = post["responses"]["429"]
    assert limited["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert limited["headers"]["Retry-After"]["required"] is True
