"""What every plain (non-ninja) /api/ view shares: the rate limit, and errors in the one JSON shape."""

from __future__ import annotations

import functools

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from paperfeed.api import ratelimit
from paperfeed.errors import BadRequest, PaperfeedError
from paperfeed.lib.error_views import error_response


def api_view(view):
    # Read-only views: CSRF protects nothing here, and without the exemption a POST is told 403 about a token
    # instead of 405 about the method.
    @csrf_exempt
    @require_GET
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            ratelimit.check(request)
            return view(request, *args, **kwargs)
        except PaperfeedError as exc:
            return error_response(request, exc)

    return wrapper


def int_param(request, name: str, *, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(
            f"{name} must be a whole number from {low} to {high}, not {raw[:20]!r}.", code=f"invalid_{name}"
        )
    return int(raw)


def text_param(request, name: str, *, max_len: int = 1000) -> str | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    raw = raw.strip()
    if len(raw) > max_len:
        raise BadRequest(f"{name} is at most {max_len} characters.", code=f"invalid_{name}")
    return raw or None
