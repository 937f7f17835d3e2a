"""A 51st saved search is a 409 (the account's state, not a bad request), and the schema documents it."""

import pytest
from django.test import Client

from paperfeed.accounts.follow_actions import MAX_SAVED_SEARCHES
from paperfeed.accounts.models import SavedSearch
from paperfeed.api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_saved_search_past_the_cap_is_a_conflict(alice, client):
    SavedSearch.objects.bulk_create(SavedSearch(user=alice, query=f"q{i}") for i in range(MAX_SAVED_SEARCHES))
    _, secret = ApiToken.issue(alice, "bot")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    refused = api.post("/api/v1/me/saved-searches", {"query": "graphs"}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "too_many_saved_searches"
    schema = client.get("/api/v1/openapi.json").json()
    assert "409" in schema["paths"]["/api/v1/me/saved-searches"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/me/follows"]["post"]["responses"]
