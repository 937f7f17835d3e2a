"""Rate limits per IP and per token answer 429 with Retry-After, in the one error shape, on both API families."""

import pytest
from django.test import Client

from paperfeed.api import ratelimit
from paperfeed.api.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings, make_paper):
    make_paper("2602.00001", first_listing_date="2026-02-10")
    settings.PAPERFEED = {
        **settings.PAPERFEED,
        "API_RATE_LIMIT_IP": 3,
        "API_RATE_LIMIT_TOKEN": 5,
        "API_RATE_WINDOW_SECONDS": 60,
    }


@pytest.mark.parametrize(
    "url", ["/api/daily_papers?date=2026-02-10", "/api/v1/papers/2602.00001", "/api/papers/2602.00001"]
)
def test_an_ip_over_its_limit_gets_429_with_retry_after(limits, url):
    client = Client(REMOTE_ADDR=f"10.9.8.{len(url)}")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["status"] == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert Client(REMOTE_ADDR="10.9.9.9").get(url).status_code == 200  # another address has its own count


def test_a_token_has_its_own_higher_limit(limits, alice):
    _, secret = ApiToken.issue(alice, "bot")
    client = Client(REMOTE_ADDR="10.7.7.7", headers={"Authorization": f"Bearer {secret}"})
    assert [client.get("/api/v1/papers/2602.00001").status_code for _ in range(6)] == [200] * 5 + [429]
    assert Client(REMOTE_ADDR="10.7.7.7").get("/api/v1/papers/2602.00001").status_code == 200


def test_the_window_resets():
    key = "test:window"
    assert ratelimit.hit(key, 1, 10, now=1000.0).allowed
    blocked = ratelimit.hit(key, 1, 10, now=1005.5)
    assert not blocked.allowed and blocked.retry_after == 5
    assert ratelimit.hit(key, 1, 10, now=1010.0).allowed
