"""Pool the top results of several systems for the bench/arxiv_dev queries and print the pooled papers that
have no judgment yet (title and abstract, to be judged 0/1/2 against the query's criterion).

    PAPERFEED_DATA_DIR=... python bench/arxiv_dev_pool.py [--depth 10] [--systems keyword,dense,hybrid]

Systems are the site's own `hybrid.rank` with a given FusionParams: keyword (BM25 only), dense (vectors only),
hybrid (fusion as configured); the shared vectors stand in for the corpus embeddings (see arxiv_dev_corpus.py).
"""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path

import numpy as np
from common import DATA, ROOT, setup_django

FOLDER = ROOT / "bench" / "arxiv_dev"


def load(split: str = "dev"):
    """The collection, its indexes (the text index is kept under DATA_DIR between runs) and query vectors."""
    from django.conf import settings

    from paperfeed.search import eval as ev
    from paperfeed.search.text_index import TextDoc, TextIndex

    qrels = FOLDER / "qrels" / f"{split}.tsv"
    if not qrels.exists():
        qrels.write_text("query-id\tcorpus-id\tscore\n")
    with open(FOLDER / "queries.jsonl", encoding="utf-8") as f:
        queries = [json.loads(line) for line in f]
    data = ev.load_beir(FOLDER, split)
    data.queries = {q["_id"]: q["text"] for q in queries}
    data.kinds = {q["_id"]: q["kind"] for q in queries}
    path = Path(settings.PAPERFEED["DATA_DIR"]) / "arxiv_dev_text"
    text_index = TextIndex(path)
    if text_index.num_docs() != len(data.doc_ids):
        TextIndex.destroy(path)
        text_index = TextIndex(path)
        for pk, (title, text) in enumerate(zip(data.titles, data.texts)):
            text_index.add(TextDoc(pk=pk, title=title, abstract=text))
        text_index.commit()
    vectors = np.load(DATA / "arxiv-daily-cs-embeddings" / "minilm128.npy").astype(np.float32)
    ids = (DATA / "arxiv-daily-cs-embeddings" / "minilm128.ids.txt").read_text().split()
    assert ids == data.doc_ids, "the shared vectors are in the corpus's order"
    vector_index = ev.build_vector_index(vectors)
    from paperfeed.search.hybrid import query_embedder

    embedder = query_embedder()
    qids = list(data.queries)
    qvecs = dict(zip(qids, np.asarray(embedder.encode_queries([data.queries[q] for q in qids]), dtype=np.float32)))
    return data, queries, text_index, vector_index, qvecs, embedder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depth", type=int, default=10)
    parser.add_argument("--systems", default="keyword,dense,hybrid")
    args = parser.parse_args()
    setup_django("pf-arxiv-dev-")
    from paperfeed.search.eval import beir_query
    from paperfeed.search.filters import SearchFilters
    from paperfeed.search.fusion import FusionParams
    from paperfeed.search.hybrid import rank

    data, queries, text_index, vector_index, qvecs, _ = load()
    base = FusionParams.from_settings()
    for q in queries:
        qid = q["_id"]
        ranked = rank(
            beir_query(q["text"]),
            text_index=text_index,
            vector_index=vector_index,
            query_vector=qvecs[qid],
            filters=SearchFilters(),
            params=base,
        )
        lists = {"keyword": ranked.keyword, "dense": ranked.dense, "hybrid": ranked.fused}
        pool = []
        for name in args.systems.split(","):
            for pk, _ in lists[name][: args.depth]:
                if pk not in pool:
                    pool.append(pk)
        todo = [pk for pk in sorted(pool) if data.doc_ids[pk] not in data.qrels.get(qid, {})]
        print(f"\n=== {qid} [{q['kind']}] {q['text']}\n    CRITERION: {q['criterion']}  ({len(todo)} to judge)")
        for pk in todo:
            abstract = " ".join(data.texts[pk].split())[:260]
            title = " ".join(data.titles[pk].split())
            print(textwrap.shorten(f"{data.doc_ids[pk]} | {title} | {abstract}", 330))


if __name__ == "__main__":
    main()
