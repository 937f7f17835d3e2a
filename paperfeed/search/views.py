"""The search page, a thin shell over hybrid.search: reads the form, renders the result or the reason."""

from __future__ import annotations

from django.shortcuts import render

from paperfeed.errors import BadRequest
from paperfeed.feeds import alternate
from paperfeed.papers.models import Listing
from paperfeed.papers.paper_list import parse_page
from paperfeed.search import hybrid
from paperfeed.search.filters import parse_filters


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
    listings = Listing.objects.in_bulk([hit.paper.pk for hit in result.hits], field_name="paper_id")
    for hit in result.hits:
        hit.listing = listings.get(hit.paper.pk)  # the day it was listed here, shown beside the arXiv date
    keep = request.GET.copy()
    keep.pop("page", None)
    sortless = keep.copy()
    sortless.pop("sort", None)
    return render(
        request,
        "search/results.html",
        {
            **context,
            "result": result,
            "notices": _notices_for(request.user, result),
            "keep": keep.urlencode(),
            "sortless": sortless.urlencode(),
        },
    )


def _notices_for(user, result: hybrid.SearchResult) -> list[str]:
    """Notices about the query itself are for everyone. Those about the semantic index name models, commands
    and counts that only an admin can act on: staff read them as they are, everyone else in plain words."""
    own = list(result.parsed.notices)
    if user.is_staff or len(result.notices) == len(own):
        return result.notices
    if result.semantic == "partial":
        return [*own, "Some papers are found by keywords only for now: their meaning is not indexed yet."]
    return [*own, "Results match keywords only for now."]
