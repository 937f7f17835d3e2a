"""A digest claimed by a sender that died is taken over: after the lease on another host, at once on this one."""

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from paperfeed.digests.models import SendLog
from paperfeed.digests.send import enqueue, send_due
from tests.digests_support import TUESDAY_9AM, subscribe, voted_papers

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(make_paper, smtp):
    def claim(owner: str):
        with time_machine.travel(TUESDAY_9AM, tick=False):
            voted_papers(make_paper, 2)
            subscribe("reader@example.net")
            enqueue(timezone.now(), ["daily"])
            SendLog.objects.update(status="claimed", claimed_by=owner, claimed_at=timezone.now())

    return claim


def test_a_live_claim_elsewhere_is_left_alone_until_its_lease_runs_out(claimed, smtp, settings):
    claimed("other-host:4242:abcd")
    with time_machine.travel(TUESDAY_9AM + timedelta(seconds=60), tick=False):
        summary = send_due()
    assert summary.sent == 0 and summary.held_elsewhere == 1 and smtp.messages == []
    lease = settings.PAPERFEED["DIGEST_CLAIM_LEASE_SECONDS"]
    with time_machine.travel(TUESDAY_9AM + timedelta(seconds=lease + 1), tick=False):
        assert send_due().sent == 1
    assert len(smtp.messages) == 1


def test_a_dead_sender_on_this_host_is_taken_over_at_once(claimed, smtp):
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    claimed(f"{socket.gethostname()}:{gone}:abcd")
    with time_machine.travel(TUESDAY_9AM + timedelta(seconds=5), tick=False):
        assert send_due().sent == 1
    assert len(smtp.messages) == 1
