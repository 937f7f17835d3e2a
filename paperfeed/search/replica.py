"""This host's replica of the search indexes: where the files live, and opening them for reading.

Layout under the index directory (SEARCH_INDEX_DIR, else DATA_DIR/index, read at call time so tests and
hosts can point it anywhere): `text/` (tantivy), `vectors/` (the vector index), `watermark.json` (how far
the indexer got). The indexer writes `watermark.json` last, after both indexes committed, so a reader that
sees a new watermark sees the indexes it describes; readers reopen when its mtime changes.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from paperfeed.search.text_index import TextIndex


def index_dir() -> Path:
    configured = str(settings.PAPERFEED.get("SEARCH_INDEX_DIR") or "").strip()
    return Path(configured).expanduser() if configured else Path(settings.PAPERFEED["DATA_DIR"]) / "index"


def text_path(base: Path | None = None) -> Path:
    return (base or index_dir()) / "text"


def vector_path(base: Path | None = None) -> Path:
    return (base or index_dir()) / "vectors"


def watermark_path(base: Path | None = None) -> Path:
    return (base or index_dir()) / "watermark.json"


def read_watermark(base: Path | None = None) -> dict:
    try:
        return json.loads(watermark_path(base).read_text())
    except (FileNotFoundError, ValueError):
        return {}


def write_watermark(state: dict, base: Path | None = None) -> None:
    path = watermark_path(base)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, sort_keys=True))
    os.replace(tmp, path)


class ExactVectors:
    """Exact cosine search in numpy with the VectorIndex interface; used only where that module is missing."""

    def __init__(self, dim: int):
        self.dim = dim
        self.vectors: dict[int, np.ndarray] = {}

    def __len__(self):
        return len(self.vectors)

    def upsert(self, pk: int, vector) -> None:
        self.vectors[int(pk)] = np.asarray(vector, dtype=np.float32)

    def remove(self, pk: int) -> None:
        self.vectors.pop(int(pk), None)

    def search(self, vector, k: int) -> list[tuple[int, float]]:
        if not self.vectors:
            return []
        pks = np.fromiter(self.vectors, dtype=np.int64)
        matrix = np.vstack(list(self.vectors.values()))
        scores = matrix @ np.asarray(vector, dtype=np.float32)
        order = np.lexsort((pks, -scores))[:k]
        return [(int(pks[i]), float(scores[i])) for i in order]


def new_vector_index(dim: int, path: Path | None = None):
    """A VectorIndex (saved at `path`); without its library, an in-memory ExactVectors when no path is asked
    for (evaluation), else None: the indexer then keeps keyword search only."""
    try:
        from paperfeed.search.vector_index import VectorIndex  # lazy: needs usearch, of the optional extra
    except ImportError:
        return ExactVectors(dim) if path is None else None
    return VectorIndex(dim=dim, path=path) if path is not None else VectorIndex(dim=dim)


def open_vector_index(path: Path):
    # Lazy: needs usearch, of the optional extra; without it this raises ImportError, which _open_vectors handles.
    from paperfeed.search.vector_index import VectorIndex

    return VectorIndex.open(path)


def vector_count(index) -> int:
    try:
        return len(index)
    except TypeError:
        return int(getattr(index, "count", 0))


@dataclass
class Replica:
    base: Path
    text: TextIndex
    vectors: object | None
    state: dict
    stamp: int


_lock = threading.Lock()
_replicas: dict[Path, Replica] = {}


def _stamp(base: Path) -> int:
    try:
        return watermark_path(base).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _open_vectors(base: Path):
    path = vector_path(base)
    if not path.exists():
        return None
    try:
        return open_vector_index(path)
    except (ImportError, FileNotFoundError, OSError, ValueError):
        return None


def replica() -> Replica:
    """The readers for this host's index directory, reopened when the indexer has written a new watermark."""
    base = index_dir()
    stamp = _stamp(base)
    current = _replicas.get(base)
    if current is not None and current.stamp == stamp:
        return current
    with _lock:
        current = _replicas.get(base)
        if current is not None and current.stamp == stamp:
            return current
        state = read_watermark(base)
        if (
            current is not None
            and current.text.path is not None
            and state.get("generation") == current.state.get("generation")
        ):
            text = current.text
            text.reload()
        elif text_path(base).exists():
            # A new generation (a rebuild, or an index started over) is a different directory's content: reopen.
            text = TextIndex(text_path(base))
        else:
            text = TextIndex(None)  # nothing indexed on this host yet: an empty in-memory index, no files made
        current = Replica(base, text, _open_vectors(base), state, stamp)
        _replicas[base] = current
        return current


def forget() -> None:
    """Drop cached readers (after the index directory was deleted or rebuilt in this process)."""
    with _lock:
        _replicas.clear()
