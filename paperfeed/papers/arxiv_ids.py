"""Parsing of the arXiv identifiers and arXiv URLs that users type or paste.

`parse_arxiv_id` accepts exactly these forms (each may carry a version ``vN``, an ``arXiv:`` prefix in any
case, and surrounding whitespace):

* new-style ids: ``YYMM.NNNN`` (April 2007 to December 2014) and ``YYMM.NNNNN`` (January 2015 on);
* old-style ids: ``archive/YYMMNNN`` and ``archive.SUBJ/YYMMNNN`` (``hep-th/9901001``, ``math.GT/0309136``);
  the subject class is not part of the identifier and is dropped, so ``math.GT/0309136`` and
  ``math/0309136`` are the same paper;
* ``http(s)://`` URLs whose host is exactly ``arxiv.org``, ``www.arxiv.org`` or ``export.arxiv.org`` and whose
  path is ``/abs/ID``, ``/pdf/ID`` (optionally ending ``.pdf``) or ``/html/ID``; the scheme may be left out.

Anything else raises `InvalidArxivId`. Only the identifier is taken from a URL: the server builds its own
arXiv URLs (`abs_url`, `pdf_url`) and never follows one a user supplied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from paperfeed.errors import InvalidArxivId

MAX_INPUT_LENGTH = 300
_SHOWN_INPUT_LENGTH = 80

ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})

# The archives that issued old-style identifiers (before April 2007).
OLD_STYLE_ARCHIVES = frozenset(
    {
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "astro-ph",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "cond-mat",
        "cs",
        "dg-ga",
        "funct-an",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "mtrl-th",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "patt-sol",
        "physics",
        "plasm-ph",
        "q-alg",
        "q-bio",
        "quant-ph",
        "solv-int",
        "supr-con",
    }
)

_VERSION = r"(?:v(?P<version>[1-9][0-9]{0,2}))?"
_NEW_STYLE = re.compile(r"(?P<yy>[0-9]{2})(?P<mm>[0-9]{2})\.(?P<number>[0-9]{4,5})" + _VERSION)
_OLD_STYLE = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.(?P<subject>[A-Za-z]{2,5}(?:-[a-z]{2,3})?))?"
    r"/(?P<yy>[0-9]{2})(?P<mm>[0-9]{2})(?P<number>[0-9]{3})" + _VERSION
)
_PREFIX = re.compile(r"arxiv:", re.IGNORECASE)
_URL_PATH = re.compile(r"/(?P<kind>abs|pdf|html)/(?P<id>.+?)/?")


@dataclass(frozen=True)
class ArxivId:
    """A canonical arXiv identifier: `base` without version (``2401.12345``, ``hep-th/9901001``) and an
    optional version number."""

    base: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.base}v{self.version}" if self.version is not None else self.base

    @property
    def unversioned(self) -> ArxivId:
        return ArxivId(self.base)


def _invalid(text: str) -> InvalidArxivId:
    shown = text if len(text) <= _SHOWN_INPUT_LENGTH else text[:_SHOWN_INPUT_LENGTH] + "…"
    return InvalidArxivId(
        f"Not an arXiv id: {shown!r}. Use a new-style id like 2401.12345, an old-style id like "
        "hep-th/9901001 (either may end in v2), or an arxiv.org/abs/ URL."
    )


def _version(match: re.Match[str]) -> int | None:
    version = match.group("version")
    return int(version) if version else None


def _parse_bare(text: str) -> ArxivId | None:
    """The id in `text` (no prefix, no URL, no whitespace), or None."""
    if match := _NEW_STYLE.fullmatch(text):
        yymm = match.group("yy") + match.group("mm")
        month, number = int(match.group("mm")), match.group("number")
        if not 1 <= month <= 12 or int(number) == 0:
            return None
        if len(number) == 4 and not "0704" <= yymm <= "1412":
            return None
        if len(number) == 5 and yymm < "1501":
            return None
        return ArxivId(f"{yymm}.{number}", _version(match))
    if match := _OLD_STYLE.fullmatch(text):
        archive, year, month = match.group("archive"), int(match.group("yy")), int(match.group("mm"))
        if archive not in OLD_STYLE_ARCHIVES or not 1 <= month <= 12 or int(match.group("number")) == 0:
            return None
        if not (year >= 91 or year <= 7):
            return None
        return ArxivId(f"{archive}/{match.group('yy')}{match.group('mm')}{match.group('number')}", _version(match))
    return None


def _parse_url(text: str) -> ArxivId | None:
    if "://" not in text:
        if text.split("/", 1)[0].lower() not in ARXIV_HOSTS:
            return None
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    # netloc, not hostname: no user info, no port, no trailing dot, nothing but the bare host.
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in ARXIV_HOSTS:
        return None
    match = _URL_PATH.fullmatch(parts.path)
    if not match:
        return None
    ident = match.group("id")
    if match.group("kind") == "pdf" and ident.endswith(".pdf"):
        ident = ident[: -len(".pdf")]
    return _parse_bare(ident)


def parse_arxiv_id(text: str) -> ArxivId:
    """The arXiv identifier in `text` (an id or an arxiv.org URL); InvalidArxivId when there is none."""
    if not isinstance(text, str):
        raise InvalidArxivId("An arXiv id must be text, like 2401.12345.")
    if len(text) > MAX_INPUT_LENGTH:
        raise _invalid(text)
    stripped = text.strip()
    # Python counts every whitespace but the ASCII space as unprintable, so this refuses any whitespace inside.
    if not stripped or " " in stripped or not stripped.isprintable():
        raise _invalid(text)
    if _PREFIX.match(stripped):
        parsed = _parse_bare(stripped[len("arxiv:") :])
    elif "/abs/" in stripped or "/pdf/" in stripped or "/html/" in stripped:
        parsed = _parse_url(stripped)
    else:
        parsed = _parse_bare(stripped)
    if parsed is None:
        raise _invalid(text)
    return parsed


def _as_id(arxiv_id: ArxivId | str) -> ArxivId:
    return arxiv_id if isinstance(arxiv_id, ArxivId) else parse_arxiv_id(arxiv_id)


def abs_url(arxiv_id: ArxivId | str) -> str:
    """The https://arxiv.org/abs/ page of `arxiv_id` (of its version, when it has one)."""
    return f"https://arxiv.org/abs/{_as_id(arxiv_id)}"


def pdf_url(arxiv_id: ArxivId | str) -> str:
    """The https://arxiv.org/pdf/ link of `arxiv_id` (of its version, when it has one)."""
    return f"https://arxiv.org/pdf/{_as_id(arxiv_id)}"
