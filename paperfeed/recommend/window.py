"""The For-you window's papers as arrays, read with one query per request and cached per process.

A request reads the window's listings from the listing table (listing, paper and ranked votes: three integers
a row, no join with the papers' wide rows), the change counter and the newest embedding's seq. Everything
slower to read or decode, which papers are listable, their vectors, categories, title+abstract and author text,
is kept per process for the window and reused while the same listings are there, the change counter is where
it was (papers/changes.py: every change to a paper's text, categories or visibility advances it) and no newer
embedding was written; so a cached window is never staler than the database. Votes change without the
counter and are read fresh each time. Excluded words, followed authors and saved searches are then substring
look-ups in the cached text's distinct chunks (Texts), not LIKE scans over the window's abstracts.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection
from django.db.models import Max

from paperfeed.papers.models import ChangeCounter, Listing, Paper
from paperfeed.recommend import vectors
from paperfeed.search.models import Embedding

SEP = "\x00"  # between title and abstract and between rows: no search word holds it, so no match spans two


@dataclass
class Texts:
    """Each row's lower-cased fields, searchable for substrings as `icontains` finds them, without scanning
    them all: a word without whitespace can only occur inside one whitespace-free chunk of a field, so the
    search runs over the window's distinct chunks (a tenth of its text) and takes their rows from postings;
    a phrase's rows are those holding each of its pieces, checked against the row's own text."""

    blob: bytes  # the rows' fields, UTF-8, each followed by SEP, row after row
    starts: list[int]  # where each row starts in `blob`
    vocab: bytes  # the distinct chunks, each followed by SEP
    vocab_starts: list[int]
    indptr: np.ndarray  # the rows of chunk k: rows[indptr[k]:indptr[k + 1]]
    rows: np.ndarray

    @classmethod
    def of(cls, fields: list[tuple[str, ...]]) -> Texts:
        parts, chunks, postings = [], {}, []
        for row, values in enumerate(fields):
            parts.append("".join(f"{v.replace(SEP, ' ')}{SEP}" for v in values).encode())
            for chunk in {c for v in values for c in v.replace(SEP, " ").split()}:
                k = chunks.setdefault(chunk, len(chunks))
                postings.append((k, row))
        pairs = np.array(postings, np.int64).reshape(-1, 2)
        pairs = pairs[np.argsort(pairs[:, 0], kind="stable")]
        indptr = np.searchsorted(pairs[:, 0], np.arange(len(chunks) + 1))
        vocab = [f"{c}{SEP}".encode() for c in chunks]
        return cls(b"".join(parts), _starts(parts), b"".join(vocab), _starts(vocab), indptr, pairs[:, 1].copy())

    def holding(self, word: str) -> np.ndarray:
        """Rows with `word` (lower-cased already) as a substring of one of their fields."""
        pieces = word.split()
        if not pieces or SEP in word:
            return np.zeros(len(self.starts), bool)
        hit = np.logical_and.reduce([self._piece(p) for p in pieces])
        if pieces != [word]:  # a phrase: each piece is in the row, now the phrase itself
            needle = word.encode()
            ends = self.starts[1:] + [len(self.blob)]
            for row in np.flatnonzero(hit):
                hit[row] = self.blob.find(needle, self.starts[row], ends[row]) != -1
        return hit

    def _piece(self, piece: str) -> np.ndarray:
        hit = np.zeros(len(self.starts), bool)
        ks = np.flatnonzero(_rows_holding(self.vocab, self.vocab_starts, piece))
        if len(ks):
            lengths = self.indptr[ks + 1] - self.indptr[ks]
            first = np.repeat(self.indptr[ks] - np.cumsum(lengths) + lengths, lengths)
            hit[self.rows[first + np.arange(int(lengths.sum()))]] = True
        return hit


@dataclass
class Window:
    key: tuple
    all_rows: np.ndarray  # (listing pk, paper pk) of every listing of the window, listable or not
    at: np.ndarray  # the rows of all_rows whose paper is listable: the window's papers
    listing_ids: np.ndarray  # (n,) int64, in listing pk order
    paper_ids: np.ndarray  # (n,) int64
    matrix: np.ndarray  # (n, dim) float32; a paper without a vector has a zero row
    categories: dict[str, np.ndarray]  # lower-cased category -> its rows
    text: Texts  # each row's lower-cased title and abstract
    authors: Texts  # each row's lower-cased authors_text

    def __len__(self) -> int:
        return len(self.paper_ids)

    def in_categories(self, categories: set[str]) -> np.ndarray:
        """Rows in any of `categories` (lower-cased)."""
        hit = np.zeros(len(self.paper_ids), bool)
        for category in categories:
            if (rows := self.categories.get(category)) is not None:
                hit[rows] = True
        return hit

    def holding(self, word: str) -> np.ndarray:
        """Rows whose title or abstract holds `word` (case-insensitive substring, as icontains)."""
        return self.text.holding(word.lower())

    def by_author(self, name: str) -> np.ndarray:
        """Rows whose author text holds `name` (case-insensitive substring)."""
        return self.authors.holding(name.lower())


def _rows_holding(blob: bytes, starts: list[int], word: str) -> np.ndarray:
    """bytes.find over the joined rows; after a hit the search goes on from the next row, so a common word costs
    no more than a rare one (UTF-8: a UTF-8 word matches only whole characters)."""
    hits = np.zeros(len(starts), bool)
    if not word or SEP in word:
        return hits
    needle = word.encode()
    at = blob.find(needle)
    while at != -1:
        row = bisect_right(starts, at) - 1
        hits[row] = True
        if row + 1 >= len(starts):
            break
        at = blob.find(needle, starts[row + 1])
    return hits


_CACHE: dict[tuple, Window] = {}
MAX_WINDOWS = 4  # day, week and month of today, and one left from yesterday


def clear() -> None:
    _CACHE.clear()


def _rows(since: date, until: date) -> np.ndarray:
    """(listing pk, paper pk, ranked votes) of every listing of the window, from the listing table alone (no
    join with the papers' wide rows), through the cursor (Django's row objects cost more than the query)."""
    qs = (
        Listing.objects.filter(day__gte=since, day__lte=until)
        .order_by("pk")
        .values_list("pk", "paper_id", "rank_votes")
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)


def read(since: date, until: date, model: str | None) -> tuple[Window, np.ndarray]:
    """The listable papers listed from `since` to `until`, and their popularity now (ranked votes)."""
    # The key first, the papers after: a change committed in between is then in the rows a key stands for, and
    # the next request, seeing the new key, reads them again; never the other way round.
    # The counter's value, and its database's identity: a database restored or rolled back (as between tests)
    # repeats values, and its papers can differ under the same pks.
    changed = ChangeCounter.objects.filter(pk=1).values_list("value", "instance").first()
    # Each one step down an index (two aggregates in one query would scan the table in SQLite): a vector
    # written with a new seq, or a new row.
    newest = (Embedding.objects.aggregate(m=Max("seq"))["m"], Embedding.objects.aggregate(m=Max("pk"))["m"])
    rows = _rows(since, until)
    key = (model, since, until, changed, newest)
    cached = _CACHE.get(key)
    # The same key with other listings (one added or moved, a database restored to an older state) is read again.
    if cached is None or not np.array_equal(cached.all_rows, rows[:, :2]):
        cached = _read(key, rows[:, :2].copy(), model)
        if len(_CACHE) >= MAX_WINDOWS:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    # Ranked votes (counted votes + imported, what the site's rankings sort by) are kept on the listing row by
    # triggers, so they are read fresh on every request at no cost.
    return cached, rows[cached.at, 2].astype(np.float64)


def _read(key: tuple, all_rows: np.ndarray, model: str | None) -> Window:
    ids = [int(pk) for pk in all_rows[:, 1]]
    meta: dict[int, tuple] = {}
    fields = ("pk", "title", "abstract", "authors_text", "categories")
    for start in range(0, len(ids), 900):
        batch = Paper.objects.listable().filter(pk__in=ids[start : start + 900]).values_list(*fields)
        for pk, title, abstract, authors, cats in batch:
            meta[pk] = (title or "", abstract or "", authors or "", cats or [])
    at = np.array([i for i, pk in enumerate(ids) if pk in meta], np.int64)
    ids = [ids[i] for i in at]
    texts: list[tuple[str, ...]] = []
    names: list[tuple[str, ...]] = []
    categories: dict[str, list[int]] = {}
    for row, pk in enumerate(ids):
        title, abstract, authors, cats = meta[pk]
        texts.append((title.lower(), abstract.lower()))
        names.append((authors.lower(),))
        for category in {str(c).lower() for c in cats}:
            categories.setdefault(category, []).append(row)
    found = vectors.vectors_of(ids, model) if model else {}
    return Window(
        key=key,
        all_rows=all_rows,
        at=at,
        listing_ids=all_rows[at, 0],
        paper_ids=all_rows[at, 1],
        matrix=vectors.matrix(ids, found),
        categories={c: np.array(rows, np.int64) for c, rows in categories.items()},
        text=Texts.of(texts),
        authors=Texts.of(names),
    )


def _starts(parts: list[bytes]) -> list[int]:
    out, at = [], 0
    for part in parts:
        out.append(at)
        at += len(part)
    return out
