"""A paper goes to a subscriber once; an empty digest is not sent; a period is not sent twice."""

from datetime import timedelta

import pytest
import time_machine

from paperfeed.digests.models import SendLog, SentPaper
from paperfeed.digests.send import send_due
from tests.digests_support import TUESDAY_9AM, parts, subscribe, voted_papers

pytestmark = pytest.mark.django_db


def test_a_paper_sent_in_an_earlier_digest_is_left_out_of_the_next(smtp, make_paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_MAX_PAPERS": 2}
    subscribe("reader@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 4)
        send_due()
    with time_machine.travel(TUESDAY_9AM + timedelta(days=1), tick=False):
        send_due()
    first, second = (parts(m)[0] for m in smtp.messages)
    assert "2603.00001" in first and "2603.00002" in first
    assert "2603.00001" not in second and "2603.00003" in second and "2603.00004" in second
    assert SentPaper.objects.count() == 4


def test_an_empty_digest_is_not_sent(smtp, make_paper):
    subscribe("reader@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 1)
        send_due()
    with time_machine.travel(TUESDAY_9AM + timedelta(days=1), tick=False):
        summary = send_due()
    assert summary.empty == 1 and summary.sent == 0
    assert len(smtp.messages) == 1
    assert SendLog.objects.filter(status="empty").count() == 1


def test_running_again_in_the_same_period_sends_nothing_more(smtp, make_paper):
    subscribe("reader@example.net")
    subscribe("other@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 3)
        assert send_due().sent == 2
    with time_machine.travel(TUESDAY_9AM + timedelta(hours=5), tick=False):
        assert send_due().sent == 0
    assert len(smtp.messages) == 2


def test_the_message_id_is_derived_from_subscription_and_period(smtp, make_paper):
    subscription = subscribe("reader@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 1)
        send_due()
    row = SendLog.objects.get()
    assert smtp.messages[0]["Message-ID"] == row.message_id == f"<digest.{subscription.pk}.d2026-03-10@127.0.0.1>"


def test_a_dry_run_composes_but_sends_and_records_nothing(smtp, make_paper):
    subscribe("reader@example.net")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        voted_papers(make_paper, 2)
        summary = send_due(dry_run=True)
    assert summary.sent == 1 and summary.dry_run
    assert smtp.messages == [] and not SendLog.objects.exists() and not SentPaper.objects.exists()
