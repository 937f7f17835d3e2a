"""Reading the arXiv API: the Atom 1.0 feed that ``export.arxiv.org/api/query?id_list=...`` answers with.

`parse_atom` turns a response body into raw records (plain dicts, one per paper) plus the entries it had to
skip; `fetch_by_ids` and `fetch_one` ask arXiv through `paperfeed.ingest.fetch.arxiv_get` (paced, one at a time).

A record has these keys: ``id`` (base id, no version), ``version`` (int), ``title`` (whitespace collapsed),
``abstract`` (as arXiv sends it, LaTeX included, only stripped), ``authors`` (names in order),
``categories`` (terms in order), ``primary_category``, ``comment``, ``journal_ref``, ``doi`` (each a string
or None), ``published`` (ISO datetime of version 1), ``updated`` (ISO datetime of this version) and
``pdf_url`` (built by us from the id, never taken from the feed).

arXiv answers an unknown id either with no entry for it or with an entry whose ``<id>`` is
``http(s)://arxiv.org/api/errors#...``; neither becomes a record, so the caller sees the paper missing.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.parsers import expat

from django.conf import settings

from paperfeed.errors import InvalidArxivId, SourceUnavailable, UnknownArxivId
from paperfeed.ingest.fetch import arxiv_get
from paperfeed.papers.arxiv_ids import ArxivId, parse_arxiv_id, pdf_url

log = logging.getLogger(__name__)

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"

_ERROR_ENTRY_ID = re.compile(r"https?://(?:export\.)?arxiv\.org/api/errors(?:#|$)")
_SNIPPET_LENGTH = 300


class MalformedFeed(ValueError):
    """The body is not a well-formed, DTD-free Atom feed; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class ParsedFeed:
    """What one API response held.

    records: the papers, in feed order. errors: (entry snippet, reason) for each entry that was skipped
    because it could not be read. api_errors: the messages of arXiv's own error entries (an unknown or
    badly formed id), which are not records either.
    """

    records: list[dict] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    api_errors: list[str] = field(default_factory=list)


class _SkipEntry(Exception):
    pass


def _reject_declarations(body: bytes) -> None:
    """Run expat over `body` once, refusing any DOCTYPE or ENTITY declaration (entity expansion, external
    entities) before ElementTree sees it. Works whatever encoding the document declares."""

    def refuse_doctype(*_args) -> None:
        raise MalformedFeed("the document has a DOCTYPE declaration, which an arXiv feed never has")

    def refuse_entity(*_args) -> None:
        raise MalformedFeed("the document declares an ENTITY, which an arXiv feed never does")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    try:
        parser.Parse(body, True)
    except MalformedFeed:
        raise
    except expat.ExpatError as exc:
        raise MalformedFeed(f"not well-formed XML ({exc})") from None
    except (ValueError, LookupError, UnicodeError) as exc:
        raise MalformedFeed(f"unreadable XML ({exc.__class__.__name__})") from None


def _text(element: ET.Element | None) -> str | None:
    """The element's text with whitespace collapsed; None when the element is missing or empty."""
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _iso(element: ET.Element | None, what: str) -> str | None:
    raw = _text(element)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise _SkipEntry(f"{what} date {raw[:40]!r} is not an ISO datetime") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _snippet(entry: ET.Element) -> str:
    """A short, shallow rendering of `entry` for error reports: its children's names and leading text only,
    so that a deeply nested or huge entry cannot blow up the report."""
    shallow = ET.Element("entry")
    for child in entry:
        copy = ET.SubElement(shallow, _local(child.tag), {_local(k): v[:80] for k, v in child.attrib.items()})
        copy.text = (child.text or "").strip()[:80] or None
        if len(child):
            copy.text = (copy.text or "") + "…"
    text = ET.tostring(shallow, encoding="unicode")
    return text if len(text) <= _SNIPPET_LENGTH else text[:_SNIPPET_LENGTH] + "…"


def _record(entry: ET.Element) -> dict:
    raw_id = _text(entry.find(f"{ATOM}id"))
    if raw_id is None:
        raise _SkipEntry("entry has no <id>")
    try:
        arxiv_id = parse_arxiv_id(raw_id)
    except InvalidArxivId:
        raise _SkipEntry(f"entry id {raw_id[:80]!r} is not an arxiv.org/abs/ URL") from None
    if arxiv_id.version is None:
        raise _SkipEntry(f"entry id {raw_id[:80]!r} has no version")
    title = _text(entry.find(f"{ATOM}title"))
    if title is None:
        raise _SkipEntry("entry has no <title>")

    summary = entry.find(f"{ATOM}summary")
    abstract = "".join(summary.itertext()).strip() if summary is not None else ""
    authors = [name for author in entry.findall(f"{ATOM}author") if (name := _text(author.find(f"{ATOM}name")))]
    categories: list[str] = []
    for category in entry.findall(f"{ATOM}category"):
        term = (category.get("term") or "").strip()
        if term and term not in categories:
            categories.append(term)
    primary = entry.find(f"{ARXIV}primary_category")
    primary_category = (primary.get("term") or "").strip() if primary is not None else ""
    published = _iso(entry.find(f"{ATOM}published"), "published")
    updated = _iso(entry.find(f"{ATOM}updated"), "updated")
    if published is None and updated is None:
        raise _SkipEntry("entry has neither <published> nor <updated>")

    return {
        "id": arxiv_id.base,
        "version": arxiv_id.version,
        "title": title,
        "abstract": abstract,
        "authors": authors,
        "categories": categories,
        "primary_category": primary_category or (categories[0] if categories else None),
        "comment": _text(entry.find(f"{ARXIV}comment")),
        "journal_ref": _text(entry.find(f"{ARXIV}journal_ref")),
        "doi": _text(entry.find(f"{ARXIV}doi")),
        "published": published or updated,
        "updated": updated or published,
        "pdf_url": pdf_url(arxiv_id),
    }


def parse_atom(xml: bytes) -> ParsedFeed:
    """Parse an arXiv API response body; MalformedFeed when it is not a well-formed, DTD-free Atom feed.

    Entries that cannot be read (no id, no title, a bad date) are skipped and listed in `errors`.
    """
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    if not isinstance(xml, (bytes, bytearray)):
        raise MalformedFeed(f"expected bytes, got {type(xml).__name__}")
    if not xml.strip():
        raise MalformedFeed("the body is empty")
    _reject_declarations(bytes(xml))
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:  # pragma: no cover - expat already accepted the document
        raise MalformedFeed(f"not well-formed XML ({exc})") from None
    except (ValueError, LookupError, UnicodeError) as exc:  # pragma: no cover - as above
        raise MalformedFeed(f"unreadable XML ({exc.__class__.__name__})") from None
    if root.tag != f"{ATOM}feed":
        raise MalformedFeed(f"the root element is {str(root.tag)[:60]!r}, not an Atom <feed>")

    parsed = ParsedFeed()
    for entry in root.findall(f"{ATOM}entry"):
        raw_id = _text(entry.find(f"{ATOM}id")) or ""
        if _ERROR_ENTRY_ID.match(raw_id):
            parsed.api_errors.append(_text(entry.find(f"{ATOM}summary")) or raw_id)
            continue
        try:
            parsed.records.append(_record(entry))
        except _SkipEntry as skip:
            parsed.errors.append((_snippet(entry), str(skip)))
    return parsed


def fetch_by_ids(ids: list[ArxivId], *, patient: bool = False) -> list[dict]:
    """The arXiv records for `ids`, in arXiv's order; ids arXiv does not know are simply missing.

    Requests wait their turn (ARXIV_MIN_INTERVAL between any two of this installation). `patient` (commands)
    retries overload and network failures per ARXIV_MAX_TRIES; otherwise (web requests) one try.
    Raises SourceUnavailable when arXiv cannot be reached, is overloaded (HTTP 429, 5xx) or answers with
    something that is not an Atom feed.
    """
    wanted = list(dict.fromkeys(str(arxiv_id) for arxiv_id in ids))
    if not wanted:
        return []
    response = arxiv_get(
        settings.PAPERFEED["ARXIV_API_URL"],
        params={"id_list": ",".join(wanted), "max_results": len(wanted)},
        patient=patient,
    )
    status = response.status_code
    if status == 429 or status >= 500:
        raise SourceUnavailable(f"arXiv is unavailable right now (HTTP {status}); try again in a few minutes.")
    # arXiv answers a badly formed id with HTTP 400 and an error entry, which parse_atom understands.
    if status not in (200, 400):
        raise SourceUnavailable(f"arXiv answered with HTTP {status}; try again later.")
    try:
        parsed = parse_atom(response.content)
    except MalformedFeed as exc:
        log.warning("arXiv sent an unreadable feed for %s: %s", wanted, exc.reason)
        raise SourceUnavailable("arXiv sent a response paperfeed could not read; try again later.") from exc
    if status == 400 and not parsed.api_errors and not parsed.records:
        raise SourceUnavailable("arXiv answered with HTTP 400; try again later.")
    for snippet, reason in parsed.errors:
        log.warning("Skipped an arXiv entry (%s): %s", reason, snippet)
    bases = {parse_arxiv_id(arxiv_id).base for arxiv_id in wanted}
    return [record for record in parsed.records if record["id"] in bases]


def fetch_one(arxiv_id: ArxivId, *, patient: bool = False) -> dict:
    """The arXiv record of `arxiv_id` (of that version, when it has one); UnknownArxivId when arXiv has none."""
    for record in fetch_by_ids([arxiv_id], patient=patient):
        if record["id"] == arxiv_id.base and arxiv_id.version in (None, record["version"]):
            return record
    raise UnknownArxivId(f"arXiv has no paper {arxiv_id}")
