"""The upvote control of a listing entry and the paper page, as Python rather than a template: a signed-in
listing fills thirty of them per request into the shared content (papers/shared_listing.py), where the template
engine's per-include cost was most of the page's time. vote.js enhances the same markup.

Values are escaped once each (django.utils.html.escape) and joined with str.format, which is where the time went
when each control was a format_html of format_html's."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_VOTE = """<form class="vote" method="post" action="{action}">{csrf}
  <input type="hidden" name="action" value="{value}">
  <button type="submit" class="{css}" aria-pressed="{pressed}" title="{title}">
    <span class="arrow">▲</span><span class="count">{count}</span>
  </button>
</form>"""


def csrf_input(token: str) -> SafeString:
    """What `{% csrf_token %}` writes (nothing without a token, as when a template renders outside a request)."""
    if not token or token == "NOTPROVIDED":
        return mark_safe("")
    return mark_safe(f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">')


def vote_form(arxiv_id: str, count: int, voted: bool, csrf: SafeString) -> SafeString:
    """`csrf`: the request's csrf_input, made once for all the entries of a page."""
    return mark_safe(
        _VOTE.format(
            action=escape(reverse("paper_vote", args=[arxiv_id])),
            csrf=csrf,
            value="undo" if voted else "up",
            css="voted" if voted else "",
            pressed="true" if voted else "false",
            title="Undo upvote" if voted else "Upvote",
            count=int(count),
        )
    )
