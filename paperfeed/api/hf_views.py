"""Hugging Face-compatible endpoints: /api/daily_papers, /api/papers/{id}, /api/papers/search.

huggingface_hub's HfApi(endpoint=...) list_daily_papers, paper_info and list_papers work against these
unchanged. docs/api.md lists where our answers differ from Hugging Face's.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, F, Q, When
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


# Hugging Face's sort=publishedAt: newest on the daily list first, by the submittedOnDailyAt we show
# (hf_shape.on_daily_at): a row made on another day than its listing day (an import) counts as the start of
# the day, after those submitted during it; papers sharing a time go by upvotes, as on HF's page.
ON_THE_DAY = Case(When(created_at__date=F("day"), then=F("created_at")), default=None)
DAILY_ORDER = ("-day", ON_THE_DAY.desc(nulls_last=True), "-upvotes_total", "-paper__arxiv_id")


def _by_daily_time(period, submitter, *, page: int, page_size: int) -> paper_list.Page:
    qs = paper_list.visible_listings()
    if period is not None:
        qs = qs.filter(day__gte=period.start, day__lte=period.end)
    if submitter:
        qs = qs.filter(Q(submitted_by__username=submitter) | Q(submitted_by__isnull=True, submitter_name=submitter))
    # One row past the page says whether there is a next one (and total is only as far as this page reaches):
    # counting every listing of the hub (the default, with no period) took seconds at a million papers.
    offset = (page - 1) * page_size
    rows = list(qs.order_by(*DAILY_ORDER)[offset : offset + page_size + 1])
    if page > 1 and not rows:
        raise NotFound(f"Page {page} is past the end of this list.", code="page_not_found")
    items = rows[:page_size]
    return paper_list.Page(items=items, number=page, has_next=len(rows) > page_size, total=offset + len(items))


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
    elif sort == "publishedAt":
        page = _page_or_empty(lambda: _by_daily_time(period, submitter, page=p + 1, page_size=limit))
    else:
        # Within a period "trending" is by upvotes: trending's time decay only means something across days.
        page = _page_or_empty(
            lambda: paper_filters.filtered_listing(
                period=period, submitter=submitter, sort="top", page=p + 1, page_size=limit
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
