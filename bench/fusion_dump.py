"""Dump each query's candidate lists once, so fusion rules can be compared and learned without re-ranking:

    PAPERFEED_DATA_DIR=... python bench/fusion_dump.py ../shared/data/scifact train
    PAPERFEED_DATA_DIR=... python bench/fusion_dump.py bench/arxiv_dev dev

writes DATA_DIR/fusion-dumps/<folder>-<split>.json.gz: per query its text, kind, qrels (by corpus position), the
BM25 ceiling, the top 200 keyword and dense candidates from the site's own `hybrid.rank` (default title boost) and
the cosines of the top keyword papers: all that fusion.evidence, the combiner's input, is computed from.
bench/fusion_learn.py reads these files.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np
from common import setup_django

DEPTH = 200


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("split")
    args = parser.parse_args()
    setup_django("pf-fusion-dump-")
    from django.conf import settings

    from paperfeed.search import eval as ev
    from paperfeed.search.filters import SearchFilters
    from paperfeed.search.fusion import FusionParams
    from paperfeed.search.hybrid import query_embedder, rank

    data = ev.load_beir(args.folder, args.split)
    embedder = query_embedder()
    vectors = ev.corpus_vectors(data, embedder)
    text_index = ev.build_text_index(data)
    vector_index = ev.build_vector_index(vectors)
    qids = list(data.queries)
    qvecs = embedder.encode_queries([data.queries[q] for q in qids])
    params = FusionParams(keyword_depth=DEPTH, dense_depth=DEPTH, min_score=0.0)
    position = {doc: i for i, doc in enumerate(data.doc_ids)}
    rows = []
    for i, qid in enumerate(qids):
        parsed = ev.beir_query(data.queries[qid])
        ranked = rank(
            parsed,
            text_index=text_index,
            vector_index=vector_index,
            query_vector=qvecs[i],
            filters=SearchFilters(),
            params=params,
        )
        rows.append(
            {
                "qid": qid,
                "text": data.queries[qid],
                "kind": data.kinds.get(qid, ""),
                "qrels": {str(position[d]): r for d, r in data.qrels[qid].items() if d in position},
                "ceiling": text_index.bm25_ceiling(parsed) if ranked.keyword else 0.0,
                "keyword": [(pk, round(float(s), 5)) for pk, s in ranked.keyword],
                "dense": [(pk, round(float(s), 5)) for pk, s in ranked.dense],
                # Exact cosines of the top keyword candidates: do the papers the words find mean the query?
                "keyword_cos": [round(float(np.dot(vectors[pk], qvecs[i])), 5) for pk, _ in ranked.keyword[:20]],
            }
        )
    out = Path(settings.PAPERFEED["DATA_DIR"]) / "fusion-dumps"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{Path(args.folder).name}-{args.split}.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump({"docs": len(data.doc_ids), "queries": rows}, f)
    print(f"{len(rows)} queries of {args.folder} ({args.split}) dumped to {path}")


if __name__ == "__main__":
    main()
