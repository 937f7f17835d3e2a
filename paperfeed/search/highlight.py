"""Marking the query's words in titles and abstracts, by the index's own stemming (so "networks" marks
"network"); stop words are not marked, as they are not searched. The text's LaTeX is rendered as on the paper
page (lib/mathtext.render_math) and the marks go on words of its prose only: a word inside a formula stays
unmarked, so the sanitized MathML is never cut. The output is safe HTML, rendered as is."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

from django.utils.safestring import SafeString, mark_safe

from paperfeed.lib.mathtext import render_math
from paperfeed.search.query import ParsedQuery
from paperfeed.search.text_index import analyze, query_tokens

_PIECES = re.compile(r"(\w+)", re.UNICODE)
# A tag of render_math's output; it is nh3's serialisation, so attribute values are always double-quoted.
_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
_CONTROL_WORD = re.compile(r"[A-Za-z]+")
SNIPPET_WORDS = 60


class Terms(frozenset):
    """The query's stems, plus their two-letter heads: a word whose lowercase head is not among them cannot
    stem to a query term (stems keep the word's start), so most words skip the analyzer."""

    heads: frozenset = frozenset()


def query_terms(parsed: ParsedQuery) -> Terms:
    terms = Terms(query_tokens(parsed.all_words))
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


def _mark_plain(text: str, terms: frozenset[str]) -> str:
    out, last = [], 0
    for m in _PIECES.finditer(text):
        if _matches(m.group(), terms):
            out.append(escape(text[last : m.start()], quote=False))
            out.append(f"<mark>{escape(m.group(), quote=False)}</mark>")
            last = m.end()
    out.append(escape(text[last:], quote=False))
    return "".join(out)


def mark(text: str, terms: frozenset[str]) -> SafeString:
    """`text` rendered with its math, and <mark> around the matched words of its prose."""
    html = render_math(text or "")
    if not terms:
        return html
    out, last, in_math = [], 0, 0
    for tag in _TAG.finditer(html):
        between = html[last : tag.start()]
        # Text between tags is escaped HTML: unescaped to find its words, escaped again around the marks.
        out.append(between if in_math else _mark_plain(unescape(between), terms))
        name = tag.group()[1:].split(None, 1)[0].rstrip(">").lower()
        if name == "math":
            in_math += 1
        elif name == "/math":
            in_math = max(0, in_math - 1)
        out.append(tag.group())
        last = tag.end()
    out.append(html[last:] if in_math else _mark_plain(unescape(html[last:]), terms))
    return mark_safe("".join(out))


def _unbreakable_spans(text: str) -> list[tuple[int, int]]:
    """Where a snippet may not start or end: inside a math segment or a brace group (`\\emph{...}`), whose
    source would show raw once cut. An opener without its closer is plain text and protects nothing."""
    spans, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "([":
            closer = "\\)" if text[i + 1] == "(" else "\\]"
            end = text.find(closer, i + 2)
            if end != -1:
                spans.append((i, end + 2))
                i = end + 2
                continue
        elif c == "\\":
            # A control word keeps its argument (`\emph{bridge vectors}`); an escaped character (`\$`, `\{`)
            # opens nothing.
            word = _CONTROL_WORD.match(text, i + 1)
            end = word.end() if word else i + 2
            if word and text.startswith("{", end) and (group := _group_end(text, end)) != -1:
                end = group
            spans.append((i, end))
            i = end
            continue
        elif c == "$":
            opener = "$$" if text.startswith("$$", i) else "$"
            end = _unescaped(text, opener, i + len(opener))
            if end != -1:
                spans.append((i, end + len(opener)))
                i = end + len(opener)
                continue
        elif c == "{":
            end = _group_end(text, i)
            if end != -1:
                spans.append((i, end))
                i = end
                continue
        i += 1
    return spans


def _unescaped(text: str, needle: str, start: int) -> int:
    j = text.find(needle, start)
    while j != -1 and text[j - 1] == "\\":
        j = text.find(needle, j + 1)
    return j


def _group_end(text: str, i: int) -> int:
    depth, j = 0, i
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        j += 1
        if depth == 0:
            return j
    return -1


def snippet(text: str, terms: frozenset[str], words: int = SNIPPET_WORDS) -> SafeString:
    """About `words` words of `text` around its first matched word, with math, marks and ellipses; a cut
    never falls inside a formula or a braced group, which would leave its LaTeX raw."""
    source = " ".join((text or "").split())
    spots = list(_PIECES.finditer(source))
    if len(spots) <= words:
        return mark(source, terms)
    first = next((n for n, m in enumerate(spots) if _matches(m.group(), terms)), 0)
    start = max(0, min(first - 8, len(spots) - words))
    lo = spots[start].start() if start else 0
    hi = spots[start + words - 1].end() if start + words < len(spots) else len(source)
    for a, b in _unbreakable_spans(source):
        if a < lo < b:
            lo = a
        if a < hi < b:
            hi = b
    body = mark(source[lo:hi], terms)
    return mark_safe(("… " if lo else "") + body + (" …" if hi < len(source) else ""))
