"""What an anonymous visitor asked for (▲ or Save) before being sent to log in, done once they have.

The intent lives in the session, which Django keeps through login (the key changes, the data stays), so the
round trip needs nothing in the URL that a third party could forge into a write. It expires after an hour:
a visitor who wandered off and signs in next week does not upvote by surprise.
"""

from __future__ import annotations

import time

from django.contrib import messages

from paperfeed.errors import PaperfeedError
from paperfeed.library import collections
from paperfeed.papers import paper_actions, paper_list

SESSION_KEY = "library_intent"
MAX_AGE_SECONDS = 3600
KINDS = ("save", "upvote")


def remember(request, kind: str, arxiv_id: str, slug: str = "") -> None:
    if kind in KINDS:
        request.session[SESSION_KEY] = {"kind": kind, "arxiv_id": arxiv_id[:40], "slug": slug[:200], "at": time.time()}


def carry_out(request, user) -> str | None:
    """Do the remembered action for the user who just logged in; the message it left, or None."""
    intent = request.session.pop(SESSION_KEY, None) if hasattr(request, "session") else None
    if not isinstance(intent, dict) or time.time() - float(intent.get("at", 0)) > MAX_AGE_SECONDS:
        return None
    try:
        paper = paper_list.get_paper(str(intent.get("arxiv_id", "")))
        if intent.get("kind") == "upvote":
            paper_actions.upvote(user, paper)
            text = f"Upvoted “{paper.title[:80]}”."
        else:
            collection, _ = collections.save_paper(user, paper, str(intent.get("slug", "")))
            text = f"Saved to {collection.name}."
    except PaperfeedError as exc:
        messages.error(request, exc.message)
        return exc.message
    messages.success(request, text)
    return text


def carry_out_on_login(sender, request, user, **kwargs) -> None:
    if request is not None:
        carry_out(request, user)
