"""Retrieval evaluation on a BEIR-format folder (corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv).

It builds a temporary text index and vector index over the corpus with the site's own classes and ranks each
query through `hybrid.rank`, the function the search page uses, so the figures describe the site. Metrics
follow BEIR (pytrec_eval): nDCG@10 with graded gains from the qrels, recall@100, MRR@10. Document embeddings
are cached under DATA_DIR/cache by model name and corpus hash, so a rerun costs only the queries.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from paperfeed.errors import BadRequest
from paperfeed.lib.text import collapse_ws
from paperfeed.search.embedder import cached_encode
from paperfeed.search.filters import SearchFilters
from paperfeed.search.fusion import FusionParams, fuse
from paperfeed.search.hybrid import rank
from paperfeed.search.query import ParsedQuery, words_of
from paperfeed.search.replica import new_vector_index
from paperfeed.search.text_index import TextDoc, TextIndex


@dataclass
class Beir:
    doc_ids: list[str]
    titles: list[str]
    texts: list[str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    kinds: dict[str, str] = field(default_factory=dict)  # query id -> its `kind` field, where the file has one


def load_beir(folder: Path | str, split: str) -> Beir:
    folder = Path(folder)
    corpus_path = next((p for p in (folder / "corpus.jsonl", folder / "corpus.jsonl.gz") if p.exists()), None)
    qrels_path = folder / "qrels" / f"{split}.tsv"
    if corpus_path is None or not (folder / "queries.jsonl").exists() or not qrels_path.exists():
        raise BadRequest(
            f"{folder} is not a BEIR folder with split {split!r}: it needs corpus.jsonl[.gz], queries.jsonl "
            f"and qrels/{split}.tsv."
        )
    opener = gzip.open if corpus_path.suffix == ".gz" else open
    doc_ids, titles, texts = [], [], []
    with opener(corpus_path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                doc_ids.append(str(row["_id"]))
                titles.append(row.get("title") or "")
                texts.append(row.get("text") or "")
    qrels: dict[str, dict[str, int]] = {}
    with open(qrels_path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            parts = line.rstrip("\n").split("\t")
            if n == 0 and not parts[-1].lstrip("-").isdigit():
                continue  # header
            if len(parts) >= 3:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries, kinds = {}, {}
    with open(folder / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                qid = str(row["_id"])
                if qid in qrels:
                    queries[qid] = row["text"]
                    kind = row.get("kind") or (row.get("metadata") or {}).get("kind")
                    if kind:
                        kinds[qid] = str(kind)
    return Beir(doc_ids, titles, texts, queries, qrels, kinds)


# --- metrics (BEIR's definitions) ---


def ndcg_at(ranked: list[str], rels: dict[str, int], k: int = 10) -> float:
    dcg = sum(rels.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if rels.get(d, 0) > 0)
    ideal = sorted((r for r in rels.values() if r > 0), reverse=True)[:k]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], rels: dict[str, int], k: int = 100) -> float:
    relevant = {d for d, r in rels.items() if r > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr_at(ranked: list[str], rels: dict[str, int], k: int = 10) -> float:
    for i, d in enumerate(ranked[:k]):
        if rels.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def score_runs(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    qids = [q for q in qrels if any(r > 0 for r in qrels[q].values())]
    n = len(qids) or 1
    return {
        "ndcg@10": sum(ndcg_at(runs.get(q, []), qrels[q]) for q in qids) / n,
        "recall@100": sum(recall_at(runs.get(q, []), qrels[q]) for q in qids) / n,
        "mrr@10": sum(mrr_at(runs.get(q, []), qrels[q]) for q in qids) / n,
    }


def score_by_kind(
    runs: dict[str, list[str]], qrels: dict[str, dict[str, int]], kinds: dict[str, str]
) -> dict[str, dict[str, float]]:
    """nDCG@10 over each kind's queries (a query without a kind counts in none), kinds in name order."""
    out = {}
    for kind in sorted(set(kinds.values())):
        sub = {q: r for q, r in qrels.items() if kinds.get(q) == kind}
        out[kind] = {"ndcg@10": score_runs(runs, sub)["ndcg@10"]}
    return out


# --- building the indexes the site's way ---


def embed_text(title: str, text: str) -> str:
    """The text embeddings are computed from, everywhere: title + ". " + abstract, whitespace collapsed."""
    return collapse_ws(f"{title}. {text}" if title else text)


def build_text_index(data: Beir) -> TextIndex:
    index = TextIndex(None)
    for pk, (title, text) in enumerate(zip(data.titles, data.texts)):
        index.add(TextDoc(pk=pk, title=title, abstract=text))
    index.commit()
    return index


def corpus_vectors(data: Beir, embedder, *, progress=None) -> np.ndarray:
    """Document vectors through the embedder's (model, text hash) cache: a rerun encodes nothing."""
    texts = [embed_text(t, x) for t, x in zip(data.titles, data.texts)]
    parts, step = [], 512
    for start in range(0, len(texts), step):
        parts.append(cached_encode(texts[start : start + step], embedder))
        if progress:
            progress(min(start + step, len(texts)), len(texts))
    return np.vstack(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)


def build_vector_index(vectors: np.ndarray):
    index = new_vector_index(vectors.shape[1])
    if hasattr(index, "upsert_many"):
        index.upsert_many(range(len(vectors)), vectors)
    else:
        for pk, vector in enumerate(vectors):
            index.upsert(pk, vector)
    return index


def beir_query(text: str) -> ParsedQuery:
    """A BEIR query as the site's parser would see it, minus operators: claims are plain sentences."""
    return ParsedQuery(raw=text, words=tuple(words_of(text)))


@dataclass
class EvalResult:
    split: str
    docs: int
    queries: int
    model: str | None
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    by_kind: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # run -> kind -> metrics


def run_eval(
    data: Beir,
    *,
    split: str,
    params: FusionParams,
    embedder=None,
    query_vectors=None,
    text_index=None,
    vector_index=None,
) -> EvalResult:
    text_index = text_index or build_text_index(data)
    qids = list(data.queries)
    if embedder is not None and query_vectors is None:
        query_vectors = np.asarray(embedder.encode_queries([data.queries[q] for q in qids]), dtype=np.float32)
    runs: dict[str, dict[str, list[str]]] = {"keyword": {}, "dense": {}, "hybrid": {}}
    deep = replace(params, keyword_depth=max(params.keyword_depth, 100), dense_depth=max(params.dense_depth, 100))
    for i, qid in enumerate(qids):
        parsed = beir_query(data.queries[qid])
        qvec = query_vectors[i] if query_vectors is not None else None
        ranked = rank(
            parsed,
            text_index=text_index,
            vector_index=vector_index,
            query_vector=qvec,
            filters=SearchFilters(),
            params=params,
        )
        runs["hybrid"][qid] = [data.doc_ids[pk] for pk, _ in ranked.fused]
        kw = (
            ranked.keyword
            if params.keyword_depth >= 100
            else rank(
                parsed,
                text_index=text_index,
                vector_index=None,
                query_vector=None,
                filters=SearchFilters(),
                params=deep,
            ).keyword
        )
        runs["keyword"][qid] = [data.doc_ids[pk] for pk, _ in kw]
        if qvec is not None and vector_index is not None:
            dense = ranked.dense if params.dense_depth >= 100 else vector_index.search(qvec, 100)
            runs["dense"][qid] = [data.doc_ids[pk] for pk, _ in dense]
    result = EvalResult(
        split=split, docs=len(data.doc_ids), queries=len(qids), model=embedder.model_name if embedder else None
    )
    qrels = {q: data.qrels[q] for q in qids}
    for name, run in runs.items():
        if run:
            result.scores[name] = score_runs(run, qrels)
            result.by_kind[name] = score_by_kind(run, qrels, data.kinds)
    return result


def as_json(result: EvalResult) -> dict:
    """The machine-readable form `eval --json` prints."""
    return {
        "model": result.model,
        "split": result.split,
        "docs": result.docs,
        "queries": result.queries,
        "runs": {name: {**scores, "by_kind": result.by_kind.get(name, {})} for name, scores in result.scores.items()},
    }


def sweep_grid(has_dense: bool) -> list[FusionParams]:
    """The fusion settings tried by `eval --sweep` (train split only)."""
    grid = []
    for tb in (0.0, 0.25, 0.5):
        grid.append(FusionParams(title_boost=tb, dense_weight=0.0, dense_depth=0))
        if not has_dense:
            continue
        for depth in (50, 100, 200):
            for k in (5, 10, 20, 40, 60, 100):
                for wd in (0.6, 0.8, 1.0, 1.25, 1.5, 2.0):
                    grid.append(FusionParams("rrf", k, 1.0, wd, depth, depth, tb))
            for wd in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0):
                grid.append(FusionParams("convex", 60.0, 1.0, wd, depth, depth, tb))
    return grid


def sweep(data: Beir, *, embedder=None, vectors=None, grid: list[FusionParams] | None = None):
    """Score every setting of `grid` on `data` (hybrid nDCG@10 etc.), best first. Candidate lists are ranked
    once per title boost at the deepest depth, then cut and fused per setting with the site's `fuse`."""
    text_index = build_text_index(data)
    vector_index = build_vector_index(vectors) if vectors is not None else None
    qids = list(data.queries)
    qvecs = None
    if embedder is not None:
        qvecs = np.asarray(embedder.encode_queries([data.queries[q] for q in qids]), dtype=np.float32)
    grid = grid or sweep_grid(vector_index is not None)
    deepest = max(max(p.keyword_depth, p.dense_depth) for p in grid)
    lists: dict[float, list[tuple[list, list]]] = {}
    for tb in sorted({p.title_boost for p in grid}):
        deep = FusionParams(title_boost=tb, keyword_depth=deepest, dense_depth=deepest)
        lists[tb] = []
        for i, qid in enumerate(qids):
            ranked = rank(
                beir_query(data.queries[qid]),
                text_index=text_index,
                vector_index=vector_index,
                query_vector=qvecs[i] if qvecs is not None else None,
                filters=SearchFilters(),
                params=deep,
            )
            lists[tb].append((ranked.keyword, ranked.dense))
    qrels = {q: data.qrels[q] for q in qids}
    rows = []
    for params in grid:
        runs = {}
        for qid, (kw, dense) in zip(qids, lists[params.title_boost]):
            fused = fuse(kw[: params.keyword_depth], dense[: params.dense_depth], params)
            runs[qid] = [data.doc_ids[pk] for pk, _ in fused]
        rows.append((params, score_runs(runs, qrels)))
    rows.sort(key=lambda r: -r[1]["ndcg@10"])
    return rows
