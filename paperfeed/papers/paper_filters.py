"""Listings narrowed by category, author, submitter or collection, in the same sorts as the period listings.

Feeds, exports and the API call these; like paper_list they are the only place these queries are written.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from paperfeed.errors import BadRequest, NotFound
from paperfeed.papers import paper_list
from paperfeed.papers.models import Collection
from paperfeed.papers.periods import Period

MAX_TERM = 200


def _term(raw: str | None, what: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise BadRequest(f"Give a {what}.", code=f"missing_{what}")
    if len(text) > MAX_TERM:
        raise BadRequest(f"A {what} is at most {MAX_TERM} characters.", code=f"invalid_{what}")
    return text


def _author_q(name: str) -> Q:
    # authors_text is the names joined by "; ": match one whole name, not a substring of another.
    return (
        Q(paper__authors_text__iexact=name)
        | Q(paper__authors_text__istartswith=f"{name}; ")
        | Q(paper__authors_text__iendswith=f"; {name}")
        | Q(paper__authors_text__icontains=f"; {name}; ")
    )


def filtered_listing(
    *,
    period: Period | None = None,
    category: str | None = None,
    author: str | None = None,
    submitter: str | None = None,
    sort: str = "top",
    page: int = 1,
    page_size: int | None = None,
) -> paper_list.Page:
    """Listed papers matching every filter given, in `sort` order, one page of them."""
    page_size = page_size or settings.PAPERFEED["PAGE_SIZE"]
    qs = paper_list.visible_listings()
    if period is not None:
        qs = qs.filter(day__gte=period.start, day__lte=period.end)
    if category:
        # categories is a JSON list; its quoted text form matches one whole category on SQLite and PostgreSQL.
        qs = qs.filter(paper__categories__icontains=f'"{_term(category, "category")}"')
    if author:
        qs = qs.filter(_author_q(_term(author, "author")))
    if submitter:
        name = _term(submitter, "submitter")
        qs = qs.filter(Q(submitted_by__username=name) | Q(submitted_by__isnull=True, submitter_name=name))
    qs = qs.order_by(*paper_list.SORTS[sort])
    return paper_list._paginate(qs, page, page_size, qs.count())


def category_listing(
    category: str, *, sort: str = "new", page: int = 1, page_size: int | None = None
) -> paper_list.Page:
    return filtered_listing(category=_term(category, "category"), sort=sort, page=page, page_size=page_size)


def author_listing(name: str, *, sort: str = "new", page: int = 1, page_size: int | None = None) -> paper_list.Page:
    return filtered_listing(author=_term(name, "author"), sort=sort, page=page, page_size=page_size)


def newest(*, page: int = 1, page_size: int | None = None) -> paper_list.Page:
    """The most recently listed papers, whatever their day."""
    return filtered_listing(sort="new", page=page, page_size=page_size)


def get_collection(owner: str, slug: str, *, viewer=None) -> Collection:
    """A public collection, or a private one its owner is looking at; NotFound otherwise (never Forbidden,
    so a private collection's existence is not revealed)."""
    owner, slug = owner[:150], slug[:200]
    c = Collection.objects.select_related("owner").filter(owner__username=owner, slug=slug).first()
    if c is None or not (c.public or (viewer is not None and viewer.is_authenticated and viewer.pk == c.owner_id)):
        raise NotFound(f"No collection {slug[:60]!r} by {owner[:60]!r}.", code="collection_not_found")
    return c


def collection_listing(collection: Collection, *, page: int = 1, page_size: int | None = None) -> paper_list.Page:
    """The collection's papers, most recently added first (hidden and withdrawn ones left out)."""
    page_size = page_size or settings.PAPERFEED["PAGE_SIZE"]
    qs = (
        paper_list.visible_listings()
        .filter(paper__collectionitem__collection=collection)
        .order_by("-paper__collectionitem__added_at", "-paper__arxiv_id")
    )
    return paper_list._paginate(qs, page, page_size, qs.count())
