"""What an author page and a category page show: the papers, their counts, an author's co-authors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from paperfeed.errors import BadRequest
from paperfeed.papers import paper_filters, paper_list, periods

SPANS = ("all", "day", "week", "month")
MAX_COAUTHOR_SCAN = 2000
COAUTHORS_SHOWN = 12


@dataclass
class AuthorPage:
    name: str
    page: paper_list.Page
    coauthors: list[tuple[str, int]]


def author_page(name: str, *, sort: str = "new", page: int = 1) -> AuthorPage:
    """The author's papers, newest first, and the names most often beside theirs."""
    name = " ".join((name or "").split())
    result = paper_filters.author_listing(name, sort=sort, page=page)
    listings = paper_filters.author_listing(name, sort="new", page=1, page_size=MAX_COAUTHOR_SCAN).items
    counts: Counter[str] = Counter()
    for listing in listings:
        counts.update(a for a in listing.paper.authors if a.lower() != name.lower())
    return AuthorPage(name, result, counts.most_common(COAUTHORS_SHOWN))


def category_period(span: str | None) -> periods.Period | None:
    """The period a category page covers: all time, or the day, week or month of the latest listing."""
    span = span or "all"
    if span not in SPANS:
        raise BadRequest(f"Unknown period {span[:20]!r}; use one of {', '.join(SPANS)}.", code="invalid_period")
    latest = paper_list.latest_day()
    if span == "all" or latest is None:
        return None
    if span == "day":
        return periods.day(latest)
    if span == "week":
        return periods.week_of(latest)
    return periods.month(latest.year, latest.month)


def category_page(category: str, *, span: str | None = None, sort: str = "new", page: int = 1) -> paper_list.Page:
    period = category_period(span)
    return paper_filters.filtered_listing(period=period, category=category, sort=sort, page=page)
