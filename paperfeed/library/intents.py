"""What an anonymous visitor asked for (▲, Save or Follow) before being sent to log in, done once they have.

The intent lives in the session, which Django keeps through login (the key changes, the data stays), so the
round trip needs nothing in the URL that a third party could forge into a write. It expires after an hour:
a visitor who wandered off and signs in next week does not upvote by surprise.
"""

from __future__ import annotations

import time

from django.contrib import messages

from paperfeed.accounts import follow_actions
from paperfeed.errors import PaperfeedError
from paperfeed.library import collections
from paperfeed.papers import paper_actions, paper_list

SESSION_KEY = "library_intent"
MAX_AGE_SECONDS = 3600
KINDS = ("save", "upvote", "follow")


def remember(request, kind: str, target: str, detail: str = "") -> None:
    """`target` is the paper's arXiv id (save, upvote) or what to follow; `detail` is the collection's slug for a
    save, or whether an author or a category is followed."""
    if kind in KINDS:
        request.session[SESSION_KEY] = {"kind": kind, "target": target[:200], "detail": detail[:200], "at": time.time()}


def _do(user, kind: str, target: str, detail: str) -> str:
    if kind == "follow":
        follow = follow_actions.follow(user, detail, target)
        return f"Following {follow.value}."
    paper = paper_list.get_paper(target)
    if kind == "upvote":
        paper_actions.upvote(user, paper)
        return f"Upvoted “{paper.title[:80]}”."
    collection, _ = collections.save_paper(user, paper, detail)
    return f"Saved to {collection.name}."


def carry_out(request, user) -> str | None:
    """Do the remembered action for the user who just logged in; the message it left, or None."""
    intent = request.session.pop(SESSION_KEY, None) if hasattr(request, "session") else None
    if not isinstance(intent, dict) or time.time() - float(intent.get("at", 0)) > MAX_AGE_SECONDS:
        return None
    kind = str(intent.get("kind", ""))
    if kind not in KINDS:
        return None
    try:
        text = _do(user, kind, str(intent.get("target", "")), str(intent.get("detail", "")))
    except PaperfeedError as exc:
        messages.error(request, exc.message)
        return exc.message
    messages.success(request, text)
    return text


def carry_out_on_login(sender, request, user, **kwargs) -> None:
    if request is not None:
        carry_out(request, user)
