"""Make bench/arxiv_dev a complete BEIR folder: write its corpus (the 74,728 arxiv-daily-cs papers, not kept in
git) and put the shared all-MiniLM-L6-v2@128 vectors into the embedding cache, so that

    PAPERFEED_DATA_DIR=... python bench/arxiv_dev_corpus.py
    PAPERFEED_DATA_DIR=... paperfeed eval beir bench/arxiv_dev --split dev

embeds only the queries (encoding the corpus itself takes about 30 minutes on 2 cores).
"""

from __future__ import annotations

import gzip
import json

import numpy as np
from common import CORPUS, DATA, ROOT, setup_django

FOLDER = ROOT / "bench" / "arxiv_dev"
VECTORS = DATA / "arxiv-daily-cs-embeddings"


def main() -> None:
    setup_django("pf-arxiv-dev-")
    from paperfeed.search.embedder import VectorCache, configured_model_name, embedding_text, text_hash

    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    with gzip.open(FOLDER / "corpus.jsonl.gz", "wt", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps({"_id": r["id"], "title": r["title"], "text": r["abstract"]}) + "\n")
    ids = (VECTORS / "minilm128.ids.txt").read_text().split()
    vectors = np.load(VECTORS / "minilm128.npy")
    by_id = {r["id"]: r for r in rows}
    model = configured_model_name()
    cache = VectorCache(model, vectors.shape[1])
    # The cache is keyed by the hash of the text the site embeds; these vectors were made from that same text.
    texts = [embedding_text(by_id[i]["title"], by_id[i]["abstract"]) for i in ids]
    cache.put_many({text_hash(t): v for t, v in zip(texts, vectors)})
    cache.close()
    print(f"{len(rows):,} papers written to {FOLDER / 'corpus.jsonl.gz'}; {len(ids):,} vectors cached for {model}")


if __name__ == "__main__":
    main()
