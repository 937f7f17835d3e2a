"""What a user does to a paper: upvote, undo, comment, submit. Views and the API call these."""

from __future__ import annotations

import markdown_it
import nh3
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from paperfeed.errors import BadRequest, Conflict
from paperfeed.ingest import arxiv_api
from paperfeed.ingest.arxiv_ids import parse_arxiv_id
from paperfeed.ingest.store import ingest_records
from paperfeed.papers.models import Comment, Paper, Vote, bump_vote_count, refresh_comment_count

MAX_COMMENT = 10_000
_md = markdown_it.MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
_ALLOWED_TAGS = {"p", "em", "strong", "code", "pre", "a", "ul", "ol", "li", "blockquote", "br"}


def upvote(user, paper: Paper) -> bool:
    """Add the user's vote; False when it was already there. Safe against concurrent identical requests."""
    try:
        with transaction.atomic():
            Vote.objects.create(user=user, paper=paper)
            bump_vote_count(paper.pk, +1)
    except IntegrityError:
        return False
    return True


def undo_upvote(user, paper: Paper) -> bool:
    with transaction.atomic():
        deleted, _ = Vote.objects.filter(user=user, paper=paper).delete()
        if deleted:
            bump_vote_count(paper.pk, -deleted)
    return bool(deleted)


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
    """A safe Markdown subset: raw HTML is never passed through, and the result is sanitized once more."""
    html = _md.render(body)
    return mark_safe(
        nh3.clean(
            html,
            tags=_ALLOWED_TAGS,
            attributes={"a": {"href"}},
            link_rel="nofollow noopener ugc",
            url_schemes={"http", "https", "mailto"},
        )
    )


def submit_paper(text: str, *, user) -> Paper:
    """Put a paper on today's list by arXiv id or URL, fetching its metadata from the arXiv API.

    Raises InvalidArxivId, Conflict (already here), UnknownArxivId or SourceUnavailable, each with a message
    the submitter can act on.
    """
    if not (text or "").strip():
        raise BadRequest("Give an arXiv id like 2401.12345 or an arxiv.org/abs/ URL.", code="invalid_arxiv_id")
    arxiv_id = parse_arxiv_id(text)
    existing = Paper.objects.filter(arxiv_id=arxiv_id.base).select_related("listing").first()
    if existing is not None:
        raise Conflict(
            f"{arxiv_id.base} is already on paperfeed (listed {existing.listing.day:%b %-d, %Y})."
            if hasattr(existing, "listing")
            else f"{arxiv_id.base} is already on paperfeed.",
            code="duplicate_paper",
        )
    record = arxiv_api.fetch_one(arxiv_id)
    record.pop("first_listing_date", None)
    try:
        summary = ingest_records([record], source="submission", list_on=timezone.localdate(), submitted_by=user)
    except IntegrityError:
        raise Conflict(f"{arxiv_id.base} was just submitted by someone else.", code="duplicate_paper") from None
    if summary.rejected:
        raise BadRequest(
            f"arXiv's record for {arxiv_id.base} could not be read; an admin can see why under rejects.",
            code="unreadable_record",
        )
    return Paper.objects.get(arxiv_id=arxiv_id.base)
