"""Search results as listing objects: the one door into search (hybrid and similar) for the API and the feeds.

Pages, feeds and the API show listings (a paper's entry on a day, with its upvotes), so results are read back
through papers.paper_list.visible_listings, in search's order; a paper without a listing is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from paperfeed.papers import paper_list
from paperfeed.search import hybrid
from paperfeed.search.filters import SearchFilters
from paperfeed.search.similar import similar_papers


@dataclass
class Found:
    items: list = field(default_factory=list)  # Listing objects with .paper, best first
    total: int = 0
    has_next: bool = False
    notices: list = field(default_factory=list)


def as_listings(papers) -> list:
    """The listings of `papers`, in the same order."""
    ids = [p.arxiv_id for p in papers]
    listings = {obj.paper.arxiv_id: obj for obj in paper_list.visible_listings().filter(paper__arxiv_id__in=ids)}
    return [listings[i] for i in ids if i in listings]


def search(
    query: str,
    *,
    page_size: int | None = None,
    page: int = 1,
    sort: str = "relevance",
    filters: SearchFilters | None = None,
) -> Found:
    """One page of search results; `sort` in search's own vocabulary (hybrid.SORTS: relevance, newest, upvoted)."""
    result = hybrid.search(query, filters=filters, sort=sort, page=page, page_size=page_size)
    return Found(
        items=as_listings([hit.paper for hit in result.hits]),
        total=result.total,
        has_next=result.has_next,
        notices=list(result.notices),
    )


def search_listings(query: str, *, limit: int, page: int = 1) -> list:
    """Listing objects of the best matches for `query` (the HF-compatible search and the search feeds)."""
    return search(query, page_size=limit, page=page).items


def similar_listings(paper, *, limit: int) -> list:
    return as_listings(similar_papers(paper, k=limit))
