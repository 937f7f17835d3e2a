"""When a digest is due: the latest daily or weekly period whose send moment has passed, in the subscriber's zone.

A daily digest for day D is due from DIGEST_SEND_HOUR on D (local time); without weekends, Saturday and
Sunday have none and Monday's covers them. A weekly one is due from that hour on DIGEST_WEEKLY_DAY. Only the
latest period is ever due: a sender that was down for three days sends one digest, not three stale ones.
A period covers the papers listed (created) after the previous period's send moment up to its own, so
nothing listed between two digests falls through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings

FREQUENCIES = ("daily", "weekly")


@dataclass(frozen=True)
class DuePeriod:
    key: str  # "d2026-02-10" or "w2026-W07": half of the send log's unique key
    frequency: str
    day: date  # the local day it is due on
    due_at: datetime  # aware
    covers_since: datetime  # the previous period's due_at; the period covers (covers_since, due_at]

    @property
    def label(self) -> str:
        if self.frequency == "daily":
            return self.day.strftime("%a, %b %-d, %Y")
        year, week, _ = self.day.isocalendar()
        return f"week {week}, {year}"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_valid_zone(name: str) -> bool:
    return name in _zones()


_ZONES: set[str] | None = None


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = set(available_timezones()) | {"UTC"}
    return _ZONES


def _at(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(settings.PAPERFEED["DIGEST_SEND_HOUR"]), tzinfo=tz)


def _sends_on(d: date, weekends: bool) -> bool:
    return weekends or d.weekday() < 5


def _daily(d: date, tz: ZoneInfo, weekends: bool) -> DuePeriod:
    prev = d - timedelta(days=1)
    while not _sends_on(prev, weekends):
        prev -= timedelta(days=1)
    return DuePeriod(f"d{d.isoformat()}", "daily", d, _at(d, tz), _at(prev, tz))


def _weekly(d: date, tz: ZoneInfo) -> DuePeriod:
    year, week, _ = d.isocalendar()
    return DuePeriod(f"w{year}-W{week:02d}", "weekly", d, _at(d, tz), _at(d - timedelta(days=7), tz))


def daily_period(now: datetime, tz_name: str, weekends: bool) -> DuePeriod:
    tz = zone(tz_name)
    d = now.astimezone(tz).date()
    if _at(d, tz) > now:
        d -= timedelta(days=1)
    while not _sends_on(d, weekends):
        d -= timedelta(days=1)
    return _daily(d, tz, weekends)


def weekly_period(now: datetime, tz_name: str) -> DuePeriod:
    tz = zone(tz_name)
    local = now.astimezone(tz).date()
    d = local - timedelta(days=local.weekday()) + timedelta(days=settings.PAPERFEED["DIGEST_WEEKLY_DAY"] % 7)
    if _at(d, tz) > now:
        d -= timedelta(days=7)
    return _weekly(d, tz)


def period_for(frequency: str, now: datetime, tz_name: str, weekends: bool) -> DuePeriod:
    if frequency == "weekly":
        return weekly_period(now, tz_name)
    return daily_period(now, tz_name, weekends)


def from_key(key: str, tz_name: str, weekends: bool) -> DuePeriod:
    """The period a send-log row names, rebuilt exactly, so a retry composes what the first try did."""
    tz = zone(tz_name)
    if key.startswith("w"):
        year, week = key[1:].split("-W")
        return _weekly(date.fromisocalendar(int(year), int(week), settings.PAPERFEED["DIGEST_WEEKLY_DAY"] % 7 + 1), tz)
    return _daily(date.fromisoformat(key[1:]), tz, weekends)
