"""Reading embeddings for For you: the vectors of given papers, and random background papers for training."""

from __future__ import annotations

import random

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
        rows = Embedding.objects.filter(paper_id__in=ids[start : start + 900], model_name=model).values_list(
            "paper_id", "vector"
        )
        for pk, raw in rows:
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


def background(count: int, *, exclude: set[int], seed: int, model: str | None = None) -> np.ndarray:
    """About `count` random embedded papers (random pks in the id range: no ORDER BY RANDOM() over 1M rows)."""
    model = model or model_name()
    if not model or count <= 0:
        return np.zeros((0, DIM), np.float32)
    qs = Embedding.objects.filter(model_name=model)
    low = qs.order_by("paper_id").values_list("paper_id", flat=True).first()
    high = qs.order_by("-paper_id").values_list("paper_id", flat=True).first()
    if low is None:
        return np.zeros((0, DIM), np.float32)
    rng = random.Random(seed)
    picks = {rng.randint(low, high) for _ in range(count * 2)} - exclude
    found = vectors_of(list(picks)[: count * 2], model)
    rows = list(found.values())[:count]
    return np.vstack(rows) if rows else np.zeros((0, DIM), np.float32)
