"""What a reader does to their For you: Not interested (and its undo), excluded words, the private feed token."""

from __future__ import annotations

from paperfeed.errors import BadRequest
from paperfeed.library import collections
from paperfeed.library.importing import parse_library
from paperfeed.recommend.models import NotInterested, ReaderSettings, new_feed_token
from paperfeed.recommend.signals import mark_stale

MAX_WORDS = 100


def not_interested(user, paper) -> None:
    NotInterested.objects.get_or_create(user=user, paper=paper)


def undo_not_interested(user, paper) -> None:
    for mark in NotInterested.objects.filter(user=user, paper=paper):
        mark.delete()  # one by one, so the signal marks the model stale


def settings_for(user) -> ReaderSettings:
    row, _ = ReaderSettings.objects.get_or_create(user=user)
    return row


def parse_words(raw: str | list) -> list[str]:
    """`-diffusion, large language models` -> ["diffusion", "large language models"]: commas or new lines
    separate, a leading minus is allowed (as in the search syntax)."""
    items = raw if isinstance(raw, list) else str(raw).replace("\n", ",").split(",")
    words = []
    for item in items:
        word = " ".join(str(item).lower().lstrip("-").split())
        if word and word not in words:
            words.append(word[:100])
    if len(words) > MAX_WORDS:
        raise BadRequest(f"At most {MAX_WORDS} excluded words.", code="too_many_words")
    return words


def set_excluded_words(user, raw: str | list) -> list[str]:
    row = settings_for(user)
    row.excluded_words = parse_words(raw)
    row.save(update_fields=["excluded_words"])
    return row.excluded_words


def rotate_feed_token(user) -> str:
    row = settings_for(user)
    row.feed_token = new_feed_token()
    row.save(update_fields=["feed_token"])
    return row.feed_token


def import_library(user, data: bytes, filename: str = "") -> collections.ImportResult:
    """The papers of a library file (BibTeX, RIS, Zotero CSV, a list of arXiv ids or URLs) become likes: saved to
    the reader's Reading list, which is what the profile reads as "saved", so the ranking counts them on the next
    page. The import adds its items in bulk (no save signals), so the model is marked stale here. Bad input
    (empty, over 10 MB, not a library, no arXiv id) raises BadRequest and imports nothing."""
    parsed = parse_library(data, filename)
    result = collections.import_into(collections.default_collection(user), parsed)
    mark_stale(user.pk)
    return result
