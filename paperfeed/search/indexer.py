"""The indexer: follows the papers' change sequence into this host's text and vector indexes.

`catch_up()` reads papers and tombstones with change_seq above the watermark, in sequence order, applies
adds, updates, hides and deletes to both indexes, commits them, then writes the new watermark beside them
(replica.py). Because the change counter is locked until each writing transaction commits, everything
below a seen sequence number is visible, so a watermark never skips a change. Embeddings come from the
database too (search.models.Embedding rows, by model and text hash); papers whose embedding arrives later are
picked up by `catch_up` through the embeddings' own watermark (see `_embedding_changes`).

One writer per index directory: an flock on `index/.lock`. `run_loop` is what `paperfeed serve` and
`paperfeed worker` run in a thread; `rebuild_all` builds both indexes afresh beside the live ones and swaps.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import close_old_connections, connections

from paperfeed.papers.changes import database_identity
from paperfeed.papers.models import ChangeCounter, Paper, Tombstone
from paperfeed.search import embeddings_bridge, replica
from paperfeed.search.embedder import paper_text_hash
from paperfeed.search.text_index import TextDoc, TextIndex

log = logging.getLogger(__name__)
STATE_VERSION = 1


def text_doc(paper) -> TextDoc:
    return TextDoc(
        pk=paper.pk,
        title=paper.title,
        abstract=paper.abstract,
        authors=tuple(paper.authors or ()),
        categories=tuple(paper.categories or ()),
        day=paper.submitted_on or paper.announced_on,
    )


@contextmanager
def _writer_lock(base: Path, *, wait: bool):
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# --- embeddings (written by embed_job.py, read through the Embedding model) ---


def current_model_name() -> str | None:
    return embeddings_bridge.model_name()


def _vectors_for(papers: list, model: str | None) -> dict[int, object]:
    """pk -> vector for the papers whose stored embedding is by `model` and matches their current text."""
    if not model or not papers:
        return {}
    return embeddings_bridge.vectors_for({p.pk: paper_text_hash(p.title, p.abstract) for p in papers}, model)


def _embedding_changes(after: int, model: str | None, limit: int) -> tuple[list[int], int]:
    if not model:
        return [], after
    return embeddings_bridge.changed_papers(after, model, limit)


# --- applying changes ---


class _Target:
    """The two indexes being written, opened lazily; the vector index is created at the first vector."""

    def __init__(self, base: Path, state: dict):
        self.base = base
        self.text = TextIndex(replica.text_path(base))
        self.vectors = None
        self.vectors_loaded = False
        self.state = state

    def vector_index(self, dim: int | None):
        if not self.vectors_loaded:
            self.vectors_loaded = True
            path = replica.vector_path(self.base)
            if path.exists():
                try:
                    self.vectors = replica.open_vector_index(path)
                except ImportError:
                    self.vectors = None
        if self.vectors is None and dim:
            self.vectors = replica.new_vector_index(dim, replica.vector_path(self.base))
        return self.vectors

    def apply_papers(self, papers: list, model: str | None) -> None:
        visible = [p for p in papers if not p.hidden]
        vectors = _vectors_for(visible, model)
        for paper in papers:
            if paper.hidden:
                self.remove(paper.pk)
            else:
                self.text.upsert(text_doc(paper))
        self._put_vectors(vectors)
        missing = [p.pk for p in visible if p.pk not in vectors]
        if missing and self.vector_index(None) is not None:
            for pk in missing:  # no embedding, or one of an older text: found by keyword only until `index embed`
                self.vectors.remove(pk)

    def _put_vectors(self, vectors: dict) -> None:
        if not vectors:
            return
        index = self.vector_index(len(next(iter(vectors.values()))))
        if index is None:
            return
        if hasattr(index, "upsert_many"):
            index.upsert_many(list(vectors), np.vstack(list(vectors.values())))
        else:
            for pk, vector in vectors.items():
                index.upsert(pk, vector)

    def apply_vectors(self, pks: list[int], model: str) -> None:
        papers = list(Paper.objects.filter(pk__in=pks, hidden=False).only("pk", "title", "abstract"))
        self._put_vectors(_vectors_for(papers, model))

    def remove(self, pk: int) -> None:
        self.text.remove(pk)
        if self.vector_index(None) is not None:
            self.vectors.remove(pk)

    def commit(self) -> None:
        self.text.commit()
        if self.vectors is not None:
            self.vectors.save()
        self.state["text_docs"] = self.text.num_docs()
        self.state["vectors"] = replica.vector_count(self.vectors) if self.vectors is not None else 0
        replica.write_watermark(self.state, self.base)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _fresh_state(model: str | None) -> dict:
    return {
        "version": STATE_VERSION,
        "seq": 0,
        "embedding_seq": 0,
        "model": model,
        "generation": time.time_ns(),
        "text_docs": 0,
        "vectors": 0,
        "database": database_identity(),
    }


def _pending(seq: int, batch: int):
    """The next `batch` changes above `seq` in sequence order: ("paper", Paper) or ("tomb", Tombstone)."""
    papers = list(Paper.objects.filter(change_seq__gt=seq).order_by("change_seq")[:batch])
    tombs = list(Tombstone.objects.filter(change_seq__gt=seq).order_by("change_seq")[:batch])
    merged = sorted([("paper", p) for p in papers] + [("tomb", t) for t in tombs], key=lambda item: item[1].change_seq)
    return merged[:batch]


def catch_up(limit: int | None = None) -> int:
    """Apply pending changes (at most `limit`) to this host's indexes; returns how many were applied.
    Returns 0 at once when another process is writing the same index directory."""
    base = replica.index_dir()
    with _writer_lock(base, wait=False) as got:
        if not got:
            return 0
        return _catch_up_locked(base, limit)


def _catch_up_locked(base: Path, limit: int | None) -> int:
    model = current_model_name()
    state = replica.read_watermark(base)
    if (
        state.get("version") != STATE_VERSION
        or not replica.text_path(base).exists()
        or state.get("model") != model
        or state.get("database") != database_identity()
    ):
        # Missing, foreign (another database) or other-model indexes: start over from the beginning of the sequence.
        _remove(replica.text_path(base))
        _remove(replica.vector_path(base))
        state = _fresh_state(model)
    batch = settings.PAPERFEED["SEARCH_INDEXER_BATCH"]
    applied = 0
    target = None
    while limit is None or applied < limit:
        changes = _pending(state["seq"], min(batch, limit - applied) if limit else batch)
        emb_pks, emb_seq = _embedding_changes(state.get("embedding_seq", 0), model, batch)
        if not changes and not emb_pks:
            break
        target = target or _Target(base, state)
        papers = [obj for kind, obj in changes if kind == "paper"]
        for kind, obj in changes:
            if kind == "tomb":
                target.remove(obj.paper_pk)
        target.apply_papers(papers, model)
        if emb_pks:
            target.apply_vectors(emb_pks, model)
        if changes:
            state["seq"] = changes[-1][1].change_seq
        state["embedding_seq"] = emb_seq
        target.commit()
        applied += len(changes) + len(emb_pks)
    return applied


def rebuild_all(progress=None) -> int:
    """Build both indexes afresh from the database beside the live ones, then swap them in.
    `progress(done, total)` is called as papers are indexed. Returns the number of papers indexed."""
    base = replica.index_dir()
    with _writer_lock(base, wait=True):
        model = current_model_name()
        staging = base / f".rebuild-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        # Everything up to this sequence number is in the snapshot below; later changes follow by catch_up.
        seq = ChangeCounter.objects.values_list("value", flat=True).first() or 0
        state = _fresh_state(model)
        state["embedding_seq"] = _embedding_changes(0, model, 0)[1] if model else 0
        state["seq"] = seq
        target = _Target(staging, state)
        qs = Paper.objects.filter(hidden=False).order_by("pk")
        total = qs.count()
        done, last_pk, step = 0, 0, 2000
        while True:
            chunk = list(qs.filter(pk__gt=last_pk)[:step])
            if not chunk:
                break
            target.apply_papers(chunk, model)
            done += len(chunk)
            last_pk = chunk[-1].pk
            if progress:
                progress(done, total)
        target.commit()
        for name in ("text", "vectors", "watermark.json"):
            old, new = base / name, staging / name
            _remove(old)
            if new.exists():
                os.replace(new, old)
        shutil.rmtree(staging, ignore_errors=True)
        replica.forget()
    catch_up()
    return done


def run_loop(stop_event, interval: float | None = None) -> None:
    """Catch up every `interval` seconds (SEARCH_INDEXER_INTERVAL) until `stop_event` is set. An error is
    logged and retried at the next tick, never fatal: search keeps serving the last good indexes."""
    interval = settings.PAPERFEED["SEARCH_INDEXER_INTERVAL"] if interval is None else interval
    while not stop_event.is_set():
        try:
            catch_up()
        except Exception:
            log.exception("search indexer: catching up failed; retrying in %.1fs", interval)
        finally:
            close_old_connections()
        stop_event.wait(interval)
    connections.close_all()  # this thread's own connections; the database may be dropped after us (tests)
