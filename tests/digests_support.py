"""Helpers for the digest tests: confirmed subscribers, voted papers, SMTP sinks that refuse chosen addresses."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email import policy

from django.utils import timezone

from tests.conftest import free_port

# A Tuesday; the default send hour is 07:00 UTC.
TUESDAY_9AM = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def subscribe(
    address: str,
    *,
    kind: str = "trending",
    frequency: str = "daily",
    confirmed: bool = True,
    user=None,
    tz: str = "UTC",
    weekends: bool = False,
    saved_search=None,
):
    from paperfeed.digests.models import Subscriber, Subscription

    subscriber, _ = Subscriber.objects.get_or_create(
        email=address,
        defaults={
            "confirmed_at": timezone.now() if confirmed else None,
            "user": user,
            "timezone": tz,
            "weekends": weekends,
        },
    )
    return Subscription.objects.create(subscriber=subscriber, kind=kind, frequency=frequency, saved_search=saved_search)


def voted_papers(make_paper, n: int, *, day: str = "2026-03-10", prefix: str = "2603", start: int = 0, **fields):
    """n papers listed on `day` with imported upvotes n, n-1, ... so trending has an order."""
    papers = []
    for i in range(n):
        paper = make_paper(f"{prefix}.{start + i + 1:05d}", first_listing_date=day, **fields)
        type(paper).objects.filter(pk=paper.pk).update(imported_upvotes=n - i)
        papers.append(paper)
    return papers


def message_ids(sink) -> list[str]:
    return [m["Message-ID"] for m in sink.messages]


def arxiv_ids_in(text: str) -> list[str]:
    """The papers of a text part, in order (each block says arXiv:<id> once)."""
    return re.findall(r"arXiv:(\d{4}\.\d{4,5})", text)


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


class PickySink:
    """aiosmtpd on loopback that answers RCPT with a chosen code for chosen addresses and records the rest."""

    def __init__(self, answers: dict[str, str]):
        from aiosmtpd.controller import Controller

        self.answers = answers
        self.messages = []
        self.rcpt_attempts: dict[str, int] = {}
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                sink.rcpt_attempts[address] = sink.rcpt_attempts.get(address, 0) + 1
                if address in sink.answers:
                    return sink.answers[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def database_url(settings_dict: dict) -> str:
    """The test database as a PAPERFEED_DATABASE_URL, so a `paperfeed` subprocess works on the same data."""
    from urllib.parse import quote, urlencode

    if settings_dict["ENGINE"].endswith("sqlite3"):
        options = {
            k: v
            for k, v in settings_dict.get("OPTIONS", {}).items()
            if k in ("timeout", "transaction_mode", "init_command")
        }
        return f"sqlite:///{settings_dict['NAME']}?{urlencode(options)}"
    auth = quote(settings_dict["USER"] or "postgres") + (
        f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    )
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


def sender_env(smtp_port: int, **extra) -> dict:
    import os

    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_") or k == "PAPERFEED_DATA_DIR"}
    env.update(
        {
            "PAPERFEED_DATABASE_URL": database_url(connection.settings_dict),
            "PAPERFEED_EMAIL_HOST": "127.0.0.1",
            "PAPERFEED_EMAIL_PORT": str(smtp_port),
        }
    )
    env.update({f"PAPERFEED_{k}": str(v) for k, v in extra.items()})
    return env


def many_due_subscribers(n: int, make_paper) -> None:
    """n confirmed daily trending subscribers and a few papers, due now whatever the day and hour."""
    from datetime import timedelta

    from paperfeed.digests.models import Subscriber, Subscription

    voted_papers(make_paper, 3, day=(timezone.localdate() - timedelta(days=2)).isoformat())
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"s{i:06d}@example.net", confirmed_at=now, weekends=True) for i in range(n)], batch_size=2000
    )
    ids = Subscriber.objects.values_list("id", flat=True)
    Subscription.objects.bulk_create(
        [Subscription(subscriber_id=i, kind="trending", frequency="daily") for i in ids], batch_size=2000
    )
