"""Papers in three topics with vectors that cluster by topic, for the For-you tests (no model to load)."""

from __future__ import annotations

import numpy as np

TOPICS = {"robotics": "cs.RO", "language": "cs.CL", "vision": "cs.CV"}


def store_vector(paper, vector) -> None:
    from paperfeed.search.embedder import configured_model_name
    from paperfeed.search.models import Embedding, encode_vector

    v = np.asarray(vector, np.float32)
    Embedding.objects.update_or_create(
        paper=paper,
        defaults={
            "model_name": configured_model_name(),
            "text_hash": "test",
            "dim": len(v),
            "vector": encode_vector(v / np.linalg.norm(v)),
        },
    )


def topic_papers(make_paper, per_topic: int = 6, seed: int = 0) -> dict[str, list]:
    """`per_topic` papers in each topic, listed today, with vectors near their topic's own direction."""
    rng = np.random.default_rng(seed)
    out: dict[str, list] = {}
    for t, (topic, category) in enumerate(TOPICS.items()):
        centre = np.zeros(384, np.float32)
        centre[t] = 1.0
        out[topic] = []
        for i in range(per_topic):
            paper = make_paper(
                f"2601.{t + 1}{i + 1:04d}",
                title=f"A {topic} paper number {i}",
                abstract=f"We study {topic} problem {i}.",
                categories=[category],
                authors=[f"Author {topic} {i}"],
            )
            store_vector(paper, centre + 0.3 * rng.standard_normal(384).astype(np.float32) / 10)
            out[topic].append(paper)
    return out
