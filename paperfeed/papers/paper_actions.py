"""What a user does to a paper: upvote, undo, comment, submit. Views and the API call these."""

from __future__ import annotations

import re

import markdown_it
import nh3
from django.db import IntegrityError, transaction
from django.utils.safestring import SafeString, mark_safe
from mdit_py_plugins.dollarmath import dollarmath_plugin

from paperfeed.errors import BadRequest
from paperfeed.lib.mathtext import render_math
from paperfeed.papers import vote_counts
from paperfeed.papers.models import Comment, Paper, Vote, bump_vote_count, refresh_comment_count

MAX_COMMENT = 10_000
_md = markdown_it.MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
# `$...$` and `$$...$$` as in abstracts; "$5 or $10" and "$ x $" stay prose, and code spans stay code.
dollarmath_plugin(_md, allow_space=False, allow_digits=False, double_inline=True)
# Each formula is rendered by render_math (already sanitized MathML) and put back after the comment's own,
# stricter sanitizing, in place of a private-use marker that a comment cannot contain itself.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")


def _formula_rule(display: bool):
    def rule(self, tokens, idx, options, env) -> str:
        delimiter = "$$" if display else "$"
        env["formulas"].append(render_math(f"{delimiter}{tokens[idx].content.strip()}{delimiter}"))
        return f"{_MARK_OPEN}{len(env['formulas']) - 1}{_MARK_CLOSE}"

    return rule


for _kind, _display in [("math_inline", False), ("math_inline_double", True), ("math_block", True)]:
    _md.add_render_rule(_kind, _formula_rule(_display))
_md.add_render_rule("math_block_label", _formula_rule(True))
_ALLOWED_TAGS = {"p", "em", "strong", "code", "pre", "a", "ul", "ol", "li", "blockquote", "br"}


def upvote(user, paper: Paper) -> bool:
    """Add the user's vote; False when it was already there. Safe against concurrent identical requests.

    The vote shows in the count at once; it moves rankings at once only when the account is old enough, otherwise
    once it is (vote_counts.count_aged_votes)."""
    counted = vote_counts.counts_now(user)
    try:
        with transaction.atomic():
            Vote.objects.create(user=user, paper=paper, counted=counted)
            bump_vote_count(paper.pk, +1, +1 if counted else 0)
    except IntegrityError:
        return False
    return True


def undo_upvote(user, paper: Paper) -> bool:
    with transaction.atomic():
        # Locked, so the counting job cannot flip `counted` between reading it here and the delete.
        vote = Vote.objects.select_for_update().filter(user=user, paper=paper).first()
        if vote is None:
            return False
        vote.delete()
        bump_vote_count(paper.pk, -1, -1 if vote.counted else 0)
    return True


def add_comment(user, paper: Paper, body: str) -> Comment:
    body = (body or "").strip()
    if not body:
        raise BadRequest("A comment needs some text.", code="empty_comment")
    if len(body) > MAX_COMMENT:
        raise BadRequest(f"Comments are limited to {MAX_COMMENT:,} characters.", code="comment_too_long")
    with transaction.atomic():
        comment = Comment.objects.create(user=user, paper=paper, body=body)
        refresh_comment_count(paper.pk)
    return comment


def render_comment(body: str) -> SafeString:
    """A safe Markdown subset with math: raw HTML is never passed through, the Markdown is sanitized once
    more, and formulas are the MathML of render_math."""
    env: dict = {"formulas": []}
    body = (body or "").replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    cleaned = nh3.clean(
        _md.render(body, env),
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        link_rel="nofollow noopener ugc",
        url_schemes={"http", "https", "mailto"},
    )
    return mark_safe(_MARKER.sub(lambda m: env["formulas"][int(m.group(1))], cleaned))
