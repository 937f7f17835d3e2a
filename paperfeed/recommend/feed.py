"""For you: `recommend(user, ...)` ranks the window's papers for one reader and says why each one is there.

The page, the API, the private Atom feed and the digest all call `recommend`; it never trains (the model comes
from the retrain job, see retrain.py) and reads the candidates' vectors through a small per-process cache of
the window's matrix, keyed by what would change it (the newest embedding and listing), so nothing stale
is ever served from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

import numpy as np
from django.db.models import Count, Max, Q
from django.utils import timezone

from paperfeed.errors import BadRequest
from paperfeed.papers.paper_list import visible_listings
from paperfeed.recommend import rankers, reasons, vectors
from paperfeed.recommend.profile import Profile, profile_for
from paperfeed.recommend.reader_state import reader_state, without_excluded_words
from paperfeed.search.models import Embedding

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


_MATRICES: dict[tuple, tuple[list[int], np.ndarray, list[frozenset]]] = {}


def _window_matrix(model: str | None, listings, key: tuple, needed=()):
    """Row of each candidate paper in the window's vector matrix, the matrix, and each row's categories
    (lower-cased: decoding 6,000 papers' JSON categories on every request was a fifth of the page's time);
    rebuilt when a needed paper is not in it (a database restored or rolled back can repeat a key)."""
    if key in _MATRICES and not set(needed) <= set(_MATRICES[key][0]):
        del _MATRICES[key]
    if key in _MATRICES:
        ids, mat, cats = _MATRICES[key]
    else:
        rows = list(listings.values_list("paper_id", "paper__categories"))
        ids = [pk for pk, _ in rows]
        cats = [frozenset(c.lower() for c in categories or []) for _, categories in rows]
        found = vectors.vectors_of(ids, model) if model else {}
        mat = vectors.matrix(ids, found)
        if len(_MATRICES) >= 4:
            _MATRICES.pop(next(iter(_MATRICES)))
        _MATRICES[key] = (ids, mat, cats)
    return {pk: i for i, pk in enumerate(ids)}, mat, cats


def _matching(qs, conditions: list[Q]) -> set[int]:
    if not conditions:
        return set()
    return set(qs.filter(reduce(or_, conditions)).values_list("paper_id", flat=True))


def _search_condition(query: str) -> Q | None:
    words = [w for w in query.lower().split() if len(w) > 1 and not w.startswith("-") and ":" not in w]
    if not words:
        return None
    return reduce(lambda a, b: a & b, [Q(paper__title__icontains=w) | Q(paper__abstract__icontains=w) for w in words])


def recommend(
    user,
    *,
    window: str = "week",
    limit: int = PAGE_SIZE,
    page: int = 1,
    now: datetime | None = None,
    exclude_papers: set[int] | None = None,
    ranker: str = rankers.SHIPPED,
) -> ForYou:
    """The reader's ranking of the papers listed in the last day/week/month, one page of it."""
    now = now or timezone.now()
    profile = profile_for(user)
    today = timezone.localdate(now)
    since = window_start(window, now)
    base = visible_listings().filter(day__gte=since, day__lte=today)
    model_name = vectors.model_name()
    newest = Embedding.objects.aggregate(m=Max("seq"))["m"]
    stamp = base.aggregate(m=Max("paper__change_seq"), n=Count("pk"))  # one pass over the window, not two
    cache_key = (model_name, since, today, newest, stamp["m"], stamp["n"])
    all_ids, mat, all_cats = _window_matrix(model_name, base, cache_key)

    skip = set(profile.liked) | profile.disliked | (exclude_papers or set())
    qs = base.exclude(paper_id__in=skip) if skip else base
    qs = without_excluded_words(qs, profile.excluded_words)
    rows = list(qs.values_list("pk", "paper_id", "paper__vote_count", "paper__imported_upvotes"))
    result = ForYou(items=[], profile=profile, window=window, number=page)
    if not rows:
        return result
    pids = [r[1] for r in rows]
    authors = _matching(qs, [Q(paper__authors_text__icontains=a) for a in profile.authors])
    searches = {}
    for query in profile.searches:
        if (cond := _search_condition(query)) is not None:
            for pk in _matching(qs, [cond]):
                searches.setdefault(pk, query)
    if not set(pids) <= all_ids.keys():
        all_ids, mat, all_cats = _window_matrix(model_name, base, cache_key, pids)
    at = [all_ids[pk] for pk in pids]
    cands = rankers.Candidates(
        vectors=mat[at] if len(mat) else np.zeros((len(pids), vectors.DIM), np.float32),
        popularity=np.array([r[2] + r[3] for r in rows], np.float64),
        category_hit=np.array([bool(all_cats[i] & profile.categories) for i in at], np.float64),
        author_hit=np.array([pk in authors for pk in pids], np.float64),
        search_hit=np.array([pk in searches for pk in pids], np.float64),
    )
    reader = reader_state(user, profile, model_name, mat.shape[1] if len(mat) else vectors.DIM)
    liked_ids = reader.liked_ids
    result.trained = reader.model is not None
    result.stale = bool(reader.row and reader.row.stale)
    scores = rankers.score(ranker, cands, liked=reader.liked, marked=reader.marked, model=reader.model)
    order = rankers.order(scores.total, np.array(pids))
    result.total = len(order)
    start = (page - 1) * limit
    chosen = order[start : start + limit]
    result.has_next = start + limit < len(order)
    listings = {obj.pk: obj for obj in visible_listings().filter(pk__in=[rows[i][0] for i in chosen])}
    liked_arxiv = reasons.arxiv_ids(liked_ids)
    for i in chosen:
        obj = listings[rows[i][0]]
        obj.score = float(scores.total[i])
        obj.reason = reasons.explain(
            i,
            scores,
            profile=profile,
            paper=obj.paper,
            liked_ids=liked_ids,
            liked_arxiv=liked_arxiv,
            search=searches.get(obj.paper_id),
            author_hit=bool(cands.author_hit[i]),
        )
        result.items.append(obj)
    return result


def has_signal(user) -> bool:
    return profile_for(user).has_signal
