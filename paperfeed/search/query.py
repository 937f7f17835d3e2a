"""Parsing what a user types into the search box: words, "quoted phrases", author: and cat: operators.

The parser never fails on odd input: unknown syntax is treated as words, stray quotes as spaces. Only three
things are refused, each with a message that says what to do (`BadRequest`): an empty query, a query over
the length limit, and a query with nothing searchable left after punctuation is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings

from paperfeed.errors import BadRequest

# Matches, in order: key:"quoted value", key:value, "quoted phrase", bare token. A quote left open runs to the end.
_TOKEN = re.compile(
    r'(?P<key>author|cat|category):(?:"(?P<kv_quoted>[^"]*)"?|(?P<kv>\S+))|"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)', re.I
)
_WORD = re.compile(r"\w+", re.UNICODE)
_CATEGORY = re.compile(r"^[a-z\-]+(\.[a-z\-]+)?$", re.I)


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into what each index needs; `text` is what the dense side embeds."""

    raw: str
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def text(self) -> str:
        """Free text for the embedding model: words and phrases in their original order of appearance."""
        return " ".join([*self.words, *(" ".join(p) for p in self.phrases)])

    @property
    def all_words(self) -> tuple[str, ...]:
        """Every word the user asked for, phrases included, for BM25 scoring and highlighting."""
        out = list(self.words)
        for phrase in self.phrases:
            out.extend(phrase)
        return tuple(out)


def max_query_chars() -> int:
    return settings.PAPERFEED["SEARCH_MAX_QUERY_CHARS"]


def max_query_terms() -> int:
    return settings.PAPERFEED["SEARCH_MAX_QUERY_TERMS"]


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def parse_query(raw: str | None) -> ParsedQuery:
    """Split `raw` into words, phrases and operators; raise BadRequest when nothing searchable is left."""
    raw = (raw or "").strip()
    if not raw:
        raise BadRequest(
            "Type some words to search for, e.g. `graph neural networks` or `author:Hinton`.", code="empty_query"
        )
    limit = max_query_chars()
    if len(raw) > limit:
        raise BadRequest(
            f"The query is {len(raw):,} characters long; the limit is {limit:,}. Use a few distinctive words instead.",
            code="query_too_long",
        )
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    authors: list[str] = []
    categories: list[str] = []
    notices: list[str] = []
    for m in _TOKEN.finditer(raw):
        if m.group("key"):
            value = (m.group("kv_quoted") if m.group("kv_quoted") is not None else m.group("kv") or "").strip()
            key = m.group("key").lower()
            if key == "author":
                if words_of(value):
                    authors.append(" ".join(words_of(value)))
            elif _CATEGORY.match(value):
                categories.append(value)
            elif value:
                notices.append(f"`cat:{value}` is not an arXiv category like cs.LG; it was ignored.")
        elif m.group("phrase") is not None:
            tokens = tuple(words_of(m.group("phrase")))
            if len(tokens) == 1:
                words.append(tokens[0])
            elif tokens:
                phrases.append(tokens)
        else:
            words.extend(words_of(m.group("word")))
    cap = max_query_terms()
    total = len(words) + sum(len(p) for p in phrases)
    if total > cap:
        notices.append(f"Only the first {cap} words of the query were used.")
        words = words[:cap]
        room = cap - len(words)
        kept = []
        for phrase in phrases:
            if len(phrase) <= room:
                kept.append(phrase)
                room -= len(phrase)
        phrases = kept
    parsed = ParsedQuery(
        raw=raw,
        words=tuple(words),
        phrases=tuple(phrases),
        authors=tuple(dict.fromkeys(authors)),
        categories=tuple(dict.fromkeys(categories)),
        notices=tuple(notices),
    )
    if not (parsed.has_text or parsed.authors or parsed.categories):
        raise BadRequest(
            "The query has no letters or digits to search for. Try words from a title or abstract.",
            code="nothing_to_search",
        )
    return parsed
