"""The site's search: `search(query, *, filters, sort, page, page_size) -> SearchResult`.

BM25 candidates from the text index and cosine candidates from the vector index are fused (fusion.py), then
filtered inside the text index, sorted and paged; only the page's papers are read from the database. The
same `rank` function serves the site and `paperfeed eval beir`, so evaluation figures describe the site.
The query embedding model is embedder.py's `get_embedder()`; when none loads, search is keyword-only and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import tantivy
from django.conf import settings

from paperfeed.errors import BadRequest
from paperfeed.papers.models import Paper
from paperfeed.search import highlight
from paperfeed.search.embedder import get_embedder
from paperfeed.search.filters import SearchFilters
from paperfeed.search.fusion import KEYWORD_MEANING_TOP, FusionParams, fuse
from paperfeed.search.query import ParsedQuery, parse_query
from paperfeed.search.replica import replica
from paperfeed.search.text_index import TextIndex, query_tokens

SORTS = {"relevance": "Relevance", "newest": "Newest", "upvoted": "Most upvoted"}
FILTER_ONLY_DEPTH = 1000  # a query of only cat:/author: operators or filters lists this many newest matches


@dataclass
class Ranked:
    fused: list[tuple[int, float]]
    keyword: list[tuple[int, float]]
    dense: list[tuple[int, float]]
    keyword_total: int


def rank(
    parsed: ParsedQuery,
    *,
    text_index: TextIndex,
    vector_index,
    query_vector,
    filters: SearchFilters,
    params: FusionParams,
) -> Ranked:
    """Fused (pk, score) candidates best first, every one in the text index and meeting the filters."""
    restriction = text_index.filter_query(filters, parsed)
    keyword: list[tuple[int, float]] = []
    total = 0
    text_q = text_index.text_query(parsed, title_boost=params.title_boost)
    if text_q is not None:
        q = (
            text_q
            if restriction is None
            else tantivy.Query.boolean_query([(tantivy.Occur.Must, text_q), (tantivy.Occur.Must, restriction)])
        )
        keyword, total = text_index.search(q, params.keyword_depth)
    dense: list[tuple[int, float]] = []
    if query_vector is not None and vector_index is not None and params.dense_depth > 0:
        # Filters and quoted phrases cut the dense list down, so ask for more when they are present.
        must = restriction
        phrase_q = text_index.phrase_query(parsed)
        if phrase_q is not None:
            must = (
                phrase_q
                if must is None
                else tantivy.Query.boolean_query([(tantivy.Occur.Must, must), (tantivy.Occur.Must, phrase_q)])
            )
        depth = params.dense_depth * (5 if must is not None else 1)
        raw = vector_index.search(query_vector, depth)
        # Only papers still in the text index count: a hidden or deleted paper can never come back through vectors.
        allowed = text_index.restrict([pk for pk, _ in raw], must)
        dense = [(pk, score) for pk, score in raw if pk in allowed][: params.dense_depth]
    ceiling = text_index.bm25_ceiling(parsed) if keyword else 0.0
    cosines: list[float] = []
    if params.method == "learned" and keyword and dense:
        # Do the papers the words find mean what the query means? Their cosines, from the vectors at hand.
        for pk, _ in keyword[:KEYWORD_MEANING_TOP]:
            vector = vector_index.vector(pk)
            if vector is not None:
                cosines.append(float(np.dot(np.asarray(vector, dtype=np.float32), query_vector)))
    fused = fuse(
        keyword, dense, params, ceiling=ceiling, keyword_cosines=cosines, terms=len(query_tokens(parsed.all_words))
    )
    return Ranked(fused, keyword, dense, total)


# --- the site's search ---


@dataclass
class SearchHit:
    """One result. `title_html`/`abstract_html` are escaped HTML with <mark> around matched words."""

    paper: object  # paperfeed.papers.models.Paper
    score: float
    title_html: str
    abstract_html: str
    keyword_rank: int | None = None
    dense_rank: int | None = None


@dataclass
class SearchResult:
    """A page of results. `total` counts the ranked candidates (at most the fusion depths), `keyword_total`
    every keyword match. `semantic` is "complete", "partial" (some papers lack embeddings) or "off" (no model
    or no vector index); `notices` are sentences to show the user."""

    query: str
    parsed: ParsedQuery
    hits: list[SearchHit]
    total: int
    keyword_total: int
    page: int
    page_size: int
    sort: str
    semantic: str
    model_name: str | None
    notices: list[str] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def query_embedder():
    """The embedding model for queries (loaded once per process by embedder.get_embedder); None when no model
    can load, and search goes on keyword-only."""
    return get_embedder()


def _semantic_state(rep, embedder) -> tuple[str, list[str]]:
    if embedder is None:
        return "off", ["Semantic search is off (no embedding model could load): results match keywords only."]
    state = rep.state
    if state.get("model") and state.get("model") != embedder.model_name:
        return "off", [
            f"The semantic index was built with {state.get('model')}, not {embedder.model_name}: "
            "results match keywords only until `paperfeed index rebuild`."
        ]
    docs = state.get("text_docs", 0)
    vectors = state.get("vectors", 0) if rep.vectors is not None else 0
    if vectors < docs:
        return "partial", [
            f"The semantic index is incomplete ({vectors:,} of {docs:,} papers have embeddings; "
            "`paperfeed index embed` adds the rest): the others are found by keyword only."
        ]
    return "complete", []


def parse_sort(raw: str | None) -> str:
    sort = (raw or "relevance").strip().lower()
    if sort not in SORTS:
        raise BadRequest(f"Unknown sort {raw!r}: use one of {', '.join(SORTS)}.", code="bad_sort")
    return sort


def search(
    query: str,
    *,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int | None = None,
    query_vector=None,
) -> SearchResult:
    """Search visible papers. Raises BadRequest (400, with what to do) for empty, too long or unsearchable
    queries and bad sort/page; reads the database only for the page's papers (and votes, for sort=upvoted).
    `query_vector`: the query's embedding when the caller has it already (benchmarks); else it is computed."""
    parsed = parse_query(query)
    sort = parse_sort(sort)
    filters = filters or SearchFilters()
    page_size = page_size or settings.PAPERFEED["SEARCH_PAGE_SIZE"]
    if page < 1 or page_size < 1 or page_size > 200:
        raise BadRequest("page must be 1 or more and page_size between 1 and 200.", code="bad_page")
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise BadRequest("The date range ends before it starts: swap the two dates.", code="bad_date_range")
    rep = replica()
    params = FusionParams.from_settings()
    embedder = query_embedder() if parsed.has_text else None
    semantic, notices = _semantic_state(rep, embedder) if parsed.has_text else ("off", [])
    notices = [*parsed.notices, *notices]
    if parsed.has_text:
        qvec = None
        if semantic != "off" and rep.vectors is not None:
            qvec = query_vector if query_vector is not None else embedder.encode_queries([parsed.text])[0]
        ranked = rank(
            parsed,
            text_index=rep.text,
            vector_index=rep.vectors if semantic != "off" else None,
            query_vector=qvec,
            filters=filters,
            params=params,
        )
        candidates, keyword_total = ranked.fused, ranked.keyword_total
        kw_rank = {pk: i for i, (pk, _) in enumerate(ranked.keyword, 1)}
        dense_rank = {pk: i for i, (pk, _) in enumerate(ranked.dense, 1)}
    else:
        restriction = rep.text.filter_query(filters, parsed) or rep.text.all_query()
        newest, keyword_total = rep.text.newest(restriction, FILTER_ONLY_DEPTH)
        candidates = [(pk, 0.0) for pk, _ in newest]
        kw_rank, dense_rank = {}, {}
    candidates = _sorted(candidates, sort, rep.text)
    start = (page - 1) * page_size
    window = candidates[start : start + page_size]
    papers = Paper.objects.visible().in_bulk([pk for pk, _ in window])
    terms = highlight.query_terms(parsed)
    hits = [
        SearchHit(
            paper=papers[pk],
            score=score,
            title_html=highlight.mark(papers[pk].title, terms),
            abstract_html=highlight.snippet(papers[pk].abstract, terms),
            keyword_rank=kw_rank.get(pk),
            dense_rank=dense_rank.get(pk),
        )
        for pk, score in window
        if pk in papers
    ]
    return SearchResult(
        query=parsed.raw,
        parsed=parsed,
        hits=hits,
        total=len(candidates),
        keyword_total=keyword_total,
        page=page,
        page_size=page_size,
        sort=sort,
        semantic=semantic,
        model_name=embedder.model_name if embedder is not None and semantic != "off" else None,
        notices=notices,
    )


def _sorted(candidates: list[tuple[int, float]], sort: str, text: TextIndex) -> list[tuple[int, float]]:
    if sort == "relevance" or not candidates:
        return candidates
    recency = text.recency_of([pk for pk, _ in candidates])
    if sort == "newest":
        return sorted(candidates, key=lambda c: -recency.get(c[0], 0))
    votes = {
        pk: v + i
        for pk, v, i in Paper.objects.filter(pk__in=[pk for pk, _ in candidates]).values_list(
            "pk",
            "counted_votes",
            "imported_upvotes",  # counted votes, as every ranking (papers/vote_counts.py)
        )
    }
    return sorted(candidates, key=lambda c: (-votes.get(c[0], 0), -recency.get(c[0], 0)))
