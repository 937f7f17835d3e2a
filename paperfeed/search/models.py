"""Embeddings: one vector per paper, the database being their source of truth (index files are derived)."""

from __future__ import annotations

import numpy as np
from django.db import models

from paperfeed.papers.models import Paper

# Vectors are stored as little-endian float16: half the bytes of float32, and a cosine between float16 copies
# of L2-normalised MiniLM vectors differs from float32 by < 1e-3, far below what changes a ranking.
STORED_DTYPE = np.dtype("<f2")


class Embedding(models.Model):
    """The embedding of a paper's text (see embedder.paper_text) by one model; stale when either changes."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="embedding")
    model_name = models.CharField(max_length=300, help_text="embedder.model_name: model id and max tokens")
    text_hash = models.CharField(max_length=64, help_text="sha256 of the embedded text")
    dim = models.PositiveIntegerField()
    vector = models.BinaryField(help_text="dim little-endian float16 values, L2-normalised")
    seq = models.BigIntegerField(
        default=0, db_index=True, help_text="change-sequence number of the last write, so indexers pick up new vectors"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["model_name", "seq"])]

    def __str__(self):
        return f"{self.paper_id} by {self.model_name}"

    def as_array(self) -> np.ndarray:
        return decode_vector(self.vector)


def encode_vector(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def decode_vector(raw) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=STORED_DTYPE).astype(np.float32)
