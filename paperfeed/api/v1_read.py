"""/api/v1 reads: papers, listings in every sort, trending with its inputs, categories, authors, collections,
search and similar papers (comments are v1_comments). Public; thin shells over papers/paper_list, paper_filters
and search."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.conf import settings
from django.utils import timezone
from ninja import Path, Query, Router

from paperfeed.api import v1_params as params
from paperfeed.api import v1_serialize as ser
from paperfeed.api.auth import READ_AUTH
from paperfeed.api.v1_schemas import Error, PaperOut, PaperPage, SearchPage, TrendingPage
from paperfeed.errors import BadRequest, NotFound
from paperfeed.papers import paper_filters, paper_list, periods, ranking
from paperfeed.search import filters, listings

router = Router()
READ_ERRORS = {400: Error, 404: Error, 422: Error, 429: Error}
Sort = Literal["top", "new", "discussed"]
PAGE = Query(1, ge=1, le=paper_list.MAX_PAGE, description="page number, from 1")
PAGE_SIZE = Query(None, ge=1, le=100, description="papers per page (default PAGE_SIZE)")
ARXIV_ID = Path(..., description=params.ARXIV_ID_DESCRIPTION)


def _size(page_size: int | None) -> int:
    return page_size or settings.PAPERFEED["PAGE_SIZE"]


@router.get("/papers/{arxiv_id}", response={200: PaperOut, **READ_ERRORS}, tags=["papers"], summary="One paper")
def get_paper(request, arxiv_id: str = ARXIV_ID):
    return ser.paper(paper_list.get_paper(arxiv_id))


@router.get(
    "/papers/{arxiv_id}/similar",
    response={200: PaperPage, **READ_ERRORS},
    tags=["search"],
    summary="Papers nearest to this one by meaning",
)
def similar(request, arxiv_id: str = ARXIV_ID, page_size: int = Query(10, ge=1, le=50)):
    paper = paper_list.get_paper(arxiv_id)
    similar = listings.similar_listings(paper, limit=page_size)
    return {
        "items": [ser.paper(item.paper, item) for item in similar],
        "page": 1,
        "page_size": page_size,
        "total": len(similar),
        "has_next": False,
    }


@router.get(
    "/listings/latest",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="The latest day with papers",
)
def latest(request, sort: Sort = "top", page: int = PAGE, page_size: int | None = PAGE_SIZE):
    day = paper_list.latest_day()
    if day is None:
        return {"items": [], "page": 1, "page_size": _size(page_size), "total": 0, "has_next": False}
    return ser.page(
        paper_list.period_listing(periods.day(day), sort=sort, page=page, page_size=_size(page_size)), _size(page_size)
    )


@router.get(
    "/listings/new",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="The most recently listed papers, whatever their day",
)
def new(request, page: int = PAGE, page_size: int | None = PAGE_SIZE):
    return ser.page(paper_filters.newest(page=page, page_size=_size(page_size)), _size(page_size))


DATE_FROM = Query(None, description="papers listed on or after this day")
DATE_TO = Query(
    None, description="papers listed on or before this day; before date_from nothing matches (a notice says so)"
)

# The API's sort names (the listings' words), mapped onto search's own.
SEARCH_SORTS = {"relevance": "relevance", "new": "newest", "top": "upvoted"}


def _period_page(period, sort: str, page: int, page_size: int | None):
    if period is None:  # a well-formed day, week or month when nothing can have been listed
        if page > 1:
            raise NotFound(f"Page {page} is past the end of this list.", code="page_not_found")
        return {"items": [], "page": 1, "page_size": _size(page_size), "total": 0, "has_next": False}
    return ser.page(
        paper_list.period_listing(period, sort=sort, page=page, page_size=_size(page_size)), _size(page_size)
    )


# One route per kind, each with its own pattern; the URLs are the ones /listings/{kind}/{slug} answered.
@router.get(
    "/listings/date/{day}",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="A day of papers",
)
def day_listing(
    request,
    day: str = Path(
        ...,
        pattern=params.DAY,
        description="YYYY-MM-DD. A date that does not exist (2026-02-30) is a 400; a day before arXiv (1991-08-01) "
        "or after 9000 has no papers.",
    ),
    sort: Sort = "top",
    page: int = PAGE,
    page_size: int | None = PAGE_SIZE,
):
    return _period_page(params.day(day), sort, page, page_size)


@router.get(
    "/listings/week/{week}",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="An ISO week of papers",
)
def week_listing(
    request,
    week: str = Path(
        ...,
        pattern=params.WEEK,
        description="YYYY-Www, an ISO 8601 week, e.g. 2026-W07. Week 53 exists only in years that have one; "
        "another year's W53 is a 400.",
    ),
    sort: Sort = "top",
    page: int = PAGE,
    page_size: int | None = PAGE_SIZE,
):
    return _period_page(params.week(week), sort, page, page_size)


@router.get(
    "/listings/month/{month}",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="A month of papers",
)
def month_listing(
    request,
    month: str = Path(..., pattern=params.MONTH, description="YYYY-MM, e.g. 2026-02"),
    sort: Sort = "top",
    page: int = PAGE,
    page_size: int | None = PAGE_SIZE,
):
    return _period_page(params.month(month), sort, page, page_size)


@router.get(
    "/trending",
    response={200: TrendingPage, **READ_ERRORS},
    tags=["listings"],
    summary="Trending papers with their scores and the formula's inputs",
)
def trending(request, page: int = PAGE, page_size: int | None = PAGE_SIZE):
    now = timezone.now()
    params = ranking.TrendingParams.from_settings()
    result = paper_list.trending(now=now, page=page, page_size=_size(page_size), params=params)
    items = []
    for item in result.items:
        row = ser.paper(item.paper, item)
        row.update(
            score=item.score,
            effective_votes=item.effective_votes,
            age_hours=round(ranking.age_hours(paper_list.day_start(item.day), now), 3),
        )
        items.append(row)
    return {
        "items": items,
        "page": result.number,
        "page_size": _size(page_size),
        "total": result.total,
        "has_next": result.has_next,
        "params": {
            "formula": "score = effective_votes / (age_hours + offset_hours) ** gravity",
            "gravity": params.gravity,
            "offset_hours": params.offset_hours,
            "min_voter_age_hours": params.min_voter_age_hours,
            "window_days": settings.PAPERFEED["TRENDING_WINDOW_DAYS"],
            "now": now,
        },
    }


@router.get(
    "/categories/{category}/papers",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="Papers in an arXiv category, e.g. cs.LG",
)
def category(
    request,
    category: str = Path(..., pattern=params.CATEGORY, max_length=200, description="an arXiv category, e.g. cs.LG"),
    sort: Sort = "new",
    page: int = PAGE,
    page_size: int | None = PAGE_SIZE,
):
    return ser.page(
        paper_filters.category_listing(category, sort=sort, page=page, page_size=_size(page_size)), _size(page_size)
    )


@router.get(
    "/authors/{name}/papers",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="Papers by an author (the whole name as arXiv gives it)",
)
def author(
    request,
    name: str = Path(..., pattern=params.NAME, max_length=200, description="the author's whole name, any case"),
    sort: Sort = "new",
    page: int = PAGE,
    page_size: int | None = PAGE_SIZE,
):
    return ser.page(
        paper_filters.author_listing(name, sort=sort, page=page, page_size=_size(page_size)), _size(page_size)
    )


@router.get(
    "/collections/{owner}/{slug}/papers",
    auth=READ_AUTH,
    response={200: PaperPage, 401: Error, **READ_ERRORS},
    tags=["listings"],
    summary="A public collection's papers (or your own private one's), most recently added first",
)
def collection(
    request,
    owner: str = Path(..., max_length=150, description="the owner's user name"),
    slug: str = Path(..., max_length=200, description="the collection's slug"),
    page: int = PAGE,
    page_size: int | None = PAGE_SIZE,
):
    c = paper_filters.get_collection(owner, slug, viewer=request.auth)
    return ser.page(paper_filters.collection_listing(c, page=page, page_size=_size(page_size)), _size(page_size))


@router.get(
    "/search",
    response={200: SearchPage, **READ_ERRORS},
    tags=["search"],
    summary='Keyword and semantic search with filters (query syntax: words, "phrases", author:, cat:)',
)
def search(
    request,
    q: str = Query(
        ...,
        min_length=1,
        max_length=1000,
        description='words, "phrases", author:Name, cat:cs.LG; at least one letter or digit. A query whose only '
        "terms are ignored (cat:´) finds nothing, with a notice saying why.",
    ),
    category: str | None = Query(None, max_length=200, description="one arXiv category, e.g. cs.LG"),
    author: str | None = Query(None, max_length=200, description="one author's whole name"),
    date_from: date | None = DATE_FROM,
    date_to: date | None = DATE_TO,
    sort: Literal["relevance", "new", "top"] = "relevance",
    page: int = Query(1, ge=1, le=1000),
    page_size: int = Query(20, ge=1, le=100),
):
    empty = {"items": [], "query": q, "page": 1, "page_size": page_size, "total": 0, "has_next": False}
    if not params.QUERY_RE.search(q):
        raise BadRequest(
            "The query has no letters or digits to search for. Try words from a title or abstract.",
            code="nothing_to_search",
        )
    if date_from and date_to and date_to < date_from:
        return {**empty, "notices": ["The date range ends before it starts, so nothing matches: swap the two dates."]}
    try:
        found = listings.search(
            q,
            page_size=page_size,
            page=page,
            sort=SEARCH_SORTS[sort],
            filters=filters.from_fields(category=category, author=author, date_from=date_from, date_to=date_to),
        )
    except BadRequest as exc:
        # Letters and digits that all sit in ignored terms (cat:´x) leave nothing to search: an answer, not a fault.
        if exc.code != "nothing_to_search":
            raise
        return {**empty, "notices": [exc.message]}
    return {
        "items": [ser.paper(item.paper, item) for item in found.items],
        "query": q,
        "page": page,
        "page_size": page_size,
        "total": found.total,
        "has_next": found.has_next,
        "notices": found.notices,
    }
