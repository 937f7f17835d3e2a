"""Papers as BibTeX, CSV and JSON, for a paper, a collection, a listing or a search.

BibTeX follows arXiv's own "Export BibTeX citation" (@misc with eprint, archivePrefix, primaryClass), plus
doi and journal when known, so reference managers treat the entries like arXiv's.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from paperfeed.lib.site import site_url
from paperfeed.papers.models import Listing, Paper

CSV_COLUMNS = [
    "id",
    "title",
    "authors",
    "categories",
    "submitted_on",
    "listed_on",
    "upvotes",
    "comments",
    "url",
    "abs_url",
    "pdf_url",
    "doi",
]
_UNESCAPED = re.compile(r"(?<!\\)([&%#])")
# BibTeX's standard month macros, written bare (month = jun) so styles print the month in their own language.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _papers(items: Iterable) -> list[tuple[Paper, Listing | None]]:
    out = []
    for item in items:
        if isinstance(item, Listing):
            out.append((item.paper, item))
        else:
            out.append((item, item.listing_or_none()))
    return out


def bibtex_value(text: str) -> str:
    """Text safe inside a braced BibTeX field: braces balanced, LaTeX specials escaped, one line."""
    text = " ".join((text or "").split())
    depth, ok = 0, True
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            ok = False
            break
    if not ok or depth != 0:
        # An unbalanced brace would swallow the rest of the file.
        text = " ".join(text.replace("{", "").replace("}", "").split())
    return _UNESCAPED.sub(r"\\\1", text)


def bibtex_key(paper: Paper) -> str:
    return "arxiv_" + re.sub(r"[^A-Za-z0-9.]", "_", paper.arxiv_id)


def bibtex_entry(paper: Paper) -> str:
    year = paper.submitted_on or paper.updated_on
    fields = [
        ("title", bibtex_value(paper.title)),
        ("author", " and ".join(bibtex_value(a) for a in paper.authors)),
        ("year", str(year.year) if year else ""),
        ("month", MONTHS[year.month - 1] if year else ""),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", paper.primary_category or (paper.categories[0] if paper.categories else "")),
        ("doi", bibtex_value(paper.doi)),
        ("journal", bibtex_value(paper.journal_ref)),
        ("url", paper.abs_url),
    ]
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields if value
    )
    return f"@misc{{{bibtex_key(paper)},\n{body}\n}}\n"


def bibtex(items: Iterable) -> str:
    return "\n".join(bibtex_entry(p) for p, _ in _papers(items))


def row(paper: Paper, listing: Listing | None) -> dict:
    return {
        "id": paper.arxiv_id,
        "title": paper.title,
        "authors": "; ".join(paper.authors),
        "categories": " ".join(paper.categories),
        "submitted_on": paper.submitted_on.isoformat() if paper.submitted_on else "",
        "listed_on": listing.day.isoformat() if listing else "",
        "upvotes": paper.upvotes,
        "comments": paper.comment_count,
        "url": site_url(paper.get_absolute_url()),
        "abs_url": paper.abs_url,
        "pdf_url": paper.pdf_url,
        "doi": paper.doi,
    }


def csv_text(items: Iterable) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for paper, listing in _papers(items):
        writer.writerow(_no_formulas(row(paper, listing)))
    return out.getvalue()


def _no_formulas(values: dict) -> dict:
    # A title starting with = + - @ would run as a formula when the CSV is opened in a spreadsheet.
    return {k: ("'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v) for k, v in values.items()}


def json_rows(items: Iterable) -> list[dict]:
    rows = []
    for paper, listing in _papers(items):
        r = row(paper, listing)
        r["authors"] = paper.authors
        r["categories"] = paper.categories
        r["abstract"] = paper.abstract
        rows.append(r)
    return rows
