"""The map page, its data downloads, topic pages and trends: thin shells over points.py and stats.py."""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from paperfeed.errors import NotFound
from paperfeed.topics import build, charts, points, stats

WINDOWS = {"week": "this week", "month": "this month", "all": "all time"}


# deck.gl's bundle probes for WebAssembly when it loads (a 64-bit integer helper, with a JavaScript fallback);
# 'wasm-unsafe-eval' lets that compile without a violation report on every visit. It allows no JavaScript eval.
@csp_update({"script-src": ["'wasm-unsafe-eval'"]})
@require_GET
def map_page(request):
    last = build.latest_build()
    return render(
        request,
        "topics/map.html",
        {
            "build": last,
            "q": request.GET.get("q", ""),
            "window": window if (window := request.GET.get("window", "all")) in WINDOWS else "all",
            "windows": WINDOWS.items(),
        },
    )


@require_GET
def map_overlay(request):
    window = request.GET.get("window", "all")
    return JsonResponse(points.overlay(q=request.GET.get("q", ""), user=request.user, window=window))


@require_GET
def topic_page(request, topic_id: int):
    topic = stats.get_topic(topic_id)
    series = stats.topic_series(topic)
    drawn = _charts(series)
    return render(
        request,
        "topics/topic.html",
        {
            "topic": topic,
            "newest": stats.topic_papers(topic, sort="new", limit=10),
            "top": stats.topic_papers(topic, sort="top", limit=10),
            "authors": stats.top_authors(topic),
            "series": series,
            "papers_chart": drawn["papers"],
            "votes_chart": drawn["votes"],
            "share_chart": drawn["share"],
        },
    )


CHARTS = {"papers": "papers per week", "votes": "votes per week", "share": "share of all papers per week, percent"}


def _charts(series) -> dict:
    labels = [w.isoformat() for w in series.weeks]
    return {
        "papers": charts.bars(series.papers, labels),
        "votes": charts.bars(series.votes, labels),
        "share": charts.bars([round(s * 100, 2) for s in series.share], labels),
    }


@require_GET
def topic_chart(request, topic_id: int, kind: str):
    """One of a topic page's charts as a standalone SVG file, for a slide."""
    if kind not in CHARTS:
        raise NotFound(f"There is no {kind!r} chart: use one of {', '.join(CHARTS)}.", code="chart_not_found")
    topic = stats.get_topic(topic_id)
    chart = _charts(stats.topic_series(topic))[kind]
    response = render(
        request,
        "topics/chart.svg",
        {"chart": chart, "label": f"{topic.label}: {CHARTS[kind]}"},
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="topic-{topic.pk}-{kind}.svg"'
    return response


@require_GET
def trends_page(request):
    data = stats.trends()
    for trend in data["growing"] + data["shrinking"]:
        trend.spark = charts.spark(trend.weekly)
    sections = [("Growing", data["growing"]), ("Shrinking", data["shrinking"])]
    return render(request, "topics/trends.html", {**data, "sections": sections})
