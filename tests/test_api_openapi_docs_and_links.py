"""The OpenAPI schema and browsable docs are served without any CDN; HF-style pages link the next one."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_lists_every_area_and_the_error_shape(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for p in [
        "/api/v1/papers/{arxiv_id}",
        "/api/v1/listings/date/{day}",
        "/api/v1/listings/week/{week}",
        "/api/v1/listings/month/{month}",
        "/api/v1/trending",
        "/api/v1/search",
        "/api/v1/papers/{arxiv_id}/similar",
        "/api/v1/papers/{arxiv_id}/vote",
        "/api/v1/papers/{arxiv_id}/comments",
        "/api/v1/submissions",
        "/api/v1/me/subscriptions",
        "/api/v1/me/saved-searches",
    ]:
        assert p in paths, p
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorBody")
    assert set(schema["components"]["schemas"]["ErrorBody"]["required"]) == {"status", "code", "message"}
    assert {"TokenAuth", "LoggedInSession"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_page_loads_its_assets_from_this_server(client):
    html = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert not re.search(r"https?://", " ".join(sources))
    for asset in sources:
        if asset.endswith((".js", ".css")):
            response = client.get(asset)
            assert response.status_code == 200, asset
            b"".join(response.streaming_content) if response.streaming else response.content


def test_daily_papers_sends_a_link_to_the_next_page_until_the_last(client, make_paper):
    for i in range(3):
        make_paper(f"2602.0000{i + 1}", first_listing_date="2026-02-10")
    first = client.get("/api/daily_papers?date=2026-02-10&limit=2")
    assert len(first.json()) == 2
    link = re.fullmatch(r'<([^>]+)>; rel="next"', first["Link"])[1]
    assert "p=1" in link and "limit=2" in link and "date=2026-02-10" in link
    second = client.get(link)
    assert len(second.json()) == 1 and "Link" not in second
    assert {x["paper"]["id"] for x in first.json() + second.json()} == {"2602.00001", "2602.00002", "2602.00003"}


def test_hf_endpoints_answer_errors_in_the_one_shape(client):
    for url, status in [
        ("/api/daily_papers?limit=500", 400),
        ("/api/daily_papers?date=2026-02-30", 400),
        ("/api/daily_papers?sort=hot", 400),
        ("/api/papers/0000.00000", 404),
        ("/api/papers/search", 400),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert set(response.json()["error"]) == {"status", "code", "message"}


def test_daily_papers_without_a_period_lists_the_newest_or_the_trending(client, make_paper):
    from django.utils import timezone

    from paperfeed.papers import paper_actions
    from tests.conftest import make_user

    make_paper("2602.00001", first_listing_date="2026-02-10")
    today = make_paper("2611.00001", first_listing_date=timezone.localdate().isoformat())
    paper_actions.upvote(make_user("fan"), today)
    assert [x["paper"]["id"] for x in client.get("/api/daily_papers").json()] == ["2611.00001", "2602.00001"]
    assert [x["paper"]["id"] for x in client.get("/api/daily_papers?sort=trending").json()] == ["2611.00001"]


def test_comments_read_and_write_share_one_path_and_keep_their_operation_ids(client):
    comments = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/papers/{arxiv_id}/comments"]
    assert comments["get"]["operationId"] == "paperfeed_api_v1_read_list_comments"
    assert comments["post"]["operationId"] == "paperfeed_api_v1_write_add_comment"
