"""Store: write normalized records in batches; new papers get a listing, new versions update text only.

`ingest_records` is the one entry point every source uses (files, arXiv, Hugging Face, submissions). A record
that fails to normalize goes to the rejects table with its reason; the batch goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from paperfeed.ingest.models import Reject
from paperfeed.ingest.normalize import PaperRecord, RecordError, normalize
from paperfeed.papers import changes
from paperfeed.papers.models import Listing, Paper

BATCH = 1000
TEXT_FIELDS = ("title", "abstract", "authors", "categories", "primary_category", "classes", "comment",
               "journal_ref", "doi", "code_links", "withdrawn")


@dataclass
class Summary:
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def __str__(self) -> str:
        return (f"fetched {self.fetched}, new {self.new}, updated {self.updated}, "
                f"unchanged {self.unchanged}, rejected {self.rejected}")


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _paper_fields(rec: PaperRecord) -> dict:
    return {
        "version": rec.version,
        "title": rec.title,
        "abstract": rec.abstract,
        "authors": rec.authors,
        "authors_text": "; ".join(rec.authors),
        "categories": rec.categories,
        "primary_category": rec.primary_category,
        "classes": rec.classes,
        "comment": rec.comment,
        "journal_ref": rec.journal_ref,
        "doi": rec.doi,
        "code_links": rec.code_links,
        "submitted_on": rec.submitted_on,
        "updated_on": rec.updated_on,
        "announced_on": rec.announced_on,
        "withdrawn": rec.withdrawn,
    }


def _versions(existing: list, rec: PaperRecord) -> list:
    known = {v["version"]: v for v in existing}
    when = rec.updated_on or rec.submitted_on
    known.setdefault(rec.version, {"version": rec.version, "date": when.isoformat() if when else None})
    return [known[k] for k in sorted(known)]


def ingest_records(raw_records: Iterable[dict], *, source: str, list_on: date | None = None,
                   submitted_by=None, submitter_name: str = "", progress=None) -> Summary:
    """Store raw records; returns counts. `list_on` lists new papers on that day when a record has none.

    `progress`, when given, is called with the number of records handled after each batch.
    """
    summary = Summary()
    for chunk in _chunks(raw_records, BATCH):
        summary.fetched += len(chunk)
        records: dict[str, PaperRecord] = {}
        rejects = []
        for raw in chunk:
            try:
                rec = normalize(raw)
            except RecordError as exc:
                rejects.append(Reject(source=source, raw=_dump(raw), reason=str(exc)))
                continue
            records[rec.arxiv_id] = rec  # a later duplicate in one batch wins
        summary.unchanged += len(chunk) - len(rejects) - len(records)  # repeats of an id within one batch
        with transaction.atomic():
            Reject.objects.bulk_create(rejects)
            summary.rejected += len(rejects)
            _store_batch(records, summary, source=source, list_on=list_on, submitted_by=submitted_by,
                         submitter_name=submitter_name)
        if progress:
            progress(len(chunk))
    return summary


def _store_batch(records: dict[str, PaperRecord], summary: Summary, **listing_kw) -> None:
    existing = {p.arxiv_id: p for p in Paper.objects.filter(arxiv_id__in=list(records))}
    new_papers, changed = [], []
    for arxiv_id, rec in records.items():
        paper = existing.get(arxiv_id)
        if paper is None:
            new_papers.append(Paper(arxiv_id=arxiv_id, versions=_versions([], rec), **_paper_fields(rec)))
            continue
        if rec.version < paper.version:
            summary.unchanged += 1  # an older version than we hold never overwrites the newer text
            continue
        fields = _paper_fields(rec)
        fields["versions"] = _versions(paper.versions, rec)
        if all(getattr(paper, k) == v for k, v in fields.items() if v is not None or k in TEXT_FIELDS):
            summary.unchanged += 1
            continue
        for k, v in fields.items():
            if v is not None or k in TEXT_FIELDS:
                setattr(paper, k, v)
        paper.modified_at = timezone.now()
        changed.append(paper)
    if new_papers or changed:
        seq = changes.allocate(len(new_papers) + len(changed))
        for offset, paper in enumerate([*new_papers, *changed]):
            paper.change_seq = seq + offset
    if new_papers:
        Paper.objects.bulk_create(new_papers, batch_size=500)
        # bulk_create returns primary keys on PostgreSQL and SQLite 3.35+, which Django uses here.
        _list_new(new_papers, records, **listing_kw)
        summary.new += len(new_papers)
    if changed:
        Paper.objects.bulk_update(changed, [*_paper_fields(records[changed[0].arxiv_id]), "versions", "modified_at", "change_seq"],
                                  batch_size=500)
        summary.updated += len(changed)


def _list_new(papers: list[Paper], records: dict[str, PaperRecord], *, source: str, list_on: date | None,
              submitted_by, submitter_name: str) -> None:
    fallback = list_on or timezone.localdate()
    Listing.objects.bulk_create(
        [
            Listing(paper=p, day=records[p.arxiv_id].listing_day or fallback, source=source,
                    submitted_by=submitted_by, submitter_name=submitter_name)
            for p in papers
        ],
        batch_size=500,
    )


def _dump(raw) -> str:
    try:
        return json.dumps(raw, ensure_ascii=False, default=str)[:100_000]
    except (TypeError, ValueError):
        return repr(raw)[:100_000]
