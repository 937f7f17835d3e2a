"""A collection as a file: BibTeX, CSV and JSON as every other list exports them, and RIS for reference managers."""

from __future__ import annotations

import json

import rispy
from django.core.serializers.json import DjangoJSONEncoder

from paperfeed.lib.site import site_url
from paperfeed.papers import export
from paperfeed.papers.models import Collection, CollectionItem, Paper

FORMATS = {
    "bib": "application/x-bibtex; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "ris": "application/x-research-info-systems; charset=utf-8",
}


def ris_record(paper: Paper) -> dict:
    year = paper.submitted_on or paper.updated_on
    record = {
        "type_of_reference": "JOUR" if paper.journal_ref else "GEN",
        "title": paper.title,
        "authors": list(paper.authors),
        "abstract": paper.abstract,
        "journal_name": paper.journal_ref or f"arXiv:{paper.arxiv_id}",
        "urls": [paper.abs_url, paper.pdf_url],
        "doi": paper.doi or f"10.48550/arXiv.{paper.arxiv_id}",
        "keywords": list(paper.categories),
        "year": str(year.year) if year else "",
    }
    return {k: v for k, v in record.items() if v}


def render(collection: Collection, items: list[CollectionItem], fmt: str, *, include_notes: bool) -> str:
    """The file body; hidden papers are left out, notes and read state only when the owner asks."""
    papers = [item.paper for item in items if not item.paper.hidden]
    if fmt == "bib":
        return export.bibtex(papers)
    if fmt == "csv":
        return export.csv_text(papers)
    if fmt == "ris":
        return rispy.dumps([ris_record(p) for p in papers])
    rows = export.json_rows(papers)
    if include_notes:
        by_id = {item.paper_id: item for item in items}
        for paper, row in zip(papers, rows, strict=True):
            row["note"], row["read"] = by_id[paper.pk].note, by_id[paper.pk].read
    body = {
        "title": collection.name,
        "owner": collection.owner.username,
        "description": collection.description,
        "link": site_url(f"/u/{collection.owner.username}/c/{collection.slug}"),
        "papers": rows,
    }
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
