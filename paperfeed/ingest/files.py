"""Parse files: JSONL, JSON, CSV and BibTeX, gzip-compressed or not, into raw records for `normalize`.

* JSONL: one record per line (the ``shared/data/arxiv-daily-cs`` shape: id, title, authors, categories,
  abstract, comment, first_listing_date, listing_dates). A line that is not JSON becomes an `Unreadable`.
* JSON: an array of such records, ``{"papers": [...]}``, or a saved Hugging Face ``/api/daily_papers`` answer.
* CSV: a header row; columns id (or arxiv_id), title, authors (``;``-separated, or ``and``/commas),
  categories (spaces, commas or ``;``), abstract, comment, date (the listing day), upvotes.
* BibTeX: entries with ``eprint`` (or an arXiv ``url``/``doi``), title, author (``and``-separated,
  ``Last, First`` or ``First Last``), abstract, ``primaryclass``, year/month.

Records stream: a 75,000-paper JSONL file is never held in memory whole.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser

from paperfeed.errors import BadRequest
from paperfeed.ingest.hf_daily import item_record
from paperfeed.ingest.normalize import Unreadable

FORMATS = ("jsonl", "json", "csv", "bibtex")
_EXCERPT = 2000


def detect_format(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    for suffix, fmt in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "json"),
        (".csv", "csv"),
        (".bib", "bibtex"),
        (".bibtex", "bibtex"),
    ):
        if name.endswith(suffix):
            return fmt
    raise BadRequest(
        f"Cannot tell the format of {path.name}; name it .jsonl, .json, .csv or .bib (optionally .gz), "
        "or pass --format."
    )


def open_text(path: Path) -> io.TextIOBase:
    """The file as text, gunzipped when it starts with gzip's magic bytes (whatever its name)."""
    if not path.is_file():
        raise BadRequest(f"No such file: {path}")
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    # The caller owns the returned stream and closes it; a context manager here would close it too early.
    raw = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def read_records(path: Path, fmt: str | None = None) -> Iterator[dict | Unreadable]:
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise BadRequest(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    reader = {"jsonl": _jsonl, "json": _json, "csv": _csv, "bibtex": _bibtex}[fmt]
    with open_text(path) as text:
        try:
            yield from reader(text)
        except (EOFError, OSError) as exc:  # a truncated gzip file: what came before it is kept
            yield Unreadable(raw=str(path), reason=f"the file ends early ({exc.__class__.__name__}: {exc})")


def _jsonl(text) -> Iterator[dict | Unreadable]:
    for number, line in enumerate(text, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield Unreadable(raw=line[:_EXCERPT], reason=f"line {number} is not JSON ({str(exc)[:120]})")


def json_records(data) -> list:
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        data = data["papers"]
    if not isinstance(data, list):
        return [
            Unreadable(
                raw=json.dumps(data, default=str)[:_EXCERPT], reason='expected an array of records or {"papers": [...]}'
            )
        ]
    return [
        item_record(item, None) if isinstance(item, dict) and isinstance(item.get("paper"), dict) else item
        for item in data
    ]


def _json(text) -> Iterator[dict | Unreadable]:
    body = text.read()
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        yield Unreadable(raw=body[:_EXCERPT], reason=f"the file is not JSON ({str(exc)[:120]})")
        return
    yield from json_records(data)


def _split(value: str, seps: str) -> list[str]:
    return [p.strip() for p in re.split(seps, value or "") if p.strip()]


def csv_record(row: dict) -> dict:
    row = {(k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else v for k, v in row.items()}
    authors = row.get("authors") or ""
    upvotes = row.get("upvotes")
    return {
        "id": row.get("id") or row.get("arxiv_id") or row.get("paper_id"),
        "title": row.get("title"),
        "authors": _split(authors, r";") if ";" in authors else authors,
        "categories": _split(row.get("categories") or "", r"[\s,;]+"),
        "abstract": row.get("abstract") or row.get("summary"),
        "comment": row.get("comment") or None,
        "first_listing_date": row.get("date") or row.get("first_listing_date") or None,
        "imported_upvotes": int(upvotes) if upvotes and upvotes.isdigit() else None,
    }


def _csv(text) -> Iterator[dict | Unreadable]:
    try:
        for row in csv.DictReader(text):
            yield csv_record(row)
    except csv.Error as exc:
        yield Unreadable(raw="", reason=f"the CSV is malformed ({exc})")


_ARXIV_IN_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s}]+?)(?:\.pdf)?$|10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_BRACES = re.compile(r"[{}]")


def _bib_name(name: str) -> str:
    name = " ".join(_BRACES.sub("", name).split())
    if "," in name:
        last, _, first = name.partition(",")
        return f"{first.strip()} {last.strip()}".strip()
    return name


def bib_record(fields: dict[str, str]) -> dict:
    fields = {k.lower(): v for k, v in fields.items()}
    ident = fields.get("eprint") or fields.get("arxivid") or ""
    if not ident:
        for key in ("url", "doi"):
            if m := _ARXIV_IN_URL.search(fields.get(key) or ""):
                ident = m[1] or m[2]
                break
    title = " ".join(_BRACES.sub("", fields.get("title") or "").split())
    authors = [_bib_name(a) for a in re.split(r"\s+and\s+", fields.get("author") or "") if a.strip()]
    primary = (fields.get("primaryclass") or "").strip()
    year, month = (fields.get("year") or "").strip(), (fields.get("month") or "").strip()
    return {
        "id": ident.strip() or None,
        "title": title,
        "authors": authors,
        "categories": [primary] if primary else [],
        "abstract": fields.get("abstract"),
        "comment": fields.get("note") or None,
        "journal_ref": fields.get("journal") or None,
        "doi": fields.get("doi") if not (fields.get("doi") or "").lower().startswith("10.48550/") else None,
        "published": f"{year}-{int(month):02d}-01"
        if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12
        else None,
    }


def _bibtex(text) -> Iterator[dict | Unreadable]:
    library = bibtexparser.parse_string(text.read())
    for entry in library.entries:
        yield bib_record({f.key: str(f.value) for f in entry.fields})
    for block in library.failed_blocks:
        yield Unreadable(raw=block.raw[:_EXCERPT], reason=f"not a BibTeX entry ({block.__class__.__name__})")
