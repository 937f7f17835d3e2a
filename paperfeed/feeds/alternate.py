"""The page views' one hook for other formats: `?format=rss|atom|bibtex|csv|json` or the Accept header.

papers/views.py calls `respond(request, kind, ...)` first thing; it answers None for an ordinary page view,
otherwise the feed or export of exactly the papers that page shows (same period, sort and page).
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from paperfeed.errors import BadRequest
from paperfeed.feeds import sources, syndication
from paperfeed.papers import export, paper_list

FORMATS = ("rss", "atom", "bibtex", "csv", "json")
ACCEPT = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/x-bibtex": "bibtex",
    "text/x-bibtex": "bibtex",
    "text/csv": "csv",
}
CONTENT_TYPES = {
    "bibtex": "application/x-bibtex; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def wanted(request) -> str | None:
    """The format asked for, or None for the HTML page. An unknown ?format= is a 400, not a silent page."""
    fmt = request.GET.get("format")
    if fmt:
        if fmt not in FORMATS:
            raise BadRequest(f"Unknown format {fmt[:20]!r}; use one of: {', '.join(FORMATS)}.", code="invalid_format")
        return fmt
    accept = request.headers.get("Accept", "")
    first = accept.split(",")[0].split(";")[0].strip().lower()
    return ACCEPT.get(first)


def export_response(source: sources.Source, fmt: str, *, filename: str) -> HttpResponse:
    if fmt == "bibtex":
        body = export.bibtex(source.items)
    elif fmt == "csv":
        body = export.csv_text(source.items)
    else:
        body = json.dumps(
            {"title": source.title, "link": source.link, "papers": export.json_rows(source.items)},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
        )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    ext = {"bibtex": "bib", "csv": "csv", "json": "json"}[fmt]
    response["Content-Disposition"] = f'inline; filename="{filename}.{ext}"'
    return response


def render(request, source: sources.Source, fmt: str, *, filename: str) -> HttpResponse:
    if fmt in ("rss", "atom"):
        return syndication.render(request, source, fmt)
    return export_response(source, fmt, filename=filename)


def respond(request, kind: str, **kw) -> HttpResponse | None:
    """The alternate format of a page: kind is 'period' (period=), 'latest', 'trending', 'paper' (arxiv_id=)
    or 'search' (query=, filters=, sort= as the search page has them)."""
    fmt = wanted(request)
    if fmt is None:
        return None
    if kind == "paper":
        paper = paper_list.get_paper(kw["arxiv_id"])
        if fmt != "bibtex":
            raise BadRequest(
                "A paper page exports as format=bibtex; feeds are per listing, category or author.",
                code="invalid_format",
            )
        return export_response(
            sources.Source(paper.title, paper.get_absolute_url(), "", [paper]),
            fmt,
            filename=paper.arxiv_id.replace("/", "_"),
        )
    page = paper_list.parse_page(request.GET.get("page"))
    if kind == "trending":
        source = sources.trending_source(page=page)
        name = "trending"
    elif kind == "search":
        source = sources.search_source(
            kw["query"], filters=kw.get("filters"), sort=kw.get("sort") or "relevance", page=page
        )
        name = "search"
    else:
        sort = paper_list.parse_sort(request.GET.get("sort"))
        if kind == "latest":
            source, name = sources.latest_source(sort=sort, page=page), "papers"
        else:
            period = kw["period"]
            source, name = sources.period_source(period, sort=sort, page=page), f"papers-{period.slug}"
    return render(request, source, fmt, filename=name)
