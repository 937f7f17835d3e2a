"""How the indexer reads embeddings stored by the embedding side (models.Embedding, embedder), in one place.

Embeddings are followed by their own place in the change sequence (`Embedding.seq`; the row id on schemas
without it): the embed job writes every new or re-embedded row with a fresh number, so `changed_papers`
finds it above the indexer's `embedding_seq`.
"""

from __future__ import annotations

import numpy as np

from paperfeed.search.embedder import configured_model_name
from paperfeed.search.models import Embedding, decode_vector


def model_name() -> str | None:
    """The configured model's name (vectors from any other model are useless to queries), read without
    loading the model; None: embeddings are switched off."""
    return configured_model_name()


def _order_field() -> str:
    return "seq" if any(f.name == "seq" for f in Embedding._meta.get_fields()) else "pk"


def vectors_for(hashes: dict[int, str], model: str) -> dict[int, np.ndarray]:
    """pk -> float32 vector for papers whose embedding by `model` was made from the text with that hash."""
    out = {}
    pks = list(hashes)
    for start in range(0, len(pks), 900):
        rows = Embedding.objects.filter(paper_id__in=pks[start : start + 900], model_name=model).values_list(
            "paper_id", "text_hash", "vector"
        )
        for pk, digest, raw in rows:
            if digest == hashes.get(pk):
                out[pk] = decode_vector(raw)
    return out


def changed_papers(after: int, model: str, limit: int) -> tuple[list[int], int]:
    """Papers whose embedding row id is above `after` (at most `limit`), and the new high-water row id."""
    field = _order_field()
    if limit <= 0:
        top = Embedding.objects.order_by(f"-{field}").values_list(field, flat=True).first()
        return [], top or 0
    rows = list(
        Embedding.objects.filter(**{f"{field}__gt": after, "model_name": model})
        .order_by(field)
        .values_list(field, "paper_id")[:limit]
    )
    if not rows:
        return [], after
    return [paper for _, paper in rows], rows[-1][0]
