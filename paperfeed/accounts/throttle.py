"""Limits on sign-ups, comments and API-token creation, counted by django-ratelimit.

The counters live in the `ratelimit` cache (settings.RATELIMIT_USE_CACHE): a table of the main database with an
atomic increment (accounts/counter_cache.py), so every web process on every host counts in one place and a
burst of concurrent requests cannot slip past. The limits are settings (SIGNUP_RATE, COMMENT_RATE,
API_TOKEN_RATE).
"""

from __future__ import annotations

import math

from django.conf import settings
from django_ratelimit.core import get_usage

from paperfeed.errors import RateLimited


def _user_key(group, request) -> str:
    return str(request.user.pk)


KEYS = {"ip": "ip", "user": _user_key}


def check(request, action: str, *, rate_setting: str, per: str, what: str) -> None:
    """Count this request against `action`; raise RateLimited (with when to retry) once it is over the limit.

    `per` is "ip" or "user"; `what` names the action in the message ("sign-ups", "comments").
    """
    usage = get_usage(
        request, group=f"paperfeed.{action}", key=KEYS[per], rate=settings.PAPERFEED[rate_setting], increment=True
    )
    if usage is None or not usage["should_limit"]:
        return
    wait = max(1, math.ceil(usage["time_left"]))
    who = "from your address" if per == "ip" else "from your account"
    raise RateLimited(
        f"Too many {what} {who} for now: at most {usage['limit']}. Try again in {_say(wait)}.", retry_after=wait
    )


def _say(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


def retry_after_header(response, error: RateLimited):
    response["Retry-After"] = str(error.retry_after)
    return response
