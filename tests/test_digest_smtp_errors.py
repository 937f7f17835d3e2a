"""What the sender does with SMTP trouble: 4xx retried with backoff, 5xx fails the address, a dead server stops
the run."""

import pytest
import time_machine

from paperfeed.digests.models import SendLog, Subscriber
from paperfeed.digests.send import send_due
from tests.conftest import free_port
from tests.digests_support import TUESDAY_9AM, PickySink, subscribe, voted_papers

pytestmark = pytest.mark.django_db


@pytest.fixture
def picky(settings):
    sinks = []

    def start(answers):
        sink = PickySink(answers)
        sinks.append(sink)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        return sink

    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_RETRY_BASE_SECONDS": 0.01, "DIGEST_SMTP_RETRIES": 2}
    yield start
    for sink in sinks:
        sink.stop()


def run(make_paper):
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 2)
        return send_due()


def test_a_4xx_is_retried_then_left_for_a_later_run(picky, make_paper):
    sink = picky({"busy@example.net": "451 4.3.0 try later"})
    subscribe("busy@example.net")
    subscribe("fine@example.net")
    summary = run(make_paper)
    assert sink.rcpt_attempts["busy@example.net"] == 3  # first try and two retries
    assert summary.sent == 1 and summary.retry_later == 1
    row = SendLog.objects.get(subscription__subscriber__email="busy@example.net")
    assert row.status == "pending" and "451" in row.error and row.available_at > TUESDAY_9AM
    assert Subscriber.objects.get(email="busy@example.net").status == "active"
    sink.answers.clear()
    with time_machine.travel(TUESDAY_9AM.replace(hour=10), tick=False):
        assert send_due().sent == 1
    assert sorted(m["To"] for m in sink.messages) == ["busy@example.net", "fine@example.net"]


def test_a_5xx_fails_that_address_and_stops_mail_to_it(picky, make_paper, settings):
    sink = picky({"gone@example.net": "550 5.1.1 no such user"})
    subscribe("gone@example.net")
    subscribe("fine@example.net")
    summary = run(make_paper)
    assert summary.failed == 1 and summary.sent == 1
    assert sink.rcpt_attempts["gone@example.net"] == 1  # never retried
    gone = Subscriber.objects.get(email="gone@example.net")
    assert gone.status == "failed" and gone.hard_bounces == 1 and "550" in gone.last_error
    with time_machine.travel(TUESDAY_9AM.replace(day=11), tick=False):
        voted_papers(make_paper, 2, start=10)
        send_due()
    assert sink.rcpt_attempts["gone@example.net"] == 1


def test_the_bounce_threshold_is_a_setting(picky, make_paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_BOUNCE_THRESHOLD": 2}
    picky({"gone@example.net": "550 5.1.1 no such user"})
    subscribe("gone@example.net")
    run(make_paper)
    assert Subscriber.objects.get(email="gone@example.net").status == "active"


def test_a_server_that_is_down_stops_the_run_after_the_set_consecutive_errors(settings, make_paper):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    settings.PAPERFEED = {
        **settings.PAPERFEED,
        "DIGEST_RETRY_BASE_SECONDS": 0.01,
        "DIGEST_SMTP_RETRIES": 1,
        "DIGEST_MAX_CONSECUTIVE_ERRORS": 3,
    }
    for i in range(10):
        subscribe(f"s{i}@example.net")
    summary = run(make_paper)
    assert summary.retry_later == 3 and summary.sent == 0 and "3 temporary SMTP failures" in summary.aborted
    assert SendLog.objects.filter(status="pending").count() == 10  # nothing lost, nothing left claimed
