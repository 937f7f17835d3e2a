"""The scheduled arXiv harvest is claimed through the database: of two workers one harvests, and a dead
worker's lease is taken over once it runs out."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from paperfeed.ingest import leases
from paperfeed.ingest.models import HarvestState, JobLease
from paperfeed.ingest.oai_harvest import LEASE, harvest_scheduled
from paperfeed.papers.models import Paper
from tests.digests_support import database_url
from tests.ingest_servers import OaiServer, arxiv_raw_record, real_records

ROOT = Path(__file__).resolve().parents[1]
RECORDS = real_records(60, skip=700)
PAGES = [[arxiv_raw_record(r) for r in RECORDS[i : i + 20]] for i in range(0, 60, 20)]


class GatedOaiServer(OaiServer):
    """Holds back the second page until `gate` is set, so that a harvest is surely under way meanwhile."""

    def __init__(self, pages):
        self.gate = threading.Event()
        super().__init__(pages)

    def answer(self, path, query):
        if self.page_number(query) == 1:
            self.gate.wait(60)
        return super().answer(path, query)


def first_requests(server: OaiServer) -> int:
    """How many harvests started: ListRecords requests without a resumption token."""
    return sum(1 for _, _, q, _ in server.log if q.get("verb") == "ListRecords" and "resumptionToken" not in q)


def set_up_harvest() -> None:
    HarvestState.objects.create(set_spec="cs", next_from=date(2025, 3, 1))


@pytest.mark.django_db(transaction=True)
def test_of_two_workers_started_at_once_only_one_harvests(tmp_path):
    set_up_harvest()
    server = GatedOaiServer(PAGES)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_")}
    env.update(
        PAPERFEED_DATA_DIR=str(tmp_path),  # arXiv pacing state of their own
        PAPERFEED_DATABASE_URL=database_url(connection.settings_dict),
        PAPERFEED_ARXIV_OAI_URL=server.url + "/oai",
        PAPERFEED_ARXIV_MIN_INTERVAL="0.05",
        PAPERFEED_HTTP_TIMEOUT="90",
        PAPERFEED_HARVEST_INTERVAL="1",
        PAPERFEED_SEARCH_INDEXER_INTERVAL="0",
        PAPERFEED_DIGEST_INTERVAL="0",
    )
    command = [sys.executable, "-m", "paperfeed", "worker", "--once", "--only", "arxiv-harvest"]
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    try:
        # The harvesting worker waits at page 2; the other finds the lease taken and ends its run.
        deadline = time.monotonic() + 90
        while all(w.poll() is None for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        done = [w for w in workers if w.poll() is not None]
        assert len(done) == 1, "neither worker stepped aside while the other harvested"
        skipped = done[0].communicate()[0]
        server.gate.set()
        harvesting = next(w for w in workers if w is not done[0])
        harvested = harvesting.communicate(timeout=90)[0]
    finally:
        server.gate.set()
        for w in workers:
            if w.poll() is None:
                w.kill()
        server.close()
    assert done[0].returncode == 0 and harvesting.returncode == 0, skipped + harvested
    assert "scheduled arXiv harvest skipped" in skipped, skipped
    assert "scheduled arXiv harvest: fetched 60, new 60" in harvested, harvested
    assert first_requests(server) == 1
    assert Paper.objects.count() == 60
    assert JobLease.objects.get(name=LEASE).owner == ""  # freed when done


@pytest.fixture
def oai(settings):
    server = OaiServer(PAGES)
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_OAI_URL": server.url + "/oai", "ARXIV_MIN_INTERVAL": 0.01}
    yield server
    server.close()


@pytest.mark.django_db
def test_a_live_lease_elsewhere_is_left_alone_and_an_expired_one_is_taken_over(oai, settings):
    set_up_harvest()
    seconds = settings.PAPERFEED["HARVEST_LEASE_SECONDS"]
    # Another worker took the lease a little while ago (the clock is moved back, not forward: arXiv's pacing
    # keeps its times in the data directory).
    assert leases.take(LEASE, owner="other-host:4242:abcd", seconds=seconds, now=timezone.now() - timedelta(seconds=5))
    assert harvest_scheduled() is None
    assert oai.log == [] and Paper.objects.count() == 0
    # ... and died: nobody renewed the lease since.
    JobLease.objects.filter(name=LEASE).update(expires_at=timezone.now() - timedelta(seconds=1))
    summary = harvest_scheduled()
    assert summary.new == 60 and first_requests(oai) == 1
    assert JobLease.objects.get(name=LEASE).owner == ""


@pytest.mark.django_db
def test_a_lease_has_one_holder_until_released_or_expired():
    now = timezone.now()
    assert leases.take("job", owner="a", seconds=60, now=now)
    assert not leases.take("job", owner="b", seconds=60, now=now + timedelta(seconds=30))
    assert leases.take("job", owner="a", seconds=60, now=now + timedelta(seconds=30))  # the holder again: renewed
    assert leases.holder("job", now=now + timedelta(seconds=30)) == "a"
    assert leases.take("job", owner="b", seconds=60, now=now + timedelta(seconds=91))  # a stopped renewing
    assert not leases.renew("job", owner="a", seconds=60, now=now + timedelta(seconds=92))
    assert not leases.release("job", owner="a")
    assert leases.release("job", owner="b") and leases.holder("job") is None
    assert leases.take("job", owner="a", seconds=60)
    assert JobLease.objects.filter(name="job").count() == 1
