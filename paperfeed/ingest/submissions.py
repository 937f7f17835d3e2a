"""Submitting a paper: a reader puts a paper on today's list by arXiv id or URL, fetched from the arXiv API."""

from __future__ import annotations

from django.db import IntegrityError
from django.utils import timezone

from paperfeed.errors import BadRequest, Conflict
from paperfeed.ingest import arxiv_api
from paperfeed.ingest.store import ingest_records
from paperfeed.papers.arxiv_ids import parse_arxiv_id
from paperfeed.papers.models import Paper


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
        conflict = Conflict(
            f"{arxiv_id.base} is already on paperfeed (listed {existing.listing.day:%b %-d, %Y})."
            if hasattr(existing, "listing")
            else f"{arxiv_id.base} is already on paperfeed.",
            code="duplicate_paper",
        )
        conflict.paper = existing  # the submit page links to it
        raise conflict
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
