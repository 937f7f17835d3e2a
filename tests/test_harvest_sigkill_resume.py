"""`paperfeed ingest arxiv` killed with SIGKILL after page 3 and started again: no gap, no duplicate."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from paperfeed.ingest.models import HarvestState
from paperfeed.papers.models import Listing, Paper
from tests.ingest_servers import OaiServer, arxiv_raw_record, real_records

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"  # the test database file, not the one the settings name
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def run_harvest(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "paperfeed", "ingest", "arxiv", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_harvest_killed_after_page_3_resumes_with_no_gap_and_no_duplicate():
    records = real_records(100, skip=500)
    server = OaiServer([[arxiv_raw_record(r) for r in records[i : i + 20]] for i in range(0, 100, 20)])
    page3 = threading.Event()
    server.on_served = lambda n: page3.set() if n == 2 else None  # pages count from 0
    env = {
        **os.environ,
        "PAPERFEED_DATABASE_URL": database_url(),
        "PAPERFEED_ARXIV_OAI_URL": server.url + "/oai",
        "PAPERFEED_ARXIV_MIN_INTERVAL": "0.3",
        "PAPERFEED_ARXIV_RETRY_AFTER": "0.1",
        "PAPERFEED_DATA_DIR": str(settings.DATA_DIR),
    }
    try:
        first = run_harvest(env, "--set", "cs", "--from", "2025-03-01")
        assert page3.wait(60), first.communicate(timeout=5)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert first.returncode == -signal.SIGKILL
        stored_at_kill = Paper.objects.count()
        assert stored_at_kill < 100 and HarvestState.objects.get().running

        second = run_harvest(env, "--set", "cs", "--from", "2025-03-01")
        out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err
    finally:
        server.close()
    assert "Resuming at page" in err
    assert f"new {100 - stored_at_kill}" in out and "rejected 0" in out
    assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == sorted(r["id"] for r in records)
    assert Listing.objects.count() == 100  # one listing each: no duplicate
    queries = [q for _, _, q, _ in server.log]
    # the restart asked for the saved token, not for the list from its start
    restart = (
        queries.index({"verb": "ListRecords", "resumptionToken": "tok-3"})
        if stored_at_kill == 60
        else queries.index({"verb": "ListRecords", "resumptionToken": "tok-2"}, 3)
    )
    assert all("resumptionToken" in q for q in queries[restart:])
    assert sum("metadataPrefix" in q for q in queries) == 1
    state = HarvestState.objects.get()
    assert not state.running and state.finished_at is not None
