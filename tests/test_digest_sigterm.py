"""SIGTERM lets the sender finish the message in flight and stop, giving the rest back for the next run."""

import signal
import subprocess
import sys
import time

import pytest

from paperfeed.digests.models import SendLog
from tests.conftest import SmtpSink
from tests.digests_support import many_due_subscribers, sender_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_sigterm_finishes_the_message_in_flight_and_stops(make_paper):
    many_due_subscribers(300, make_paper)
    sink = SmtpSink()
    try:
        env = sender_env(sink.port, DIGEST_RATE=30)
        process = subprocess.Popen(
            [sys.executable, "-m", "paperfeed", "digest", "send"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not sink.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        sink.stop()
    assert process.returncode == 0 and "stopped by signal" in err
    sent = SendLog.objects.filter(status="sent").count()
    assert 0 < sent < 300 and sent == len(sink.messages)  # every accepted message recorded, none beyond
    assert not SendLog.objects.filter(status="claimed").exists()  # the rest given back, not held
