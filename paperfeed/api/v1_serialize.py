"""Model objects to /api/v1 dictionaries (the shapes are in v1_schemas)."""

from __future__ import annotations

from paperfeed.lib.mathtext import plain_math
from paperfeed.lib.site import site_url
from paperfeed.papers.models import Listing, Paper


def plain(text: str) -> str:
    """arXiv's LaTeX as readable text (math in Unicode), as the paper page and feeds show it."""
    return " ".join(plain_math(text or "").split())


def paper(p: Paper, listing: Listing | None = None) -> dict:
    if listing is None:
        listing = p.listing_or_none()
    return {
        "id": p.arxiv_id,
        "version": p.version,
        "title": plain(p.title),
        "abstract": plain(p.abstract),
        "title_source": p.title,
        "abstract_source": p.abstract,
        "authors": p.authors,
        "categories": p.categories,
        "primary_category": p.primary_category,
        "comment": p.comment,
        "journal_ref": p.journal_ref,
        "doi": p.doi,
        "code_links": p.code_links,
        "submitted_on": p.submitted_on,
        "updated_on": p.updated_on,
        "withdrawn": p.withdrawn,
        "upvotes": p.upvotes,
        "num_comments": p.comment_count,
        "listed_on": listing.day if listing else None,
        "submitted_by": (listing.submitter or None) if listing else None,
        "url": site_url(p.get_absolute_url()),
        "abs_url": p.abs_url,
        "pdf_url": p.pdf_url,
    }


def page(result, page_size: int) -> dict:
    return {
        "items": [paper(item.paper, item) for item in result.items],
        "page": result.number,
        "page_size": page_size,
        "total": result.total,
        "has_next": result.has_next,
    }
