"""Hybrid search at scale: query latency, query embedding, index build time and peak memory, against a naive scan.

Corpus: the real 74,728 papers of ../shared/data/arxiv-daily-cs, then copies with new ids and the words of title
and abstract shuffled, up to --papers, bulk-inserted into a FRESH database (SQLite in a temporary data dir, or
PAPERFEED_DATABASE_URL). Vectors: the real all-MiniLM-L6-v2 embeddings of the real papers
(../shared/data/arxiv-daily-cs-embeddings); a copy gets its original's vector plus Gaussian noise (sigma 0.02 per
dimension, renormalised: cosine ~0.93 to it), i.e. clustered around real ones. Queries: 2-4 words drawn from real
titles.

Figures printed:
- text index build (indexer.rebuild_all from the database) and vector index build (VectorIndex.upsert_many + save):
  wall time and peak RSS, each measured in a forked child so one does not inherit the other's memory;
- hybrid query: hybrid.search() for page 1 with a precomputed query vector (so excluding query embedding), i.e.
  BM25 + ANN + fusion + filters + loading the page's 20 papers from the database + highlighting: p50/p95;
- keyword-only query (the same, with no vector index) p50/p95, and the query embedding alone p50/p95;
- similar papers: similar.similar_papers(paper, k=6) for --queries random papers (their own stored vector, the
  vector index, the visibility check in the database, loading the papers): p50/p95, and the index's recall@10
  against exact search over all vectors on 200 of them;
- the naive baseline in the same run: every query scores every paper read from the database in Python (how
  arxiv-sanity-lite searches), over --naive-queries queries.

Reproduce:
  .venv/bin/python bench/bench_search.py --papers 100000
  PAPERFEED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pf_bench_search \
    .venv/bin/python bench/bench_search.py --papers 100000
  .venv/bin/python bench/bench_search.py --papers 1000000 --naive-queries 2
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
from common import percentile, setup_django

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS = DATA / "arxiv-daily-cs" / "papers.jsonl.gz"
VECTORS = DATA / "arxiv-daily-cs-embeddings" / "minilm128.npy"


def fmt(times):
    return f"p50 {statistics.median(times):8.2f} ms   p95 {percentile(times, 95):8.2f} ms   (n={len(times)})"


def load_base():
    with gzip.open(CORPUS, "rt") as f:
        return [json.loads(line) for line in f]


def shuffled(text: str, rng: random.Random) -> str:
    words = text.split()
    rng.shuffle(words)
    return " ".join(words)


def fill_database(base, n: int, seed: int = 1) -> int:
    """Bulk-insert n papers (base first, then shuffled copies with new ids); returns the last change_seq."""
    from paperfeed.papers.models import ChangeCounter, Paper

    rng = random.Random(seed)
    batch, seq = [], 0
    for i in range(n):
        r = base[i % len(base)]
        copy = i // len(base)
        title, abstract = r["title"], " ".join(r["abstract"].split())
        arxiv_id = r["id"]
        if copy:
            title, abstract = shuffled(title, rng), shuffled(abstract, rng)
            arxiv_id = f"{90 + copy:02d}{((i % len(base)) // 99999) + 1:02d}.{(i % len(base)) % 99999 + 1:05d}"
        day = date.fromisoformat(r["first_listing_date"])
        seq += 1
        batch.append(
            Paper(
                arxiv_id=arxiv_id,
                title=title,
                abstract=abstract,
                authors=r["authors"],
                authors_text="; ".join(r["authors"]),
                categories=r["categories"],
                primary_category=r["categories"][0] if r["categories"] else "",
                submitted_on=day,
                announced_on=day,
                change_seq=seq,
                imported_upvotes=rng.randint(0, 50),
            )
        )
        if len(batch) == 5000:
            Paper.objects.bulk_create(batch)
            batch = []
    if batch:
        Paper.objects.bulk_create(batch)
    ChangeCounter.objects.update_or_create(pk=1, defaults={"value": seq})
    return seq


def vectors_for(base_count: int, n: int, seed: int = 2) -> np.ndarray:
    real = np.load(VECTORS).astype(np.float32)
    assert real.shape[0] == base_count, "embeddings and corpus differ in length"
    rng = np.random.default_rng(seed)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    for start in range(0, n, 50_000):
        idx = np.arange(start, min(n, start + 50_000))
        block = real[idx % base_count].copy()
        copies = idx >= base_count
        block[copies] += rng.normal(0, 0.02, size=(int(copies.sum()), real.shape[1])).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[idx] = block
    return out


def in_child(fn):
    """Run fn in a forked child; returns (its result, wall seconds, the child's CPU seconds, its peak RSS in MiB)."""
    import pickle

    from django import db

    db.connections.close_all()  # before the fork: a connection shared by two processes would be corrupted
    read, write = os.pipe()
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        result = fn()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        os.write(write, pickle.dumps((result, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)))
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.waitpid(pid, 0)
    wall = time.perf_counter() - t
    result, cpu, peak_kib = pickle.loads(b"".join(chunks))
    return result, wall, cpu, peak_kib / 1024


def own_rss_mib() -> float:
    """This process's current RSS: a forked child starts with these pages, so its peak includes them."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def make_queries(base, count: int, seed: int = 3):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        words = [w for w in base[rng.randrange(len(base))]["title"].split() if w.isalpha() and len(w) > 3]
        if len(words) >= 2:
            out.append(" ".join(rng.sample(words, min(len(words), rng.randint(2, 4)))))
    return out


def naive_search(query: str, limit: int = 20):
    """arxiv-sanity-lite's way: read every paper and score it in Python (title hits count 3x)."""
    from paperfeed.papers.models import Paper

    terms = [t.lower() for t in query.split()]
    scored = []
    for pk, title, abstract in (
        Paper.objects.filter(hidden=False).values_list("pk", "title", "abstract").iterator(chunk_size=5000)
    ):
        t, a = title.lower(), abstract.lower()
        score = sum(3 * t.count(term) + a.count(term) for term in terms)
        if score:
            scored.append((score, pk))
    scored.sort(reverse=True)
    return scored[:limit]


def similar_papers_figures(pks: list[int], vectors: np.ndarray, count: int, seed: int = 4):
    """similar_papers() latency for `count` random papers, and the index's recall@10 against exact search."""
    from paperfeed.papers.models import Paper
    from paperfeed.search import replica, similar
    from paperfeed.search.embedder import configured_model_name
    from paperfeed.search.models import Embedding, encode_vector

    rng = np.random.default_rng(seed)
    rows = rng.choice(len(pks), size=count, replace=False)
    model_name = configured_model_name()
    # similar_papers() reads the paper's own vector from the database; the index holds everyone's.
    Embedding.objects.bulk_create(
        [
            Embedding(
                paper_id=pks[i],
                model_name=model_name,
                text_hash="bench",
                dim=vectors.shape[1],
                vector=encode_vector(vectors[i]),
            )
            for i in rows
        ]
    )
    papers = list(Paper.objects.filter(pk__in=[pks[i] for i in rows]))
    for paper in papers[:5]:
        similar.similar_papers(paper)
    times = []
    for paper in papers:
        t = time.perf_counter()
        found = similar.similar_papers(paper)
        times.append((time.perf_counter() - t) * 1000)
        assert found, f"no similar papers for {paper.pk}"
    index = replica.replica().vectors
    hits = []
    for i in rows[:200]:
        scores = vectors @ vectors[i]
        exact = np.argpartition(-scores, 11)[:11]
        truth = [pks[j] for j in exact[np.argsort(-scores[exact])] if j != i][:10]
        got = [pk for pk, _ in index.search(vectors[i], 11) if pk != pks[i]][:10]
        hits.append(len(set(truth) & set(got)) / 10)
    return times, float(np.mean(hits))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--naive-queries", type=int, default=5)
    args = parser.parse_args()

    setup_django("pf-bench-search-")
    from django.core.management import call_command
    from django.db import connection

    from paperfeed.papers.models import Paper
    from paperfeed.search import hybrid, indexer, replica
    from paperfeed.search.filters import SearchFilters
    from paperfeed.search.vector_index import VectorIndex

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    base = load_base()
    t = time.perf_counter()
    fill_database(base, args.papers)
    print(
        f"database: {connection.vendor}; {args.papers:,} papers inserted in {time.perf_counter() - t:.1f} s; "
        f"index dir {replica.index_dir()}"
    )

    parent = own_rss_mib()
    count, wall, cpu, peak = in_child(lambda: indexer.rebuild_all())
    print(
        f"text index build (indexer.rebuild_all): {count:,} papers in {wall:.1f} s ({cpu:.0f} CPU-s), peak RSS "
        f"{peak:,.0f} MiB "
        f"(of which {parent:,.0f} MiB inherited from the benchmark process at fork)"
    )

    pks = list(Paper.objects.order_by("pk").values_list("pk", flat=True))
    vectors = vectors_for(len(base), len(pks))

    def build_vectors():
        index = VectorIndex(vectors.shape[1], replica.vector_path())
        index.upsert_many(pks, vectors)
        index.save()
        return len(index)

    parent = own_rss_mib()
    nvec, wall, cpu, peak = in_child(build_vectors)
    print(
        f"vector index build (usearch upsert_many + save): {nvec:,} vectors in {wall:.1f} s ({cpu:.0f} CPU-s, all "
        f"threads), peak RSS {peak:,.0f} MiB "
        f"(of which {parent:,.0f} MiB inherited; the vectors array alone is {vectors.nbytes / 2**20:,.0f} MiB)"
    )
    state = replica.read_watermark()
    state["vectors"] = nvec
    replica.write_watermark(state)
    replica.forget()

    queries = make_queries(base, args.queries)
    embedder = hybrid.query_embedder()
    if embedder is None:
        sys.exit("no embedding model could load; this benchmark needs the default model")
    qvecs = embedder.encode_queries(queries)
    embed_times = []
    for q in queries[:100]:
        t = time.perf_counter()
        embedder.encode_queries([q])
        embed_times.append((time.perf_counter() - t) * 1000)

    for q, v in zip(queries[:5], qvecs[:5]):  # warm: page cache, connection, mmap
        hybrid.search(q, query_vector=v)
    hybrid_times, results = [], 0
    for q, v in zip(queries, qvecs):
        t = time.perf_counter()
        result = hybrid.search(q, query_vector=v)
        hybrid_times.append((time.perf_counter() - t) * 1000)
        results += len(result.hits)
        assert result.semantic == "complete", result.notices
    cat_times = []
    for q, v in zip(queries[:100], qvecs[:100]):
        t = time.perf_counter()
        hybrid.search(q, query_vector=v, filters=SearchFilters(categories=("cs.LG",)))
        cat_times.append((time.perf_counter() - t) * 1000)

    rep = replica.replica()
    rep.vectors = None  # keyword only: the same search without the vector side
    kw_times = []
    for q in queries:
        t = time.perf_counter()
        hybrid.search(q)
        kw_times.append((time.perf_counter() - t) * 1000)
    replica.forget()

    similar_times, recall = similar_papers_figures(pks, vectors, args.queries)

    naive_times = []
    for q in queries[: args.naive_queries]:
        t = time.perf_counter()
        naive_search(q)
        naive_times.append((time.perf_counter() - t) * 1000)

    print(
        f"\n{args.papers:,} papers on {connection.vendor}, {len(queries)} queries of 2-4 title words, page of 20 "
        f"({results / len(queries):.1f} hits/page on average)"
    )
    print(f"  hybrid query (excl. embedding): {fmt(hybrid_times)}")
    print(f"  hybrid + cat:cs.LG filter:      {fmt(cat_times)}")
    print(f"  keyword-only query:             {fmt(kw_times)}")
    print(f"  query embedding alone:          {fmt(embed_times)}   ({embedder.model_name})")
    print(f"  similar papers (k=6):           {fmt(similar_times)}   (vector index recall@10 vs exact: {recall:.3f})")
    print(f"  naive scan of all papers:       {fmt(naive_times)}")
    print(
        f"\nreproduce: PAPERFEED_DATABASE_URL={os.environ.get('PAPERFEED_DATABASE_URL', '')!s} "
        f".venv/bin/python bench/bench_search.py --papers {args.papers} --queries {args.queries} "
        f"--naive-queries {args.naive_queries}"
    )


if __name__ == "__main__":
    main()
