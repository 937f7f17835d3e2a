"""What a feed or an export holds: a titled list of listed papers, built from the same queries as the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from django.conf import settings

from paperfeed.papers import paper_filters, paper_list, periods
from paperfeed.search import listings


@dataclass
class Source:
    title: str
    link: str  # the page (or for category/author/collection, the API list) this mirrors
    description: str
    items: list = field(default_factory=list)  # Listing objects with .paper
    feed_url: str = ""  # the feed's own address, set when it is rendered


def _site(title: str) -> str:
    return f"{settings.PAPERFEED['SITE_NAME']}: {title}"


def _period_words(period: periods.Period) -> str:
    """ "Nov 25, 2026", "week 7 of 2026 (Feb 9 – Feb 15)", "February 2026": what follows "papers of"."""
    if period.kind == "date":
        return f"{period.start:%b} {period.start.day}, {period.start.year}"
    if period.kind == "week":
        year, week, _ = period.start.isocalendar()
        return f"week {week} of {year} ({period.start:%b} {period.start.day} – {period.end:%b} {period.end.day})"
    return f"{period.start:%B %Y}"


def period_source(period: periods.Period, *, sort: str = "top", page: int = 1, page_size: int | None = None) -> Source:
    result = paper_list.period_listing(period, sort=sort, page=page, page_size=page_size)
    words = _period_words(period)
    return Source(
        _site(f"papers of {words}"),
        f"/papers/{period.kind}/{period.slug}",
        f"The papers of {words}, {paper_list.SORT_LABELS[sort].lower()} first.",
        result.items,
    )


def latest_source(*, sort: str = "top", page: int = 1, page_size: int | None = None) -> Source:
    day = paper_list.latest_day()
    if day is None:
        return Source(_site("the latest papers"), "/papers", "The latest day's papers.")
    source = period_source(periods.day(day), sort=sort, page=page, page_size=page_size)
    source.link = "/papers"
    return source


def trending_source(*, page: int = 1, page_size: int | None = None) -> Source:
    result = paper_list.trending(page=page, page_size=page_size)
    return Source(
        _site("trending papers"),
        "/papers/trending",
        "Papers of the last days ordered by votes decayed with age (see /about#trending).",
        result.items,
    )


def new_source(*, page: int = 1, page_size: int | None = None) -> Source:
    result = paper_filters.newest(page=page, page_size=page_size)
    return Source(_site("new papers"), "/papers?sort=new", "The most recently listed papers.", result.items)


def category_source(category: str, *, page: int = 1, page_size: int | None = None) -> Source:
    result = paper_filters.category_listing(category, sort="new", page=page, page_size=page_size)
    return Source(
        _site(f"new in {category}"),
        f"/api/v1/categories/{quote(category, safe='')}/papers",
        f"Papers in the arXiv category {category}, newest first.",
        result.items,
    )


def author_source(name: str, *, page: int = 1, page_size: int | None = None) -> Source:
    result = paper_filters.author_listing(name, sort="new", page=page, page_size=page_size)
    return Source(
        _site(f"papers by {name}"),
        f"/api/v1/authors/{quote(name, safe='')}/papers",
        f"Papers with {name} among the authors, newest first.",
        result.items,
    )


def collection_source(owner: str, slug: str, *, viewer=None, page: int = 1, page_size: int | None = None) -> Source:
    c = paper_filters.get_collection(owner, slug, viewer=viewer)
    result = paper_filters.collection_listing(c, page=page, page_size=page_size)
    return Source(
        _site(f"{c.name} (a collection by {c.owner.username})"),
        f"/api/v1/collections/{quote(owner, safe='')}/{quote(slug, safe='')}/papers",
        c.description or f"Papers {c.owner.username} collected as {c.name}.",
        result.items,
    )


def search_source(
    query: str, *, filters=None, sort: str = "relevance", page: int = 1, page_size: int | None = None
) -> Source:
    """The papers of a search page: same query, filters, sort and page (search's own page size by default)."""
    found = listings.search(query, page_size=page_size, page=page, sort=sort, filters=filters)
    return Source(
        _site(f"search for {query}"),
        "/papers/search?" + urlencode({"q": query}),
        f"Papers matching the search {query!r}, best first.",
        found.items,
    )
