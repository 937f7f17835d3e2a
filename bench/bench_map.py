"""Map build figures: time per stage and peak memory of the layout (UMAP 5-D + 2-D, HDBSCAN, neighbour
placement of the unsampled rest) and the class-based TF-IDF labels, on the real MiniLM vectors of
../shared/data/arxiv-daily-cs-embeddings (74,728) and, past that, clustered synthetic vectors around real ones
(a real vector plus small noise, renormalised; their texts are their seed paper's). On the real papers it
prints the adjusted mutual information of the topics against the papers' arXiv primary categories (the first
category listed), and 20 random topics with their labels and 5 titles each, to judge the labels by.

The database writes of `paperfeed map build` are left out (bulk inserts of the points); the layout and labels
are the same functions the build calls, with the same fit sample (MAP_FIT_SAMPLE, default 50,000).

.venv/bin/python bench/bench_map.py --n 74728
.venv/bin/python bench/bench_map.py --n 100000
.venv/bin/python bench/bench_map.py --n 1000000 --topics 0
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time

import numpy as np
from common import DATA, ROOT, setup_django

sys.path.insert(0, str(ROOT))
VECTORS = DATA / "arxiv-daily-cs-embeddings" / "minilm128.npy"
IDS = DATA / "arxiv-daily-cs-embeddings" / "minilm128.ids.txt"
CORPUS = DATA / "arxiv-daily-cs" / "papers.jsonl.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_corpus() -> dict[str, dict]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def vectors_at(n: int, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """n rows: the real ones first, then noisy copies of random real rows; and each row's source real row."""
    if n <= len(real):
        return real[:n], np.arange(n)
    rng = np.random.default_rng(7)
    seeds = rng.integers(0, len(real), n - len(real))
    out = np.empty((n, real.shape[1]), dtype=np.float16)
    out[: len(real)] = real
    # In blocks, so the bench's own float32/float64 temporaries (GBs at 1M at once) do not set the peak RSS.
    for start in range(0, len(seeds), 50_000):
        block = seeds[start : start + 50_000]
        extra = real[block].astype(np.float32) + rng.normal(0, 0.02, (len(block), real.shape[1])).astype(np.float32)
        extra /= np.linalg.norm(extra, axis=1, keepdims=True)
        out[len(real) + start : len(real) + start + len(block)] = extra
    return out, np.concatenate([np.arange(len(real)), seeds])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=74728)
    ap.add_argument("--sample", type=int, default=None, help="fit sample (default MAP_FIT_SAMPLE)")
    ap.add_argument("--topics", type=int, default=20, help="random topics to print with labels and titles")
    args = ap.parse_args()
    setup_django("bench-map-")
    from django.conf import settings
    from sklearn.metrics import adjusted_mutual_info_score

    from paperfeed.topics import labels, layout

    real = np.load(VECTORS, mmap_mode="r")
    ids = IDS.read_text().split()
    corpus = read_corpus()
    vecs, source = vectors_at(args.n, np.asarray(real))
    sample = args.sample if args.sample is not None else settings.PAPERFEED["MAP_FIT_SAMPLE"]
    print(f"map build at N={args.n:,} ({min(args.n, len(real)):,} real vectors), fit sample {sample:,}")
    print(f"  peak memory before: {peak_mb():,.0f} MB (vectors {vecs.nbytes / 2**20:,.0f} MB float16)")
    started = time.perf_counter()
    laid = layout.fit_sampled(
        vecs, sample=sample, progress=lambda s: print(f"  {time.perf_counter() - started:7.1f} s  {s}", flush=True)
    )
    t_layout = time.perf_counter() - started
    rows = [ids[int(s)] for s in source[laid.fit_rows]]
    texts = [f"{corpus[a]['title']}. {corpus[a]['title']}. {corpus[a]['abstract']}" for a in rows]
    t0 = time.perf_counter()
    words = labels.label_topics(texts, laid.topic[laid.fit_rows])
    t_labels = time.perf_counter() - t0
    n_topics = len(words)
    print(
        f"layout, clustering, placement: {t_layout:.1f} s; labels: {t_labels:.1f} s; total {t_layout + t_labels:.1f} s"
    )
    print(
        f"topics: {n_topics}; noise papers given a neighbour's topic: {laid.noise:,} of {len(laid.fit_rows):,} fitted "
        f"({laid.noise / len(laid.fit_rows):.0%})"
    )
    print(f"peak memory (max RSS): {peak_mb():,.0f} MB")
    n_real = min(args.n, len(real))
    primary = [corpus[a]["categories"][0] if corpus[a]["categories"] else "" for a in ids[:n_real]]
    ami = adjusted_mutual_info_score(primary, laid.topic[:n_real])
    print(
        f"AMI of topics vs arXiv primary categories over the {n_real:,} real papers: {ami:.3f} "
        f"({len(set(primary))} categories)"
    )
    rng = np.random.default_rng(1)
    shown = sorted(rng.choice(sorted(words), min(args.topics, n_topics), replace=False)) if args.topics else []
    for t in shown:
        members = np.flatnonzero(laid.topic[:n_real] == t)
        pick = rng.choice(members, min(5, len(members)), replace=False)
        print(f"\ntopic {t} ({int((laid.topic == t).sum()):,} papers): {labels.label_text(words[t])}")
        for row in pick:
            print(f"    - {corpus[ids[row]]['title'][:110]}")


if __name__ == "__main__":
    main()
