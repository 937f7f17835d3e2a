"""A small real sample for the map tests: papers of four arXiv fields from the shared corpus, stored through
the real ingest path, with their real MiniLM embeddings from the shared embeddings file."""

from __future__ import annotations

import gzip
import json

import numpy as np

from tests.shared_data import shared_path

FIELDS = ("cs.CV", "cs.CL", "cs.IT", "cs.GT")  # far apart in meaning, so the sample has clusters to find
PER_FIELD = 75


def sample_records(per_field: int = PER_FIELD, skip: int = 0) -> list[dict]:
    """The first `per_field` papers (after `skip`) of each field, in corpus order, with their vector row."""
    ids = shared_path("data", "arxiv-daily-cs-embeddings", "minilm128.ids.txt").read_text().split()
    row_of = {arxiv_id: n for n, arxiv_id in enumerate(ids)}
    seen = dict.fromkeys(FIELDS, 0)
    picked = []
    with gzip.open(shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            field = (record["categories"] or [""])[0]
            if field in seen and record["id"] in row_of:
                seen[field] += 1
                if skip < seen[field] <= skip + per_field:
                    picked.append({**record, "_row": row_of[record["id"]]})
            if all(n >= skip + per_field for n in seen.values()):
                break
    return picked


def store_sample(records: list[dict]) -> int:
    """Ingest the records and store their shared embeddings under the configured model's name."""
    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers.models import Paper
    from paperfeed.search.embed_job import write_embeddings
    from paperfeed.search.embedder import configured_model_name, paper_text_hash

    vectors = np.load(shared_path("data", "arxiv-daily-cs-embeddings", "minilm128.npy"), mmap_mode="r")
    clean = [{k: v for k, v in r.items() if k != "_row"} for r in records]
    summary = ingest_records(clean, source="test")
    assert summary.rejected == 0
    row_of = {r["id"]: r["_row"] for r in records}
    rows = [
        (pk, paper_text_hash(title, abstract), np.asarray(vectors[row_of[arxiv_id]], dtype=np.float32))
        for pk, arxiv_id, title, abstract in Paper.objects.filter(arxiv_id__in=list(row_of)).values_list(
            "pk", "arxiv_id", "title", "abstract"
        )
    ]
    write_embeddings(rows, configured_model_name(), vectors.shape[1])
    return len(rows)
