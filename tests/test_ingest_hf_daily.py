"""`paperfeed ingest hf-daily` against a local server answering in Hugging Face's /api/daily_papers shape."""

from __future__ import annotations

import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from paperfeed.ingest.models import Reject
from paperfeed.papers.models import Listing, Paper, Vote
from tests.ingest_servers import HfServer, hf_item, hf_rows

pytestmark = pytest.mark.django_db

BY_DAY: dict[str, list[dict]] = defaultdict(list)
for row in hf_rows():
    BY_DAY[row["date"]].append(hf_item(row))


@pytest.fixture
def hf(settings):
    server = HfServer({day: list(items) for day, items in BY_DAY.items()})
    settings.PAPERFEED = {
        **settings.PAPERFEED,
        "HF_API_URL": server.url,
        "ARXIV_RETRY_AFTER": 0.05,
        "ARXIV_MAX_TRIES": 3,
    }
    yield server
    server.close()


def ingest(*args) -> str:
    out = io.StringIO()
    call_command("ingest", "hf-daily", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_day_imports_its_papers_with_day_submitter_and_upvotes_as_an_imported_count(hf):
    items = BY_DAY["2026-02-10"]
    out = ingest("--date", "2026-02-10")
    assert f"fetched {len(items)}, new {len(items)}" in out
    top = items[0]["paper"]
    paper = Paper.objects.get(arxiv_id=top["id"])
    assert paper.imported_upvotes == top["upvotes"] and paper.vote_count == 0 and not Vote.objects.exists()
    assert paper.upvotes == top["upvotes"]
    assert paper.authors == [a["name"] for a in top["authors"]]
    listing = paper.listing
    assert str(listing.day) == "2026-02-10" and listing.submitter_name == "akhaliq" and listing.source == "hf-daily"
    if top["githubRepo"]:
        assert top["githubRepo"].rstrip("/").removesuffix(".git").lower() in [u.lower() for u in paper.code_links]


def test_reimporting_updates_the_upvote_count_and_changes_nothing_else(hf):
    ingest("--date", "2026-02-10")
    first = hf.days["2026-02-10"][0]["paper"]
    listing_before = Listing.objects.get(paper__arxiv_id=first["id"]).pk
    seq_before = Paper.objects.get(arxiv_id=first["id"]).change_seq
    first["upvotes"] += 5
    out = ingest("--date", "2026-02-10")
    n = len(hf.days["2026-02-10"])
    assert f"new 0, updated 1, unchanged {n - 1}, rejected 0" in out
    paper = Paper.objects.get(arxiv_id=first["id"])
    assert paper.imported_upvotes == first["upvotes"] and paper.change_seq == seq_before
    assert Listing.objects.get(paper=paper).pk == listing_before


def test_hugging_faces_copy_of_an_abstract_never_overwrites_arxivs(hf, make_paper):
    pid = BY_DAY["2026-02-10"][0]["paper"]["id"]
    make_paper(pid, title="arXiv's title", abstract="arXiv's abstract.")
    ingest("--date", "2026-02-10")
    paper = Paper.objects.get(arxiv_id=pid)
    assert (paper.title, paper.abstract) == ("arXiv's title", "arXiv's abstract.")
    assert paper.imported_upvotes == BY_DAY["2026-02-10"][0]["paper"]["upvotes"]


def test_a_range_of_days_asks_for_each_day_and_pages_through_long_days(hf):
    many = [
        hf_item(
            {
                "paper_id": f"2612.{90000 + i}",
                "authors": ["A B"],
                "date": "2026-02-12",
                "title": f"T {i}",
                "abstract": "x",
                "upvotes": i,
                "github_url": "",
            }
        )
        for i in range(130)
    ]
    hf.days["2026-02-12"] = many
    out = ingest("--from", "2026-02-11", "--until", "2026-02-12")
    assert f"new {len(BY_DAY['2026-02-11']) + 130}" in out
    asked = [(q["date"], q.get("p")) for _, _, q, _ in hf.log]
    assert ("2026-02-12", "1") in asked and ("2026-02-11", "0") in asked


def test_a_malformed_item_is_rejected_and_the_rest_is_stored(hf):
    hf.days["2026-02-10"] = [{"paper": {"id": "not an id", "title": "x"}}, "junk", *BY_DAY["2026-02-10"]]
    out = ingest("--date", "2026-02-10")
    assert "rejected 2" in out
    reasons = sorted(Reject.objects.filter(source="hf-daily").values_list("reason", flat=True))
    assert any("Not an arXiv id" in r for r in reasons) and any('no "paper"' in r for r in reasons)


def test_an_unreadable_answer_is_retried_then_reported(hf):
    hf.answer = lambda path, query: (200, b"<html>oops</html>", {"Content-Type": "text/html"})
    with pytest.raises(CommandError, match="run the same command again later"):
        ingest("--date", "2026-02-10")
    assert len(hf.log) == 3


def test_a_day_is_required(hf):
    with pytest.raises(CommandError, match="--date"):
        ingest()
