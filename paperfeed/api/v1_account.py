"""/api/v1/me: the caller's follows, saved searches and digest subscriptions. Token or session (with CSRF).

Thin shells over accounts/follow_actions.py and digests/subscriptions.py, the same rules the account page uses;
another user's object is "not found", never revealed.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Literal

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from paperfeed.accounts import follow_actions
from paperfeed.accounts.models import Follow
from paperfeed.api import v1_params as params
from paperfeed.api.auth import WRITE_AUTH
from paperfeed.api.v1_schemas import Error, Input
from paperfeed.digests import subscriptions
from paperfeed.digests.models import Subscription
from paperfeed.errors import BadRequest, Conflict, NotFound

router = Router()
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
# A full list is the state of the account, not a fault in the request: 409, as for any other conflict.
FULL = {"too_many_follows", "too_many_saved_searches"}


@contextmanager
def _full_is_a_conflict():
    try:
        yield
    except BadRequest as exc:
        if exc.code in FULL:
            raise Conflict(exc.message, code=exc.code) from None
        raise


Frequency = Literal["daily", "weekly", ""]


class FollowOut(Schema):
    id: int
    kind: Literal["category", "author"]
    value: str
    created_at: datetime


# The rules are accounts/follow_actions.py's, published here and not enforced, so what breaks them is the 400
# with its reason that the account page gives too.
class CategoryFollowIn(Input):
    kind: Literal["category"]
    value: str = Field(
        min_length=1,
        max_length=200,
        description="an arXiv category, e.g. cs.LG or math.PR",
        json_schema_extra={"pattern": params.CATEGORY},
    )


class AuthorFollowIn(Input):
    kind: Literal["author"]
    value: str = Field(
        min_length=1, max_length=200, description="the author's whole name", json_schema_extra={"pattern": params.NAME}
    )


# No pydantic discriminator: Input's NUL-stripping validator runs on `kind` too; the two Literals tell them apart.
FollowIn = CategoryFollowIn | AuthorFollowIn


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    categories: list[str]
    authors: list[str]
    alert: Frequency = Field(description="email me new matches: daily, weekly or '' for none")
    created_at: datetime


class SavedSearchIn(Input):
    query: str = Field(
        min_length=1,
        max_length=500,
        description="the search box's syntax; at least one letter or digit",
        json_schema_extra={"pattern": params.QUERY},
    )
    name: str = Field("", max_length=200)
    categories: list[str] = Field(default_factory=list, max_length=20)
    authors: list[str] = Field(default_factory=list, max_length=20)
    alert: Frequency = ""


class SubscriptionOut(Schema):
    id: int
    kind: Literal["trending", "follows", "search"]
    frequency: Literal["daily", "weekly"]
    active: bool
    saved_search: int | None
    title: str
    email_confirmed: bool = Field(description="digests go out only once the address is confirmed by mail")


class DigestIn(Input):
    frequency: Frequency = Field(description="daily, weekly, or '' to turn the digest off")


def _follow(f) -> dict:
    return {"id": f.pk, "kind": f.kind, "value": f.value, "created_at": f.created_at}


def _saved(s) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "query": s.query,
        "categories": s.filters.get("categories", []),
        "authors": s.filters.get("authors", []),
        "alert": s.alert or "",
        "created_at": s.created_at,
    }


def _subscription(s) -> dict:
    return {
        "id": s.pk,
        "kind": s.kind,
        "frequency": s.frequency,
        "active": s.active,
        "saved_search": s.saved_search_id,
        "title": s.title,
        "email_confirmed": s.subscriber.confirmed_at is not None,
    }


@router.get("/me/follows", auth=WRITE_AUTH, response={200: list[FollowOut], **ERRORS}, tags=["account"])
def list_follows(request):
    return [_follow(f) for f in request.auth.follows.all()]


@router.post(
    "/me/follows",
    auth=WRITE_AUTH,
    response={201: FollowOut, 409: Error, **ERRORS},
    tags=["account"],
    summary="Follow a category or an author (idempotent); 409 once you follow MAX_FOLLOWS (200) things",
)
def add_follow(request, data: FollowIn):
    with _full_is_a_conflict():
        return Status(201, _follow(follow_actions.follow(request.auth, data.kind, data.value)))


@router.delete("/me/follows/{follow_id}", auth=WRITE_AUTH, response={204: None, **ERRORS}, tags=["account"])
def remove_follow(request, follow_id: int):
    if not Follow.objects.filter(user=request.auth, pk=follow_id).exists():
        raise NotFound("You follow nothing with that id.", code="follow_not_found")
    follow_actions.unfollow(request.auth, follow_id)
    return Status(204, None)


@router.get("/me/saved-searches", auth=WRITE_AUTH, response={200: list[SavedSearchOut], **ERRORS}, tags=["account"])
def list_saved_searches(request):
    return [_saved(s) for s in request.auth.saved_searches.all()]


@router.post(
    "/me/saved-searches",
    auth=WRITE_AUTH,
    response={201: SavedSearchOut, 409: Error, **ERRORS},
    tags=["account"],
    summary="Save a search, optionally with an email alert of new matches; 409 once you have 50",
)
def add_saved_search(request, data: SavedSearchIn):
    with _full_is_a_conflict():
        search = follow_actions.save_search(
            request.auth, data.query, categories=data.categories, authors=data.authors, name=data.name
        )
    if data.alert:
        subscriptions.set_user_digest(request.auth, Subscription.SEARCH, data.alert, saved_search=search)
        search.refresh_from_db()
    return Status(201, _saved(search))


@router.delete("/me/saved-searches/{search_id}", auth=WRITE_AUTH, response={204: None, **ERRORS}, tags=["account"])
def delete_saved_search(request, search_id: int):
    follow_actions.get_saved_search(request.auth, search_id).delete()
    return Status(204, None)


@router.get(
    "/me/subscriptions",
    auth=WRITE_AUTH,
    response={200: list[SubscriptionOut], **ERRORS},
    tags=["account"],
    summary="Your email digests and saved-search alerts",
)
def list_subscriptions(request):
    rows = Subscription.objects.filter(subscriber__user=request.auth).select_related("subscriber", "saved_search")
    return [_subscription(s) for s in rows.order_by("pk")]


@router.put(
    "/me/digests/{kind}",
    auth=WRITE_AUTH,
    response={200: SubscriptionOut | None, **ERRORS},
    tags=["account"],
    summary="Turn the trending or follows digest on (daily/weekly) or off ('')",
)
def set_digest(request, kind: Literal["trending", "follows"], data: DigestIn):
    subscription, _ = subscriptions.set_user_digest(request.auth, kind, data.frequency)
    if subscription is None:
        return None
    subscription.refresh_from_db()
    return _subscription(Subscription.objects.select_related("subscriber", "saved_search").get(pk=subscription.pk))


@router.delete(
    "/me/subscriptions/{subscription_id}",
    auth=WRITE_AUTH,
    response={204: None, **ERRORS},
    tags=["account"],
    summary="Stop one digest or alert",
)
def stop_subscription(request, subscription_id: int):
    if not Subscription.objects.filter(pk=subscription_id, subscriber__user=request.auth).exists():
        raise NotFound("You have no subscription with that id.", code="subscription_not_found")
    subscriptions.unsubscribe(request.auth, subscription_id)
    return Status(204, None)
