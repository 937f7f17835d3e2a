"""Feed (and export) URLs for lists that have no page of their own: new, category, author, collection, search."""

from __future__ import annotations

from django.conf import settings
from django.views.decorators.http import require_GET

from paperfeed.errors import BadRequest
from paperfeed.feeds import alternate, sources
from paperfeed.papers import paper_list
from paperfeed.search.filters import parse_filters

EXPORTS = ("rss", "atom", "bibtex", "csv", "json")


def _fmt(ext: str) -> str:
    fmt = {"bib": "bibtex"}.get(ext, ext)
    if fmt not in EXPORTS:
        raise BadRequest(f"Unknown format {ext[:20]!r}; use one of: rss, atom, bib, csv, json.", code="invalid_format")
    return fmt


def _page(request) -> int:
    return paper_list.parse_page(request.GET.get("page"))


def _size() -> int:
    return settings.PAPERFEED["FEED_SIZE"]


@require_GET
def new(request, ext):
    return alternate.render(
        request, sources.new_source(page=_page(request), page_size=_size()), _fmt(ext), filename="new"
    )


@require_GET
def category(request, category, ext):
    source = sources.category_source(category, page=_page(request), page_size=_size())
    return alternate.render(request, source, _fmt(ext), filename=f"category-{category}")


@require_GET
def author(request, name, ext):
    source = sources.author_source(name, page=_page(request), page_size=_size())
    return alternate.render(request, source, _fmt(ext), filename="author")


@require_GET
def collection(request, owner, slug, ext):
    source = sources.collection_source(owner, slug, viewer=request.user, page=_page(request), page_size=_size())
    return alternate.render(request, source, _fmt(ext), filename=f"collection-{slug}")


@require_GET
def search(request, ext):
    query = (request.GET.get("q") or "").strip()
    if not query:
        raise BadRequest("Give a search query as q=...", code="missing_query")
    source = sources.search_source(
        query,
        filters=parse_filters(request.GET),
        sort=request.GET.get("sort") or "relevance",
        page=_page(request),
        page_size=_size(),
    )
    return alternate.render(request, source, _fmt(ext), filename="search")


@require_GET
def trending(request, ext):
    return alternate.render(
        request, sources.trending_source(page=_page(request), page_size=_size()), _fmt(ext), filename="trending"
    )
