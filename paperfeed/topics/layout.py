"""Vectors -> map: UMAP to 5-D for clustering and to 2-D for display, HDBSCAN clusters, and placement of
papers by their nearest neighbours (for the papers left out of a sampled fit, and for new papers).

Both UMAP runs share one nearest-neighbour graph (the costly part at scale): UMAP's own pynndescent graph,
computed once and handed to each run as `precomputed_knn`. Clustering is done on the 5-D layout, not the
2-D one, as BERTopic does: two dimensions squeeze neighbouring topics together. HDBSCAN leaves some papers as
noise; each gets the topic most of its nearest clustered neighbours (in the 5-D layout) have, so every paper
has a topic. umap-learn is imported inside `fit` because importing it compiles numba code for seconds.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

N_NEIGHBORS = 15
PLACE_K = 10  # neighbours whose mean point places a paper
NOISE_K = 5  # clustered neighbours that vote on a noise paper's topic
SEED = 42  # a fixed seed: the same vectors give the same map, so a rebuild keeps every topic
EXACT_KNN_MAX = 20000
EXACT_PLACE_MAX = 200_000_000  # vectors x base rows compared by a plain scan (a few seconds)
PLACE_BATCH = 50_000  # papers searched at a time: their float32 copy is 75 MB, not 1.4 GB for 950k at once
SMALL = 30  # fewer papers than this are not worth a UMAP: one topic, laid out by PCA


@dataclass
class Layout:
    xy: np.ndarray  # (n, 2) float32, display coordinates scaled into [0, 100]
    topic: np.ndarray  # (n,) int, cluster number from 0; every paper has one
    noise: int  # how many papers HDBSCAN left out and the neighbours assigned


def min_topic_size(n: int, configured: int = 0) -> int:
    return configured if configured > 0 else max(10, n // 400)


def _scale(xy: np.ndarray) -> np.ndarray:
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = float(max((hi - lo).max(), 1e-9))
    return ((xy - lo) / span * 100.0).astype(np.float32)


def fit(vectors: np.ndarray, *, min_size: int, progress: Callable[[str], None] = lambda _: None) -> Layout:
    """Lay out and cluster `vectors` (unit rows). Deterministic for the same input."""
    n = len(vectors)
    if n < SMALL:
        from sklearn.decomposition import PCA

        xy = PCA(n_components=2).fit_transform(vectors) if n >= 3 else np.zeros((n, 2))
        return Layout(_scale(np.asarray(xy, dtype=np.float32)), np.zeros(n, dtype=int), 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # umap's "n_jobs overridden by random_state" and numba chatter
        import umap
        from sklearn.cluster import HDBSCAN

        k = min(N_NEIGHBORS, n - 1)
        knn = _knn(vectors, k)
        progress(f"nearest-neighbour graph of {n:,} papers")
        # 200 epochs, as umap-learn uses above 10k points: below that its 500 cost seconds and change little.
        common = {
            "n_neighbors": k,
            "metric": "cosine",
            "precomputed_knn": knn,
            "random_state": SEED,
            "low_memory": True,
            "n_epochs": 200,
        }
        five = umap.UMAP(n_components=5, min_dist=0.0, **common).fit_transform(vectors)
        progress("5-D layout for clustering")
        two = umap.UMAP(n_components=2, min_dist=0.1, **common).fit_transform(vectors)
        progress("2-D layout for the map")
        labels = HDBSCAN(min_cluster_size=min_size, min_samples=max(5, min_size // 4), copy=True).fit_predict(five)
    noise = labels < 0
    progress(f"{labels.max() + 1} clusters, {int(noise.sum()):,} noise papers given their neighbours' topic")
    if noise.all():
        labels = np.zeros(n, dtype=int)
    elif noise.any():
        from sklearn.neighbors import NearestNeighbors

        clustered = np.flatnonzero(~noise)
        nn = NearestNeighbors(n_neighbors=min(NOISE_K, len(clustered))).fit(five[clustered])
        _, idx = nn.kneighbors(five[noise])
        labels = labels.copy()
        labels[noise] = [_majority(labels[clustered[row]]) for row in idx]
    return Layout(_scale(np.asarray(two, dtype=np.float32)), labels.astype(int), int(noise.sum()))


def _knn(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(indices, cosine distances) of each row's k nearest rows, itself first, as UMAP's precomputed_knn.
    Exact below EXACT_KNN_MAX rows (a matrix product; pynndescent's numba compile alone takes longer there),
    approximate above (pynndescent, what UMAP itself would use)."""
    if len(vectors) <= EXACT_KNN_MAX:
        from sklearn.neighbors import NearestNeighbors

        dist, idx = NearestNeighbors(n_neighbors=k, metric="cosine").fit(vectors).kneighbors(vectors)
        return idx, np.clip(dist, 0.0, None).astype(np.float32)
    from umap.umap_ import nearest_neighbors

    return nearest_neighbors(vectors, k, "cosine", {}, False, np.random.RandomState(SEED), low_memory=True)[:2]


def _majority(values: np.ndarray) -> int:
    counts = np.bincount(values)
    return int(counts.argmax())


def place(
    vectors: np.ndarray,
    base: np.ndarray,
    base_xy: np.ndarray,
    base_topic: np.ndarray,
    *,
    k: int = PLACE_K,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[np.ndarray, np.ndarray]:
    """Points and topics for `vectors` from their k most similar rows of `base` (cosine; unit rows): the mean of
    the neighbours' points (weighted by similarity) and the topic most of them have."""
    k = min(k, len(base))
    idx, sims = _neighbours(vectors, base, k, progress)
    weights = np.clip(sims, 1e-3, None)
    weights /= weights.sum(axis=1, keepdims=True)
    xy = np.einsum("nk,nkd->nd", weights, base_xy[idx]).astype(np.float32)
    topic = np.asarray([_majority(row) for row in base_topic[idx]], dtype=int)
    return xy, topic


def _neighbours(
    vectors: np.ndarray, base: np.ndarray, k: int, progress: Callable[[str], None] = lambda _: None
) -> tuple[np.ndarray, np.ndarray]:
    """(indices into base, cosine similarities) of each vector's k nearest base rows. A scan below
    EXACT_PLACE_MAX products; above, an HNSW index of the base (usearch, the search extra's vector index),
    which at 25k x 50k is seconds instead of minutes, searched PLACE_BATCH vectors at a time."""
    if len(vectors) * len(base) > EXACT_PLACE_MAX:
        try:
            from usearch.index import Index
        except ImportError:
            pass
        else:
            index = Index(ndim=base.shape[1], metric="cos", dtype="f16", connectivity=16, expansion_search=64)
            index.add(np.arange(len(base), dtype=np.uint64), np.asarray(base, dtype=np.float32))
            keys = np.empty((len(vectors), k), dtype=np.int64)
            dist = np.empty((len(vectors), k), dtype=np.float32)
            for start in range(0, len(vectors), PLACE_BATCH):
                found = index.search(np.asarray(vectors[start : start + PLACE_BATCH], dtype=np.float32), k)
                rows = slice(start, start + len(found.keys))
                keys[rows] = np.asarray(found.keys, dtype=np.int64).reshape(-1, k)
                dist[rows] = np.asarray(found.distances, dtype=np.float32).reshape(-1, k)
                if len(vectors) > PLACE_BATCH:
                    progress(f"{min(start + PLACE_BATCH, len(vectors)):,} of {len(vectors):,} placed")
            missing = keys >= len(base)  # fewer than k found: repeat the nearest one
            keys = np.where(missing, keys[:, :1], keys)
            return keys, 1.0 - np.where(missing, dist[:, :1], dist)
    base32 = np.asarray(base, dtype=np.float32)
    idx = np.empty((len(vectors), k), dtype=np.int64)
    sims = np.empty((len(vectors), k), dtype=np.float32)
    for start in range(0, len(vectors), 1024):
        block = np.asarray(vectors[start : start + 1024], dtype=np.float32) @ base32.T
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        idx[start : start + len(top)] = top
        sims[start : start + len(top)] = np.take_along_axis(block, top, axis=1)
    return idx, sims


@dataclass
class SampledLayout:
    xy: np.ndarray  # (n, 2) every paper's point
    topic: np.ndarray  # (n,) every paper's cluster number
    fit_rows: np.ndarray  # rows the layout was fitted on (sorted); the others were placed by neighbours
    noise: int


def fit_sampled(
    vectors: np.ndarray, *, sample: int, min_size: int = 0, progress: Callable[[str], None] = lambda _: None
) -> SampledLayout:
    """`fit` on at most `sample` rows (a seeded random choice) and `place` the rest by their nearest fitted rows.
    `min_size` 0: from the number of fitted rows (min_topic_size)."""
    n = len(vectors)
    fit_rows = np.arange(n)
    if n > sample > 0:
        fit_rows = np.sort(np.random.RandomState(SEED).choice(n, sample, replace=False))
        progress(f"fitting on a random sample of {sample:,}; the other {n - sample:,} are placed by neighbours")
    fit_vecs = np.asarray(vectors[fit_rows], dtype=np.float32)
    fitted = fit(fit_vecs, min_size=min_topic_size(len(fit_rows), min_size), progress=progress)
    xy = np.empty((n, 2), dtype=np.float32)
    topic = np.empty(n, dtype=int)
    xy[fit_rows], topic[fit_rows] = fitted.xy, fitted.topic
    rest = np.setdiff1d(np.arange(n), fit_rows)
    if len(rest):
        xy[rest], topic[rest] = place(vectors[rest], fit_vecs, fitted.xy, fitted.topic, progress=progress)
        progress(f"{len(rest):,} papers placed by their nearest neighbours")
    return SampledLayout(xy, topic, fit_rows, fitted.noise)
