"""The embed job: embeds papers that have no embedding, or a stale one (their text or the model changed).

Resumable by construction: each batch is encoded, then written in its own transaction, so a Ctrl-C or a
kill -9 loses at most the batch in flight, and the next run starts from what the database says is missing.
Vectors also go to the (model, text hash) cache (embedder.cached_encode) before the database, so a re-run
after a crash, a database rebuilt from scratch or an evaluation over the same texts encodes nothing again.
Papers are taken in chunks, and each chunk is sorted by text length before it is cut into batches: batches
of similar lengths waste little compute on padding.

A re-embedded paper gets a new Embedding row (delete + insert), and every written row takes a number from the
change sequence (`seq`), so indexers that follow embeddings by row id or by `seq` both see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from paperfeed.papers import changes
from paperfeed.papers.models import Paper
from paperfeed.search.embedder import Embedder, VectorCache, cached_encode, embedding_text, get_embedder, text_hash
from paperfeed.search.models import Embedding, encode_vector

CHUNK_BATCHES = 16  # batches per length-sorted chunk


@dataclass
class EmbedSummary:
    model_name: str | None = None
    candidates: int = 0  # papers looked at (missing, other model, or text maybe changed)
    embedded: int = 0  # rows written
    encoded: int = 0  # texts the model actually ran on (the rest came from the cache)
    unchanged: int = 0  # candidates whose text hash still matched
    error: str = ""


def _candidates(model_name: str):
    """Visible papers without an embedding by this model, or whose row was written before their last change."""
    current = Embedding.objects.filter(paper=OuterRef("pk"), model_name=model_name)
    fresh = current.filter(seq__gte=OuterRef("change_seq"))
    return Paper.objects.visible().filter(~Q(Exists(fresh))).annotate(has_current=Exists(current))


def count_pending(model_name: str) -> int:
    return _candidates(model_name).count()


def stale_count(model_name: str) -> int:
    """Visible papers with an embedding that is stale: another model, or a text hash that no longer matches."""
    other = Embedding.objects.filter(paper__hidden=False).exclude(model_name=model_name).count()
    stale = 0
    qs = _candidates(model_name).filter(has_current=True).values_list("pk", "title", "abstract", "embedding__text_hash")
    for _, title, abstract, digest in qs.iterator(chunk_size=2000):
        stale += text_hash(embedding_text(title, abstract)) != digest
    return other + stale


def write_embeddings(rows: list[tuple[int, str, object]], model_name: str, dim: int) -> None:
    """Replace the embeddings of these papers in one transaction, each row with a fresh sequence number."""
    with transaction.atomic():
        pks = [pk for pk, _, _ in rows]
        Embedding.objects.filter(paper_id__in=pks).delete()
        first = changes.allocate(len(rows))
        Embedding.objects.bulk_create(
            [
                Embedding(
                    paper_id=pk,
                    model_name=model_name,
                    text_hash=digest,
                    dim=dim,
                    vector=encode_vector(vec),
                    seq=first + n,
                )
                for n, (pk, digest, vec) in enumerate(rows)
            ]
        )


def _touch(pks: list[int]) -> None:
    """Same text, same model: only record that the row is current again (a new seq, same vector)."""
    with transaction.atomic():
        first = changes.allocate(len(pks))
        for n, pk in enumerate(pks):
            Embedding.objects.filter(paper_id=pk).update(seq=first + n)


def embed_missing(
    *,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    limit: int | None = None,
    embedder: Embedder | None = None,
) -> EmbedSummary:
    """Embed the papers that need it, at most `limit`; `progress(done, total)` after each batch."""
    embedder = embedder or get_embedder()
    if embedder is None:
        return EmbedSummary(error="no embedding model could load (see the log); keyword search still works")
    batch_size = batch_size or settings.PAPERFEED["EMBEDDING_BATCH_SIZE"]
    model_name = embedder.model_name
    summary = EmbedSummary(model_name=model_name)
    total = count_pending(model_name)
    if limit is not None:
        total = min(total, limit)
    cache = VectorCache(model_name, embedder.dim)
    done, last_pk = 0, 0
    try:
        while done < total:
            want = min(batch_size * CHUNK_BATCHES, total - done)
            # Walking by pk keeps a chunk's query cheap and never revisits a paper within one run.
            chunk = list(
                _candidates(model_name)
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", "title", "abstract", "has_current", "embedding__text_hash")[:want]
            )
            if not chunk:
                break
            last_pk = chunk[-1][0]
            summary.candidates += len(chunk)
            todo, same = [], []
            for pk, title, abstract, has_current, old_hash in chunk:
                text = embedding_text(title, abstract)
                digest = text_hash(text)
                if has_current and digest == old_hash:
                    same.append(pk)
                else:
                    todo.append((pk, text, digest))
            if same:
                _touch(same)
                summary.unchanged += len(same)
                done += len(same)
            todo.sort(key=lambda item: len(item[1]))
            for start in range(0, len(todo), batch_size):
                batch = todo[start : start + batch_size]
                before = cache.get_many([d for _, _, d in batch])
                vectors = cached_encode(
                    [t for _, t, _ in batch],
                    embedder,
                    batch_size=batch_size,
                    hashes=[d for _, _, d in batch],
                    cache=cache,
                )
                summary.encoded += sum(1 for _, _, d in batch if d not in before)
                write_embeddings([(pk, d, vectors[i]) for i, (pk, _, d) in enumerate(batch)], model_name, embedder.dim)
                summary.embedded += len(batch)
                done += len(batch)
                if progress:
                    progress(done, total)
            if same and progress:
                progress(done, total)
    finally:
        cache.close()
    return summary
