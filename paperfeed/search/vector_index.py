"""The approximate-nearest-neighbour index of paper embeddings: usearch HNSW, cosine, float16 storage.

Why usearch (bench/bench_embed.py measures it against hnswlib on the real MiniLM vectors): it deletes for
real rather than marking, keeps the whole index in one file that readers memory-map (every web process on a
host shares the same pages; opening costs milliseconds), stores float16 (half the memory of hnswlib's
float32) at the same recall, and grows without a max_elements to guess. Small indexes are searched exactly
(`exact=True`, a brute-force scan), which beats HNSW's recall for free below SIMILAR_PAPERS_EXACT_MAX vectors.

Files: <dir>/vectors.usearch and <dir>/meta.json (dim, count, metric, dtype), where <dir> is the index
directory's `vectors/` (DATA_DIR/index/vectors unless SEARCH_INDEX_DIR says otherwise), read at call time.
Saving writes beside and renames, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from django.conf import settings
from usearch.index import Index  # optional extra; without it search falls back to replica.ExactVectors

from paperfeed.search import replica

INDEX_FILE = "vectors.usearch"
META_FILE = "meta.json"
CONNECTIVITY = 16  # HNSW M: links per node
EXPANSION_ADD = 128  # ef_construction
EXPANSION_SEARCH = 96  # ef at query time: recall@10 >= 0.97 at 1M clustered vectors (bench_embed.py)


def default_path() -> Path:
    return replica.vector_path()


def _exact_max() -> int:
    return int(settings.PAPERFEED.get("SIMILAR_PAPERS_EXACT_MAX", 20000))


class VectorIndex:
    """paper pk -> unit vector; `search` returns (pk, cosine similarity), best first."""

    def __init__(self, dim: int, path: Path | str | None = None, *, _index: Index | None = None, _viewed: bool = False):
        self.dim = int(dim)
        self.path = Path(path) if path is not None else None
        self._index = _index if _index is not None else self._new()
        self._viewed = _viewed

    def _new(self) -> Index:
        return Index(
            ndim=self.dim,
            metric="cos",
            dtype="f16",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )

    # --- reading ---

    @classmethod
    def open(cls, path: Path | str | None = None) -> VectorIndex:
        """Open a saved index memory-mapped (cheap, shared between processes); the first write loads it."""
        path = Path(path) if path is not None else default_path()
        meta = json.loads((path / META_FILE).read_text())
        index = Index(
            ndim=int(meta["dim"]),
            metric="cos",
            dtype=meta.get("dtype", "f16"),
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )
        index.view(str(path / INDEX_FILE))
        return cls(int(meta["dim"]), path, _index=index, _viewed=True)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, pk: int) -> bool:
        return int(pk) in self._index

    def vector(self, pk: int) -> np.ndarray | None:
        if int(pk) not in self._index:
            return None
        return np.asarray(self._index.get(int(pk)), dtype=np.float32).reshape(-1)

    def search(self, vector, k: int) -> list[tuple[int, float]]:
        if len(self._index) == 0 or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != self.dim:
            raise ValueError(f"query has {query.shape[0]} dimensions; this index holds {self.dim}")
        k = min(int(k), len(self._index))
        matches = self._index.search(query, k, exact=len(self._index) <= _exact_max())
        return [(int(key), float(1.0 - dist)) for key, dist in zip(matches.keys, matches.distances)]

    # --- writing ---

    def _writable(self) -> Index:
        if self._viewed:
            # A memory-mapped view is read-only: load a private copy before the first change.
            loaded = self._new()
            loaded.load(str(self.path / INDEX_FILE))
            self._index, self._viewed = loaded, False
        return self._index

    def upsert(self, paper_pk: int, vector) -> None:
        vec = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"vector has {vec.shape[0]} dimensions; this index holds {self.dim}")
        index = self._writable()
        key = int(paper_pk)
        if key in index:
            index.remove(key)
        index.add(key, vec)

    def upsert_many(self, pks, vectors) -> None:
        """Bulk add (a rebuild): many times faster than one upsert per paper, on all cores."""
        index = self._writable()
        keys = np.asarray(list(pks), dtype=np.uint64)
        present = [int(k) for k in keys if int(k) in index]
        if present:
            index.remove(present)
        if len(keys):
            index.add(keys, np.asarray(vectors, dtype=np.float32))

    def remove(self, paper_pk: int) -> None:
        key = int(paper_pk)
        if key in self._index:
            self._writable().remove(key)

    def save(self, path: Path | str | None = None) -> Path:
        path = Path(path) if path is not None else (self.path or default_path())
        path.mkdir(parents=True, exist_ok=True)
        if self._viewed and path == self.path:
            return path  # unchanged since it was opened from there
        tmp = path / f".{INDEX_FILE}.{os.getpid()}.tmp"
        self._index.save(str(tmp))
        os.replace(tmp, path / INDEX_FILE)
        meta_tmp = path / f".{META_FILE}.{os.getpid()}.tmp"
        meta_tmp.write_text(
            json.dumps({"dim": self.dim, "count": len(self), "metric": "cos", "dtype": "f16", "backend": "usearch"})
        )
        os.replace(meta_tmp, path / META_FILE)
        self.path = path
        return path
