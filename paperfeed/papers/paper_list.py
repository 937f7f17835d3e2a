"""The listing queries: papers of a period in a given sort, trending, and day-to-day navigation.

Views, the API, feeds and digests all call these; none of them writes its own listing query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import ExpressionWrapper, F, IntegerField, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone

from paperfeed.errors import BadRequest, InvalidArxivId, NotFound
from paperfeed.papers import ranking
from paperfeed.papers.arxiv_ids import parse_arxiv_id
from paperfeed.papers.models import Listing, Paper
from paperfeed.papers.periods import Period

# "top" ranks by counted votes (young accounts' votes weigh nothing, as in trending: ranking.py); pages show
# upvotes_total, every vote.
SORTS = {
    "top": ("-ranked_votes", "-paper__comment_count", "-paper__arxiv_id"),
    "new": ("-created_at", "-paper__arxiv_id"),
    "discussed": ("-paper__comment_count", "-ranked_votes", "-paper__arxiv_id"),
}
SORT_LABELS = {"top": "Top", "new": "New", "discussed": "Most discussed"}
MAX_PAGE = 10_000
# The paper's counted_votes + imported_upvotes, kept on the listing (migration 0005) so one index holds it by day.
_RANKED_VOTES = F("rank_votes")


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
    """Listings of visible papers, with their paper loaded, `upvotes_total` (every vote here + imported: what
    pages show) and `ranked_votes` (counted votes + imported: what rankings sort by)."""
    return (
        Listing.objects.listable()
        .select_related("paper", "submitted_by")
        .annotate(
            upvotes_total=ExpressionWrapper(
                F("paper__vote_count") + F("paper__imported_upvotes"), output_field=IntegerField()
            ),
            ranked_votes=_RANKED_VOTES,
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
    """Papers listed in the last `window_days` days, ordered by ranking.trending_score; each item has .score.

    Votes are not counted here: Paper.counted_votes is kept by the write path and the vote-counting job
    (vote_counts.py), and Listing.rank_votes beside the day by triggers. All papers of one day have the same age,
    so within a day the order is by effective votes, then the higher id; the page is therefore among each day's
    first page*page_size papers in that order, and only those are read (one query per day along the index
    (day, rank_votes desc)), then ordered by the formula itself."""
    now = now or timezone.now()
    window_days = window_days or settings.PAPERFEED["TRENDING_WINDOW_DAYS"]
    params = params or ranking.TrendingParams.from_settings()
    page_size = page_size or settings.PAPERFEED["PAGE_SIZE"]
    last = timezone.localdate(now)
    since = last - timedelta(days=window_days - 1)
    window = visible_listings().filter(day__gte=since, day__lte=last)
    total = window.count()
    need = page * page_size
    candidates = {}
    for days_back in range(window_days):
        rows = (
            window.filter(day=last - timedelta(days=days_back))
            .order_by("-ranked_votes", _binary(F("paper__arxiv_id")).desc())
            .values_list("pk", "paper__arxiv_id", "day", "ranked_votes")[:need]
        )
        for pk, arxiv_id, d, votes in rows:
            candidates[pk] = ranking.Candidate(key=arxiv_id, effective_votes=votes, listed_at=day_start(d))
    order = ranking.trending_order(list(candidates.values()), now, params)
    by_key = {c.key: pk for pk, c in candidates.items()}
    ranked = [(by_key[c.key], score) for c, score in order]
    result = _paginate(ranked, page, page_size, total)
    scores = dict(result.items)
    listings = {obj.pk: obj for obj in visible_listings().filter(pk__in=scores)}
    result.items = []
    for pk, score in scores.items():
        obj = listings[pk]
        obj.score = score
        obj.effective_votes = candidates[pk].effective_votes
        result.items.append(obj)
    return result


def _binary(expr):
    # The formula breaks ties by comparing ids as code points (ranking._desc); so must the per-day query,
    # whatever the database's default collation.
    return Collate(expr, "C" if connection.vendor == "postgresql" else "BINARY")


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
