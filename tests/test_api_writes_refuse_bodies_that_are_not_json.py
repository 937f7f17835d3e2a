"""Every write operation of /api/v1 answers a body that is not JSON (multipart, a form, plain text, XML, no
content type, broken JSON) with a 4xx in the API's error shape, never a 500."""

import json

import httpx
import pytest

from paperfeed.api.models import ApiToken

BODIES = {
    "multipart": {"files": {"f": ("x.json", b'{"kind": "category", "value": "cs.LG"}', "application/json")}},
    "form": {"data": {"kind": "category", "value": "cs.LG", "body": "hi", "arxiv_id": "2602.00001"}},
    "text": {"content": b'{"kind": "category"}', "headers": {"Content-Type": "text/plain"}},
    "none": {"content": b'{"kind": "category"}', "headers": {"Content-Type": ""}},
    "xml": {"content": b"<follow><kind>category</kind></follow>", "headers": {"Content-Type": "application/xml"}},
    "broken json": {"content": b'{"kind": "categ', "headers": {"Content-Type": "application/json"}},
}
FILL = {
    "arxiv_id": "2602.00001",
    "kind": "trending",
    "follow_id": "1",
    "search_id": "1",
    "subscription_id": "1",
    "slug": "reading-list",
}


def write_operations(base: str) -> list[tuple[str, str]]:
    schema = httpx.get(f"{base}/api/v1/openapi.json").json()
    out = []
    for path, ops in schema["paths"].items():
        for method in ops:
            if method in ("post", "put", "patch", "delete"):
                out.append((method.upper(), path.format(**FILL)))
    return out


@pytest.fixture
def server(live_server, make_paper, alice, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "API_RATE_LIMIT_IP": 1_000_000, "API_RATE_LIMIT_TOKEN": 1_000_000}
    make_paper("2602.00001", first_listing_date="2026-02-10")
    _, secret = ApiToken.issue(alice, "bodies")
    return live_server.url, secret


def assert_error_shape(response, what):
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text[:300])
    body = json.loads(response.content)
    assert set(body) == {"error"}, what
    assert body["error"]["status"] == response.status_code, what
    assert body["error"]["code"] and body["error"]["message"], what


def test_every_write_operation_refuses_non_json_bodies_with_a_4xx_in_the_error_shape(server):
    base, secret = server
    operations = write_operations(base)
    assert len(operations) >= 9, operations
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"}) as http:
        for method, path in operations:
            for name, kwargs in BODIES.items():
                response = http.request(method, path, **kwargs)
                assert_error_shape(response, (method, path, name))


def test_the_multipart_follow_from_the_report_is_a_415_that_says_json(server):
    base, secret = server
    response = httpx.post(
        f"{base}/api/v1/me/follows",
        headers={"Authorization": f"Bearer {secret}"},
        files={"f": ("x.json", b'{"kind": "category", "value": "cs.LG"}')},
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert "application/json" in response.json()["error"]["message"]
