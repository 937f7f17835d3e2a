"""Four `paperfeed digest send` processes started at once share the work through the database: each digest once."""

import collections
import subprocess
import sys

import pytest
from django.db import connection

from paperfeed.digests.models import SendLog
from tests.conftest import SmtpSink
from tests.digests_support import many_due_subscribers, sender_env

pytestmark = pytest.mark.django_db(transaction=True)


def run_senders(make_paper, *, processes: int, digests: int, threads: int = 1) -> collections.Counter:
    many_due_subscribers(digests, make_paper)
    sink = SmtpSink()
    try:
        env = sender_env(sink.port, DIGEST_BATCH_SIZE=10, DIGEST_CONCURRENCY=threads)
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "paperfeed", "digest", "send", "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        outputs = [p.communicate(timeout=300) for p in procs]
    finally:
        sink.stop()
    for p, (_out, err) in zip(procs, outputs):
        assert p.returncode == 0, err[-2000:]
    print(f"{connection.vendor}: {[o.strip().splitlines()[-1] for o, _ in outputs]}")
    return collections.Counter(m["Message-ID"] for m in sink.messages)


def test_four_senders_at_once_send_each_digest_exactly_once(make_paper):
    ids = run_senders(make_paper, processes=4, digests=120)
    assert len(ids) == 120 and set(ids.values()) == {1}
    assert SendLog.objects.filter(status="sent").count() == 120
    assert SendLog.objects.values("claimed_by").distinct().count() == 1  # all released ("")


def test_sender_threads_in_one_process_send_each_digest_exactly_once(make_paper):
    ids = run_senders(make_paper, processes=1, digests=120, threads=4)
    assert len(ids) == 120 and set(ids.values()) == {1}
    assert set(SendLog.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.slow
def test_four_senders_share_two_thousand_digests_exactly_once(make_paper):
    ids = run_senders(make_paper, processes=4, digests=2000)
    assert len(ids) == 2000 and set(ids.values()) == {1}
    assert SendLog.objects.filter(status="sent").count() == 2000
