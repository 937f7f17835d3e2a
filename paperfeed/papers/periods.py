"""Listing periods in Hugging Face's URL scheme: a day (YYYY-MM-DD), an ISO week (YYYY-Www), a month (YYYY-MM)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from paperfeed.errors import BadRequest

EARLIEST = date(1991, 8, 1)  # arXiv's first day; nothing can be listed before it


@dataclass(frozen=True)
class Period:
    kind: str  # "date", "week" or "month"
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == "date":
            return self.start.strftime("%a, %b %-d, %Y")
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"Week {week}, {year} ({self.start:%b %-d} – {self.end:%b %-d})"
        return self.start.strftime("%B %Y")

    @property
    def slug(self) -> str:
        if self.kind == "date":
            return self.start.isoformat()
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.strftime("%Y-%m")

    def shifted(self, steps: int) -> Period:
        if self.kind == "date":
            return day(self.start + timedelta(days=steps))
        if self.kind == "week":
            return week_of(self.start + timedelta(weeks=steps))
        y, m = divmod(self.start.year * 12 + self.start.month - 1 + steps, 12)
        return month(y, m + 1)


def day(d: date) -> Period:
    return Period("date", d, d)


def week_of(d: date) -> Period:
    start = d - timedelta(days=d.weekday())
    return Period("week", start, start + timedelta(days=6))


def month(year: int, month_: int) -> Period:
    start = date(year, month_, 1)
    nxt = date(year + (month_ == 12), month_ % 12 + 1, 1)
    return Period("month", start, nxt - timedelta(days=1))


def _check(start: date) -> None:
    if start < EARLIEST or start.year > 9000:
        raise BadRequest(f"No listings exist for {start.isoformat()}.", code="invalid_date")


def parse_date(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        d = date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        d = None
    if d is None:
        raise BadRequest(f"Not a date: {text[:40]!r}. Use YYYY-MM-DD, e.g. 2026-02-10.", code="invalid_date")
    _check(d)
    return day(d)


def parse_week(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})-W(\d{2})", text)
    try:
        d = date.fromisocalendar(int(m[1]), int(m[2]), 1) if m else None
    except ValueError:
        d = None
    if d is None:
        raise BadRequest(f"Not an ISO week: {text[:40]!r}. Use YYYY-Www, e.g. 2026-W07.", code="invalid_date")
    _check(d)
    return week_of(d)


def parse_month(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not m or not 1 <= int(m[2]) <= 12:
        raise BadRequest(f"Not a month: {text[:40]!r}. Use YYYY-MM, e.g. 2026-02.", code="invalid_date")
    p = month(int(m[1]), int(m[2]))
    _check(p.start)
    return p
