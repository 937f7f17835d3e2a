"""The start panel of a reader with no signal: a spread of the week's papers across topics, and categories."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from paperfeed.papers.paper_list import visible_listings


def spread(*, now=None, per_category: int = 2, limit: int = 12) -> tuple[list, list[str]]:
    """The week's most upvoted papers, at most `per_category` per primary category, and those categories."""
    today = timezone.localdate(now or timezone.now())
    qs = visible_listings().filter(day__gte=today - timedelta(days=6), day__lte=today).order_by("-upvotes_total", "-pk")
    picked, counts = [], {}
    for item in qs[:2000]:
        cat = item.paper.primary_category or "other"
        if counts.get(cat, 0) < per_category:
            counts[cat] = counts.get(cat, 0) + 1
            picked.append(item)
            if len(picked) >= limit:
                break
    return picked, sorted(c for c in counts if c != "other")
