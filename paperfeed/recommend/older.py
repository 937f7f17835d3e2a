"""Older papers you missed: papers listed before the window, found in this host's vector index by the reader's
profile vector, then scored and explained like the window's own.

The profile vector is the direction of the reader's trained model (for unit vectors, the papers nearest to it
are those the model scores highest), or the mean of their likes before a model is trained. The candidates come
from the approximate-nearest-neighbour index the indexer keeps beside the text index, never from a scan of the
embeddings on a request: where this host has no vector index for the configured model (yet), there is no such
section. Candidates are re-checked against the database, so a paper hidden, withdrawn or deleted since the
index last caught up never shows.
"""

from __future__ import annotations

import logging
from datetime import date

import numpy as np

from paperfeed.papers.paper_list import visible_listings
from paperfeed.recommend import rankers, reasons, vectors
from paperfeed.recommend.profile import Profile
from paperfeed.recommend.reader_state import reader_state, without_excluded_words
from paperfeed.search import replica

log = logging.getLogger(__name__)
DEPTH = 60  # neighbours asked of the index; the reader's own papers and the window's are dropped from them


def _index(model: str):
    try:
        rep = replica.replica()
    except Exception as exc:  # a broken index must not break the page
        log.warning("older papers: the vector index could not be opened (%s)", exc)
        return None
    if rep.vectors is None or rep.state.get("model") not in (None, model) or replica.vector_count(rep.vectors) == 0:
        return None
    return rep.vectors


def profile_vector(model: rankers.LinearModel | None, liked: np.ndarray) -> np.ndarray | None:
    """The reader's direction in the embedding space: their model's weights, or the mean of their likes."""
    w = model.weights if model is not None else None
    if w is None or not np.any(w):
        w = liked.mean(0) if len(liked) else None
    if w is None or not np.linalg.norm(w):
        return None
    return (w / np.linalg.norm(w)).astype(np.float32)


def older_papers(user, profile: Profile, *, before: date, limit: int = 5) -> list:
    """Up to `limit` listings from before `before`, best first, each with `.reason` and `.score`."""
    model_name = vectors.model_name()
    if not model_name or not profile.liked or limit <= 0:
        return []
    index = _index(model_name)
    if index is None:
        return []
    reader = reader_state(user, profile, model_name, vectors.DIM)
    liked_ids, liked, marked, model = reader.liked_ids, reader.liked, reader.marked, reader.model
    query = profile_vector(model, liked)
    if query is None or query.shape[0] != getattr(index, "dim", query.shape[0]):
        return []
    skip = set(profile.liked) | profile.disliked
    found = [pk for pk, _ in index.search(query, DEPTH + len(skip)) if pk not in skip]
    qs = visible_listings().filter(paper_id__in=found, day__lt=before)
    qs = without_excluded_words(qs, profile.excluded_words)
    listings = list(qs)
    if not listings:
        return []
    cand_vectors = vectors.vectors_of([obj.paper_id for obj in listings], model_name)
    cats = [{c.lower() for c in obj.paper.categories or []} for obj in listings]
    cands = rankers.Candidates(
        vectors=vectors.matrix([obj.paper_id for obj in listings], cand_vectors, liked.shape[1]),
        popularity=np.array([obj.upvotes_total for obj in listings], np.float64),
        category_hit=np.array([bool(c & profile.categories) for c in cats], np.float64),
        author_hit=np.array(
            [any(a in (obj.paper.authors_text or "").lower() for a in profile.authors) for obj in listings], np.float64
        ),
        search_hit=np.zeros(len(listings)),
    )
    scores = rankers.score(rankers.SHIPPED, cands, liked=liked, marked=marked, model=model)
    chosen = rankers.order(scores.total, np.array([obj.paper_id for obj in listings]))[:limit]
    liked_arxiv = reasons.arxiv_ids(liked_ids)
    out = []
    for i in chosen:
        obj = listings[i]
        obj.score = float(scores.total[i])
        obj.reason = reasons.explain(
            i,
            scores,
            profile=profile,
            paper=obj.paper,
            liked_ids=liked_ids,
            liked_arxiv=liked_arxiv,
            search=None,
            author_hit=bool(cands.author_hit[i]),
        )
        if obj.reason.endswith("in this window"):
            obj.reason = "close to what you like"  # it is not in the window; the index found it by the profile
        out.append(obj)
    return out
