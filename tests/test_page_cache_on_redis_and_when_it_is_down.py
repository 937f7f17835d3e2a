"""Cached pages live in Redis when PAPERFEED_CACHE_URL names one (the system one on 6379); a cache that is
down means uncached pages and a log line, never a 500 (a Redis of the test's own, stopped mid-test)."""

import logging
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.utils import timezone

from paperfeed.runtime import page_cache

pytestmark = pytest.mark.django_db


def redis_pages(settings, url):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"page-test-{time.time_ns()}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        },
    }
    page_cache.health.reset()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def paper(make_paper):
    return make_paper("2611.00301", title="Cached in Redis", first_listing_date=timezone.localdate().isoformat())


def test_pages_are_cached_in_the_redis_on_6379(client, paper, settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.fail("Redis is not listening on 127.0.0.1:6379")
    redis_pages(settings, "redis://127.0.0.1:6379/0")
    assert client.get("/papers")["X-Page-Cache"] == "miss"
    assert client.get("/papers")["X-Page-Cache"] == "hit"
    caches["pages"].clear()


def test_a_stopped_cache_degrades_to_uncached_pages_with_a_log_line(client, paper, settings, caplog, tmp_path):
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        redis_pages(settings, f"redis://127.0.0.1:{port}/0")
        client.get("/papers/trending")
        assert client.get("/papers/trending")["X-Page-Cache"] == "hit"
    finally:
        server.terminate()
        server.wait(10)
    with caplog.at_level(logging.WARNING, logger="paperfeed.page_cache"):
        responses = [client.get("/papers/trending") for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5
    assert all(r["X-Page-Cache"] == "miss" for r in responses)
    assert b"Cached in Redis" in responses[-1].content
    warnings = [r for r in caplog.records if r.name == "paperfeed.page_cache"]
    assert len(warnings) == 1 and "serving uncached" in warnings[0].getMessage()
