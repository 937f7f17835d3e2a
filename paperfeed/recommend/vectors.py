"""Reading embeddings for For you: the vectors of given papers, and random background papers for training."""

from __future__ import annotations

import random
import time

import numpy as np

from paperfeed.search.embedder import configured_model_name
from paperfeed.search.models import Embedding, decode_vector

DIM = 384


def model_name() -> str | None:
    return configured_model_name()


def vectors_of(paper_ids, model: str | None = None) -> dict[int, np.ndarray]:
    """paper pk -> float32 vector by the configured model (papers without one are absent)."""
    model = model or model_name()
    if not model:
        return {}
    out: dict[int, np.ndarray] = {}
    ids = list(paper_ids)
    for start in range(0, len(ids), 900):
        # By paper only, the model compared here: with both in the WHERE clause SQLite reads every row of the
        # model through the (model_name, seq) index (150 ms at 100k papers, against 1.4 ms by the paper's own).
        rows = Embedding.objects.filter(paper_id__in=ids[start : start + 900]).values_list(
            "paper_id", "model_name", "vector"
        )
        for pk, name, raw in rows:
            if name == model:
                out[pk] = decode_vector(raw)
    return out


def matrix(ids: list[int], vectors: dict[int, np.ndarray], dim: int | None = None) -> np.ndarray:
    """Rows in the order of `ids`; a paper without a vector gets a zero row (it scores on its metadata only)."""
    dim = dim or next((len(v) for v in vectors.values()), DIM)
    out = np.zeros((len(ids), dim), np.float32)
    for i, pk in enumerate(ids):
        v = vectors.get(pk)
        if v is not None and len(v) == dim:
            out[i] = v
    return out


POOL_SIZE = 5000  # background papers kept per process for a large corpus (7.5 MiB of float32)
POOL_SECONDS = 3600
_pool: dict[str, tuple[tuple, float, np.ndarray, np.ndarray]] = {}  # model -> (span, read at, pks, vectors)


def _span() -> tuple[int | None, int | None]:
    """The lowest and highest paper with an embedding: two single lookups in the paper_id index (MIN and MAX in
    one query scan it in SQLite)."""
    ids = Embedding.objects.values_list("paper_id", flat=True)
    return ids.order_by("paper_id").first(), ids.order_by("-paper_id").first()


def _random_rows(count: int, low: int, high: int, *, seed: int, exclude: set[int], model: str):
    """About `count` (pk, vector) of random embedded papers: random pks in the id range (no ORDER BY RANDOM()
    over 1M rows), papers without a vector by `model` dropped."""
    rng = random.Random(seed)
    picks = sorted({rng.randint(low, high) for _ in range(count * 2)} - exclude)
    return list(vectors_of(picks, model).items())[:count]


def _background_pool(model: str, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """A random sample of the corpus, read once per process and again after POOL_SECONDS or a change of model:
    background negatives only need to be a random sample of the corpus, so every reader draws from one, and a
    retrain reads no background rows (30 ms of random reads at 100k papers, more at 1M)."""
    cached = _pool.get(model)
    if cached and cached[0][0] == low and time.monotonic() - cached[1] < POOL_SECONDS:
        return cached[2], cached[3]
    rows = _random_rows(POOL_SIZE, low, high, seed=high, exclude=set(), model=model)
    pks = np.array([pk for pk, _ in rows], np.int64)
    matrix = np.vstack([v for _, v in rows]).astype(np.float32) if rows else np.zeros((0, DIM), np.float32)
    _pool.clear()
    _pool[model] = ((low, high), time.monotonic(), pks, matrix)
    return pks, matrix


def background(count: int, *, exclude: set[int], seed: int, model: str | None = None) -> np.ndarray:
    """About `count` random embedded papers, none of them in `exclude` (the reader's own), chosen by `seed`.

    A small corpus is sampled from the database each time; a large one (over 4 x POOL_SIZE papers) from the
    process's pool of random papers."""
    model = model or model_name()
    if not model or count <= 0:
        return np.zeros((0, DIM), np.float32)
    low, high = _span()
    if low is None:
        return np.zeros((0, DIM), np.float32)
    if high - low < 4 * POOL_SIZE:
        rows = [v for _, v in _random_rows(count, low, high, seed=seed, exclude=exclude, model=model)]
        return np.vstack(rows) if rows else np.zeros((0, DIM), np.float32)
    pks, matrix = _background_pool(model, low, high)
    order = np.random.default_rng(seed).permutation(len(pks))[: count + len(exclude)]
    keep = [i for i in order if int(pks[i]) not in exclude][:count]
    return matrix[keep] if keep else np.zeros((0, DIM), np.float32)
