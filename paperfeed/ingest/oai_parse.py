"""Parse: one arXiv OAI-PMH ListRecords page (metadata format ``arXiv`` or ``arXivRaw``) into raw records.

Record shapes follow arXiv's OAI documentation (https://info.arxiv.org/help/oa/index.html) and the schemas
http://arxiv.org/OAI/arXiv.xsd and http://arxiv.org/OAI/arXivRaw.xsd:

* ``arXiv``: id, created, updated, authors (keyname, forenames, suffix), title, categories, comments,
  msc-class, acm-class, journal-ref, doi, abstract. No version numbers.
* ``arXivRaw``: id, submitter, version elements (``<version version="v2"><date>RFC 2822</date><size>``),
  title, authors as one string, categories, comments, msc-class, acm-class, journal-ref, doi, abstract.

A deleted record (``<header status="deleted">``) becomes an id in `OaiPage.deleted`. A record that cannot be
read becomes an (excerpt, reason) pair in `OaiPage.errors`, for the rejects table; the page goes on.
A body that is not a complete OAI-PMH document raises `MalformedPage`, which the harvester retries.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime

from paperfeed.errors import InvalidArxivId
from paperfeed.ingest.arxiv_api import MalformedFeed, _reject_declarations
from paperfeed.papers.arxiv_ids import parse_arxiv_id

OAI = "{http://www.openarchives.org/OAI/2.0/}"
FORMATS = {"arXiv": "{http://arxiv.org/OAI/arXiv/}", "arXivRaw": "{http://arxiv.org/OAI/arXivRaw/}"}
_OAI_ID = re.compile(r"oai:arXiv\.org:(.+)", re.IGNORECASE)
_EXCERPT = 2000


class MalformedPage(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class OaiPage:
    records: list[dict] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    token: str | None = None  # the resumption token; "" or None: the list is complete
    token_element: bool = False
    complete_size: int | None = None
    cursor: int | None = None
    response_date: date | None = None
    error_code: str | None = None  # OAI error, e.g. noRecordsMatch, badResumptionToken
    error_message: str = ""
    datestamps: list[date] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.records) + len(self.deleted) + len(self.errors)


class _Bad(Exception):
    pass


def _text(el: ET.Element | None) -> str:
    return "".join(el.itertext()) if el is not None else ""


def _ws(el: ET.Element | None) -> str:
    return " ".join(_text(el).split())


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _day(raw: str, what: str) -> date:
    try:
        return date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise _Bad(f"{what} {raw.strip()[:40]!r} is not a date") from None


def parse_page(body: bytes) -> OaiPage:
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, (bytes, bytearray)) or not body.strip():
        raise MalformedPage("the page is empty")
    try:
        _reject_declarations(bytes(body))
    except MalformedFeed as exc:
        raise MalformedPage(exc.reason) from None
    try:
        root = ET.fromstring(body)
    except (ET.ParseError, ValueError, LookupError) as exc:  # pragma: no cover - expat accepted it already
        raise MalformedPage(f"not well-formed XML ({exc.__class__.__name__})") from None
    if root.tag != f"{OAI}OAI-PMH":
        raise MalformedPage(f"the root element is {str(root.tag)[:60]!r}, not <OAI-PMH>")
    page = OaiPage()
    rd = _ws(root.find(f"{OAI}responseDate"))
    try:
        page.response_date = date.fromisoformat(rd[:10]) if rd else None
    except ValueError:
        page.response_date = None
    error = root.find(f"{OAI}error")
    if error is not None:
        page.error_code = error.get("code") or "unknown"
        page.error_message = _ws(error)[:500]
        return page
    listing = root.find(f"{OAI}ListRecords")
    if listing is None:
        raise MalformedPage("the page has neither <ListRecords> nor <error>")
    for record in listing.findall(f"{OAI}record"):
        _read_record(record, page)
    token = listing.find(f"{OAI}resumptionToken")
    if token is not None:
        page.token_element = True
        page.token = (token.text or "").strip()
        page.complete_size = _int(token.get("completeListSize"))
        page.cursor = _int(token.get("cursor"))
    return page


def _read_record(record: ET.Element, page: OaiPage) -> None:
    header = record.find(f"{OAI}header")
    try:
        if header is None:
            raise _Bad("record has no <header>")
        ident = _ws(header.find(f"{OAI}identifier"))
        m = _OAI_ID.fullmatch(ident)
        if not m:
            raise _Bad(f"identifier {ident[:80]!r} is not oai:arXiv.org:<id>")
        try:
            arxiv_id = parse_arxiv_id(m[1]).base
        except InvalidArxivId:
            raise _Bad(f"identifier {ident[:80]!r} holds no arXiv id") from None
        datestamp = _day(_ws(header.find(f"{OAI}datestamp")), "datestamp")
        page.datestamps.append(datestamp)
        if header.get("status") == "deleted":
            page.deleted.append(arxiv_id)
            return
        metadata = record.find(f"{OAI}metadata")
        meta = next(iter(metadata), None) if metadata is not None else None
        if meta is None:
            raise _Bad("record has no <metadata>")
        if meta.tag == f"{FORMATS['arXivRaw']}arXivRaw":
            raw = _raw_format(meta, FORMATS["arXivRaw"])
        elif meta.tag == f"{FORMATS['arXiv']}arXiv":
            raw = _arxiv_format(meta, FORMATS["arXiv"])
        else:
            raise _Bad(f"metadata is {str(meta.tag)[:80]!r}, neither arXiv nor arXivRaw")
        if raw["id"] != arxiv_id and parse_arxiv_id(raw["id"]).base != arxiv_id:
            raise _Bad(f"metadata id {raw['id']!r} differs from the header's {arxiv_id!r}")
        raw["id"] = arxiv_id
        raw["datestamp"] = datestamp.isoformat()
        first = raw.get("version") in (1, None) and not raw.get("updated")
        # A first version enters the listings on the day arXiv announced it (its datestamp); a later
        # version of a paper we never had is listed on its first version's day, not as today's news.
        raw["first_listing_date"] = datestamp.isoformat() if first else None
        raw["listing_day"] = datestamp.isoformat() if first else raw.get("published")
        page.records.append(raw)
    except (_Bad, InvalidArxivId) as exc:
        reason = exc.message if isinstance(exc, InvalidArxivId) else str(exc)
        page.errors.append((ET.tostring(record, encoding="unicode")[:_EXCERPT], reason))


def _common(meta: ET.Element, ns: str) -> dict:
    ident = _ws(meta.find(f"{ns}id"))
    if not ident:
        raise _Bad("metadata has no <id>")
    classes = [c for c in (_ws(meta.find(f"{ns}msc-class")), _ws(meta.find(f"{ns}acm-class"))) if c]
    return {
        "id": ident,
        "title": _ws(meta.find(f"{ns}title")),
        "abstract": _text(meta.find(f"{ns}abstract")).strip(),
        "categories": _ws(meta.find(f"{ns}categories")).split(),
        "classes": "; ".join(classes),
        "comment": _ws(meta.find(f"{ns}comments")) or None,
        "journal_ref": _ws(meta.find(f"{ns}journal-ref")) or None,
        "doi": _ws(meta.find(f"{ns}doi")) or None,
        "report_no": _ws(meta.find(f"{ns}report-no")) or None,
    }


def _arxiv_format(meta: ET.Element, ns: str) -> dict:
    raw = _common(meta, ns)
    authors = []
    for author in meta.iterfind(f"{ns}authors/{ns}author"):
        name = " ".join(
            p
            for p in (
                _ws(author.find(f"{ns}forenames")),
                _ws(author.find(f"{ns}keyname")),
                _ws(author.find(f"{ns}suffix")),
            )
            if p
        )
        if name:
            authors.append(name)
    raw["authors"] = authors
    created, updated = _ws(meta.find(f"{ns}created")), _ws(meta.find(f"{ns}updated"))
    raw["published"] = _day(created, "created").isoformat() if created else None
    raw["updated"] = _day(updated, "updated").isoformat() if updated else None
    raw["version"] = None  # this format does not say; the store keeps the version it knows
    return raw


def _raw_format(meta: ET.Element, ns: str) -> dict:
    raw = _common(meta, ns)
    raw["authors"] = _ws(meta.find(f"{ns}authors"))
    raw["submitter"] = _ws(meta.find(f"{ns}submitter")) or None
    versions = []
    for el in meta.findall(f"{ns}version"):
        number = _int((el.get("version") or "").lstrip("vV"))
        if number is None or number < 1:
            raise _Bad(f"version {el.get('version')!r} is not vN")
        when = _ws(el.find(f"{ns}date"))
        try:
            moment = parsedate_to_datetime(when)
        except (TypeError, ValueError, IndexError):
            raise _Bad(f"version v{number} date {when[:40]!r} is not an RFC 2822 date") from None
        versions.append({"version": number, "date": moment.date().isoformat(), "size": _ws(el.find(f"{ns}size"))})
    if not versions:
        raise _Bad("arXivRaw record has no <version>")
    versions.sort(key=lambda v: v["version"])
    latest = versions[-1]
    raw["version"] = latest["version"]
    raw["versions"] = [{"version": v["version"], "date": v["date"]} for v in versions]
    raw["published"] = versions[0]["date"]
    raw["updated"] = latest["date"] if len(versions) > 1 else None
    # arXiv replaces a withdrawn paper with an empty version: size 0kb and a comment saying so.
    raw["withdrawn"] = latest["size"].lower() in {"0kb", "0"}
    return raw
