"""Marking the query's words in titles and abstracts, by the index's own stemming (so "networks" marks
"network"). Output is escaped HTML with <mark> around matches, safe to render as is."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from paperfeed.search.query import ParsedQuery
from paperfeed.search.text_index import analyze

_PIECES = re.compile(r"(\w+)", re.UNICODE)
SNIPPET_WORDS = 60


class Terms(frozenset):
    """The query's stems, plus their two-letter heads: a word whose lowercase head is not among them cannot
    stem to a query term (stems keep the word's start), so most words skip the analyzer."""

    heads: frozenset = frozenset()


def query_terms(parsed: ParsedQuery) -> Terms:
    terms = Terms(t for w in parsed.all_words for t in analyze(w))
    terms.heads = frozenset(t[:2] for t in terms)
    return terms


@lru_cache(maxsize=200_000)
def _stems(word: str) -> tuple[str, ...]:
    # Abstracts repeat their words across results and requests; the analyzer call is the expensive part.
    return tuple(analyze(word))


def _matches(word: str, terms: frozenset[str]) -> bool:
    heads = getattr(terms, "heads", None)
    if heads and word.isascii() and word[:2].lower() not in heads:
        return False
    return bool(terms) and any(t in terms for t in _stems(word))


def mark(text: str, terms: frozenset[str]) -> SafeString:
    text = text or ""
    if not terms:
        return mark_safe(escape(text, quote=False))
    out, last = [], 0
    for m in _PIECES.finditer(text):
        if _matches(m.group(), terms):
            out.append(escape(text[last : m.start()], quote=False))
            out.append(f"<mark>{escape(m.group(), quote=False)}</mark>")
            last = m.end()
    out.append(escape(text[last:], quote=False))
    return mark_safe("".join(out))


def snippet(text: str, terms: frozenset[str], words: int = SNIPPET_WORDS) -> SafeString:
    """About `words` words of `text` around its first matched word, with marks and ellipses."""
    pieces = _PIECES.split(" ".join((text or "").split()))
    word_idx = list(range(1, len(pieces), 2))
    if len(word_idx) <= words:
        return mark("".join(pieces), terms)
    first = next((n for n, i in enumerate(word_idx) if _matches(pieces[i], terms)), 0)
    start = max(0, min(first - 8, len(word_idx) - words))
    lo = word_idx[start] if start else 0
    hi = word_idx[start + words - 1] + 1 if start + words < len(word_idx) else len(pieces)
    body = mark("".join(pieces[lo:hi]), terms)
    return mark_safe(("… " if start else "") + body + (" …" if hi < len(pieces) else ""))
