"""Which new papers go into a personal digest (follows) or a saved-search alert.

Both look only at papers listed in the period (Listing.created_at in (covers_since, due_at]). A saved search
is read with the search box's own parser (paperfeed.search.query.parse_query: words, "phrases", author:,
cat:) and matched exactly over those papers: every word and phrase in the title, abstract or authors, plus
the operators and the saved filters. Not through hybrid.search on purpose: its fused ranking always returns
the nearest papers (an alert must say "these match", not "these are closest"), its BM25 side ORs the words,
and it reads the host's index replica, which may not have caught up with papers listed minutes ago.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from paperfeed.papers.models import Paper
from paperfeed.search.query import parse_query, words_of


@dataclass(frozen=True)
class Candidate:
    paper_id: int
    arxiv_id: str
    upvotes: int
    categories: frozenset
    authors: frozenset  # normalized names
    text: str  # lower-cased title, abstract and authors, for the keyword fallback


def normalize(value: str) -> str:
    return re.sub(r"\s+", " ", (value or "").strip()).lower()


def window(since: datetime, until: datetime) -> list[Candidate]:
    """Papers listed in (since, until], most upvoted first (by counted votes: young accounts' weigh nothing)."""
    rows = (
        Paper.objects.listable()
        .filter(listing__created_at__gt=since, listing__created_at__lte=until)
        .values_list(
            "pk", "arxiv_id", "counted_votes", "imported_upvotes", "categories", "authors", "title", "abstract"
        )
        .iterator(chunk_size=2000)
    )
    out = []
    for pid, arxiv_id, votes, imported, cats, authors, title, abstract in rows:
        names = [normalize(a) for a in authors or []]
        out.append(
            Candidate(
                pid,
                arxiv_id,
                votes + imported,
                frozenset(normalize(c) for c in cats or []),
                frozenset(names),
                " ".join([title or "", abstract or "", *names]).lower(),
            )
        )
    out.sort(key=lambda c: (-c.upvotes, c.arxiv_id))
    return out


def followed(candidates: list[Candidate], categories: set[str], authors: set[str]) -> list[int]:
    return [c.paper_id for c in candidates if (c.categories & categories) or (c.authors & authors)]


def keyword_matches(candidates: list[Candidate], query: str, filters: dict) -> list[int]:
    """Papers with every word and "phrase" of the query, of an author: and in a cat: it names, and within the
    filters."""
    parsed = parse_query(query)
    words = [w.lower() for w in parsed.words]
    phrases = [" ".join(p).lower() for p in parsed.phrases]
    cats = {normalize(c) for c in [*parsed.categories, *(filters or {}).get("categories", [])] if c}
    operator_authors = [normalize(a) for a in parsed.authors]
    filter_authors = [normalize(a) for a in (filters or {}).get("authors", []) if a]
    out = []
    for c in candidates:
        if cats and not (c.categories & cats):
            continue
        if any(not _author(c, a) for a in operator_authors) or (
            filter_authors and not any(_author(c, a) for a in filter_authors)
        ):
            continue
        text = _words_only(c.text)
        if all(_has(text, w) for w in words) and all(_has(text, p) for p in phrases):
            out.append(c.paper_id)
    return out


def _author(c: Candidate, wanted: str) -> bool:
    parts = wanted.split()
    return any(all(_has(name, part) for part in parts) for name in c.authors)


def _words_only(text: str) -> str:
    return " ".join(words_of(text)).lower()


def _has(text: str, term: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text) is not None


def search_matches(candidates: list[Candidate], query: str, filters: dict) -> list[int]:
    return keyword_matches(candidates, query, filters)
