"""The listing queries: papers of a period in a given sort, trending, and day-to-day navigation.

Views, the API, feeds and digests all call these; none of them writes its own listing query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.utils import timezone

from paperfeed.errors import BadRequest, InvalidArxivId, NotFound
from paperfeed.papers import ranking
from paperfeed.papers.arxiv_ids import parse_arxiv_id
from paperfeed.papers.models import Listing, Paper
from paperfeed.papers.periods import Period

SORTS = {
    "top": ("-upvotes_total", "-paper__comment_count", "-paper__arxiv_id"),
    "new": ("-created_at", "-paper__arxiv_id"),
    "discussed": ("-paper__comment_count", "-upvotes_total", "-paper__arxiv_id"),
}
SORT_LABELS = {"top": "Top", "new": "New", "discussed": "Most discussed"}
MAX_PAGE = 10_000


@dataclass
class Page:
    items: list  # Listing objects with .paper loaded (and .score for trending)
    number: int
    has_next: bool
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def today() -> date:
    return timezone.localdate()


def parse_page(raw: str | None) -> int:
    if raw in (None, ""):
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"Not a page number: {raw[:20]!r}. Pages count from 1.", code="invalid_page")
    return int(raw)


def parse_sort(raw: str | None, default: str = "top") -> str:
    if raw in (None, ""):
        return default
    if raw not in SORTS:
        raise BadRequest(f"Unknown sort {raw[:20]!r}; use one of: {', '.join(SORTS)}.", code="invalid_sort")
    return raw


def visible_listings() -> QuerySet:
    """Listings of visible papers, with their paper loaded and `upvotes_total` (votes here + imported)."""
    return (
        Listing.objects.listable()
        .select_related("paper", "submitted_by")
        .annotate(
            upvotes_total=ExpressionWrapper(
                F("paper__vote_count") + F("paper__imported_upvotes"), output_field=IntegerField()
            )
        )
    )


def _paginate(qs_or_list, number: int, page_size: int, total: int) -> Page:
    offset = (number - 1) * page_size
    if number > 1 and offset >= total:
        raise NotFound(f"Page {number} is past the end of this list.", code="page_not_found")
    items = list(qs_or_list[offset : offset + page_size])
    return Page(items=items, number=number, has_next=offset + page_size < total, total=total)


def period_listing(period: Period, *, sort: str = "top", page: int = 1, page_size: int | None = None) -> Page:
    """Papers listed within `period`, in `sort` order, one page of them."""
    page_size = page_size or settings.PAPERFEED["PAGE_SIZE"]
    qs = visible_listings().filter(day__gte=period.start, day__lte=period.end).order_by(*SORTS[sort])
    return _paginate(qs, page, page_size, qs.count())


def latest_day(on_or_before: date | None = None) -> date | None:
    """The latest day with listed papers, not after `on_or_before` (today by default)."""
    limit = on_or_before or today()
    return visible_listings().filter(day__lte=limit).order_by("-day").values_list("day", flat=True).first()


def neighbour_days(d: date) -> tuple[date | None, date | None]:
    """The closest days before and after `d` that have listed papers (weekends and holidays have none)."""
    qs = visible_listings().values_list("day", flat=True)
    prev = qs.filter(day__lt=d).order_by("-day").first()
    nxt = qs.filter(day__gt=d).order_by("day").first()
    return prev, nxt


def day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def trending(
    *,
    now: datetime | None = None,
    window_days: int | None = None,
    page: int = 1,
    page_size: int | None = None,
    params: ranking.TrendingParams | None = None,
) -> Page:
    """Papers listed in the last `window_days` days, ordered by ranking.trending_score; each item has .score."""
    now = now or timezone.now()
    window_days = window_days or settings.PAPERFEED["TRENDING_WINDOW_DAYS"]
    params = params or ranking.TrendingParams.from_settings()
    page_size = page_size or settings.PAPERFEED["PAGE_SIZE"]
    since = timezone.localdate(now) - timedelta(days=window_days - 1)
    voter_cutoff = now - timedelta(hours=params.min_voter_age_hours)
    rows = (
        visible_listings()
        .filter(day__gte=since, day__lte=timezone.localdate(now))
        .annotate(counted_votes=Count("paper__votes", filter=Q(paper__votes__user__date_joined__lte=voter_cutoff)))
        .values_list("pk", "paper__arxiv_id", "day", "counted_votes", "paper__imported_upvotes")
    )
    candidates = {}
    for pk, arxiv_id, d, counted, imported in rows:
        candidates[pk] = ranking.Candidate(key=arxiv_id, effective_votes=counted + imported, listed_at=day_start(d))
    order = ranking.trending_order(list(candidates.values()), now, params)
    by_key = {c.key: pk for pk, c in candidates.items()}
    ranked = [(by_key[c.key], score) for c, score in order]
    result = _paginate(ranked, page, page_size, len(ranked))
    scores = dict(result.items)
    listings = {obj.pk: obj for obj in visible_listings().filter(pk__in=scores)}
    result.items = []
    for pk, score in scores.items():
        obj = listings[pk]
        obj.score = score
        obj.effective_votes = candidates[pk].effective_votes
        result.items.append(obj)
    return result


def get_paper(arxiv_id: str) -> Paper:
    """The visible paper with this id (a version suffix is ignored), or NotFound."""
    try:
        base = parse_arxiv_id(arxiv_id).base
    except InvalidArxivId:
        base = None
    paper = (
        base
        and Paper.objects.visible().select_related("listing", "listing__submitted_by").filter(arxiv_id=base).first()
    )
    if not paper:
        raise NotFound(
            f"No paper {arxiv_id[:60]!r} here. Submit it by its arXiv id if it exists.", code="paper_not_found"
        )
    return paper
