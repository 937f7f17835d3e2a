"""The search page, a thin shell over hybrid.search: reads the form, renders the result or the reason."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render

from paperfeed.errors import BadRequest
from paperfeed.feeds import alternate
from paperfeed.papers.paper_list import parse_page
from paperfeed.search import hybrid
from paperfeed.search.query import words_of


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


def parse_filters(params) -> hybrid.SearchFilters:
    """SearchFilters from a query string (from, to, cat, author; cat and author may repeat). Also used by the API."""
    cats = tuple(c.strip() for c in params.getlist("cat") if c.strip())
    authors = tuple(" ".join(words_of(a)) for a in params.getlist("author") if words_of(a))
    return hybrid.SearchFilters(
        date_from=_date(params.get("from"), "from"),
        date_to=_date(params.get("to"), "to"),
        categories=cats,
        authors=authors,
    )


def search_page(request):
    q = request.GET.get("q", "")
    context = {
        "q": q,
        "sorts": hybrid.SORTS,
        "sort": request.GET.get("sort") or "relevance",
        "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""),
        "cat": request.GET.get("cat", ""),
        "author": request.GET.get("author", ""),
    }
    if not q.strip():
        return render(request, "search/results.html", {**context, "prompt": True})
    other = alternate.respond(request, "search", query=q, filters=parse_filters(request.GET), sort=context["sort"])
    if other is not None:  # ?format=atom|rss|bibtex|csv|json: the same results as a feed or export
        return other
    try:
        result = hybrid.search(
            q, filters=parse_filters(request.GET), sort=context["sort"], page=parse_page(request.GET.get("page"))
        )
    except BadRequest as exc:
        return render(request, "search/results.html", {**context, "error": exc.message}, status=exc.status)
    keep = request.GET.copy()
    keep.pop("page", None)
    sortless = keep.copy()
    sortless.pop("sort", None)
    return render(
        request,
        "search/results.html",
        {**context, "result": result, "keep": keep.urlencode(), "sortless": sortless.urlencode()},
    )
