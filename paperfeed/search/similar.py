"""Similar papers: the nearest neighbours of a paper's embedding, fresh ones first when scores tie.

The paper's own vector comes from its Embedding row (the database is the source of truth); neighbours come
from this host's vector index when the indexer has built one for the current model, else from an exact scan
of the stored embeddings (fine for a small corpus such as the demo, cached per process until an embedding
changes). Candidates are always re-checked against the database, so a paper hidden or deleted since the index
last caught up never shows.
"""

from __future__ import annotations

import logging
import threading

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from paperfeed.papers.models import Paper
from paperfeed.search import replica
from paperfeed.search.embedder import configured_model_name
from paperfeed.search.models import Embedding, decode_vector

log = logging.getLogger(__name__)

# Cosines of float16-stored vectors are good to about 1e-3; closer than that counts as a tie.
TIE_DECIMALS = 3

_lock = threading.Lock()
_matrix_cache: dict[str, tuple[tuple, np.ndarray, np.ndarray]] = {}


def _index_for(model_name: str):
    """This host's vector index, when it was built from this model's embeddings."""
    try:
        rep = replica.replica()
    except Exception as exc:  # a broken or missing index must not break the paper page
        log.warning("similar papers: the search index could not be opened (%s); using stored embeddings", exc)
        return None
    if rep.vectors is None or rep.state.get("model") not in (None, model_name):
        return None
    return rep.vectors


def _stored_matrix(model_name: str) -> tuple[np.ndarray, np.ndarray]:
    """(pks, unit vectors) of every stored embedding by this model, cached until one is written or deleted."""
    rows = Embedding.objects.filter(model_name=model_name)
    stamp = tuple(rows.aggregate(n=Count("pk"), top=Max("seq"), last=Max("pk")).values())
    with _lock:
        cached = _matrix_cache.get(model_name)
        if cached and cached[0] == stamp:
            return cached[1], cached[2]
    pks, vectors = [], []
    for pk, raw in rows.values_list("paper_id", "vector").iterator(chunk_size=5000):
        pks.append(pk)
        vectors.append(decode_vector(raw))
    matrix = np.vstack(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
    ids = np.asarray(pks, dtype=np.int64)
    with _lock:
        _matrix_cache.clear()
        _matrix_cache[model_name] = (stamp, ids, matrix)
    return ids, matrix


def _exact_candidates(model_name: str, query: np.ndarray, depth: int) -> list[tuple[int, float]]:
    ids, matrix = _stored_matrix(model_name)
    if len(ids) == 0 or matrix.shape[1] != query.shape[0]:
        return []
    scores = matrix @ query
    depth = min(depth, len(ids))
    top = np.argpartition(-scores, depth - 1)[:depth]
    return [(int(ids[i]), float(scores[i])) for i in top]


def similar_papers(paper: Paper, k: int = 6) -> list[Paper]:
    """Up to `k` visible papers nearest to `paper` by embedding; [] when it has none (yet)."""
    model_name = configured_model_name()
    if not model_name or k <= 0:
        return []
    own = Embedding.objects.filter(paper_id=paper.pk, model_name=model_name).values_list("vector", flat=True).first()
    if own is None:
        return []
    query = decode_vector(own)
    # Over-fetch: some neighbours may be hidden, deleted, or the paper itself.
    depth = 4 * k + 10
    index = _index_for(model_name)
    if index is not None and len(index) > 0:
        candidates = index.search(query, depth)
    elif Embedding.objects.filter(model_name=model_name).count() <= settings.PAPERFEED["SIMILAR_PAPERS_EXACT_MAX"]:
        candidates = _exact_candidates(model_name, query, depth)
    else:
        return []  # a large corpus waits for the indexer rather than scanning on a web request
    scores = {pk: score for pk, score in candidates if pk != paper.pk}
    papers = (
        Paper.objects.visible()
        .filter(pk__in=list(scores))
        .only("pk", "arxiv_id", "title", "submitted_on", "announced_on", "created_at")
    )

    def freshness(p: Paper):
        day = p.submitted_on or p.announced_on or p.created_at.date()
        return day.toordinal()

    ranked = sorted(papers, key=lambda p: (-round(scores[p.pk], TIE_DECIMALS), -freshness(p), -p.pk))
    return ranked[:k]
