"""The job loop behind `paperfeed worker` and `paperfeed serve`: failures are contained, SIGTERM stops it cleanly."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from paperfeed.runtime import jobs

CALLS: list[str] = []


def good_job():
    CALLS.append("good")


def failing_job():
    CALLS.append("failing")
    raise RuntimeError("boom")


def stoppable_job(stop):
    CALLS.append("stoppable")
    stop.set()


@pytest.fixture(autouse=True)
def fresh_calls(settings):
    CALLS.clear()
    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_INDEXER_INTERVAL": 0.05, "DIGEST_INTERVAL": 0.0}


def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    chosen = [
        jobs.Job("failing", f"{__name__}:failing_job", "SEARCH_INDEXER_INTERVAL"),
        jobs.Job("good", f"{__name__}:good_job", "SEARCH_INDEXER_INTERVAL"),
    ]
    jobs.run(chosen, stop=threading.Event(), once=True)
    assert CALLS == ["failing", "good"]
    assert "job failing failed" in caplog.text


def test_an_unavailable_job_is_skipped_with_a_warning(caplog):
    chosen = [
        jobs.Job("missing", "paperfeed.nowhere:nothing", "SEARCH_INDEXER_INTERVAL"),
        jobs.Job("good", f"{__name__}:good_job", "SEARCH_INDEXER_INTERVAL"),
    ]
    jobs.run(chosen, stop=threading.Event(), once=True)
    assert CALLS == ["good"] and "job missing is not available" in caplog.text


def test_a_job_with_interval_zero_does_not_run():
    jobs.run([jobs.Job("off", f"{__name__}:good_job", "DIGEST_INTERVAL")], stop=threading.Event(), once=True)
    assert CALLS == []


def test_jobs_repeat_until_stopped_and_receive_the_stop_event():
    stop = threading.Event()
    threading.Timer(0.4, stop.set).start()
    jobs.run([jobs.Job("good", f"{__name__}:good_job", "SEARCH_INDEXER_INTERVAL")], stop=stop)
    assert CALLS.count("good") >= 3
    CALLS.clear()
    jobs.run([jobs.Job("stoppable", f"{__name__}:stoppable_job", "SEARCH_INDEXER_INTERVAL")], stop=threading.Event())
    assert CALLS == ["stoppable"]


def test_worker_stops_cleanly_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "PAPERFEED_DATA_DIR": str(tmp_path),
        "PAPERFEED_DATABASE_URL": "",
        "PAPERFEED_SEARCH_INDEXER_INTERVAL": "0",
        "PAPERFEED_DIGEST_INTERVAL": "0",
        "PAPERFEED_HARVEST_INTERVAL": "0",
    }
    proc = subprocess.Popen([sys.executable, "-m", "paperfeed", "worker"], env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("worker running")
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "worker stopped" in out


def test_every_scheduled_job_of_the_product_can_be_loaded():
    for job in jobs.JOBS:
        assert job.load() is not None, job.target
