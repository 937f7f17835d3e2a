"""/api/v1/topics: the map's topics, one topic with its weekly numbers, and every point of the map as one
compact download (parallel arrays). Public reads over topics/points.py and topics/stats.py."""

from __future__ import annotations

from datetime import date

from django.http import JsonResponse
from ninja import Path, Query, Router

from paperfeed.api.v1_schemas import Error, TopicDetailOut, TopicOut, TopicPointsOut
from paperfeed.errors import BadRequest
from paperfeed.topics import points, stats

router = Router()
ERRORS = {400: Error, 404: Error, 422: Error, 429: Error}
SINCE = Query(None, description="only papers listed on or after this day, YYYY-MM-DD")
INCLUDE_ENDED = Query(False, description="also topics no cluster of the last build continues")


def _topic(t) -> dict:
    return {
        "id": t.pk,
        "label": t.label,
        "words": t.words,
        "size": t.size,
        "active": t.active,
        "x": t.x,
        "y": t.y,
        "url": t.get_absolute_url(),
    }


@router.get("/topics", response={200: list[TopicOut], **ERRORS}, tags=["topics"], summary="The map's topics")
def topics(
    request, include_ended: bool = Query(False, description="also topics no cluster of the last build continues")
):
    return [_topic(t) for t in (points.all_topics() if include_ended else points.active_topics())]


@router.get(
    "/topics/points",
    response={200: TopicPointsOut, **ERRORS},
    tags=["topics"],
    summary="Every visible paper's point on the map, as parallel arrays",
)
def topic_points(request, since: str | None = SINCE):
    # Returned as it is: pydantic would spend seconds checking 100k-element arrays built by our own code.
    try:
        day = date.fromisoformat(since) if since is not None else None
    except ValueError:
        raise BadRequest(f"Not a date: {since!r}. Use YYYY-MM-DD, e.g. 2026-02-10.", code="invalid_date") from None
    response = JsonResponse(points.map_points(since=day))
    response["Cache-Control"] = "no-cache"  # revalidated each time: a hidden paper must vanish at once
    return response


@router.get("/topics/{topic_id}", response={200: TopicDetailOut, **ERRORS}, tags=["topics"], summary="One topic")
def topic(request, topic_id: int = Path(..., ge=1, le=2**62)):
    t = stats.get_topic(topic_id)
    series = stats.topic_series(t)
    return {
        **_topic(t),
        "weeks": [
            {"week": w, "papers": p, "votes": v, "share": s}
            for w, p, v, s in zip(series.weeks, series.papers, series.votes, series.share)
        ],
        "top_authors": [[name, n] for name, n in stats.top_authors(t)],
        "newest": [p.arxiv_id for p in stats.topic_papers(t, sort="new")],
    }
