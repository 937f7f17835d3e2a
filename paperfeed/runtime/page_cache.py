"""The page cache: anonymous GETs of the pages everyone shares are answered from Django's "pages" cache.

One middleware, so that no view is rewritten for it. What it caches, and why that is safe:

* Only the routes in ROUTES (listings, trending, paper pages, feeds, the Hugging Face-compatible API, API reads),
  only GET, only for a visitor who is not signed in (no session user, no Authorization header, no pending
  messages), and only 200 responses that set no cookie but the CSRF one. A signed-in reader's pages are never
  read from or written to the cache, so their own votes, saves and For-you state are always their own and fresh.
* The key is the scheme, host, path, the route's known query parameters (sorted) and the alternate format the
  Accept header asks for. Unknown parameters are removed from the request before the view sees it, so the page
  is a function of its key and `?x=1`, `?x=2`, ... all share one entry; values are bounded by the views' own
  validation (a 4xx is never cached) and entries by the backend's size limit and their timeout.
* An entry lives PAGE_CACHE_SECONDS (15 by default): no cached page is older than that after a vote, comment,
  listing or moderation change, on any host, whatever the backend. Past half that age, one request renders the
  page anew while the others are still served the entry; a page nobody has yet is made by one request while
  the others wait for it (up to LOCK_SECONDS), so load never makes every thread render the same page at once.
* Signed-in readers are not served from here, but their requests to these routes lose unknown parameters too:
  their listings are filled into content shared by every reader (papers/shared_listing.py), keyed the same way.
* The CSRF tokens in a cached page's forms are replaced by one minted for the visitor at hand, so pages share
  no token and the visitor's POST (e.g. a vote, which sends them to log in) passes the CSRF check.
* API pages served from the cache count against the API rate limits like any other request (api/ratelimit.py);
  a visitor over the limit is handed to the view, which answers 429.
* A cache backend that is down is skipped for a few seconds with one log line: pages are served uncached.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

from paperfeed.api import ratelimit
from paperfeed.errors import RateLimited
from paperfeed.feeds.alternate import ACCEPT

logger = logging.getLogger("paperfeed.page_cache")

LISTING = frozenset({"sort", "page", "format"})
API_LISTING = frozenset({"sort", "page", "page_size"})
# (namespace, url name) -> the query parameters the view reads.
ROUTES: dict[tuple[str, str], frozenset[str]] = {
    ("", "papers"): LISTING,
    ("", "papers_date"): LISTING,
    ("", "papers_week"): LISTING,
    ("", "papers_month"): LISTING,
    ("", "trending"): frozenset({"page", "format", "sort"}),  # sort: a 400 that says where sorts apply
    ("", "paper"): frozenset({"format"}),
    # Search results for one query are shared by everyone who asks it within the bound, as listings are.
    ("", "search"): frozenset({"q", "sort", "from", "to", "cat", "author", "page", "format"}),
    ("", "feed_new"): frozenset({"page"}),
    ("", "feed_trending"): frozenset({"page"}),
    ("", "feed_category"): frozenset({"page"}),
    ("", "feed_author"): frozenset({"page"}),
    ("", "feed_collection"): frozenset({"page"}),
    ("", "hf_daily_papers"): frozenset({"date", "week", "month", "sort", "p", "limit", "submitter"}),
    ("", "hf_paper"): frozenset(),
    ("api_v1", "get_paper"): frozenset(),
    ("api_v1", "similar"): frozenset({"page_size"}),
    ("api_v1", "latest"): API_LISTING,
    ("api_v1", "new"): API_LISTING,
    ("api_v1", "period_listing"): API_LISTING,
    ("api_v1", "trending"): API_LISTING,
    ("api_v1", "category"): API_LISTING,
    ("api_v1", "author"): API_LISTING,
    ("api_v1", "collection"): API_LISTING,
}
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
DOWN_FOR_SECONDS = 5.0
LOCK_SECONDS = 5.0  # how long requests wait for another to finish making a page, at most
HEADER = "X-Page-Cache"


class _Health:
    """Whether the backend failed lately; while it did, requests skip it instead of each waiting on it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._down_until = 0.0

    def reset(self) -> None:
        """Forget a past failure (a test that stopped its cache on purpose, or an operator who fixed it)."""
        self._down_until = 0.0

    def usable(self) -> bool:
        return time.monotonic() >= self._down_until

    def failed(self, exc: Exception) -> None:
        with self._lock:
            if time.monotonic() < self._down_until:
                return
            self._down_until = time.monotonic() + DOWN_FOR_SECONDS
        logger.warning(
            "page cache unavailable (%s: %s); serving uncached for %.0f s", type(exc).__name__, exc, DOWN_FOR_SECONDS
        )


health = _Health()


def _route(request) -> frozenset[str] | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return ROUTES.get((match.namespace, match.url_name or ""))


def _cacheable_visitor(request) -> bool:
    if "HTTP_AUTHORIZATION" in request.META or "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _key(request, params: QueryDict) -> str:
    first = request.headers.get("Accept", "").split(",")[0].split(";")[0].strip().lower()
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        params.urlencode(),
        first if first in ACCEPT else "",
    ]
    return "v1:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _known_params(request, allowed: frozenset[str]) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name in sorted(set(request.GET) & allowed):
        kept.setlist(name, request.GET.getlist(name)[:1])
    kept._mutable = False
    return kept


def _storable(response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAPERFEED["PAGE_CACHE_SECONDS"]
        allowed = _route(request) if seconds > 0 and request.method == "GET" else None
        if allowed is None:
            return self.get_response(request)
        # For every visitor: a page is a function of its known parameters, which is what both this cache and
        # the shared listing content of signed-in pages (papers/shared_listing.py) key by.
        request.GET = _known_params(request, allowed)
        request.META["QUERY_STRING"] = request.GET.urlencode()  # links built from the request agree with the key
        if not _cacheable_visitor(request):
            return self.get_response(request)
        key = _key(request, request.GET)
        cache = caches["pages"]
        entry = self._get(cache, key)
        if entry is None and self._lock(cache, key):
            # Another request is making this page: wait for it rather than making it too (a cold start or an
            # expiry under load would otherwise have every thread render the same page at once).
            entry = self._wait(cache, key)
        if entry is not None and not _over_api_limit(request):
            fresh_until, record = entry
            if time.time() >= fresh_until and not self._lock(cache, key):
                # Past half its life: this request renders it anew while others are still served this one.
                return self._render(request, cache, key, seconds)
            return _replay(request, record)
        return self._render(request, cache, key, seconds)

    def _render(self, request, cache, key: str, seconds: int):
        response = self.get_response(request)
        if _storable(response):
            entry = (time.time() + seconds / 2, _record(response))
            self._call(lambda: cache.set(key, entry, timeout=seconds))
        self._call(lambda: cache.delete(key + ":making"))
        response[HEADER] = "miss"
        return response

    def _get(self, cache, key: str):
        return self._call(lambda: cache.get(key))

    def _lock(self, cache, key: str) -> bool:
        """True when someone else is making this page; otherwise this request takes the job (for LOCK_SECONDS)."""
        taken = self._call(lambda: cache.add(key + ":making", 1, timeout=LOCK_SECONDS))
        return taken is False

    def _wait(self, cache, key: str):
        deadline = time.monotonic() + LOCK_SECONDS
        while time.monotonic() < deadline and health.usable():
            time.sleep(0.02)
            if (entry := self._get(cache, key)) is not None:
                return entry
        return None

    @staticmethod
    def _call(operation):
        if not health.usable():
            return None
        try:
            return operation()
        except Exception as exc:  # any backend error (Redis down, disk full): serve uncached
            health.failed(exc)
            return None


def _over_api_limit(request) -> bool:
    if not request.path_info.startswith("/api/"):
        return False
    try:
        ratelimit.check(request)
    except RateLimited:
        return True
    return False


def _record(response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(k, v) for k, v in response.items() if k.lower() not in {"set-cookie", HEADER.lower()}]
    return response.status_code, headers, response.content


def _replay(request, hit) -> HttpResponse:
    status, headers, content = hit
    if b"csrfmiddlewaretoken" in content:
        token = get_token(request).encode()  # also has CsrfViewMiddleware set the visitor's cookie
        content = CSRF_INPUT.sub(lambda m: m.group(1) + token + m.group(2), content)
    response = HttpResponse(content, status=status)
    for name, value in headers:
        if name.lower() != "content-length":
            response[name] = value
    response[HEADER] = "hit"
    return response
