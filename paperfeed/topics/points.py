"""What the map page draws: every visible paper's point as parallel arrays (one JSON download, a few MB at
100k papers, gzip-friendly), the topics with their labels, and the overlays (a search's results, the reader's
own papers and their For-you top papers, this week's trending papers) as lists of arXiv ids the page looks up in
the arrays."""

from __future__ import annotations

from datetime import date

from django.db.models import F
from django.db.models.functions import Coalesce

from paperfeed.errors import BadRequest
from paperfeed.library.collections import saved_paper_ids
from paperfeed.papers import paper_list
from paperfeed.papers.models import Paper, Vote
from paperfeed.recommend import feed
from paperfeed.topics.models import PaperPoint, Topic

EPOCH = date(1970, 1, 1)
OVERLAY_SEARCH_RESULTS = 200  # the most hybrid.search returns in one page
TRENDING = 30
# For you ranks a day, week or month of papers; the map's "all time" lights the month's best, its widest window.
FOR_YOU_WINDOW = {"week": "week", "month": "month", "all": "month"}


def active_topics():
    return Topic.objects.filter(active=True, size__gt=0).order_by("-size", "pk")


def all_topics():
    return Topic.objects.order_by("-active", "-size", "pk")


def visible_points():
    return PaperPoint.objects.filter(paper__hidden=False)


def map_points(*, since: date | None = None) -> dict:
    """Points of visible papers (listed on or after `since`, when given) as {"topics": [{id, label, x, y,
    size}], "ids", "x", "y", "topic" (index into topics), "day" (days since 1970-01-01 the paper was listed, or
    announced; -1 unknown)}."""
    topics = list(active_topics().values("id", "label", "x", "y", "size"))
    index = {t["id"]: n for n, t in enumerate(topics)}
    ids, xs, ys, ts, days = [], [], [], [], []
    rows = (
        visible_points()
        .annotate(day=Coalesce(F("paper__listing__day"), F("paper__announced_on"), F("paper__submitted_on")))
        .order_by("paper_id")
        .values_list("paper__arxiv_id", "x", "y", "topic_id", "day")
    )
    if since is not None:
        rows = rows.filter(day__gte=since)
    for arxiv_id, x, y, topic_id, day in rows.iterator(chunk_size=20000):
        ids.append(arxiv_id)
        xs.append(round(x, 3))
        ys.append(round(y, 3))
        ts.append(index.get(topic_id, -1))
        days.append((day - EPOCH).days if day else -1)
    for t in topics:
        t["x"], t["y"] = round(t["x"], 3), round(t["y"], 3)
    return {"count": len(ids), "topics": topics, "ids": ids, "x": xs, "y": ys, "topic": ts, "day": days}


def _arxiv_ids(pks) -> list[str]:
    return list(
        Paper.objects.filter(pk__in=list(pks), hidden=False, map_point__isnull=False).values_list("arxiv_id", flat=True)
    )


def overlay(*, q: str = "", user=None, window: str = "all") -> dict:
    """{"search": ids of the search's results (best first), "mine": the reader's saved and upvoted papers,
    "for_you": the top of the reader's For you for the map's window (empty until they have given a signal),
    "trending": this week's trending papers, "notices": what the search said}. Raises BadRequest for a bad query."""
    out: dict = {"search": [], "mine": [], "for_you": [], "trending": [], "notices": []}
    if q.strip():
        from paperfeed.search import hybrid  # the search extra's index readers load on first use

        result = hybrid.search(q, page_size=OVERLAY_SEARCH_RESULTS)
        out["search"] = [hit.paper.arxiv_id for hit in result.hits if not hit.paper.hidden]
        out["notices"] = list(result.notices)
    elif len(q) > 0:
        raise BadRequest("The search is empty: type some words to light up on the map.", code="empty_query")
    if getattr(user, "is_authenticated", False):
        mine = saved_paper_ids(user) | set(Vote.objects.filter(user=user).values_list("paper_id", flat=True))
        out["mine"] = _arxiv_ids(mine)
        out["for_you"] = for_you_ids(user, window)
    out["trending"] = [item.paper.arxiv_id for item in paper_list.trending(page_size=TRENDING).items]
    return out


def for_you_ids(user, window: str = "all") -> list[str]:
    """The arXiv ids of the first page of the reader's For you that have a point, best first; none for a reader
    with no signal yet (their page would be the week's popular papers, which are not about them)."""
    result = feed.recommend(user, window=FOR_YOU_WINDOW.get(window, "week"))
    if not result.profile.has_signal:
        return []
    on_map = set(_arxiv_ids(item.paper_id for item in result.items))
    return [item.paper.arxiv_id for item in result.items if item.paper.arxiv_id in on_map]


def topic_of(paper) -> Topic | None:
    point = PaperPoint.objects.filter(paper=paper, topic__active=True).select_related("topic").first()
    return point.topic if point else None
