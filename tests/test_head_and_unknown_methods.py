"""HEAD is answered like GET without a body on feeds, exports and every /api/ URL (feed readers and monitors
send it); a method an /api/ URL does not take is a 405 in the API's JSON error shape, with Allow."""

import httpx
import pytest

URLS = [
    "/feeds/new.rss",
    "/feeds/new.atom",
    "/feeds/trending.rss",
    "/feeds/search.atom?q=graphs",
    "/feeds/category/cs.LG.rss",
    "/feeds/author/Ada%20Lovelace.atom",
    "/feeds/new.bib",
    "/papers/date/2026-02-10?format=rss",
    "/api/daily_papers",
    "/api/papers/2602.00001",
    "/api/papers/search?q=graphs",
    "/api/v1/papers/2602.00001",
    "/api/v1/listings/latest",
    "/api/v1/listings/date/2026-02-10",
    "/api/v1/trending",
    "/api/v1/search?q=graphs",
    "/api/v1/openapi.json",
]


@pytest.fixture
def base(live_server, make_paper, index_dir, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "API_RATE_LIMIT_IP": 1_000_000}
    make_paper("2602.00001", title="Graphs", first_listing_date="2026-02-10")
    return live_server.url


def test_head_answers_like_get_without_a_body(base):
    with httpx.Client(base_url=base) as http:
        for url in URLS:
            got = http.get(url)
            head = http.head(url)
            assert got.status_code == 200, (url, got.status_code)
            assert head.status_code == 200, (url, head.status_code, head.text[:200])
            assert head.content == b"", url
            assert head.headers["Content-Type"] == got.headers["Content-Type"], url


def test_a_method_an_api_url_does_not_take_is_a_json_405_with_allow(base):
    with httpx.Client(base_url=base) as http:
        for method, url in [
            ("DELETE", "/api/daily_papers"),
            ("POST", "/api/papers/2602.00001"),
            ("PATCH", "/api/v1/papers/2602.00001"),
            ("POST", "/api/v1/trending"),
            ("OPTIONS", "/api/v1/listings/latest"),
        ]:
            response = http.request(method, url)
            assert response.status_code == 405, (method, url, response.status_code)
            assert response.headers["Content-Type"].startswith("application/json"), (method, url)
            error = response.json()["error"]
            assert error["status"] == 405 and error["code"] == "method_not_allowed", (method, url)
            assert "GET" in response.headers["Allow"], (method, url)
