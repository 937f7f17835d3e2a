"""Hugging Face daily papers: fetch ``/api/daily_papers?date=...``, parse its JSON, store through the one path.

The body is a bare JSON array, each item shaped as HF's own `huggingface_hub` client parses it::

    {"paper": {"id": "2602.01234", "title": ..., "summary": ..., "authors": [{"name": ...}, ...],
               "publishedAt": ..., "upvotes": 12, "githubRepo": "https://github.com/..."},
     "title": ..., "publishedAt": ..., "numComments": 3, "submittedBy": {"name": "akhaliq", "fullname": ...}}

A paper keeps HF's upvotes as its imported count (re-imports update it), enters the listing of the HF day with
HF's submitter named, and HF's copy of the abstract only fills in papers arXiv has not given us.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta

from django.conf import settings

from paperfeed.errors import BadRequest, SourceUnavailable
from paperfeed.ingest.fetch import hf_get
from paperfeed.ingest.normalize import Unreadable
from paperfeed.ingest.store import Summary, ingest_records

SOURCE = "hf-daily"
PAGE_SIZE = 100  # the most the API gives per request
MAX_PAGES = 20


def item_record(item, day: date | None) -> dict | Unreadable:
    """One API item as a raw record for `normalize`; an Unreadable when it is not an item at all."""
    if not isinstance(item, dict) or not isinstance(item.get("paper"), dict):
        return Unreadable(raw=json.dumps(item, default=str)[:100_000], reason='item has no "paper" object')
    paper = item["paper"]
    submitter = item.get("submittedBy") if isinstance(item.get("submittedBy"), dict) else {}
    name = submitter.get("name") or submitter.get("fullname") or ""
    return {
        "id": paper.get("id"),
        "title": paper.get("title") or item.get("title"),
        "abstract": paper.get("summary"),
        "authors": [a for a in paper.get("authors") or [] if not (isinstance(a, dict) and a.get("hidden"))]
        if isinstance(paper.get("authors"), list)
        else paper.get("authors"),
        "published": paper.get("publishedAt") or item.get("publishedAt"),
        "imported_upvotes": paper.get("upvotes", 0),
        "submitter_name": name if isinstance(name, str) else "",
        "code_url": paper.get("githubRepo") or "",
        "listing_day": day.isoformat() if day else (item.get("publishedAt") or "")[:10] or None,
        "first_listing_date": None,
        "text_source": "huggingface",
        "num_comments": item.get("numComments"),
    }


def parse_items(body: bytes | str, day: date | None = None) -> list[dict | Unreadable]:
    """The records of one API response; ValueError when the body is not a JSON array."""
    try:
        items = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(f"not JSON ({exc.__class__.__name__})") from None
    if not isinstance(items, list):
        raise ValueError(f"expected a JSON array of papers, got {type(items).__name__}")
    return [item_record(item, day) for item in items]


def fetch_day(day: date) -> Iterator[dict | Unreadable]:
    url = settings.PAPERFEED["HF_API_URL"].rstrip("/") + "/api/daily_papers"
    seen: set[str] = set()
    for page in range(MAX_PAGES):
        bad: list[str] = []

        def unreadable(response, bad: list[str] = bad) -> str | None:
            if response.status_code != 200:
                return None
            try:
                parse_items(response.content)
            except ValueError as exc:
                bad.append(str(exc))
                return f"an unreadable answer ({exc})"
            return None

        response = hf_get(url, params={"date": day.isoformat(), "limit": PAGE_SIZE, "p": page}, retry_if=unreadable)
        if response.status_code == 404 or (response.status_code == 400 and page == 0):
            return  # no papers that day
        if response.status_code != 200:
            raise SourceUnavailable(
                f"Hugging Face answered HTTP {response.status_code} for {day}; "
                "run the same command again later (re-imports are safe)."
            )
        try:
            records = parse_items(response.content, day)
        except ValueError as exc:
            raise SourceUnavailable(f"Hugging Face sent {exc} for {day}; run the same command again later.") from None
        ids = {r.get("id") for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)}
        fresh = [r for r in records if not (isinstance(r, dict) and r.get("id") in seen)]
        yield from fresh
        if len(records) < PAGE_SIZE or not ids - seen:
            return  # the last page, or a server that ignores paging and repeats itself
        seen |= ids


def days_between(start: date, end: date) -> list[date]:
    if end < start:
        raise BadRequest("--until is before --from.")
    if (end - start).days > 3660:
        raise BadRequest("Import at most ten years of Hugging Face days at once.")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def import_days(days: list[date], *, progress: Callable[[int], None] | None = None) -> Summary:
    summary = Summary()
    for day in days:
        summary.add(ingest_records(fetch_day(day), source=SOURCE, list_on=day, progress=progress))
    return summary
