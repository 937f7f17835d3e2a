"""The map page, its data downloads, topic pages and trends: thin shells over points.py and stats.py."""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

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
    return JsonResponse(points.overlay(q=request.GET.get("q", ""), user=request.user))


@require_GET
def topic_page(request, topic_id: int):
    topic = stats.get_topic(topic_id)
    series = stats.topic_series(topic)
    labels = [w.isoformat() for w in series.weeks]
    return render(
        request,
        "topics/topic.html",
        {
            "topic": topic,
            "newest": stats.topic_papers(topic, sort="new", limit=10),
            "top": stats.topic_papers(topic, sort="top", limit=10),
            "authors": stats.top_authors(topic),
            "series": series,
            "papers_chart": charts.bars(series.papers, labels),
            "votes_chart": charts.bars(series.votes, labels),
            "share_chart": charts.bars([round(s * 100, 2) for s in series.share], labels),
        },
    )


@require_GET
def trends_page(request):
    data = stats.trends()
    for trend in data["growing"] + data["shrinking"]:
        trend.spark = charts.spark(trend.weekly)
    sections = [("Growing", data["growing"]), ("Shrinking", data["shrinking"])]
    return render(request, "topics/trends.html", {**data, "sections": sections})
