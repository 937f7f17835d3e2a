"""When digests are due: weekday mornings in the subscriber's time zone, weekends by choice, weekly on the set day."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from paperfeed.digests.schedule import daily_period, from_key, weekly_period
from paperfeed.digests.send import send_due
from tests.digests_support import subscribe, voted_papers

pytestmark = pytest.mark.django_db


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_a_daily_digest_is_due_from_the_send_hour_of_a_weekday():
    assert daily_period(utc(2026, 3, 10, 6, 59), "UTC", False).key == "d2026-03-09"
    assert daily_period(utc(2026, 3, 10, 7, 0), "UTC", False).key == "d2026-03-10"


def test_without_weekends_saturday_and_sunday_have_none_and_monday_covers_them():
    assert daily_period(utc(2026, 3, 14, 12), "UTC", False).key == "d2026-03-13"  # Saturday: Friday's stays the latest
    monday = daily_period(utc(2026, 3, 16, 8), "UTC", False)
    assert monday.key == "d2026-03-16" and monday.covers_since == utc(2026, 3, 13, 7)
    assert daily_period(utc(2026, 3, 14, 12), "UTC", True).key == "d2026-03-14"


def test_the_send_hour_is_in_the_subscribers_time_zone():
    # 07:00 in Tokyo is 22:00 UTC the day before; 07:00 in New York is 11:00 or 12:00 UTC.
    assert daily_period(utc(2026, 3, 9, 22, 30), "Asia/Tokyo", False).key == "d2026-03-10"
    assert daily_period(utc(2026, 3, 10, 10, 30), "America/New_York", False).key == "d2026-03-09"
    assert daily_period(utc(2026, 3, 10, 11, 30), "America/New_York", False).key == "d2026-03-10"


def test_a_weekly_digest_is_due_from_the_set_weekday(settings):
    assert weekly_period(utc(2026, 3, 9, 6), "UTC").key == "w2026-W10"
    assert weekly_period(utc(2026, 3, 9, 7), "UTC").key == "w2026-W11"
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_WEEKLY_DAY": 4}
    assert weekly_period(utc(2026, 3, 12, 12), "UTC").key == "w2026-W10"
    assert weekly_period(utc(2026, 3, 13, 7), "UTC").key == "w2026-W11"


def test_a_period_is_rebuilt_exactly_from_its_key():
    for period in (
        daily_period(utc(2026, 3, 16, 8), "Europe/Berlin", False),
        weekly_period(utc(2026, 3, 12), "Asia/Tokyo"),
    ):
        assert from_key(period.key, "Europe/Berlin" if period.frequency == "daily" else "Asia/Tokyo", False) == period


def test_each_subscriber_gets_one_digest_per_day_on_weekdays_only(smtp, make_paper):
    subscribe("a@example.net")
    subscribe("b@example.net", weekends=True)
    sent = {}
    start = utc(2026, 3, 12, 5)  # Thursday before the send hour
    for hour in range(0, 24 * 5, 3):  # every three hours through Monday night
        now = start + timedelta(hours=hour)
        with time_machine.travel(now, tick=False):
            if hour % 24 == 0:
                voted_papers(make_paper, 2, day=now.date().isoformat(), start=100 * hour)
            send_due()
    for m in smtp.messages:
        sent.setdefault(m["To"], []).append(m["Message-ID"])
    assert len(sent["a@example.net"]) == 3  # Thu, Fri, Mon
    assert len(sent["b@example.net"]) == 5  # Thu to Mon
    assert all(len(set(ids)) == len(ids) for ids in sent.values())


def test_weekly_subscribers_get_one_a_week(smtp, make_paper):
    subscribe("w@example.net", frequency="weekly")
    for day in range(15):
        now = utc(2026, 3, 2, 12) + timedelta(days=day)
        with time_machine.travel(now, tick=False):
            voted_papers(make_paper, 1, day=now.date().isoformat(), start=100 * day)
            send_due(frequency="weekly")
            send_due(frequency="daily")
    assert len(smtp.messages) == 3  # weeks 10, 11 and 12, each on its Monday
