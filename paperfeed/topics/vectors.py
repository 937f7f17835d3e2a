"""Reading the stored embeddings the map is made of: visible papers' vectors by the configured model."""

from __future__ import annotations

import numpy as np

from paperfeed.search.embeddings_bridge import model_name
from paperfeed.search.models import STORED_DTYPE, Embedding


def _rows(pks=None, exclude_placed: bool = False):
    model = model_name()
    qs = Embedding.objects.filter(model_name=model or "", paper__hidden=False)
    if pks is not None:
        qs = qs.filter(paper_id__in=list(pks))
    if exclude_placed:
        qs = qs.filter(paper__map_point__isnull=True)
    return qs


def count(*, exclude_placed: bool = False) -> int:
    return _rows(exclude_placed=exclude_placed).count()


def load(pks=None, *, exclude_placed: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(paper pks, float16 vectors) in pk order. float16 as stored: 1M x 384 is 768 MB, not 1.5 GB."""
    qs = _rows(pks, exclude_placed).order_by("paper_id")
    ids: list[int] = []
    chunks: list[np.ndarray] = []
    dim = None
    for pk, raw in qs.values_list("paper_id", "vector").iterator(chunk_size=5000):
        vec = np.frombuffer(bytes(raw), dtype=STORED_DTYPE)
        if dim is None:
            dim = len(vec)
        if len(vec) != dim:
            continue  # a row of another dimension (a half-finished model change) cannot share the space
        ids.append(pk)
        chunks.append(vec)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float16)
    return np.asarray(ids, dtype=np.int64), np.vstack(chunks)
