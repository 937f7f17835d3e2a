"""Normalize: turn one raw record of any source into a PaperRecord, or raise RecordError with the reason.

Raw records are dicts in the arxiv-daily-cs shape (id, title, authors, categories, abstract, comment,
first_listing_date) with optional extras from the arXiv API and OAI (version, versions, primary_category,
published, updated, journal_ref, doi, classes, withdrawn, listing_day) and from Hugging Face
(imported_upvotes, submitter_name, code_url, text_source). ``version: None`` means the source does not say
(arXiv's OAI ``arXiv`` format): the store keeps the version it knows. An `Unreadable` stands for input that
never became a dict (a broken JSON line): it is rejected with its reason like any other bad record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from paperfeed.errors import InvalidArxivId
from paperfeed.lib.text import code_links as _code_links
from paperfeed.papers.arxiv_ids import parse_arxiv_id

ARCHIVES = {
    "cs",
    "math",
    "physics",
    "astro-ph",
    "cond-mat",
    "gr-qc",
    "hep-ex",
    "hep-lat",
    "hep-ph",
    "hep-th",
    "math-ph",
    "nlin",
    "nucl-ex",
    "nucl-th",
    "quant-ph",
    "q-bio",
    "q-fin",
    "stat",
    "eess",
    "econ",
    # archives arXiv has since folded into others; old papers still carry them
    "acc-phys",
    "adap-org",
    "alg-geom",
    "ao-sci",
    "atom-ph",
    "bayes-an",
    "chao-dyn",
    "chem-ph",
    "cmp-lg",
    "comp-gas",
    "dg-ga",
    "funct-an",
    "mtrl-th",
    "patt-sol",
    "plasm-ph",
    "q-alg",
    "solv-int",
    "supr-con",
}
MAX_VERSION = 999  # arXiv ids allow v1..v999; bounds keep any value inside the database's integer columns
MAX_COUNT = 2**31 - 1
_CATEGORY = re.compile(r"([a-z-]+)(?:\.([A-Za-z]{2}|[a-z-]{2,}))?")
_WITHDRAWN = re.compile(r"\bwithdrawn\b|\bwithdraw(?:s|n)? (?:this|the) (?:paper|article|submission)", re.IGNORECASE)


class RecordError(ValueError):
    """Why one record cannot be stored."""


@dataclass
class Unreadable:
    """Input a parser could not turn into a record: kept as text, rejected with `reason`."""

    raw: str
    reason: str


@dataclass
class PaperRecord:
    arxiv_id: str
    version: int
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]
    primary_category: str
    classes: str
    comment: str
    journal_ref: str = ""
    doi: str = ""
    code_links: list[str] = field(default_factory=list)
    submitted_on: date | None = None
    updated_on: date | None = None
    announced_on: date | None = None
    listing_day: date | None = None
    withdrawn: bool = False
    versions: list[dict] = field(default_factory=list)
    imported_upvotes: int | None = None
    submitter_name: str = ""
    text_authoritative: bool = True  # False: only fill in a paper we lack (Hugging Face's copy of arXiv's text)


def collapse_ws(text: str | None) -> str:
    """lib.text.collapse_ws, done with str.split (several times faster on abstracts), NUL removed: PostgreSQL
    text cannot hold one and nothing real carries one."""
    if not text:
        return ""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return " ".join(text.split())


def code_links(*texts: str) -> list[str]:
    if not any("git" in t or "Git" in t or "GIT" in t for t in texts if t):  # most name no repository: skip the regex
        return []
    return _code_links(*texts)


def is_arxiv_category(term: str) -> bool:
    if len(term) > 32:
        return False
    m = _CATEGORY.fullmatch(term)
    return bool(m) and m[1] in ARCHIVES


def _date(value, what: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RecordError(f"{what} is not a date: {str(value)[:40]!r}") from None


def _authors(value) -> list[str]:
    if isinstance(value, str):
        parts = re.split(r",\s*|\s+and\s+", value)
    elif isinstance(value, list):
        parts = [a.get("name") or "" if isinstance(a, dict) else a for a in value]
        if not all(isinstance(p, str) for p in parts):
            raise RecordError("authors must be names (strings)")
    elif value is None:
        parts = []
    else:
        raise RecordError(f"authors must be a list of names, not {type(value).__name__}")
    return [name for name in map(collapse_ws, parts) if name]


def _id_month(arxiv_id: str) -> date | None:
    """The first day of the month an arXiv id was issued in; the best date an id alone gives."""
    m = re.match(r"(?:[a-z-]+(?:\.[A-Za-z-]+)?/)?(\d{2})(\d{2})", arxiv_id)
    if not m:
        return None
    yy, mm = int(m[1]), int(m[2])
    year = 1900 + yy if yy >= 91 else 2000 + yy
    return date(year, mm, 1) if 1 <= mm <= 12 else None


def _versions(value) -> list[dict]:
    if not value:
        return []
    if not isinstance(value, list):
        raise RecordError("versions must be a list")
    out = []
    for v in value:
        if (
            not isinstance(v, dict)
            or not isinstance(v.get("version"), int)
            or isinstance(v["version"], bool)
            or not 1 <= v["version"] <= MAX_VERSION
        ):
            raise RecordError("each version must be {version: positive integer, date}")
        when = _date(v.get("date"), f"version v{v['version']} date")
        out.append({"version": v["version"], "date": when.isoformat() if when else None})
    return out


def normalize(raw: dict) -> PaperRecord:
    if isinstance(raw, Unreadable):
        raise RecordError(raw.reason)
    if not isinstance(raw, dict):
        raise RecordError(f"expected an object, got {type(raw).__name__}")
    raw_id = raw.get("id") or raw.get("arxiv_id") or raw.get("paper_id")
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise RecordError("missing arXiv id")
    try:
        parsed = parse_arxiv_id(raw_id)
    except InvalidArxivId as exc:
        raise RecordError(exc.message) from None
    title = collapse_ws(raw.get("title") if isinstance(raw.get("title"), str) else "")
    if not title:
        raise RecordError("missing title")
    abstract = raw.get("abstract", raw.get("summary"))
    if abstract is not None and not isinstance(abstract, str):
        raise RecordError("abstract must be text")
    comment = raw.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise RecordError("comment must be text")
    terms = raw.get("categories") or []
    if isinstance(terms, str):
        terms = terms.split()
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        raise RecordError("categories must be a list of strings")
    categories, classes = [], []
    for term in terms:
        term = term.strip()
        if term:
            (categories if is_arxiv_category(term) else classes).append(term)
    extra_classes = raw.get("classes")
    if isinstance(extra_classes, str) and extra_classes.strip():
        classes.append(collapse_ws(extra_classes))
    categories = list(dict.fromkeys(categories))
    primary = raw.get("primary_category") if isinstance(raw.get("primary_category"), str) else ""
    if not is_arxiv_category(primary or ""):
        primary = categories[0] if categories else ""
    elif primary not in categories:
        categories.insert(0, primary)
    if "version" in raw and raw["version"] is None and parsed.version is None:
        version = 0  # the source does not say which version this is
    else:
        version = raw.get("version") or parsed.version or 1
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
            raise RecordError(f"version must be a positive integer, not {str(version)[:20]!r}")
    upvotes = raw.get("imported_upvotes")
    if upvotes is not None and (
        not isinstance(upvotes, int) or isinstance(upvotes, bool) or not 0 <= upvotes <= MAX_COUNT
    ):
        raise RecordError(f"upvotes must be a count, not {str(upvotes)[:20]!r}")
    submitter = raw.get("submitter_name") or ""
    if not isinstance(submitter, str):
        raise RecordError("submitter name must be text")
    code_url = raw.get("code_url") or ""
    if not isinstance(code_url, str):
        raise RecordError("code_url must be text")
    listing_dates = raw.get("listing_dates") or []
    if not isinstance(listing_dates, list):
        raise RecordError("listing_dates must be a list")
    announced = _date(
        raw.get("first_listing_date") or (listing_dates[0] if listing_dates else None), "first_listing_date"
    )
    comment = collapse_ws(comment)
    abstract = collapse_ws(abstract)
    for what in ("journal_ref", "doi"):
        if raw.get(what) is not None and not isinstance(raw.get(what), str):
            raise RecordError(f"{what} must be text")
    return PaperRecord(
        arxiv_id=parsed.base,
        version=version,
        title=title,
        abstract=abstract,
        authors=_authors(raw.get("authors")),
        categories=categories,
        primary_category=primary,
        classes="; ".join(classes),
        comment=comment,
        journal_ref=collapse_ws(raw.get("journal_ref") or ""),
        doi=collapse_ws(raw.get("doi") or "")[:200],
        code_links=code_links(code_url, abstract, comment),
        submitted_on=_date(raw.get("published"), "published") or _id_month(parsed.base),
        updated_on=_date(raw.get("updated"), "updated"),
        announced_on=announced,
        listing_day=_date(raw.get("listing_day"), "listing_day") or announced,
        withdrawn=bool(raw.get("withdrawn")) or bool(_WITHDRAWN.search(comment)),
        versions=_versions(raw.get("versions")),
        imported_upvotes=upvotes,
        submitter_name=collapse_ws(submitter)[:150],
        text_authoritative=raw.get("text_source") != "huggingface",
    )
