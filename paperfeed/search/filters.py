"""Search filters: the restrictions every result must meet (dates, categories, authors), and reading them from a
query string. The text index applies them inside the index, so they cost no database query; author: and cat: in
the query add to them (text_index.TextIndex.filter_query).

`parse_filters` is the one reading of the search page's fields (from, to, cat, author), which the search page,
its feeds and exports share; `from_fields` is the API's, from its own typed parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paperfeed.errors import BadRequest
from paperfeed.search.query import words_of


@dataclass(frozen=True)
class SearchFilters:
    """User-chosen restrictions; empty (falsy) when none is set."""

    date_from: date | None = None
    date_to: date | None = None
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()

    def __bool__(self):
        return bool(self.date_from or self.date_to or self.categories or self.authors)


def _date(raw: str | None, label: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(
            f"The {label} date {raw[:20]!r} is not a date: use YYYY-MM-DD, e.g. 2026-02-10.", code="bad_date"
        ) from None


def parse_filters(params) -> SearchFilters:
    """SearchFilters from a query string (from, to, cat, author; cat and author may repeat)."""
    cats = tuple(c.strip() for c in params.getlist("cat") if c.strip())
    authors = tuple(" ".join(words_of(a)) for a in params.getlist("author") if words_of(a))
    return SearchFilters(
        date_from=_date(params.get("from"), "from"),
        date_to=_date(params.get("to"), "to"),
        categories=cats,
        authors=authors,
    )


def from_fields(
    *,
    category: str | None = None,
    author: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> SearchFilters:
    """SearchFilters from one category and one author as typed (outer spaces dropped)."""

    def clean(s: str | None) -> str:
        return (s or "").strip()

    return SearchFilters(
        date_from=date_from,
        date_to=date_to,
        categories=(clean(category),) if clean(category) else (),
        authors=(clean(author),) if clean(author) else (),
    )
