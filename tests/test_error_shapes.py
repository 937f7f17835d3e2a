"""One error hierarchy: an HTML page for people, a fixed JSON shape for programs."""

import pytest

from paperfeed.errors import NotFound

pytestmark = pytest.mark.django_db


def test_json_error_shape_is_fixed(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "There is nothing at this address."}
    }


def test_paperfeed_errors_render_as_json_when_asked(client):
    response = client.get("/papers/date/2026-99-99", headers={"Accept": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["code"] == "invalid_date"


def test_html_errors_are_a_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and b"<html" in response.content and b"Not found" in response.content


def test_error_as_json_is_the_documented_shape():
    assert NotFound("gone", code="x").as_json() == {"error": {"status": 404, "code": "x", "message": "gone"}}
