"""The upvote control of a listing entry and the paper page, as Python rather than a template: a signed-in
listing draws thirty of them per request into the shared page (papers/shared_listing.py), where the template
engine's per-include cost was most of the page's time. vote.js enhances the same markup."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def csrf_input(token: str) -> SafeString:
    """What `{% csrf_token %}` writes (nothing without a token, as when a template renders outside a request)."""
    if not token or token == "NOTPROVIDED":
        return mark_safe("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def vote_form(arxiv_id: str, count: int, voted: bool, csrf_token: str) -> SafeString:
    return format_html(
        '<form class="vote" method="post" action="{}">{}\n'
        '  <input type="hidden" name="action" value="{}">\n'
        '  <button type="submit" class="{}" aria-pressed="{}" title="{}">\n'
        '    <span class="arrow">▲</span><span class="count">{}</span>\n'
        "  </button>\n</form>",
        reverse("paper_vote", args=[arxiv_id]),
        csrf_input(csrf_token),
        "undo" if voted else "up",
        "voted" if voted else "",
        "true" if voted else "false",
        "Undo upvote" if voted else "Upvote",
        count,
    )
