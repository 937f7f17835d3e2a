"""Store: write normalized records in batches; new papers get a listing, new versions update text only.

`ingest_records` is the one entry point every source uses (files, arXiv, Hugging Face, submissions). A record
that fails to normalize goes to the rejects table with its reason; the batch goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from paperfeed.ingest.models import Reject
from paperfeed.ingest.normalize import PaperRecord, RecordError, Unreadable, normalize
from paperfeed.papers import changes
from paperfeed.papers.models import Listing, Paper

BATCH = 1000
TEXT_FIELDS = (
    "title",
    "abstract",
    "authors",
    "categories",
    "primary_category",
    "classes",
    "comment",
    "journal_ref",
    "doi",
    "code_links",
    "withdrawn",
)


@dataclass
class Summary:
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0  # fetched but outside the categories asked for

    def __str__(self) -> str:
        text = (
            f"fetched {self.fetched}, new {self.new}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )
        return text + (f", skipped {self.skipped} (other categories)" if self.skipped else "")

    def add(self, other: Summary) -> None:
        for name in ("fetched", "new", "updated", "unchanged", "rejected", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


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
    for v in rec.versions:
        known[v["version"]] = v
    if rec.version:
        when = rec.updated_on or rec.submitted_on
        known.setdefault(rec.version, {"version": rec.version, "date": when.isoformat() if when else None})
    return [known[k] for k in sorted(known)]


def ingest_records(
    raw_records: Iterable[dict],
    *,
    source: str,
    list_on: date | None = None,
    submitted_by=None,
    submitter_name: str = "",
    progress=None,
) -> Summary:
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
            _store_batch(
                records,
                summary,
                source=source,
                list_on=list_on,
                submitted_by=submitted_by,
                submitter_name=submitter_name,
            )
        if progress:
            progress(len(chunk))
    return summary


def _updates(paper: SimpleNamespace, rec: PaperRecord) -> dict:
    """The fields of `paper` that `rec` changes; empty when it changes nothing."""
    updates = {}
    if rec.imported_upvotes is not None and rec.imported_upvotes != paper.imported_upvotes:
        updates["imported_upvotes"] = rec.imported_upvotes
    # An older version than we hold never overwrites the newer text; a copy of arXiv's text kept by
    # another site (Hugging Face) only fills in papers we lack.
    if not rec.text_authoritative or (rec.version and rec.version < paper.version):
        return updates
    fields = _paper_fields(rec)
    if not rec.version:
        fields["version"] = paper.version
    fields["versions"] = _versions(paper.versions, rec)
    for k, v in fields.items():
        if (v is not None or k in TEXT_FIELDS) and getattr(paper, k) != v:
            updates[k] = v
    return updates


_COMPARED = (
    "pk",
    "arxiv_id",
    "version",
    "versions",
    "imported_upvotes",
    "title",
    "abstract",
    "authors",
    "authors_text",
    "categories",
    "primary_category",
    "classes",
    "comment",
    "journal_ref",
    "doi",
    "code_links",
    "submitted_on",
    "updated_on",
    "announced_on",
    "withdrawn",
)


def _existing(arxiv_ids: list[str]) -> dict[str, SimpleNamespace]:
    """What the database holds of these papers, as plain rows: a re-import compares every record with them,
    and building model instances for that costs more than the comparison itself."""
    rows = Paper.objects.filter(arxiv_id__in=arxiv_ids).values(*_COMPARED)
    return {row["arxiv_id"]: SimpleNamespace(**row) for row in rows}


def _as_model(row: SimpleNamespace, fields: set[str]) -> Paper:
    """A Paper holding the row's pk and `fields`, for bulk_update (which writes by pk and needs nothing else)."""
    return Paper(pk=row.pk, **{f: getattr(row, f) for f in fields})


def _store_batch(records: dict[str, PaperRecord], summary: Summary, **listing_kw) -> None:
    existing = _existing(list(records))
    new_papers, changed, counts_only = [], [], []
    changed_fields: set[str] = set()
    for arxiv_id, rec in records.items():
        paper = existing.get(arxiv_id)
        if paper is None:
            fields = _paper_fields(rec)
            fields.update(
                arxiv_id=arxiv_id,
                version=rec.version or 1,
                versions=_versions([], rec),
                imported_upvotes=rec.imported_upvotes or 0,
            )
            new_papers.append(fields)
            continue
        updates = _updates(paper, rec)
        if not updates:
            summary.unchanged += 1
            continue
        for k, v in updates.items():
            setattr(paper, k, v)
        if set(updates) == {"imported_upvotes"}:
            counts_only.append(paper)  # a count is not searchable text: no new change sequence number
            continue
        changed_fields.update(updates)
        paper.modified_at = timezone.now()
        changed.append(paper)
    if new_papers or changed:
        seq = changes.allocate(len(new_papers) + len(changed))
        for offset, fields in enumerate(new_papers):
            fields["change_seq"] = seq + offset
        for offset, paper in enumerate(changed, len(new_papers)):
            paper.change_seq = seq + offset
    if new_papers:
        _list_new(_insert_papers(new_papers), records, **listing_kw)
        summary.new += len(new_papers)
    if changed:
        fields = changed_fields | {"modified_at", "change_seq", "imported_upvotes"}
        Paper.objects.bulk_update([_as_model(p, fields) for p in changed], sorted(fields), batch_size=500)
        summary.updated += len(changed)
    if counts_only:
        Paper.objects.bulk_update(
            [_as_model(p, {"imported_upvotes"}) for p in counts_only], ["imported_upvotes"], batch_size=500
        )
        summary.updated += len(counts_only)
    _name_submitters([p for p in existing.values() if records[p.arxiv_id].submitter_name], records)


def _name_submitters(papers: list[SimpleNamespace], records: dict[str, PaperRecord]) -> None:
    """A paper listed before anyone was named as its submitter takes the name an import gives."""
    if not papers:
        return
    unnamed = list(Listing.objects.filter(paper_id__in=[p.pk for p in papers], submitted_by=None, submitter_name=""))
    by_pk = {p.pk: p for p in papers}
    for listing in unnamed:
        listing.submitter_name = records[by_pk[listing.paper_id].arxiv_id].submitter_name
    if unnamed:
        Listing.objects.bulk_update(unnamed, ["submitter_name"])


def mark_withdrawn(arxiv_ids: Iterable[str]) -> int:
    """Withdraw the papers arXiv deleted: out of listings, trending and digests, page kept with a notice."""
    return changes.mark_changed(Paper.objects.filter(arxiv_id__in=list(arxiv_ids), withdrawn=False), withdrawn=True)


def _fast_insert(model, fields: list, rows: list[tuple]) -> None:
    """INSERT `rows` (values already in database form) with one executemany.

    bulk_create spends ~1 ms a paper preparing values field by field; bulk imports spend it here instead on
    nothing but the insert (bench/bench_import.py measures both). Callers prepare values with `_db_value`.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than INSERTs on PostgreSQL
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


# Paper fields a new paper takes at their model default; every other field is given by _store_batch. A field
# added to Paper must be named here or filled there: _insert_plan refuses to insert without knowing it.
DEFAULTED = ("hidden", "vote_count", "counted_votes", "comment_count")


def _encoder(field) -> Callable[[object], object]:
    """`field.get_db_prep_save` for this connection, remembering its answers for values that repeat within a
    batch (versions, counts, flags, days, category lists, the insert's timestamp), so that the raw insert costs
    little more than parsing the file; each value is still the one Django itself would write."""
    prep, memo = field.get_db_prep_save, {}

    def encode(value):
        if type(value) is str:  # text is mostly unique, and cheap to prepare
            return prep(value, connection)
        try:
            key = (list, tuple(value)) if type(value) is list else (type(value), value)
            return memo[key]
        except KeyError:
            memo[key] = encoded = prep(value, connection)
            return encoded
        except TypeError:  # unhashable (a list of dicts): prepared every time
            return prep(value, connection)

    return encode


def _insert_plan(fields, given: set[str]) -> list[tuple[str, Callable | None, object]]:
    """Per column, (field name, encoder, encoded default): every Paper field is either given by the caller and
    encoded by its field, or in DEFAULTED and stored as its model default."""
    unknown = [f.attname for f in fields if f.attname not in given and f.attname not in DEFAULTED]
    if unknown:
        raise ImproperlyConfigured(
            f"Paper field(s) {', '.join(unknown)} unknown to ingest/store.py: give new papers a value in "
            "_store_batch, or add the field to DEFAULTED to store its model default."
        )
    return [
        (f.attname, _encoder(f), None)
        if f.attname in given
        else (f.attname, None, f.get_db_prep_save(f.get_default(), connection))
        for f in fields
    ]


def _insert_papers(papers: list[dict]) -> dict[str, int]:
    """Insert new papers given as {field name: value}; returns their primary keys by arXiv id."""
    now = timezone.now()
    fields = [f for f in Paper._meta.concrete_fields if not f.primary_key]
    plan = _insert_plan(fields, {*papers[0], "created_at", "modified_at"})
    rows = []
    for p in papers:
        p["created_at"] = p["modified_at"] = now
        rows.append(tuple([encode(p[name]) if encode else default for name, encode, default in plan]))
    _fast_insert(Paper, fields, rows)
    return dict(Paper.objects.filter(arxiv_id__in=[p["arxiv_id"] for p in papers]).values_list("arxiv_id", "pk"))


def _list_new(
    pks: dict[str, int],
    records: dict[str, PaperRecord],
    *,
    source: str,
    list_on: date | None,
    submitted_by,
    submitter_name: str,
) -> None:
    fallback = (list_on or timezone.localdate()).isoformat()
    now_db = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = [
        Listing._meta.get_field(name)
        for name in ("paper", "day", "submitted_by", "submitter_name", "source", "created_at")
    ]
    submitter_id = submitted_by.pk if submitted_by is not None else None
    rows = []
    for arxiv_id, pk in pks.items():
        rec = records[arxiv_id]
        rows.append(
            (
                pk,
                rec.listing_day.isoformat() if rec.listing_day else fallback,
                submitter_id,
                rec.submitter_name or submitter_name,
                source,
                now_db,
            )
        )
    _fast_insert(Listing, fields, rows)


def _dump(raw) -> str:
    if isinstance(raw, Unreadable):
        return raw.raw[:100_000]
    try:
        return json.dumps(raw, ensure_ascii=False, default=str)[:100_000]
    except (TypeError, ValueError):
        return repr(raw)[:100_000]
