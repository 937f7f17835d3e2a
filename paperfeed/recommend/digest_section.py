"""The personal digest's For-you section: the reader's top papers of the week by `recommend`, with reasons.

Registered with digests/sections.py at start-up. A reader with no signal gets no section (their ranking would
be the week's popular papers, which is the trending digest's job, not a personal one). The week's window is
used for a daily digest too: the digest leaves out what the reader already got, so each day brings the best
of the week not sent yet, not only the papers of one day. `hidden_papers` keeps the reader's Not-interested
papers and excluded words out of the rest of their digests too (the followed part, alerts).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from paperfeed.digests.sections import Section
from paperfeed.papers.models import Paper
from paperfeed.recommend.feed import recommend
from paperfeed.recommend.models import NotInterested, ReaderSettings

TITLE = "For you"


def for_you_section(user, *, now: datetime, exclude: set[int], limit: int) -> Section | None:
    result = recommend(user, window="week", limit=limit, now=now, exclude_papers=exclude)
    if not result.profile.has_signal or not result.items:
        return None
    return Section(
        TITLE,
        papers=[item.paper for item in result.items],
        reasons={item.paper_id: item.reason for item in result.items},
    )


def hidden_papers(user, paper_ids: list[int]) -> set[int]:
    """Those of `paper_ids` the reader marked Not interested or whose title or abstract holds one of their
    excluded words (as For you leaves them out): the digest leaves them out of every part it mails them."""
    hidden = set(NotInterested.objects.filter(user=user, paper_id__in=paper_ids).values_list("paper_id", flat=True))
    words = ReaderSettings.objects.filter(user=user).values_list("excluded_words", flat=True).first() or []
    if words:
        held = Q()
        for word in words:
            held |= Q(title__icontains=word) | Q(abstract__icontains=word)
        for start in range(0, len(paper_ids), 500):
            chunk = paper_ids[start : start + 500]
            hidden |= set(Paper.objects.filter(held, pk__in=chunk).values_list("pk", flat=True))
    return hidden
