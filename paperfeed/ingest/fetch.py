"""Fetch: the outbound requests of every source, made through `paperfeed.lib.http` with arXiv's manners.

arXiv asks for one connection at a time and at least 3 s between requests from one client; `arxiv_get`
holds the installation-wide turn (`http.Pace`) for that. Hugging Face gets the same retries and back-off on
its own, unpaced, turn.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from paperfeed.lib import http


def arxiv_pace() -> http.Pace:
    return http.Pace("arxiv", settings.PAPERFEED["ARXIV_MIN_INTERVAL"])


def arxiv_get(url: str, *, params: dict | None = None, patient: bool = True, retry_if=None) -> httpx.Response:
    """GET from arXiv on this installation's turn.

    patient: retry per ARXIV_MAX_TRIES / ARXIV_RETRY_AFTER (commands, jobs). Not patient (a web request):
    one try, and give up when another process keeps the turn longer than HTTP_TIMEOUT.
    """
    conf = settings.PAPERFEED
    return http.polite_get(
        url,
        params=params,
        what="arXiv",
        pace=arxiv_pace(),
        tries=conf["ARXIV_MAX_TRIES"] if patient else 1,
        retry_after=conf["ARXIV_RETRY_AFTER"],
        lock_timeout=None if patient else conf["HTTP_TIMEOUT"],
        retry_if=retry_if,
    )


def hf_get(url: str, *, params: dict | None = None, retry_if=None) -> httpx.Response:
    conf = settings.PAPERFEED
    return http.polite_get(
        url,
        params=params,
        what="Hugging Face",
        pace=http.Pace("huggingface", 0.0),
        tries=conf["ARXIV_MAX_TRIES"],
        retry_after=conf["ARXIV_RETRY_AFTER"],
        retry_if=retry_if,
    )
