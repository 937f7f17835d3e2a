"""A topic's numbers over time and the trends across topics: plain queries over listings and votes.

Weeks start on Monday and are counted by the paper's listing day here. Trends compare the last RECENT_WEEKS
with the BEFORE_WEEKS before them, by the topic's share of all papers listed (so a hub-wide slow week moves no
topic), ending at the hub's latest listing day: a hub whose data stops on some day still shows its trends.

The hub-wide counts (all papers per week, and the trends) read every listing joined to its paper, 8-12 s at 1M
papers on SQLite; they are kept in this process's memory (the fragments cache) under a key that a new listing,
point or map build, or a change of a paper's visibility, moves (`_stamp`, four one-row reads), and for at most
KEEP_SECONDS (an edit that moves none of these, such as a listing's day, shows within that), so a topic page
costs its own topic's queries.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import caches
from django.db.models import Count, F, Max
from django.db.models.functions import TruncWeek
from django.utils import timezone

from paperfeed.errors import NotFound
from paperfeed.papers.models import ChangeCounter, Listing, Paper, Vote
from paperfeed.topics.models import MapBuild, PaperPoint, Topic

RECENT_WEEKS = 4
BEFORE_WEEKS = 12
MIN_PAPERS = 5  # a topic with fewer papers in the 16 weeks moves too much by chance to be a trend
SPARK_WEEKS = RECENT_WEEKS + BEFORE_WEEKS


SPARK_DAYS = 30
KEEP_SECONDS = 600


def _stamp() -> tuple:
    """What the hub-wide counts depend on: new listings and points (ids only grow), builds, and the change counter,
    which every change of a paper's visibility advances (papers/changes.py)."""
    return (
        Listing.objects.aggregate(m=Max("pk"))["m"],
        PaperPoint.objects.aggregate(m=Max("pk"))["m"],
        MapBuild.objects.aggregate(m=Max("pk"))["m"],
        ChangeCounter.objects.filter(pk=1).values_list("value", flat=True).first(),
    )


def _kept_until_changed(name: str, compute):
    key = f"topic-stats:{name}:" + ":".join(map(str, _stamp()))
    value = caches["fragments"].get(key)
    if value is None:
        value = compute()
        caches["fragments"].set(key, value, KEEP_SECONDS)
    return value


def votes_per_day(paper: Paper, *, today: date | None = None) -> tuple[date, list[int]] | None:
    """Votes cast here for `paper` on each of the SPARK_DAYS days from its listing (its first vote, for a paper
    never listed), ending today at the latest; None when nobody has voted here (imported upvotes have no days)."""
    votes = Vote.objects.filter(paper=paper)
    first_vote = votes.order_by("created_at").values_list("created_at", flat=True).first()
    if first_vote is None:
        return None
    listing = Listing.objects.filter(paper=paper).values_list("day", flat=True).first()
    start = min(listing or timezone.localdate(first_vote), timezone.localdate(first_vote))
    end = min(start + timedelta(days=SPARK_DAYS - 1), today or timezone.localdate())
    counts = Counter(timezone.localdate(d) for d in votes.values_list("created_at", flat=True))
    return start, [counts.get(start + timedelta(days=i), 0) for i in range((end - start).days + 1)]


def get_topic(topic_id: int) -> Topic:
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        raise NotFound(f"There is no topic {topic_id} on the map.", code="topic_not_found")
    return topic


def topic_papers(topic: Topic, *, sort: str = "new", limit: int = 20) -> list[Paper]:
    qs = Paper.objects.listable().filter(map_point__topic=topic).select_related("listing")
    if sort == "top":
        qs = qs.annotate(upvoted=F("counted_votes") + F("imported_upvotes")).order_by("-upvoted", "-pk")
    else:
        qs = qs.order_by(F("listing__day").desc(nulls_last=True), "-pk")
    return list(qs[:limit])


def top_authors(topic: Topic, *, limit: int = 10) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for authors in Paper.objects.listable().filter(map_point__topic=topic).values_list("authors", flat=True).iterator():
        counts.update(set(authors or []))
    return counts.most_common(limit)


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _weeks(first: date, last: date) -> list[date]:
    weeks, week = [], monday(first)
    while week <= last:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def _by_week(qs, field_name: str) -> dict[date, int]:
    out: dict[date, int] = {}
    for row in qs.annotate(week=TruncWeek(field_name)).values("week").annotate(n=Count("pk")).order_by():
        week = row["week"]
        week = week.date() if hasattr(week, "date") else week
        out[week] = out.get(week, 0) + row["n"]
    return out


def hub_span() -> tuple[date, date] | None:
    days = Listing.objects.listable()
    first = days.order_by("day").values_list("day", flat=True).first()
    last = days.order_by("-day").values_list("day", flat=True).first()
    return (first, last) if first else None


@dataclass
class Series:
    weeks: list[date]
    papers: list[int]
    votes: list[int]
    share: list[float]  # the topic's share of all papers listed that week, 0..1


def topic_series(topic: Topic) -> Series:
    span = hub_span()
    if span is None:
        return Series([], [], [], [])
    topic_votes = Vote.objects.filter(paper__map_point__topic=topic, paper__hidden=False)
    last_vote = topic_votes.order_by("-created_at").values_list("created_at", flat=True).first()
    weeks = _weeks(span[0], max(span[1], last_vote.date()) if last_vote else span[1])
    mine = Listing.objects.listable().filter(paper__map_point__topic=topic)
    papers = _by_week(mine, "day")
    everyone = _kept_until_changed("weekly", lambda: _by_week(Listing.objects.listable(), "day"))
    votes = _by_week(topic_votes, "created_at")
    return Series(
        weeks,
        [papers.get(w, 0) for w in weeks],
        [votes.get(w, 0) for w in weeks],
        [papers.get(w, 0) / everyone[w] if everyone.get(w) else 0.0 for w in weeks],
    )


@dataclass
class Trend:
    topic: Topic
    recent: int  # papers in the last RECENT_WEEKS
    before: int  # papers in the BEFORE_WEEKS before
    growth: float  # recent share / earlier share (smoothed); > 1 growing
    weekly: list[int] = field(default_factory=list)  # papers per week over the 16 weeks, oldest first


def trends(*, limit: int = 12) -> dict:
    """{"growing": [Trend], "shrinking": [Trend], "since", "split", "until"}: topics by change of share."""
    return _kept_until_changed(f"trends-{limit}", lambda: _trends(limit))


def _trends(limit: int) -> dict:
    span = hub_span()
    empty = {"growing": [], "shrinking": [], "since": None, "split": None, "until": None}
    if span is None:
        return empty
    last_week = monday(span[1])
    split = last_week - timedelta(weeks=RECENT_WEEKS - 1)
    since = split - timedelta(weeks=BEFORE_WEEKS)
    weeks = _weeks(since, span[1])
    rows = (
        Listing.objects.listable()
        .filter(day__gte=since, paper__map_point__topic__active=True)
        .annotate(week=TruncWeek("day"))
        .values("paper__map_point__topic", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    weekly: dict[int, dict[date, int]] = {}
    for row in rows:
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        weekly.setdefault(row["paper__map_point__topic"], {})[week] = row["n"]
    total_recent = sum(n for per in weekly.values() for w, n in per.items() if w >= split) or 1
    total_before = sum(n for per in weekly.values() for w, n in per.items() if w < split) or 1
    topics = Topic.objects.in_bulk(list(weekly))
    out = []
    for topic_id, per in weekly.items():
        recent = sum(n for w, n in per.items() if w >= split)
        before = sum(n for w, n in per.items() if w < split)
        if recent + before < MIN_PAPERS:
            continue
        growth = ((recent + 1) / total_recent) / ((before + 1) / total_before)
        out.append(Trend(topics[topic_id], recent, before, growth, [per.get(w, 0) for w in weeks]))
    out.sort(key=lambda t: (-math.log(t.growth), t.topic.pk))
    growing = [t for t in out if t.growth > 1][:limit]
    shrinking = [t for t in reversed(out) if t.growth < 1][:limit]
    return {"growing": growing, "shrinking": shrinking, "since": since, "split": split, "until": span[1]}
