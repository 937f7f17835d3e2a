"""/api/v1 collections: the caller's own collections and their items (note, read state, place in their order),
and anyone's public collections.

Thin shells over library/collections.py, the functions the collection pages call, so the API and the pages keep
one set of rules. /me/collections/... is only ever the caller's (a slug of someone else's is "not found"); under
/collections/{owner} a private collection is a 404 for everyone but its owner, never a 403 that would reveal it.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from paperfeed.api import v1_params as params
from paperfeed.api import v1_serialize as ser
from paperfeed.api.auth import READ_AUTH, WRITE_AUTH
from paperfeed.api.v1_schemas import Error, Input, PaperOut
from paperfeed.errors import BadRequest, Conflict, NotFound
from paperfeed.lib.site import site_url
from paperfeed.library import collections
from paperfeed.papers import paper_filters, paper_list
from paperfeed.papers.models import Collection

router = Router(tags=["collections"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}
READ_ERRORS = {401: Error, 404: Error, 422: Error, 429: Error}
# A full account or collection is its state, not a fault in the request: 409, as for full follow lists.
FULL = {"too_many_collections", "collection_full"}
Sort = Literal["added", "listed", "title", "position"]


@contextmanager
def _full_is_a_conflict():
    try:
        yield
    except BadRequest as exc:
        if exc.code in FULL:
            raise Conflict(exc.message, code=exc.code) from None
        raise


class CollectionOut(Schema):
    owner: str
    slug: str = Field(description="the collection's name in URLs; it stays when the collection is renamed")
    name: str
    description: str
    public: bool = Field(description="public collections have a page and a feed for everyone; private ones 404")
    position: int = Field(description="place among the owner's collections, from 1")
    papers: int = Field(description="how many papers it holds, unavailable ones included")
    created_at: datetime
    url: str


class CollectionIn(Input):
    # What collections.create refuses beyond these (a name of spaces only) is its 400 with the reason, as on the page.
    name: str = Field(min_length=1, max_length=collections.MAX_NAME, json_schema_extra={"pattern": params.NAME})
    description: str = Field("", max_length=collections.MAX_DESCRIPTION)
    public: bool = False


class CollectionPatch(Input):
    name: str | None = Field(
        None, min_length=1, max_length=collections.MAX_NAME, json_schema_extra={"pattern": params.NAME}
    )
    description: str | None = Field(None, max_length=collections.MAX_DESCRIPTION)
    public: bool | None = None
    position: int | None = Field(
        None, ge=1, le=collections.MAX_COLLECTIONS, description="move to this place among your collections (1 = first)"
    )


class ItemOut(Schema):
    paper_id: str = Field(description="arXiv id without version")
    paper: PaperOut | None = Field(description="null while a moderator has hidden the paper")
    unavailable: bool = Field(description="a moderator hid the paper; it stays in the collection")
    note: str = Field(description="the owner's private note, Markdown subset with $math$, as written")
    note_html: str = Field(description="the note rendered as on the collection page")
    read: bool
    read_at: datetime | None
    position: int = Field(description="place in the owner's own order (sort=position), from 1")
    added_at: datetime


class ItemPage(Schema):
    items: list[ItemOut]
    page: int
    page_size: int
    total: int
    has_next: bool


class ItemsQuery(Schema):
    sort: Sort = "added"
    unread: bool = Field(False, description="only the papers not marked read")
    page: int = Field(1, ge=1, le=paper_list.MAX_PAGE)
    page_size: int = Field(50, ge=1, le=100)


class ItemIn(Input):
    paper: str = Field(
        min_length=1,
        max_length=200,
        description="an arXiv id or arxiv.org URL of a paper on this hub",
        json_schema_extra={"pattern": params.SUBMITTED_ID},
    )


class ItemPatch(Input):
    # The page's limit, checked here too so that the schema says it (the page answers the same 10,000 with a 400).
    note: str | None = Field(None, max_length=collections.MAX_NOTE, description="'' clears the note")
    read: bool | None = None
    position: int | None = Field(
        None, ge=1, le=collections.MAX_ITEMS, description="move to this place in your own order (1 = first)"
    )


def _collection(c: Collection, papers: int | None = None) -> dict:
    if papers is None:
        papers = c.collectionitem_set.count()
    return {
        "owner": c.owner.username,
        "slug": c.slug,
        "name": c.name,
        "description": c.description,
        "public": c.public,
        "position": c.position,
        "papers": papers,
        "created_at": c.created_at,
        "url": site_url(reverse("collection", args=[c.owner.username, c.slug])),
    }


def _collections(queryset) -> list[dict]:
    # Meta.ordering is dropped from a GROUP BY query, so the order is said again.
    rows = queryset.select_related("owner").annotate(n=Count("collectionitem")).order_by("position", "id")
    return [_collection(c, c.n) for c in rows]


def _item(item) -> dict:
    hidden = item.paper.hidden
    return {
        "paper_id": item.paper.arxiv_id,
        "paper": None if hidden else ser.paper(item.paper),
        "unavailable": hidden,
        "note": item.note,
        "note_html": str(collections.render_note(item.note)),
        "read": item.read,
        "read_at": item.read_at,
        "position": item.position,
        "added_at": item.added_at,
    }


@router.get("/collections/{owner}", auth=READ_AUTH, response={200: list[CollectionOut], **READ_ERRORS})
def list_public(request, owner: str):
    """A reader's public collections, and their private ones too when they are the caller."""
    user = get_user_model().objects.filter(username=owner[:150]).first()
    if user is None:
        raise NotFound(f"No reader {owner[:60]!r} here.", code="user_not_found")
    shown = user.collections.all()
    if getattr(request.auth, "pk", None) != user.pk:
        shown = shown.filter(public=True)
    return _collections(shown)


@router.get("/collections/{owner}/{slug}", auth=READ_AUTH, response={200: CollectionOut, **READ_ERRORS})
def get_public(request, owner: str, slug: str):
    """One collection: public, or the caller's own; its papers are at .../papers."""
    return _collection(paper_filters.get_collection(owner, slug, viewer=request.auth))


@router.get("/me/collections", auth=WRITE_AUTH, response={200: list[CollectionOut], **ERRORS})
def list_mine(request):
    """Your collections, in your order, private ones included."""
    return _collections(Collection.objects.filter(owner=request.auth))


@router.post(
    "/me/collections",
    auth=WRITE_AUTH,
    response={201: CollectionOut, **ERRORS},
    summary="Create a collection; a name you used already gets a new slug (reading-list-2); 409 past 200",
)
def create(request, data: CollectionIn):
    with _full_is_a_conflict():
        created = collections.create(request.auth, data.name, description=data.description, public=data.public)
    return Status(201, _collection(created, 0))


@router.get("/me/collections/{slug}", auth=WRITE_AUTH, response={200: CollectionOut, **ERRORS})
def get_mine(request, slug: str):
    return _collection(collections.owned(request.auth, slug))


@router.patch(
    "/me/collections/{slug}",
    auth=WRITE_AUTH,
    response={200: CollectionOut, **ERRORS},
    summary="Rename, describe, make public or private, or move a collection; its slug stays",
)
def update(request, slug: str, data: CollectionPatch):
    collection = collections.owned(request.auth, slug)
    collections.update(collection, name=data.name, description=data.description, public=data.public)
    if data.position is not None:
        collections.place(collection, data.position)
    return _collection(collection)


@router.delete("/me/collections/{slug}", auth=WRITE_AUTH, response={204: None, **ERRORS})
def delete(request, slug: str):
    """Delete a collection with its items and notes (the papers stay on the hub)."""
    collections.delete(collections.owned(request.auth, slug))
    return Status(204, None)


@router.get("/me/collections/{slug}/items", auth=WRITE_AUTH, response={200: ItemPage, **ERRORS})
def list_items(request, slug: str, query: Query[ItemsQuery]):
    """A collection's papers with your notes and read state, in the collection page's sorts."""
    found = collections.items_page(
        collections.owned(request.auth, slug),
        sort=query.sort,
        unread_only=query.unread,
        page=query.page,
        page_size=query.page_size,
    )
    return {
        "items": [_item(i) for i in found.items],
        "page": found.number,
        "page_size": query.page_size,
        "total": found.total,
        "has_next": found.has_next,
    }


@router.post(
    "/me/collections/{slug}/items",
    auth=WRITE_AUTH,
    response={200: ItemOut, 201: ItemOut, **ERRORS},
    summary="Save a paper into a collection: 201 when it is new there, 200 when it was there already",
)
def add_item(request, slug: str, data: ItemIn):
    """The slug reading-list is your Reading list, made on first use, as the pages' Save button does."""
    paper = paper_list.get_paper(data.paper)
    with _full_is_a_conflict():
        item, created = collections.add_paper(collections.for_saving(request.auth, slug), paper)
    return Status(201 if created else 200, _item(collections.get_item(item.collection, paper.arxiv_id)))


@router.get("/me/collections/{slug}/items/{arxiv_id}", auth=WRITE_AUTH, response={200: ItemOut, **ERRORS})
def get_item(request, slug: str, arxiv_id: str):
    return _item(collections.get_item(collections.owned(request.auth, slug), arxiv_id))


@router.patch(
    "/me/collections/{slug}/items/{arxiv_id}",
    auth=WRITE_AUTH,
    response={200: ItemOut, **ERRORS},
    summary="Change a paper's note, read state or place in your order; fields left out stay as they are",
)
def update_item(request, slug: str, arxiv_id: str, data: ItemPatch):
    item = collections.get_item(collections.owned(request.auth, slug), arxiv_id)
    if data.note is not None:
        collections.set_note(item, data.note)
    if data.read is not None:
        collections.set_read(item, data.read)
    if data.position is not None:
        collections.place_item(item, data.position)
    return _item(item)


@router.delete("/me/collections/{slug}/items/{arxiv_id}", auth=WRITE_AUTH, response={204: None, **ERRORS})
def remove_item(request, slug: str, arxiv_id: str):
    """Take a paper out of a collection, with its note."""
    collection = collections.owned(request.auth, slug)
    collections.remove_paper(collection, collections.get_item(collection, arxiv_id).paper)
    return Status(204, None)
