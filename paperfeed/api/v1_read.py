"""/api/v1 reads: papers, listings in every sort, trending with its inputs, categories, authors, collections,
search and similar papers (comments are v1_comments). Public; thin shells over papers/paper_list, paper_filters
and search."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.conf import settings
from django.utils import timezone
from ninja import Query, Router

from paperfeed.api import v1_serialize as ser
from paperfeed.api.v1_schemas import Error, PaperOut, PaperPage, SearchPage, TrendingPage
from paperfeed.papers import paper_filters, paper_list, periods, ranking
from paperfeed.search import filters, listings

router = Router()
READ_ERRORS = {400: Error, 404: Error, 422: Error, 429: Error}
Sort = Literal["top", "new", "discussed"]
PAGE = Query(1, ge=1, le=paper_list.MAX_PAGE, description="page number, from 1")
PAGE_SIZE = Query(None, ge=1, le=100, description="papers per page (default PAGE_SIZE)")


def _size(page_size: int | None) -> int:
    return page_size or settings.PAPERFEED["PAGE_SIZE"]


@router.get("/papers/{arxiv_id}", response={200: PaperOut, **READ_ERRORS}, tags=["papers"], summary="One paper")
def get_paper(request, arxiv_id: str):
    return ser.paper(paper_list.get_paper(arxiv_id))


@router.get(
    "/papers/{arxiv_id}/similar",
    response={200: PaperPage, **READ_ERRORS},
    tags=["search"],
    summary="Papers nearest to this one by meaning",
)
def similar(request, arxiv_id: str, page_size: int = Query(10, ge=1, le=50)):
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


# The API's sort names (the listings' words), mapped onto search's own.
SEARCH_SORTS = {"relevance": "relevance", "new": "newest", "top": "upvoted"}
PARSERS = {"date": periods.parse_date, "week": periods.parse_week, "month": periods.parse_month}


@router.get(
    "/listings/{kind}/{slug}",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="A day (YYYY-MM-DD), ISO week (YYYY-Www) or month (YYYY-MM) of papers",
)
def period_listing(
    request,
    kind: Literal["date", "week", "month"],
    slug: str,
    sort: Sort = "top",
    page: int = PAGE,
    page_size: int | None = PAGE_SIZE,
):
    period = PARSERS[kind](slug)
    return ser.page(
        paper_list.period_listing(period, sort=sort, page=page, page_size=_size(page_size)), _size(page_size)
    )


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
def category(request, category: str, sort: Sort = "new", page: int = PAGE, page_size: int | None = PAGE_SIZE):
    return ser.page(
        paper_filters.category_listing(category, sort=sort, page=page, page_size=_size(page_size)), _size(page_size)
    )


@router.get(
    "/authors/{name}/papers",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="Papers by an author (the whole name as arXiv gives it)",
)
def author(request, name: str, sort: Sort = "new", page: int = PAGE, page_size: int | None = PAGE_SIZE):
    return ser.page(
        paper_filters.author_listing(name, sort=sort, page=page, page_size=_size(page_size)), _size(page_size)
    )


@router.get(
    "/collections/{owner}/{slug}/papers",
    response={200: PaperPage, **READ_ERRORS},
    tags=["listings"],
    summary="A public collection's papers, most recently added first",
)
def collection(request, owner: str, slug: str, page: int = PAGE, page_size: int | None = PAGE_SIZE):
    c = paper_filters.get_collection(owner, slug, viewer=request.user)
    return ser.page(paper_filters.collection_listing(c, page=page, page_size=_size(page_size)), _size(page_size))


@router.get(
    "/search",
    response={200: SearchPage, **READ_ERRORS},
    tags=["search"],
    summary='Keyword and semantic search with filters (query syntax: words, "phrases", author:, cat:)',
)
def search(
    request,
    q: str = Query(..., min_length=1, max_length=1000),
    category: str | None = Query(None, max_length=200),
    author: str | None = Query(None, max_length=200),
    date_from: date | None = None,
    date_to: date | None = None,
    sort: Literal["relevance", "new", "top"] = "relevance",
    page: int = Query(1, ge=1, le=1000),
    page_size: int = Query(20, ge=1, le=100),
):
    found = listings.search(
        q,
        page_size=page_size,
        page=page,
        sort=SEARCH_SORTS[sort],
        filters=filters.from_fields(category=category, author=author, date_from=date_from, date_to=date_to),
    )
    return {
        "items": [ser.paper(item.paper, item) for item in found.items],
        "query": q,
        "page": page,
        "page_size": page_size,
        "total": found.total,
        "has_next": found.has_next,
        "notices": found.notices,
    }
