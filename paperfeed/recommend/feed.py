"""For you: `recommend(user, ...)` ranks the window's papers for one reader and says why each one is there.

The page, the API, the private Atom feed and the digest all call `recommend`; it never trains (the model comes
from the retrain job, see retrain.py). The window's papers come from window.py: one query for what may have
changed (listings, change_seq, vote counts), the vectors and texts from a per-process cache that is never
staler than the database; the reader's exclusions, followed authors and saved searches are array and substring
operations over it, not SQL LIKE scans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.utils import timezone

from paperfeed.errors import BadRequest
from paperfeed.papers.paper_list import visible_listings
from paperfeed.recommend import rankers, reasons, vectors
from paperfeed.recommend import window as windows
from paperfeed.recommend.profile import Profile, profile_for
from paperfeed.recommend.reader_state import reader_state

WINDOWS = {"day": 1, "week": 7, "month": 30}
PAGE_SIZE = 30


@dataclass
class ForYou:
    items: list  # Listing objects with .paper, .score and .reason
    profile: Profile
    window: str
    number: int = 1
    has_next: bool = False
    total: int = 0
    stale: bool = False  # signals changed since the model was trained
    trained: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def parse_window(raw: str | None) -> str:
    if raw in (None, ""):
        return "week"
    if raw not in WINDOWS:
        raise BadRequest(f"Unknown window {raw[:20]!r}; use one of: day, week, month.", code="invalid_window")
    return raw


def window_start(window: str, now: datetime | None = None):
    """The first listing day of the window that ends today."""
    return timezone.localdate(now or timezone.now()) - timedelta(days=WINDOWS[window] - 1)


def _search_words(query: str) -> list[str]:
    """The words a saved search needs in a paper's title or abstract (operators and filters left out)."""
    return [w for w in query.lower().split() if len(w) > 1 and not w.startswith("-") and ":" not in w]


def _search_hits(win: windows.Window, queries: list[str]) -> dict[int, str]:
    """Window row -> the first saved search whose every word is in its title or abstract."""
    out: dict[int, str] = {}
    for query in queries:
        words = _search_words(query)
        if not words:
            continue
        hit = np.logical_and.reduce([win.holding(w) for w in words])
        for row in np.flatnonzero(hit):
            out.setdefault(int(row), query)
    return out


def recommend(
    user,
    *,
    window: str = "week",
    limit: int = PAGE_SIZE,
    page: int = 1,
    now: datetime | None = None,
    exclude_papers: set[int] | None = None,
    ranker: str = rankers.SHIPPED,
    profile: Profile | None = None,
) -> ForYou:
    """The reader's ranking of the papers listed in the last day/week/month, one page of it."""
    now = now or timezone.now()
    profile = profile or profile_for(user)  # a caller that read it already passes it
    today = timezone.localdate(now)
    since = window_start(window, now)
    model_name = vectors.model_name()
    win, popularity = windows.read(since, today, model_name)
    result = ForYou(items=[], profile=profile, window=window, number=page)
    skip = set(profile.liked) | profile.disliked | (exclude_papers or set())
    keep = ~np.isin(win.paper_ids, np.fromiter(skip, np.int64, len(skip))) if skip else np.ones(len(win), bool)
    for word in profile.excluded_words:
        keep &= ~win.holding(word)
    at = np.flatnonzero(keep)
    if not len(at):
        return result
    pids = win.paper_ids[at]
    authors = np.logical_or.reduce([win.by_author(a) for a in profile.authors]) if profile.authors else None
    searches = _search_hits(win, profile.searches)
    cands = rankers.Candidates(
        vectors=win.matrix[at] if len(win.matrix) else np.zeros((len(at), vectors.DIM), np.float32),
        popularity=popularity[at],
        category_hit=win.in_categories(profile.categories)[at].astype(np.float64),
        author_hit=authors[at].astype(np.float64) if authors is not None else np.zeros(len(at)),
        search_hit=np.isin(at, np.fromiter(searches, np.int64, len(searches))).astype(np.float64),
    )
    reader = reader_state(user, profile, model_name, win.matrix.shape[1] if len(win.matrix) else vectors.DIM)
    liked_ids = reader.liked_ids
    result.trained = reader.model is not None
    result.stale = bool(reader.row and reader.row.stale)
    scores = rankers.score(ranker, cands, liked=reader.liked, marked=reader.marked, model=reader.model)
    order = rankers.order(scores.total, pids)
    result.total = len(order)
    start = (page - 1) * limit
    chosen = order[start : start + limit]
    result.has_next = start + limit < len(order)
    listing_ids = win.listing_ids[at]
    listings = {obj.pk: obj for obj in visible_listings().filter(pk__in=[int(listing_ids[i]) for i in chosen])}
    # Only the nearest like of a shown paper can be named in its reason.
    liked_arxiv = reasons.arxiv_ids(
        sorted({liked_ids[int(scores.nearest[i])] for i in chosen if scores.nearest[i] >= 0})
    )
    for i in chosen:
        obj = listings.get(int(listing_ids[i]))
        if obj is None:  # hidden since the window was read, a moment ago
            continue
        obj.score = float(scores.total[i])
        obj.reason = reasons.explain(
            i,
            scores,
            profile=profile,
            paper=obj.paper,
            liked_ids=liked_ids,
            liked_arxiv=liked_arxiv,
            search=searches.get(int(at[i])),
            author_hit=bool(cands.author_hit[i]),
        )
        result.items.append(obj)
    return result


def has_signal(user) -> bool:
    return profile_for(user).has_signal
