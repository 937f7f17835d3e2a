"""The API's and feeds' one door into search (paperfeed.search.hybrid and .similar), as listing objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from paperfeed.papers import paper_list

# /api/v1's sort names (the listings' words), mapped onto search's own.
SORTS = {"relevance": "relevance", "new": "newest", "top": "upvoted"}


@dataclass
class Found:
    items: list = field(default_factory=list)  # Listing objects with .paper, best first
    total: int = 0
    has_next: bool = False
    notices: list = field(default_factory=list)


def _as_listings(papers) -> list:
    ids = [p.arxiv_id for p in papers]
    listings = {obj.paper.arxiv_id: obj for obj in paper_list._listings().filter(paper__arxiv_id__in=ids)}
    return [listings[i] for i in ids if i in listings]


def filters(
    *,
    category: str | None = None,
    author: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    from paperfeed.search.hybrid import SearchFilters

    clean = lambda s: (s or "").replace("\x00", "").strip()  # noqa: E731
    return SearchFilters(
        date_from=date_from,
        date_to=date_to,
        categories=(clean(category),) if clean(category) else (),
        authors=(clean(author),) if clean(author) else (),
    )


def search(
    query: str, *, page_size: int | None = None, page: int = 1, sort: str = "relevance", search_filters=None
) -> Found:
    """One page of search results; `sort` in search's own vocabulary (relevance, newest, upvoted)."""
    from paperfeed.search import hybrid

    result = hybrid.search(query.replace("\x00", ""), filters=search_filters, sort=sort, page=page, page_size=page_size)
    return Found(
        items=_as_listings([hit.paper for hit in result.hits]),
        total=result.total,
        has_next=result.has_next,
        notices=list(result.notices),
    )


def search_listings(query: str, *, limit: int, page: int = 1) -> list:
    """Listing objects of the best matches for `query` (the HF-compatible search and the search feeds)."""
    return search(query, page_size=limit, page=page).items


def similar_listings(paper, *, limit: int) -> list:
    from paperfeed.search.similar import similar_papers

    return _as_listings(similar_papers(paper, k=limit))
