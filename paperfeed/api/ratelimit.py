"""Fixed-window rate limits for /api/, per personal token and per client IP, counted in Django's cache.

The default cache is the database cache (settings.CACHE), so every web process on every host counts in one
place on SQLite and PostgreSQL alike. Its increment is a read and a write, not atomic: under a burst of
concurrent requests a few may slip past the limit, which is fine for a limit meant to stop runaway scripts.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from paperfeed.api.models import ApiToken
from paperfeed.errors import RateLimited


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets


def client_ip(request) -> str:
    # Behind a proxy, REMOTE_ADDR is the proxy; gunicorn's forwarded-allow-ips decides whether it is rewritten.
    return request.META.get("REMOTE_ADDR") or "unknown"


def bearer_secret(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return secret.strip()
    return None


def hit(key: str, limit: int, window: int, *, now: float | None = None) -> Verdict:
    """Count one request against `key`; allowed while the window's count is within `limit`."""
    now = time.time() if now is None else now
    slot = int(now // window)
    cache_key = f"ratelimit:{key}:{slot}"
    # get + set rather than add + incr: half the queries on the database cache, and no less atomic there
    # (its incr is a get and a set too).
    count = (cache.get(cache_key) or 0) + 1
    cache.set(cache_key, count, timeout=window + 5)
    retry_after = max(1, math.ceil((slot + 1) * window - now))
    return Verdict(allowed=count <= limit, retry_after=retry_after)


def check(request) -> None:
    """Raise RateLimited when this request's token (or, without one, its IP) is over its limit."""
    cfg = settings.PAPERFEED
    window = cfg["API_RATE_WINDOW_SECONDS"]
    secret = bearer_secret(request)
    token = ApiToken.lookup(secret) if secret else None
    if token is not None:
        verdict = hit(f"token:{token.pk}", cfg["API_RATE_LIMIT_TOKEN"], window)
        who = "this token"
    else:
        verdict = hit(f"ip:{client_ip(request)}", cfg["API_RATE_LIMIT_IP"], window)
        who = "this address"
    if not verdict.allowed:
        raise RateLimited(
            f"Too many requests from {who}; wait {verdict.retry_after} s and try again "
            f"(or use a personal API token, which has a higher limit).",
            retry_after=verdict.retry_after,
        )
