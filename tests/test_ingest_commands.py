"""`paperfeed ingest arxiv-ids` and `paperfeed ingest rejects`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from paperfeed.ingest.models import Reject
from paperfeed.ingest.store import ingest_records
from paperfeed.papers.models import Paper

pytestmark = pytest.mark.django_db
ARXIV = Path(__file__).parent / "fixtures" / "arxiv"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def api(replay, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_API_URL": replay.url + "/api/query", "ARXIV_MIN_INTERVAL": 0.01}
    replay.routes["id_list=1111.2011v2%2Castro-ph%2F0601001%2C2401.99999"] = (
        200,
        (ARXIV / "query_1111.2011v2.xml").read_bytes(),
        "application/atom+xml",
    )
    return replay


def test_arxiv_ids_of_both_styles_with_and_without_version_are_fetched_and_stored(api):
    out, err = run("arxiv-ids", "1111.2011v2", "astro-ph/0601001", "arXiv:2401.99999")
    assert "new 1" in out and "arXiv has no paper astro-ph/0601001, 2401.99999" in err
    paper = Paper.objects.get(arxiv_id="1111.2011")
    assert paper.version == 2 and paper.listing.source == "arxiv-api"
    assert api.requests == ["/api/query?id_list=1111.2011v2%2Castro-ph%2F0601001%2C2401.99999&max_results=3"]


@pytest.mark.parametrize("bad", ["https://evil.example.org/abs/2401.12345", "2401.123", "hep-th/99", "1234"])
def test_anything_else_is_refused_naming_the_accepted_forms(api, bad):
    with pytest.raises(CommandError, match="new-style id like 2401.12345, an old-style id like hep-th/9901001"):
        run("arxiv-ids", "2401.12345", bad)
    assert api.requests == []


def test_rejects_lists_source_reason_and_an_excerpt_filtered_by_source():
    ingest_records([{"id": "garbage", "title": "x"}], source="file")
    ingest_records([{"id": "2401.12345"}], source="hf-daily")
    out, _ = run("rejects")
    assert "file: Not an arXiv id: 'garbage'" in out and "hf-daily: missing title" in out
    assert '{"id": "garbage", "title": "x"}' in out
    out, _ = run("rejects", "--source", "hf-daily", "--limit", "5")
    assert "hf-daily" in out and "garbage" not in out


def test_rejects_says_so_when_there_are_none():
    out, _ = run("rejects", "--source", "arxiv-oai")
    assert "No rejected records from arxiv-oai." in out
    assert not Reject.objects.exists()


def test_the_admin_shows_rejects_and_harvest_states(admin_client):
    from paperfeed.ingest.models import HarvestState

    ingest_records([{"id": "garbage", "title": "x"}], source="file")
    HarvestState.objects.create(set_spec="cs", resumption_token="tok-3", pages=3)
    page = admin_client.get("/admin/ingest/reject/").content.decode()
    assert "Not an arXiv id" in page and "file" in page
    assert admin_client.get("/admin/ingest/harveststate/").status_code == 200
