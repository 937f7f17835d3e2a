"""A listing page's content (heading, entries, pager) is the same for every reader but for each entry's own
controls: the upvote button and the Save menu. It is rendered once per process with a slot where each control
goes (`<!--pf:vote:PK-->`), kept in the "listings" cache, and each request fills the slots from its reader's
own state: one query for the entries' current counts, one for the reader's votes, two for their saves.

Freshness, per entry exact and per list bounded:
* what an entry shows of its paper (title, authors, comment count, visibility) is compared on every request
  with the paper's row, read with the counts; any difference, or a paper hidden, withdrawn or deleted since,
  renders the content anew, so a signed-in page never shows a stale entry and never a hidden paper;
* counts come from that same read, so a reader's vote shows in the count at once;
* which papers the list holds and their order (new listings, trending as votes move) are at most
  PAGE_CACHE_SECONDS old, the bound the anonymous page cache keeps (runtime/page_cache.py); past half that, one
  request renders the list anew while the others go on with the one they have.

A slot's HTML comes from the filler registered for its kind: papers fills "vote"; the library registers "save"
(LibraryConfig.ready), which papers cannot import.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from paperfeed.papers.entry_controls import csrf_input, vote_form
from paperfeed.papers.models import Paper, Vote

_SLOT = re.compile(r"<!--pf:(\w+):(\d+)-->")


@dataclass(frozen=True)
class Row:
    """One entry's paper as read on this request."""

    arxiv_id: str
    upvotes: int


Filler = Callable[..., dict[int, SafeString]]  # (request, {paper pk: Row}) -> {paper pk: the control's HTML}
_FILLERS: dict[str, Filler] = {}


def register_slot(kind: str, filler: Filler) -> None:
    _FILLERS[kind] = filler


def slot(kind: str, paper_pk: int) -> SafeString:
    """Where the control of this kind goes; the template tag `{% entry_slot %}` writes it."""
    return mark_safe(f"<!--pf:{kind}:{int(paper_pk)}-->")


@dataclass
class _Shared:
    parts: list[str]  # re.split over the slots: text, kind, pk, text, kind, pk, ..., text
    shown: dict[int, tuple]  # paper pk -> what its entry shows (_shown)
    fresh_until: float = 0.0  # past this (half its life), one request renders it anew while others still use it


def _shown(change_seq: int, modified_at: datetime, comment_count: int) -> tuple:
    return (change_seq, modified_at, comment_count)


def _read(pks) -> tuple[dict[int, Row], dict[int, tuple]]:
    rows, shown = {}, {}
    fields = ("pk", "arxiv_id", "vote_count", "imported_upvotes", "change_seq", "modified_at", "comment_count")
    for pk, arxiv_id, votes, imported, seq, modified, comments in (
        Paper.objects.listable().filter(pk__in=list(pks)).values_list(*fields)
    ):
        rows[pk] = Row(arxiv_id, votes + imported)
        shown[pk] = _shown(seq, modified, comments)
    return rows, shown


def content(request, template: str, make_context: Callable[[], dict], *, vary: str = "") -> SafeString:
    """`template` rendered for this reader. `make_context()` gives its context (with `page.items`, the
    listings shown) and is called only when the shared rendering is missing or stale. The content is keyed by
    the path and its parameters (runtime/page_cache.py drops unknown ones) and `vary`, what else it depends on
    (the day `/papers` stands for)."""
    seconds = settings.PAPERFEED["PAGE_CACHE_SECONDS"]
    parts = f"{template}\n{request.path}\n{request.GET.urlencode()}\n{vary}"
    key = "shared:" + hashlib.sha256(parts.encode()).hexdigest()
    cache = caches["listings"]
    shared = cache.get(key) if seconds > 0 else None
    if shared is not None:
        rows, shown = _read(shared.shown)
        if shown != shared.shown:
            shared = None
        elif time.time() >= shared.fresh_until and cache.add(key + ":making", 1, timeout=5):
            # Past half its life: this request renders it anew, the process's other requests meanwhile keep
            # using this one, so an expiry under load never has every thread render the same list at once.
            shared = None
    if shared is None:
        context = make_context()
        html = render_to_string(template, {**context, "slots": True}, request=request)
        papers = [item.paper for item in context["page"].items]
        # What was rendered, not a read after it: a change in between then renders again on the next request.
        rows = {p.pk: Row(p.arxiv_id, p.upvotes) for p in papers}
        shown = {p.pk: _shown(p.change_seq, p.modified_at, p.comment_count) for p in papers}
        shared = _Shared(_SLOT.split(html), shown, time.time() + seconds / 2)
        if seconds > 0:
            cache.set(key, shared, timeout=seconds)
            cache.delete(key + ":making")
    return _fill(request, shared, rows)


def _fill(request, shared: _Shared, rows: dict[int, Row]) -> SafeString:
    parts = shared.parts
    kinds = set(parts[1::3])
    filled = {kind: _FILLERS[kind](request, rows) for kind in kinds if kind in _FILLERS}
    out = [parts[0]]
    for i in range(1, len(parts), 3):
        out.append(filled.get(parts[i], {}).get(int(parts[i + 1]), ""))
        out.append(parts[i + 2])
    return mark_safe("".join(out))


def _votes(request, rows: dict[int, Row]) -> dict[int, SafeString]:
    voted = Vote.objects.paper_ids_voted_by(request.user, list(rows))
    csrf = csrf_input(get_token(request))
    return {pk: vote_form(row.arxiv_id, row.upvotes, pk in voted, csrf) for pk, row in rows.items()}


register_slot("vote", _votes)
