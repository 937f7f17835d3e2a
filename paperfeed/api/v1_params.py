"""What /api/v1's parameters accept, as the patterns the OpenAPI schema publishes, and the listing periods they name.

The schema says exactly what is valid so that clients (and the fuzzer) know; each pattern here follows the
code that decides, and tests/test_api_schema_patterns.py checks that they agree.
"""

from __future__ import annotations

import re
from datetime import date

from paperfeed.accounts import follow_actions
from paperfeed.errors import BadRequest
from paperfeed.papers import arxiv_ids, periods


def _nonzero(width: int) -> str:
    """`width` digits, not all zero (arXiv numbers papers from 1)."""
    return "(?:" + "|".join("0" * k + "[1-9]" + "[0-9]" * (width - k - 1) for k in range(width)) + ")"


_MM = "(?:0[1-9]|1[0-2])"
_VERSION = "(?:v[1-9][0-9]{0,2})?"
# arxiv_ids.parse_arxiv_id: YYMM.NNNN from 0704 to 1412, YYMM.NNNNN from 1501 on.
_NEW_STYLE = (
    rf"(?:(?:07(?:0[4-9]|1[0-2])|(?:0[89]|1[0-4]){_MM})\.{_nonzero(4)}|(?:1[5-9]|[2-9][0-9]){_MM}\.{_nonzero(5)})"
)
_ARCHIVES = "|".join(sorted(arxiv_ids.OLD_STYLE_ARCHIVES, key=lambda a: (-len(a), a)))
_OLD_STYLE = rf"(?:{_ARCHIVES})(?:\.[A-Za-z]{{2,5}}(?:-[a-z]{{2,3}})?)?/(?:9[1-9]|0[0-7]){_MM}{_nonzero(3)}"
_ANY_ID = rf"(?:{_NEW_STYLE}|{_OLD_STYLE}){_VERSION}"
_PREFIX = "(?:[aA][rR][xX][iI][vV]:)?"
_URL = rf"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:(?:abs|html)/{_ANY_ID}|pdf/{_ANY_ID}(?:\.pdf)?)/?"

# A path segment holds no slash, so only new-style ids reach the /papers/{arxiv_id} routes.
PAPER_PATH_ID = f"^{_PREFIX}{_NEW_STYLE}{_VERSION}$"
SUBMITTED_ID = f"^(?:{_PREFIX}{_ANY_ID}|{_URL})$"

DAY = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
WEEK = "^[0-9]{4}-W(?:0[1-9]|[1-4][0-9]|5[0-3])$"
MONTH = f"^[0-9]{{4}}-{_MM}$"
# An ISO week is a week only when its year has it: W53 exists in 71 years of 400. JSON Schema has no word for
# that, so the schema names this format (with WEEK as its pattern) and a week 53 that does not exist is a 400.
WEEK_FORMAT = "iso-week"

CATEGORY = follow_actions.CATEGORY.pattern
# search/query.py's words are runs of \w; a query needs one to have something to search for.
QUERY = r"\w"
QUERY_RE = re.compile(QUERY)
# Names are matched whole after their outer spaces go, so one needs a character that is not a space.
NAME = r"\S"


ARXIV_ID_DESCRIPTION = "a new-style arXiv id, e.g. 2401.12345 or 2401.12345v2"

# What the schema publishes about a parameter without django-ninja enforcing it, because the view answers a
# value that does not match itself: a malformed paper id is a 404 as it always was, a day that does not exist a
# 400, a query without letters or digits a 400 nothing_to_search.
PUBLISHED = {
    "arxiv_id": {"pattern": PAPER_PATH_ID, "maxLength": 40},
    "day": {"format": "date"},
    "since": {"format": "date"},
    "week": {"format": WEEK_FORMAT},
    "q": {"pattern": QUERY},
}

# Who answers a URL too long: gunicorn (limit_request_line, 4094 bytes by default), before paperfeed sees it.
URI_TOO_LONG = {
    "description": "The URL is longer than the web server takes (gunicorn's limit_request_line, 4094 bytes by "
    "default). The web server answers this itself, before paperfeed sees the request, so the body is its own short "
    "HTML page, not the JSON error shape.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


RETRY_AFTER = {
    "description": "seconds until the limit lets this caller in again",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}


# Operations that may send a confirmation mail, whose daily limit per address (digests/throttle.py) answers 429
# without a Retry-After; every other 429 has one.
MAIL_LIMITED = {("put", "/me/digests/{kind}"), ("post", "/me/saved-searches")}


def publish(schema: dict) -> dict:
    """Add PUBLISHED to the operations' parameters, the web server's 414 to every operation, and Retry-After to
    the 429s."""
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                extra = PUBLISHED.get(parameter["name"])
                if extra:
                    parameter["schema"].update(extra)
            responses = operation.setdefault("responses", {})
            responses.setdefault(414, URI_TOO_LONG)
            if 429 in responses:
                mail_limited = any(method == m and path.endswith(p) for m, p in MAIL_LIMITED)
                responses[429]["headers"] = {"Retry-After": {**RETRY_AFTER, "required": not mail_limited}}
    return schema


def _in_range(start: date) -> bool:
    return start >= periods.EARLIEST and start.year <= 9000


def day(text: str) -> periods.Period | None:
    """The day `text` names; None when no listing can exist then (before arXiv, or past 9000); 400 if no day."""
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"Not a date: {text[:40]!r}. Use YYYY-MM-DD, e.g. 2026-02-10.", code="invalid_date") from None
    return periods.day(d) if _in_range(d) else None


def week(text: str) -> periods.Period | None:
    year, number = int(text[:4]), int(text[6:])
    if not year:
        return None
    try:
        monday = date.fromisocalendar(year, number, 1)
    except ValueError:
        raise BadRequest(
            f"{year} has no ISO week {number}: only years that start on a Thursday (or leap years that start on "
            "a Wednesday) have a week 53.",
            code="invalid_date",
        ) from None
    return periods.week_of(monday) if _in_range(monday) else None


def month(text: str) -> periods.Period | None:
    year, number = int(text[:4]), int(text[5:])
    first = date(year, number, 1) if year else None
    return periods.month(year, number) if first and _in_range(first) else None
