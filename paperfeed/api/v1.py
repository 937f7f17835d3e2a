"""paperfeed's own JSON API at /api/v1, with its OpenAPI schema at /api/v1/openapi.json and docs at /api/v1/docs.

Reads are public. Writes take a personal API token (Authorization: Bearer ...) or a browser session with its
CSRF token. Every error, from our code or from django-ninja's validation and auth, has the one JSON shape
{"error": {"status", "code", "message"}}; rate limits answer 429 with Retry-After.
"""

from __future__ import annotations

import threading

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import BaseThrottle

from paperfeed.api import (
    ratelimit,
    v1_account,
    v1_collections,
    v1_comments,
    v1_me_recs,
    v1_params,
    v1_read,
    v1_topics,
    v1_write,
)
from paperfeed.errors import PaperfeedError, RateLimited, error_json


class ApiRateLimit(BaseThrottle):
    """The same per-token / per-IP limit as the Hugging Face-compatible endpoints (api/ratelimit.py)."""

    _local = threading.local()

    def allow_request(self, request) -> bool:
        try:
            ratelimit.check(request)
        except RateLimited as exc:
            self._local.wait = exc.retry_after
            return False
        return True

    def wait(self):
        return getattr(self._local, "wait", 1)


class PaperfeedApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return v1_params.publish(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = PaperfeedApi(
    title="paperfeed API",
    version="1",
    description="Papers, listings, trending, search, similar papers, votes, comments, submissions, and your "
    "collections (notes, read state), follows, saved searches and digests. Errors always have the shape "
    '{"error": {"status": int, "code": str, "message": str}}. See docs/api.md.',
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api_v1",
    throttle=[ApiRateLimit()],
)


def _error(request, status: int, code: str, message: str):
    return api.create_response(request, error_json(status, code, message), status=status)


@api.exception_handler(PaperfeedError)
def _paperfeed_error(request, exc: PaperfeedError):
    response = _error(request, exc.status, exc.code, exc.message)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    parts = []
    for err in exc.errors[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return _error(request, 422, "invalid_request", "The request's parameters are not valid: " + "; ".join(parts) + ".")


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc: AuthenticationError):
    message = (
        str(exc)
        if str(exc) != "Unauthorized"
        else (
            "Log in, or send a personal API token as 'Authorization: Bearer <token>' (create one on your account page)."
        )
    )
    return _error(request, 401, "unauthorized", message)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(
            request,
            403,
            "csrf_failed",
            "A session request must carry its CSRF token (X-CSRFToken header); "
            "scripts should use a personal API token instead.",
        )
    if exc.status_code == 429:
        return _error(
            request, 429, "rate_limited", "Too many requests; wait for the time in Retry-After and try again."
        )
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", "There is nothing at this address.")


# Each area's routes are a Router of its own module; mounted at the root, so every URL stays as it was.
api.add_router("", v1_account.router)
api.add_router("", v1_read.router)
api.add_router("", v1_comments.router)
api.add_router("", v1_write.router)
api.add_router("", v1_me_recs.router)
api.add_router("", v1_collections.router)
api.add_router("", v1_topics.router)
