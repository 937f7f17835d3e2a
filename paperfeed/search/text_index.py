"""The BM25 keyword index: a tantivy index in a directory of its own, one document per visible paper.

Why tantivy: measured here at 100k documents, BM25 OR-queries of 2-4 terms take p50 0.14 ms (block-max WAND)
against 11.5 ms in SQLite FTS5 and 64 ms in PostgreSQL; and being a file beside the app, every host keeps its
own replica and SQLite and PostgreSQL deployments rank identically.

Fields: `body` (title + abstract, English-stemmed: BM25 is scored here), `title` (same analyzer, for the
title boost), `authors` (folded, lowercased words; author: queries are phrases on it), `cats` (raw arXiv
categories), `pk` and `recency` (fast fields: the paper's primary key, and day ordinal * 2^32 + pk, a unique
sort key so "newest" never depends on segment layout). Only the indexer writes; searchers reload on commit.
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tantivy

from paperfeed.search.filters import SearchFilters
from paperfeed.search.query import ParsedQuery

ANALYZER = "paperfeed_en"
NAMES = "paperfeed_names"
SCHEMA_VERSION = 1
WRITER_HEAP = 64_000_000


def _english() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _names() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


_EN = _english()
_NM = _names()


def _stopwords() -> frozenset[str]:
    path = Path(__file__).with_name("stopwords_en.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("|"))


# Words that carry no topic ("that", "from", "which"): a natural-language query would otherwise match almost
# every abstract on them. They stay in the index, so quoted phrases like "theory of mind" still match in full;
# only the query's scoring and the highlights skip them.
STOPWORDS = _stopwords()


def is_stopword(word: str) -> bool:
    return word.lower() in STOPWORDS


def query_tokens(words) -> list[str]:
    """The distinct index terms of `words`, stop words left out, in order."""
    out: list[str] = []
    for word in words:
        if is_stopword(word):
            continue
        for token in analyze(word):
            if token not in out:
                out.append(token)
    return out


def analyze(text: str) -> list[str]:
    """The index's own English analysis (lowercase, ASCII folding, Porter stemming) of `text`."""
    return _EN.analyze(text)


def analyze_name(text: str) -> list[str]:
    return _NM.analyze(text)


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_integer_field("pk", stored=True, indexed=True, fast=True)
    b.add_integer_field("recency", indexed=True, fast=True)
    b.add_text_field("body", tokenizer_name=ANALYZER, index_option="position")
    b.add_text_field("title", tokenizer_name=ANALYZER, index_option="freq")
    b.add_text_field("authors", tokenizer_name=NAMES, index_option="position")
    b.add_text_field("cats", tokenizer_name="raw", index_option="basic")
    return b.build()


SCHEMA = _schema()


@dataclass(frozen=True)
class TextDoc:
    pk: int
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    day: date | None = None


def recency_key(day: date | None, pk: int) -> int:
    return ((day.toordinal() if day else 0) << 32) + pk


def _register(index: tantivy.Index) -> tantivy.Index:
    index.register_tokenizer(ANALYZER, _english())
    index.register_tokenizer(NAMES, _names())
    return index


class TextIndex:
    """One tantivy index directory. `TextIndex(path)` opens it, creating an empty one when missing."""

    def __init__(self, path: Path | str | None):
        self.path = Path(path) if path else None
        if self.path:
            self.path.mkdir(parents=True, exist_ok=True)
            self.index = _register(tantivy.Index(SCHEMA, path=str(self.path), reuse=True))
        else:
            self.index = _register(tantivy.Index(SCHEMA))
        self._writer = None

    @staticmethod
    def destroy(path: Path | str) -> None:
        shutil.rmtree(path, ignore_errors=True)

    # --- writing (the indexer only) ---

    @property
    def writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        return self._writer

    def upsert(self, doc: TextDoc) -> None:
        self.writer.delete_documents_by_term("pk", doc.pk)
        self.add(doc)

    def add(self, doc: TextDoc) -> None:
        """Add without deleting an older copy first: for building a fresh index only."""
        d = tantivy.Document()
        d.add_integer("pk", doc.pk)
        d.add_integer("recency", recency_key(doc.day, doc.pk))
        d.add_text("body", f"{doc.title}\n{doc.abstract}")
        d.add_text("title", doc.title)
        d.add_text("authors", " ; ".join(doc.authors))
        for cat in doc.categories:
            d.add_text("cats", cat.lower())  # cat:cs.lg finds cs.LG
        self.writer.add_document(d)

    def remove(self, pk: int) -> None:
        self.writer.delete_documents_by_term("pk", pk)

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self.index.reload()

    # --- reading ---

    def reload(self) -> None:
        self.index.reload()

    def num_docs(self) -> int:
        return self.index.searcher().num_docs

    def text_query(self, parsed: ParsedQuery, *, title_boost: float = 1.0) -> tantivy.Query | None:
        """BM25 over body (+ boosted title) for every word; quoted phrases must match. None: no text to score."""
        should: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for token in query_tokens(parsed.all_words):
            should.append((tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, "body", token)))
            if title_boost > 0:
                title = tantivy.Query.term_query(SCHEMA, "title", token)
                should.append((tantivy.Occur.Should, tantivy.Query.boost_query(title, title_boost)))
        if not should:
            return None
        scored = tantivy.Query.boolean_query(should)
        phrases = self.phrase_query(parsed)
        if phrases is None:
            return scored
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, scored), (tantivy.Occur.Must, phrases)])

    def bm25_ceiling(self, parsed: ParsedQuery) -> float:
        """The sum of the query terms' BM25 IDFs over `body`: what a document holding each term once, at average
        length, scores. Fusion divides BM25 by it, a scale that means the same for every query."""
        searcher = self.index.searcher()
        n = searcher.num_docs
        total = 0.0
        for token in query_tokens(parsed.all_words):
            df = searcher.doc_freq("body", token)
            if df:
                total += math.log(1 + (n - df + 0.5) / (df + 0.5))
        return total

    def phrase_query(self, parsed: ParsedQuery) -> tantivy.Query | None:
        """Every quoted phrase must appear in title or abstract; scores nothing (the words score)."""
        must = []
        for phrase in parsed.phrases:
            tokens = [t for w in phrase for t in analyze(w)]
            if len(tokens) > 1:
                must.append((tantivy.Occur.Must, tantivy.Query.phrase_query(SCHEMA, "body", tokens)))
            elif tokens:
                must.append((tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "body", tokens[0])))
        if not must:
            return None
        return tantivy.Query.const_score_query(tantivy.Query.boolean_query(must), 0.0)

    def filter_query(self, filters: SearchFilters, parsed: ParsedQuery | None = None) -> tantivy.Query | None:
        """The restrictions of `filters` and of the query's own author:/cat: operators, scoring nothing."""
        clauses = []
        cats = (*filters.categories, *(parsed.categories if parsed else ()))
        authors = (*filters.authors, *(parsed.authors if parsed else ()))
        if cats:
            # Categories are ORed (cat:cs.LG cat:cs.CL = either); authors are ANDed (all named must be authors).
            any_cat = [(tantivy.Occur.Should, tantivy.Query.term_query(SCHEMA, "cats", c.lower())) for c in cats]
            clauses.append(tantivy.Query.boolean_query(any_cat))
        for author in authors:
            tokens = analyze_name(author)
            if not tokens:
                continue
            if len(tokens) == 1:
                clauses.append(tantivy.Query.term_query(SCHEMA, "authors", tokens[0]))
            else:
                clauses.append(tantivy.Query.phrase_query(SCHEMA, "authors", tokens))
        if filters.date_from or filters.date_to:
            low = recency_key(filters.date_from, 0) if filters.date_from else None
            high = recency_key(filters.date_to, (1 << 32) - 1) if filters.date_to else None
            clauses.append(tantivy.Query.range_query(SCHEMA, "recency", tantivy.FieldType.Integer, low, high))
        if not clauses:
            return None
        return tantivy.Query.const_score_query(
            tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in clauses]), 0.0
        )

    def search(self, query: tantivy.Query, limit: int) -> tuple[list[tuple[int, float]], int]:
        """(pk, score) best first, ties by pk so rankings never depend on segment layout; and the match count."""
        searcher = self.index.searcher()
        # Ask for a few more than needed so that a tie at the cut-off is resolved by pk, not by doc address.
        result = searcher.search(query, limit + 16, count=True)
        pks = searcher.fast_field_values("pk", [addr for _, addr in result.hits])
        hits = sorted(zip(pks, (score for score, _ in result.hits)), key=lambda h: (-round(h[1], 5), h[0]))
        return hits[:limit], result.count

    def newest(self, query: tantivy.Query, limit: int) -> tuple[list[tuple[int, int]], int]:
        """(pk, recency) newest first over everything `query` matches."""
        searcher = self.index.searcher()
        result = searcher.search(query, limit, count=True, order_by_field="recency")
        pks = searcher.fast_field_values("pk", [addr for _, addr in result.hits])
        return list(zip(pks, (key for key, _ in result.hits))), result.count

    def restrict(self, pks: list[int], query: tantivy.Query | None) -> dict[int, int]:
        """Which of `pks` are in the index and match `query` (None: any); maps pk -> recency key."""
        if not pks:
            return {}
        clauses = [(tantivy.Occur.Must, tantivy.Query.term_set_query(SCHEMA, "pk", list(pks)))]
        if query is not None:
            clauses.append((tantivy.Occur.Must, query))
        searcher = self.index.searcher()
        result = searcher.search(tantivy.Query.boolean_query(clauses), len(pks), count=False)
        addrs = [addr for _, addr in result.hits]
        return dict(zip(searcher.fast_field_values("pk", addrs), searcher.fast_field_values("recency", addrs)))

    def recency_of(self, pks: list[int]) -> dict[int, int]:
        return self.restrict(pks, None)

    def all_query(self) -> tantivy.Query:
        return tantivy.Query.all_query()
