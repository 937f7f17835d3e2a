"""Reading a reference library file (BibTeX, RIS, Zotero CSV, or a plain list of arXiv ids/URLs) into arXiv ids.

`parse_library` only parses: it never touches the database, so the same function serves the import into a
collection and the cold start of a recommender. `find_papers` then looks the ids up among visible papers.

An arXiv id is looked for in the fields where reference managers put it: ``eprint``/``arxivid``, URLs, DOIs
(``10.48550/arXiv.NNNN``), the journal (``arXiv preprint arXiv:NNNN``, ``CoRR abs/NNNN``) and notes (Zotero's
``Extra: arXiv: NNNN``). Every candidate goes through `parse_arxiv_id`, so only real identifiers come out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser.model import DuplicateBlockKeyBlock, Entry

from paperfeed.errors import BadRequest, InvalidArxivId
from paperfeed.papers.arxiv_ids import parse_arxiv_id
from paperfeed.papers.models import Paper

MAX_BYTES = 10 * 1024 * 1024
FORMATS = ("bibtex", "ris", "csv", "ids")
_LABEL_LENGTH = 120
_LOOKUP_CHUNK = 500

# Where an id hides inside a longer value; each match is still checked by parse_arxiv_id.
_CANDIDATES = re.compile(
    r"10\.48550/arxiv\.(?P<doi>[^\s,;}\"'<>]+)"
    r"|(?P<url>(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/[^\s,;}\"'<>]+)"
    r"|arxiv\s*[:/]?\s*(?P<prefixed>[a-z.-]*/?[0-9]{4}\.?[0-9]{3,5}(?:v[0-9]+)?)"
    r"|\babs/(?P<corr>[0-9]{4}\.[0-9]{4,5}(?:v[0-9]+)?)",
    re.IGNORECASE,
)
_BIBTEX_ENTRY = re.compile(r"^\s*@\s*[a-zA-Z]+\s*[{(]", re.MULTILINE)
_RIS_START = re.compile(r"^\s*TY  - ", re.MULTILINE)
_BRACES = re.compile(r"[{}\\]")

# Fields that may carry an arXiv id, in the order they are trusted (BibTeX, lower-cased).
_BIB_FIELDS = ("eprint", "arxivid", "arxiv", "url", "doi", "journal", "journaltitle", "volume", "note", "howpublished")
_RIS_FIELDS = ("urls", "doi", "journal_name", "secondary_title", "alternate_title3", "notes", "note", "number", "id")
# Zotero's CSV export spells these columns so; other CSVs are matched case-insensitively.
_CSV_FIELDS = (
    "eprint",
    "arxiv_id",
    "arxiv id",
    "arxiv",
    "id",
    "url",
    "doi",
    "extra",
    "archive id",
    "archive location",
    "report number",
    "publication title",
    "journal",
    "notes",
    "note",
)
_CSV_TITLE = ("title", "short title")


@dataclass
class ParsedLibrary:
    """What a library file holds: the arXiv ids (base ids, each once, in file order), a short label for each
    entry without one, and how many entries the file had."""

    arxiv_ids: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    entries: int = 0
    format: str = ""


def _ids_in(value: str) -> Iterator[str]:
    """The base arXiv ids in one field's text: the whole value when it is an id, else each id inside it."""
    value = value.strip()
    if not value:
        return
    try:
        yield parse_arxiv_id(value).base
        return
    except InvalidArxivId:
        pass
    for match in _CANDIDATES.finditer(value):
        text = next(group for group in match.groups() if group).rstrip(".)]")
        try:
            yield parse_arxiv_id(text).base
        except InvalidArxivId:
            continue


def _first_id(values: Iterable[str]) -> str | None:
    for value in values:
        for ident in _ids_in(value):
            return ident
    return None


def _label(title: str, fallback: str) -> str:
    text = " ".join(_BRACES.sub("", title or "").split()) or fallback
    return text if len(text) <= _LABEL_LENGTH else text[: _LABEL_LENGTH - 1] + "…"


def _bib_entry(entry: Entry) -> tuple[str | None, str]:
    # A duplicate entry comes back before the middlewares ran, with its enclosing braces or quotes still on.
    fields = {f.key.lower(): str(f.value).strip().strip('{}"') for f in entry.fields}
    ident = _first_id(fields[name] for name in _BIB_FIELDS if name in fields)
    return ident, _label(fields.get("title", ""), entry.key or "an entry without title")


def _bibtex(text: str) -> Iterator[tuple[str | None, str]]:
    library = bibtexparser.parse_string(text)
    for entry in library.entries:
        yield _bib_entry(entry)
    for block in library.failed_blocks:
        # Exports that merge libraries repeat keys; such an entry is still a paper the reader wants.
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            yield _bib_entry(block.ignore_error_block)
            continue
        start = " ".join(block.raw.split())[:60]
        yield None, f"unreadable BibTeX: {start}"


def _ris_values(record: dict, name: str) -> list[str]:
    value = record.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _ris(text: str) -> Iterator[tuple[str | None, str]]:
    try:
        records = rispy.loads(text)
    except (OSError, ValueError, KeyError) as exc:  # rispy raises IOError for a record that never starts
        raise BadRequest(f"This RIS file cannot be read: {exc}") from exc
    for number, record in enumerate(records, 1):
        ident = _first_id(v for name in _RIS_FIELDS for v in _ris_values(record, name))
        title = record.get("title") or record.get("primary_title") or ""
        yield ident, _label(str(title), f"RIS record {number}")


def _csv(text: str) -> Iterator[tuple[str | None, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, 1):
            cells = {(key or "").strip().lower(): (value or "") for key, value in row.items() if isinstance(value, str)}
            ident = _first_id(cells[name] for name in _CSV_FIELDS if name in cells)
            title = next((cells[name] for name in _CSV_TITLE if cells.get(name)), "")
            yield ident, _label(title, f"row {number + 1}")
    except csv.Error as exc:
        raise BadRequest(f"This CSV file is malformed: {exc}") from exc


def _id_lines(text: str) -> Iterator[tuple[str | None, str]]:
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        yield _first_id([line]), _label(line, line)


def _csv_header_names(text: str) -> set[str]:
    first = text.split("\n", 1)[0]
    try:
        header = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return set()
    return {cell.strip().lower() for cell in header}


def detect_format(text: str, filename: str = "") -> str:
    """One of FORMATS, from the file name when it says, else from the content; BadRequest when neither does."""
    name = filename.lower()
    for suffixes, fmt in (((".bib", ".bibtex"), "bibtex"), ((".ris",), "ris"), ((".csv",), "csv")):
        if name.endswith(suffixes):
            return fmt
    if _BIBTEX_ENTRY.search(text):
        return "bibtex"
    if _RIS_START.search(text):
        return "ris"
    header = _csv_header_names(text)
    if len(header) > 1 and header & {*_CSV_FIELDS, *_CSV_TITLE}:
        return "csv"
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    if lines and any(_first_id([line]) for line in lines[:50]):
        return "ids"
    raise BadRequest(
        "This file is not a reference library paperfeed can read: upload a BibTeX (.bib), RIS (.ris) or "
        "Zotero CSV (.csv) export, or a text file with one arXiv id or arxiv.org URL per line."
    )


def parse_library(data: bytes, filename: str = "") -> ParsedLibrary:
    """The arXiv ids in a library file, or BadRequest (empty, over 10 MB, unknown format, no arXiv id at all)."""
    if len(data) > MAX_BYTES:
        raise BadRequest(f"This file is {len(data) / 1024 / 1024:.1f} MB; files up to 10 MB can be imported.")
    text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BadRequest("This file is empty: export your library as BibTeX, RIS or CSV and upload that file.")
    if "\x00" in text:
        raise BadRequest("This file is binary, not a reference library: upload a BibTeX, RIS or CSV export.")
    fmt = detect_format(text, filename)
    reader = {"bibtex": _bibtex, "ris": _ris, "csv": _csv, "ids": _id_lines}[fmt]
    parsed = ParsedLibrary(format=fmt)
    seen: set[str] = set()
    for ident, label in reader(text):
        parsed.entries += 1
        if ident is None:
            parsed.not_found.append(label)
        elif ident not in seen:
            seen.add(ident)
            parsed.arxiv_ids.append(ident)
    if parsed.entries == 0:
        raise BadRequest(f"This {fmt_name(fmt)} file has no entries.")
    if not parsed.arxiv_ids:
        raise BadRequest(
            f"None of the {parsed.entries} entries in this {fmt_name(fmt)} file has an arXiv id (looked for in "
            "eprint, URL, DOI, journal and note fields); nothing was imported."
        )
    return parsed


def fmt_name(fmt: str) -> str:
    return {"bibtex": "BibTeX", "ris": "RIS", "csv": "CSV", "ids": "text"}.get(fmt, fmt)


def find_papers(ids: Iterable[str]) -> tuple[list[Paper], list[str]]:
    """The visible papers with these arXiv ids, in the ids' order, and the ids this hub has no visible paper for."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Paper] = {}
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        found.update((p.arxiv_id, p) for p in Paper.objects.visible().filter(arxiv_id__in=chunk))
    return [found[i] for i in wanted if i in found], [i for i in wanted if i not in found]
