"""The scheduled jobs and the loop that runs them (`paperfeed worker`, and the worker `paperfeed serve` starts).

Each job is a plain function elsewhere in the library, named here by import path so that a part that is not
installed (e.g. no search extra) is skipped with a log line instead of stopping the rest. Every job must be
safe to run in many processes on many hosts at once: the work is claimed through the database.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger("paperfeed.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    target: str  # "module:function"; given `stop` (a threading.Event) when it has a parameter of that name
    interval_setting: str

    @property
    def interval(self) -> float:
        return float(settings.PAPERFEED[self.interval_setting])

    def load(self) -> Callable[[threading.Event], object] | None:
        module, _, func = self.target.partition(":")
        try:
            fn = getattr(importlib.import_module(module), func)
        except (ImportError, AttributeError) as exc:
            logger.warning("job %s is not available (%s); the other jobs run", self.name, exc)
            return None
        if "stop" in inspect.signature(fn).parameters:
            return lambda stop: fn(stop=stop)
        return lambda stop: fn()


JOBS = [
    Job("search-index", "paperfeed.search.indexer:catch_up", "SEARCH_INDEXER_INTERVAL"),
    Job("vote-counts", "paperfeed.papers.vote_counts:count_aged_votes", "VOTE_COUNT_INTERVAL"),
    Job("digests", "paperfeed.digests.send:send_due", "DIGEST_INTERVAL"),
    Job("arxiv-harvest", "paperfeed.ingest.oai_harvest:harvest_scheduled", "HARVEST_INTERVAL"),
    Job("for-you-retrain", "paperfeed.recommend.retrain:retrain_stale", "RECOMMEND_RETRAIN_INTERVAL"),
    Job("map", "paperfeed.topics.job:run_map_job", "MAP_INTERVAL"),
]


def run(jobs: list[Job], *, stop: threading.Event, once: bool = False) -> None:
    """Run each job every `interval` seconds until `stop` is set; a job's failure is logged and retried later."""
    runnable = [(job, fn) for job in jobs if job.interval > 0 and (fn := job.load())]
    due = {job.name: 0.0 for job, _ in runnable}
    while not stop.is_set():
        for job, fn in runnable:
            if stop.is_set() or time.monotonic() < due[job.name]:
                continue
            close_old_connections()
            try:
                fn(stop)
            except Exception:
                logger.exception("job %s failed; it runs again in %.0f s", job.name, job.interval)
            due[job.name] = time.monotonic() + job.interval
        if once:
            return
        next_due = min(due.values(), default=time.monotonic() + 1.0)
        stop.wait(max(0.05, min(1.0, next_due - time.monotonic())))
