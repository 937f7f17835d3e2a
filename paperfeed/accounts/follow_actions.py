"""Following categories and authors, and saving searches with an email alert: the rules the account page uses.

An alert asked for with a saved search is a digest subscription like any other (digests/subscriptions.py): an
address not confirmed yet gets the confirmation mail first."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from paperfeed.accounts.models import Follow, SavedSearch
from paperfeed.digests import subscriptions
from paperfeed.digests.models import Subscription
from paperfeed.errors import BadRequest, NotFound
from paperfeed.search.query import parse_query

CATEGORY = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")
MAX_FOLLOWS = 200
MAX_SAVED_SEARCHES = 50


def _key(value: str) -> str:
    return " ".join(value.split()).lower()


def follow(user, kind: str, value: str) -> Follow:
    value = " ".join((value or "").split())
    if kind not in (Follow.CATEGORY, Follow.AUTHOR):
        raise BadRequest(f"Unknown kind {kind[:20]!r}; follow a category or an author.", code="invalid_follow")
    if not value or len(value) > 200:
        raise BadRequest(
            "Type a category (like cs.LG) or an author's name, at most 200 characters.", code="invalid_follow"
        )
    if kind == Follow.CATEGORY and not CATEGORY.match(value):
        raise BadRequest(
            f"{value[:40]!r} is not an arXiv category; they look like cs.LG or math.PR.", code="invalid_category"
        )
    if user.follows.count() >= MAX_FOLLOWS:
        raise BadRequest(f"You follow {MAX_FOLLOWS} things already; unfollow some first.", code="too_many_follows")
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, kind=kind, value=value, key=_key(value))
    except IntegrityError:
        return Follow.objects.get(user=user, kind=kind, key=_key(value))


def unfollow(user, follow_id: int) -> None:
    Follow.objects.filter(user=user, pk=follow_id).delete()


def parse_list(raw: str | list | None) -> list[str]:
    items = raw if isinstance(raw, list) else (raw or "").split(",")
    return [" ".join(str(i).split()) for i in items if str(i).strip()][:20]


def save_search(user, query: str, *, categories=None, authors=None, name: str = "", alert: str = "") -> SavedSearch:
    query = " ".join((query or "").split())
    if not query or len(query) > 500:
        raise BadRequest("Type the search to save (at most 500 characters).", code="invalid_query")
    parse_query(query)  # the search box's syntax: refuses, with a reason, what search would refuse
    if alert not in ("", "daily", "weekly"):
        raise BadRequest(f"Unknown alert {alert[:20]!r}; use daily, weekly or none.", code="invalid_frequency")
    if user.saved_searches.count() >= MAX_SAVED_SEARCHES:
        raise BadRequest(
            f"You have {MAX_SAVED_SEARCHES} saved searches; delete some first.", code="too_many_saved_searches"
        )
    filters = {k: v for k, v in {"categories": parse_list(categories), "authors": parse_list(authors)}.items() if v}
    search = SavedSearch.objects.create(user=user, query=query, filters=filters, name=(name or "").strip()[:200])
    if alert:
        subscriptions.set_user_digest(user, Subscription.SEARCH, alert, saved_search=search)
    return search


def get_saved_search(user, search_id: int) -> SavedSearch:
    search = SavedSearch.objects.filter(user=user, pk=search_id).first()
    if search is None:
        raise NotFound("No such saved search on your account.", code="saved_search_not_found")
    return search
