"""The personal digest's For-you section: the reader's top papers of the week by `recommend`, with reasons.

Registered with digests/sections.py at start-up. A reader with no signal gets no section (their ranking would
be the week's popular papers, which is the trending digest's job, not a personal one). The week's window is
used for a daily digest too: the digest leaves out what the reader already got, so each day brings the best
of the week not sent yet, not only the papers of one day.
"""

from __future__ import annotations

from datetime import datetime

from paperfeed.digests.sections import Section
from paperfeed.recommend.feed import recommend

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
