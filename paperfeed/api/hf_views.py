"""Hugging Face-compatible endpoints: /api/daily_papers, /api/papers/{id}, /api/papers/search.

huggingface_hub's HfApi(endpoint=...) list_daily_papers, paper_info and list_papers work against these
unchanged. docs/api.md lists where our answers differ from Hugging Face's.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse

from paperfeed.api import hf_shape
from paperfeed.api.view_helpers import api_view, int_param, text_param
from paperfeed.errors import BadRequest, NotFound
from paperfeed.papers import paper_filters, paper_list, periods
from paperfeed.search import listings

MAX_LIMIT = 100
HF_SORTS = ("publishedAt", "trending")


def _period(request) -> periods.Period | None:
    given = [(k, request.GET[k]) for k in ("date", "week", "month") if request.GET.get(k)]
    if len(given) > 1:
        raise BadRequest("Give at most one of date, week and month.", code="invalid_date")
    if not given:
        return None
    kind, value = given[0]
    return {"date": periods.parse_date, "week": periods.parse_week, "month": periods.parse_month}[kind](value)


def _page_or_empty(fetch):
    try:
        return fetch()
    except NotFound as exc:
        if exc.code == "page_not_found":  # Hugging Face answers a page past the end with [], so do we
            return paper_list.Page(items=[], number=0, has_next=False, total=0)
        raise


@api_view
def daily_papers(request):
    period = _period(request)
    sort = request.GET.get("sort") or "publishedAt"
    if sort not in HF_SORTS:
        raise BadRequest(f"sort must be one of {', '.join(HF_SORTS)}.", code="invalid_sort")
    p = int_param(request, "p", default=0, low=0, high=paper_list.MAX_PAGE - 1)
    limit = int_param(request, "limit", default=50, low=1, high=MAX_LIMIT)
    submitter = text_param(request, "submitter", max_len=150)
    if sort == "trending" and period is None and submitter is None:
        page = _page_or_empty(lambda: paper_list.trending(page=p + 1, page_size=limit))
    else:
        # Within a period "trending" is by upvotes: trending's time decay only means something across days.
        ours = "new" if sort == "publishedAt" else "top"
        page = _page_or_empty(
            lambda: paper_filters.filtered_listing(
                period=period, submitter=submitter, sort=ours, page=p + 1, page_size=limit
            )
        )
    response = JsonResponse([hf_shape.daily_item(item) for item in page.items], safe=False)
    if page.has_next:
        query = {k: v for k, v in request.GET.items() if k != "p"}
        query["p"] = p + 1
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{urlencode(query)}>; rel="next"'
    return response


@api_view
def paper(request, arxiv_id):
    return JsonResponse(hf_shape.paper_json(paper_list.get_paper(arxiv_id)))


@api_view
def papers_search(request):
    query = text_param(request, "q", max_len=1000)
    limit = int_param(request, "limit", default=50, low=1, high=MAX_LIMIT)
    if not query:
        raise BadRequest("Give a search query as q=...", code="missing_query")
    found = listings.search_listings(query, limit=limit)
    return JsonResponse([hf_shape.daily_item(item) for item in found], safe=False)
