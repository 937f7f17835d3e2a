"""Harvesting arXiv's OAI-PMH interface from a local server that serves pages built from real arXiv records."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from paperfeed.ingest.models import HarvestState, Reject
from paperfeed.papers.models import Listing, Paper
from tests.ingest_servers import OaiServer, arxiv_raw_record, arxiv_record, deleted_record, real_records

pytestmark = pytest.mark.django_db

RECORDS = real_records(100)


def pages_of(xml: list[str], size: int = 20) -> list[list[str]]:
    return [xml[i : i + size] for i in range(0, len(xml), size)]


@pytest.fixture
def fast(settings):
    settings.PAPERFEED = {
        **settings.PAPERFEED,
        "ARXIV_MIN_INTERVAL": 0.01,
        "ARXIV_RETRY_AFTER": 0.05,
        "ARXIV_MAX_TRIES": 4,
        "HTTP_TIMEOUT": 5.0,
    }
    return settings


@pytest.fixture
def oai(fast):
    servers = []

    def make(pages):
        server = OaiServer(pages)
        fast.PAPERFEED = {**fast.PAPERFEED, "ARXIV_OAI_URL": server.url + "/oai"}
        servers.append(server)
        return server

    yield make
    for s in servers:
        s.close()


def harvest(*args) -> str:
    out = io.StringIO()
    call_command("ingest", "arxiv", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_five_page_harvest_stores_every_record_once_following_the_tokens(oai):
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    out = harvest("--set", "cs", "--from", "2025-03-01")
    assert "fetched 100, new 100, updated 0, unchanged 0, rejected 0" in out
    assert Paper.objects.count() == 100 and Listing.objects.count() == 100
    queries = [q for _, _, q, _ in server.log]
    assert queries[0] == {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": "cs", "from": "2025-03-01"}
    assert [q.get("resumptionToken") for q in queries[1:]] == ["tok-1", "tok-2", "tok-3", "tok-4"]
    state = HarvestState.objects.get(set_spec="cs")
    assert not state.running and state.pages == 5 and state.finished_at is not None


def test_the_harvested_paper_is_normalized_from_arxivs_record(oai):
    record = RECORDS[0]
    oai([[arxiv_raw_record(record, versions=2)]])
    harvest("--set", "cs", "--from", "2025-03-01")
    paper = Paper.objects.get(arxiv_id=record["id"])
    assert paper.title == " ".join(record["title"].split())
    assert paper.authors == record["authors"]
    assert paper.abstract == " ".join(record["abstract"].split())  # line breaks gone, LaTeX left alone
    assert paper.version == 2 and [v["version"] for v in paper.versions] == [1, 2]
    assert paper.primary_category == record["categories"][0]


def test_running_the_same_harvest_again_changes_nothing(oai):
    oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    harvest("--set", "cs", "--from", "2025-03-01")
    seqs = dict(Paper.objects.values_list("arxiv_id", "change_seq"))
    out = harvest("--set", "cs", "--from", "2025-03-01", "--restart")
    assert "new 0, updated 0, unchanged 100, rejected 0" in out
    assert dict(Paper.objects.values_list("arxiv_id", "change_seq")) == seqs


def test_categories_keep_only_papers_in_them(oai):
    oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    out = harvest("--set", "cs", "--categories", "cs.CL", "--from", "2025-03-01")
    wanted = [r["id"] for r in RECORDS if "cs.CL" in r["categories"]]
    assert 0 < len(wanted) < 100
    assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == sorted(wanted)
    assert f"skipped {100 - len(wanted)} (other categories)" in out


def test_one_malformed_record_among_100_stores_99_and_rejects_1_with_its_reason(oai):
    xml = [arxiv_raw_record(r) for r in RECORDS]
    xml[42] = xml[42].replace("<datestamp>", "<datestamp>not-a-date").replace("</version>", "</version>", 1)
    oai(pages_of(xml))
    out = harvest("--set", "cs", "--from", "2025-03-01")
    assert "new 99" in out and "rejected 1" in out
    [reject] = Reject.objects.all()
    assert reject.source == "arxiv-oai" and "datestamp" in reject.reason and RECORDS[42]["id"] in reject.raw


def test_empty_truncated_and_recordless_pages_are_retried_never_taken_as_the_end(oai):
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    server.faults = {2: ["empty", "truncated", "no-records"]}
    harvest("--set", "cs", "--from", "2025-03-01")
    assert Paper.objects.count() == 100
    assert [q.get("resumptionToken") for _, _, q, _ in server.log].count("tok-2") == 4


def test_a_connection_reset_is_retried(oai):
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    server.faults = {1: ["reset"]}
    harvest("--set", "cs", "--from", "2025-03-01")
    assert Paper.objects.count() == 100


def test_503_retry_after_is_honoured_and_its_absence_waits_the_configured_back_off(oai, fast):
    fast.PAPERFEED = {**fast.PAPERFEED, "ARXIV_RETRY_AFTER": 0.4}
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    server.faults = {1: ["503"], 3: ["503-no-retry-after"]}
    harvest("--set", "cs", "--from", "2025-03-01")
    starts = server.starts()
    assert len(starts) == 7 and Paper.objects.count() == 100
    assert starts[2] - starts[1] >= 1.0  # the server said Retry-After: 1
    assert starts[5] - starts[4] >= 0.4  # no Retry-After: ARXIV_RETRY_AFTER


def test_after_the_last_try_the_error_says_what_to_do_and_the_rerun_resumes(oai, fast):
    fast.PAPERFEED = {**fast.PAPERFEED, "ARXIV_MAX_TRIES": 2}
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    server.faults = {2: ["503", "503-no-retry-after"]}
    with pytest.raises(CommandError, match="run the same command again later and it resumes"):
        harvest("--set", "cs", "--from", "2025-03-01")
    state = HarvestState.objects.get()
    assert state.resumption_token == "tok-2" and Paper.objects.count() == 40
    harvest()  # the scheduler's run, no arguments
    assert Paper.objects.count() == 100
    assert server.log[-3][2] == {"verb": "ListRecords", "resumptionToken": "tok-2"}


def test_a_page_that_repeats_its_token_stops_the_harvest_instead_of_looping(oai):
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS]))
    server.repeat_token_on = 2
    with pytest.raises(CommandError, match="a second time"):
        harvest("--set", "cs", "--from", "2025-03-01")
    assert len(server.log) == 3 and Paper.objects.count() == 60


def test_a_deleted_record_withdraws_the_paper_but_keeps_its_page_and_listing(oai, client):
    first = oai([[arxiv_raw_record(r) for r in RECORDS[:3]]])
    harvest("--set", "cs", "--from", "2025-03-01")
    first.close()
    paper = Paper.objects.get(arxiv_id=RECORDS[0]["id"])
    oai([[deleted_record(RECORDS[0]["id"], "2026-11-20")]])
    out = harvest("--set", "cs", "--from", "2026-11-01")
    assert "updated 1" in out
    paper.refresh_from_db()
    assert paper.withdrawn and Listing.objects.filter(paper=paper).exists()
    assert not Paper.objects.listable().filter(pk=paper.pk).exists()
    page = client.get(f"/papers/{paper.arxiv_id}")
    assert page.status_code == 200 and "withdrawn" in page.content.decode()


def test_a_withdrawal_version_marks_the_paper_withdrawn(oai):
    oai([[arxiv_raw_record(RECORDS[1], versions=2, withdrawn=True)]])
    harvest("--set", "cs", "--from", "2025-03-01")
    assert Paper.objects.get(arxiv_id=RECORDS[1]["id"]).withdrawn


def test_a_new_version_updates_title_and_abstract_and_keeps_votes_comments_and_listing(oai, alice):
    from paperfeed.papers.paper_actions import add_comment, upvote

    first = oai([[arxiv_raw_record(RECORDS[0])]])
    harvest("--set", "cs", "--from", "2025-03-01")
    first.close()
    paper = Paper.objects.get()
    listing_day = paper.listing.day
    upvote(alice, paper)
    add_comment(alice, paper, "Nice.")
    v2 = {**RECORDS[0], "title": "A better title", "abstract": "A new abstract with $x^2$."}
    oai([[arxiv_raw_record(v2, versions=2, datestamp="2026-11-20")]])
    out = harvest("--set", "cs", "--from", "2026-11-01")
    assert "updated 1" in out
    paper.refresh_from_db()
    assert (paper.title, paper.abstract, paper.version) == ("A better title", "A new abstract with $x^2$.", 2)
    assert paper.vote_count == 1 and paper.comment_count == 1 and paper.listing.day == listing_day


def test_the_run_without_arguments_starts_where_the_last_harvest_ended(oai):
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS[:10]]))
    harvest("--set", "cs", "--categories", "cs.CV,cs.CL", "--from", "2025-03-01")
    harvest()
    assert server.log[-1][2] == {"verb": "ListRecords", "metadataPrefix": "arXivRaw", "set": "cs", "from": "2026-11-26"}
    assert HarvestState.objects.get().categories == ["cs.CV", "cs.CL"]


def test_the_first_harvest_without_a_start_date_asks_for_one(oai):
    oai([[]])
    with pytest.raises(CommandError, match="add --from YYYY-MM-DD"):
        harvest("--set", "math")


def test_no_records_match_is_an_empty_harvest_not_an_error(oai):
    server = oai([[]])
    server.answer = lambda path, query: (
        200,
        __import__("tests.ingest_servers").ingest_servers.oai_error("noRecordsMatch", "No records"),
        {},
    )
    out = harvest("--set", "cs", "--from", "2026-11-25")
    assert "fetched 0" in out and not HarvestState.objects.get().running


def test_the_arxiv_format_gives_structured_authors_and_keeps_acm_msc_classes_apart(oai):
    oai([[arxiv_record(r) for r in RECORDS[:5]]])
    harvest("--set", "cs", "--from", "2025-03-01", "--format", "arXiv")
    paper = Paper.objects.get(arxiv_id=RECORDS[0]["id"])
    assert paper.authors == RECORDS[0]["authors"]
    assert paper.classes == "68T07; I.2.7" and all("." in c for c in paper.categories)


def test_an_expired_token_restarts_the_harvest_from_its_start_and_loses_nothing(oai):
    server = oai(pages_of([arxiv_raw_record(r) for r in RECORDS[:40]]))
    HarvestState.objects.create(set_spec="cs", from_date="2025-03-01", resumption_token="tok-99", pages=7)
    out = harvest()
    assert "new 40" in out and Paper.objects.count() == 40
    assert [q.get("resumptionToken") for _, _, q, _ in server.log] == ["tok-99", None, "tok-1"]


def test_until_before_from_is_refused(oai):
    oai([[]])
    with pytest.raises(CommandError, match="--until is before --from"):
        harvest("--set", "cs", "--from", "2026-11-02", "--until", "2026-11-01")
