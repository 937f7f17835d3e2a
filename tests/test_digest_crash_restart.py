"""The real `paperfeed digest send`, SIGKILLed at random moments and restarted: nobody misses a digest, and a crash
costs at most one duplicate (counted by Message-ID at a real SMTP server on loopback)."""

import collections
import random
import signal
import subprocess
import sys
import time

import pytest

from paperfeed.digests.models import SendLog, Subscription
from tests.conftest import SmtpSink
from tests.digests_support import many_due_subscribers, sender_env

pytestmark = pytest.mark.django_db(transaction=True)


def crash_and_restart(make_paper, *, digests: int, kills: int, rate: float) -> dict:
    many_due_subscribers(digests, make_paper)
    sink = SmtpSink()
    env = sender_env(sink.port, DIGEST_RATE=rate, DIGEST_BATCH_SIZE=20)
    command = [sys.executable, "-m", "paperfeed", "digest", "send"]
    rng = random.Random(20260310)
    killed = 0
    try:
        while killed < kills:
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.6, 1.8))
            if process.poll() is not None:
                break  # it finished everything before this kill
            process.send_signal(signal.SIGKILL)
            process.wait()  # reaped, so the restart sees its claims' owner is gone
            killed += 1
        final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert final.returncode == 0, final.stderr[-2000:]
    finally:
        sink.stop()
    ids = collections.Counter(m["Message-ID"] for m in sink.messages)
    wanted = {f"<digest.{sid}." for sid in Subscription.objects.values_list("id", flat=True)}
    got = {mid.split(".d")[0] + "." for mid in ids}
    figures = {
        "digests": digests,
        "kills": killed,
        "messages": len(sink.messages),
        "unique": len(ids),
        "missing": len(wanted - got),
        "duplicates": sum(c - 1 for c in ids.values()),
        "worst_per_message": max(ids.values()),
    }
    print("crash test:", figures)
    return figures


def check(figures: dict) -> None:
    assert figures["kills"] >= 1
    assert figures["missing"] == 0 and figures["unique"] == figures["digests"]
    assert figures["duplicates"] <= figures["kills"]
    assert SendLog.objects.exclude(status="sent").count() == 0


def test_killed_and_restarted_senders_miss_nobody_and_duplicate_at_most_one_per_kill(make_paper):
    check(crash_and_restart(make_paper, digests=200, kills=5, rate=50))


@pytest.mark.slow
def test_fifty_kills_over_a_thousand_digests(make_paper):
    check(crash_and_restart(make_paper, digests=1000, kills=50, rate=25))
