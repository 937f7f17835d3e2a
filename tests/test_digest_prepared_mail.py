"""Digests go out as prepared bytes (one template per digest body): each mail is still its subscriber's own, and
says exactly what Django's own message for it says."""

import email
from email import policy
from html import escape

import pytest
import time_machine
from django.core import mail

from paperfeed.digests import tokens
from paperfeed.digests.compose import Composer
from paperfeed.digests.schedule import period_for
from paperfeed.digests.send import send_due
from tests.digests_support import TUESDAY_9AM, parts, subscribe, voted_papers

pytestmark = pytest.mark.django_db

HEADERS = (
    "From",
    "To",
    "Subject",
    "Message-ID",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "Auto-Submitted",
    "Precedence",
    "MIME-Version",
)


@pytest.fixture
def papers(make_paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "SITE_URL": "https://papers.example.org", "DIGEST_MAX_PAPERS": 3}
    with time_machine.travel(TUESDAY_9AM, tick=False):
        return voted_papers(make_paper, 3, abstract=r"Bounds with $\alpha \leq 10^{3}$, naïve baselines and “quotes”.")


def test_the_prepared_bytes_say_what_djangos_message_says(papers):
    subscription = subscribe("reader@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        composer = Composer()
        digest = composer.compose(subscription, period_for("daily", TUESDAY_9AM, "UTC", False))
        prepared_mail = composer.prepared(digest)
        django_message = composer.message(digest).message()
    assert prepared_mail is not None and prepared_mail.to == "reader@example.net"
    prepared = email.message_from_bytes(prepared_mail.data, policy=policy.default)
    expected = email.message_from_bytes(
        django_message.as_bytes(linesep="\r\n"), policy=policy.default
    )  # as Django's SMTP backend sends it
    for name in HEADERS:
        assert prepared[name] == expected[name], name
    assert prepared["Date"] and prepared.get_content_type() == "multipart/alternative"
    assert parts(prepared) == parts(expected)
    assert "α ≤ 10³" in parts(prepared)[0]


def test_subscribers_of_one_digest_each_get_their_own_address_links_and_message_id(papers, smtp):
    readers = ["ada@example.net", "alan@example.org", "grace@example.com"]
    subscriptions = {subscribe(address).pk: address for address in readers}
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 3
    assert len({m["Message-ID"] for m in smtp.messages}) == 3
    for message, (_, rcpt) in zip(smtp.messages, smtp.envelopes):
        address = message["To"]
        assert rcpt == [address]
        text, html = parts(message)
        url = message["List-Unsubscribe"].strip("<>")
        subscription_id = tokens.read_unsubscribe_token(url.rstrip("/").rsplit("/", 1)[1])
        assert subscriptions[subscription_id] == address
        assert f".{subscription_id}." in message["Message-ID"]
        assert url in text and escape(url) in html
        assert all(other not in text + html for other in readers if other != address)


def test_an_address_that_needs_escaping_takes_djangos_path_and_arrives_intact(papers, smtp):
    subscribe("o'brien&co@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    message = smtp.messages[0]
    assert smtp.envelopes[0][1] == ["o'brien&co@example.net"]
    text, html = parts(message)
    assert "o'brien&co@example.net" in text
    assert "o&#x27;brien&amp;co@example.net" in html


def test_a_non_smtp_email_backend_gets_django_messages(papers, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    subscribe("reader@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    assert [m.to for m in mail.outbox] == [["reader@example.net"]]
    assert "Paper 2603.00001" in mail.outbox[0].body
