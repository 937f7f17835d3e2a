"""Politeness to arXiv: one request at a time, starts spaced across processes, a User-Agent that names us."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from paperfeed.errors import SourceUnavailable
from paperfeed.ingest.fetch import arxiv_get
from paperfeed.lib.http import retry_after_seconds
from tests.ingest_servers import LocalServer

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "paperfeed.settings"
django.setup()
from paperfeed.ingest.fetch import arxiv_get
for _ in range(2):
    arxiv_get(os.environ["URL"])
"""


class Slow(LocalServer):
    def answer(self, path, query):
        return 200, b"ok", {"Content-Type": "text/plain"}


@pytest.fixture
def server():
    s = Slow()
    yield s
    s.close()


def gaps(starts: list[float]) -> list[float]:
    starts = sorted(starts)
    return [b - a for a, b in zip(starts, starts[1:])]


def test_requests_from_several_processes_start_at_least_the_interval_apart(server):
    env = {
        **os.environ,
        "URL": server.url + "/x",
        "PAPERFEED_ARXIV_MIN_INTERVAL": "0.4",
        "PAPERFEED_DATA_DIR": str(settings.DATA_DIR),
    }
    children = [subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env) for _ in range(3)]
    for child in children:
        assert child.wait(60) == 0
    assert len(server.log) == 6
    # The server sees arrivals, which a loaded machine delays by up to ~0.1 s each way: without pacing the six
    # would arrive together, so the whole span (5 intervals) and no gap far below the interval is the test.
    starts = server.starts()
    assert max(starts) - min(starts) >= 5 * 0.4
    assert min(gaps(starts)) >= 0.4 - 0.1


def test_the_user_agent_names_paperfeed_and_the_installations_contact(server, settings):
    settings.PAPERFEED = {
        **settings.PAPERFEED,
        "ARXIV_MIN_INTERVAL": 0.01,
        "CONTACT_EMAIL": "ops@example.org",
        "SITE_URL": "https://papers.example.org",
    }
    arxiv_get(server.url + "/x")
    agent = server.log[0][3]["User-Agent"]
    assert agent.startswith("paperfeed/") and "mailto:ops@example.org" in agent and "papers.example.org" in agent


def test_a_web_request_does_not_wait_long_for_a_turn_another_process_holds(server, settings):
    import fcntl

    from paperfeed.ingest.fetch import arxiv_pace

    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_MIN_INTERVAL": 0.01, "HTTP_TIMEOUT": 0.3}
    pace = arxiv_pace()
    pace.path.parent.mkdir(parents=True, exist_ok=True)
    with open(pace.path, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(SourceUnavailable, match="try again in a minute"):
            arxiv_get(server.url + "/x", patient=False)
    assert server.log == []


@pytest.mark.parametrize(
    "header, expected", [("120", 120.0), (None, 60.0), ("soon", 60.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)]
)
def test_retry_after_is_read_as_seconds_or_a_date_with_a_default(header, expected):
    assert retry_after_seconds(header, 60.0) == expected


@pytest.mark.slow
def test_with_the_default_interval_arxiv_sees_three_seconds_between_requests(server, settings):
    from paperfeed.config import BY_NAME

    default = BY_NAME["ARXIV_MIN_INTERVAL"].default
    assert default == 3.0
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_MIN_INTERVAL": default}  # whatever the test run set
    for _ in range(3):
        arxiv_get(server.url + "/x")
    assert len(server.log) == 3 and min(gaps(server.starts())) >= 3.0
