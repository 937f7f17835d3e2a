"""The worker's map job: one worker at a time (a database lease), a full build when there is none or the last
is older than MAP_REBUILD_AGE, and otherwise only the placing of new papers; it is listed among the jobs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from paperfeed.ingest import leases
from paperfeed.runtime.jobs import JOBS
from paperfeed.topics.job import LEASE, run_map_job
from paperfeed.topics.models import MapBuild
from tests.map_support import sample_records, store_sample


def test_the_map_job_is_scheduled_by_the_worker(settings):
    job = next(j for j in JOBS if j.name == "map")
    assert job.load() is not None and job.interval == settings.PAPERFEED["MAP_INTERVAL"]


def test_the_job_builds_once_then_places_until_the_build_is_a_night_old(db, settings):
    assert run_map_job() == "too few embedded papers to map"
    store_sample(sample_records(per_field=6))  # a few papers: laid out without UMAP, in a second
    assert run_map_job().startswith("built the map: 24 papers")
    assert run_map_job() == "placed 0 new papers"
    MapBuild.objects.update(finished_at=timezone.now() - timedelta(seconds=settings.PAPERFEED["MAP_REBUILD_AGE"] + 60))
    assert run_map_job().startswith("built the map")
    assert MapBuild.objects.count() == 2


def test_a_worker_leaves_the_map_to_the_one_holding_its_lease(db):
    store_sample(sample_records(per_field=6))
    assert leases.take(LEASE, owner="other-host:1:abc", seconds=600)
    assert run_map_job() == "another worker holds the map lease"
    assert MapBuild.objects.count() == 0
    leases.release(LEASE, owner="other-host:1:abc")
    assert run_map_job().startswith("built the map")
