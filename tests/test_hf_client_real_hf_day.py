"""A real Hugging Face daily list (shared data, read in place) served by paperfeed reads back through
huggingface_hub exactly: the same papers, titles, authors, upvotes and GitHub repos, best first."""

import gzip
import json

import pytest
from huggingface_hub import HfApi, close_session

from paperfeed.ingest.store import ingest_records
from tests.conftest import SHARED

DATA = SHARED / "data" / "hf-daily-papers-2026-02" / "papers.jsonl.gz"
DAY = "2026-02-02"


@pytest.fixture
def hf_day(live_server, transactional_db, settings):
    if not DATA.exists():
        pytest.fail(f"{DATA} is missing: the shared data folder must sit beside the repository")
    settings.PAPERFEED = {**settings.PAPERFEED, "API_RATE_LIMIT_IP": 100_000}
    with gzip.open(DATA, "rt") as f:
        rows = [r for r in map(json.loads, f) if r["date"] == DAY]
    records = [
        {
            "id": r["paper_id"],
            "title": r["title"],
            "authors": r["authors"],
            "abstract": r["abstract"],
            "imported_upvotes": r["upvotes"],
            "code_url": r["github_url"] or "",
            "listing_day": DAY,
            "first_listing_date": None,
            "categories": ["cs.LG"],
        }
        for r in rows
    ]
    summary = ingest_records(records, source="hf-daily")
    assert summary.rejected == 0
    yield rows, HfApi(endpoint=live_server.url, token=False)
    close_session()  # see test_hf_client_against_live_server.py


def test_a_real_day_reads_back_through_the_hub_client(hf_day):
    rows, hub = hf_day
    got = list(hub.list_daily_papers(date=DAY, sort="trending", limit=100))
    assert {p.id for p in got} == {r["paper_id"] for r in rows}
    by_id = {r["paper_id"]: r for r in rows}
    for paper in got:
        source = by_id[paper.id]
        assert paper.title == source["title"]
        assert [a.name for a in paper.authors] == source["authors"]
        assert (paper.upvotes or 0) == source["upvotes"]
        if source["github_url"]:
            assert paper.github_repo == source["github_url"]
        else:  # HF names none; ours is a repository the abstract itself links, if any (docs/api.md)
            assert paper.github_repo is None or paper.github_repo.removeprefix("https://") in source["abstract"]
    assert [p.upvotes or 0 for p in got] == sorted((r["upvotes"] for r in rows), reverse=True)
