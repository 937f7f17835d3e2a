"""huggingface_hub's own client, pointed at a live paperfeed, lists daily papers, reads a paper and searches."""

from datetime import UTC, datetime

import pytest
from huggingface_hub import HfApi, close_session
from huggingface_hub.errors import HfHubHTTPError

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Listing
from paperfeed.search import indexer
from tests.conftest import make_user


@pytest.fixture
def hub(live_server, index_dir, make_paper, alice, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "API_RATE_LIMIT_IP": 100_000}
    make_paper(
        "2602.00101",
        title="Sparse attention at scale",
        authors=["Ada Lovelace", "Grace Hopper"],
        abstract="We scale sparse attention. Code: https://github.com/example/sparse",
        published="2026-02-09",
        first_listing_date="2026-02-10",
    )
    quiet = make_paper("2602.00102", title="A quiet result", first_listing_date="2026-02-10")
    make_paper("2602.00103", title="Thursday paper", first_listing_date="2026-02-12")
    make_paper("2601.00900", title="January paper", first_listing_date="2026-01-20")
    Listing.objects.filter(paper=quiet).update(submitted_by=alice)
    loud = quiet.__class__.objects.get(arxiv_id="2602.00101")
    for i in range(3):
        paper_actions.upvote(make_user(f"fan{i}"), loud)
    yield HfApi(endpoint=live_server.url, token=False)
    # The client keeps its connection to the (session-long) live server alive, and with it a server thread that
    # holds a database connection, which would keep the test database from being dropped at the end.
    close_session()


def test_list_daily_papers_for_a_date_returns_that_days_papers_with_hf_fields(hub):
    papers = list(hub.list_daily_papers(date="2026-02-10", token=False))
    assert {p.id for p in papers} == {"2602.00101", "2602.00102"}
    loud = next(p for p in papers if p.id == "2602.00101")
    assert loud.title == "Sparse attention at scale"
    assert [a.name for a in loud.authors] == ["Ada Lovelace", "Grace Hopper"]
    assert loud.summary.startswith("We scale sparse attention")
    assert loud.upvotes == 3
    assert loud.github_repo == "https://github.com/example/sparse"
    assert loud.published_at == datetime(2026, 2, 9, tzinfo=UTC)  # arXiv's date, as on Hugging Face
    assert loud.submitted_at is not None and loud.comments == 0


def test_the_submitter_comes_through_as_a_hub_user(hub):
    quiet = next(p for p in hub.list_daily_papers(date="2026-02-10", token=False) if p.id == "2602.00102")
    assert quiet.submitted_by is not None and quiet.submitted_by.username == "alice"
    only_alice = list(hub.list_daily_papers(date="2026-02-10", submitter="alice", token=False))
    assert [p.id for p in only_alice] == ["2602.00102"]


def test_week_month_sort_page_and_limit_are_honoured(hub):
    assert {p.id for p in hub.list_daily_papers(week="2026-W07", token=False)} == {
        "2602.00101",
        "2602.00102",
        "2602.00103",
    }
    assert [p.id for p in hub.list_daily_papers(month="2026-01", token=False)] == ["2601.00900"]
    top = list(hub.list_daily_papers(week="2026-W07", sort="trending", limit=1, token=False))
    assert [p.id for p in top] == ["2602.00101"]
    second = list(hub.list_daily_papers(week="2026-W07", sort="trending", limit=1, p=1, token=False))
    assert len(second) == 1 and second[0].id != "2602.00101"
    assert list(hub.list_daily_papers(week="2026-W07", limit=2, p=5, token=False)) == []


def test_paper_info_reads_one_paper_and_404s_for_unknown_ids(hub):
    info = hub.paper_info("2602.00101")
    assert info.id == "2602.00101" and info.title == "Sparse attention at scale" and info.upvotes == 3
    assert [a.name for a in info.authors] == ["Ada Lovelace", "Grace Hopper"]
    assert info.github_repo == "https://github.com/example/sparse"
    with pytest.raises(HfHubHTTPError) as caught:
        hub.paper_info("2602.99999")
    assert caught.value.response.status_code == 404


def test_list_papers_searches(hub):
    indexer.catch_up()
    found = list(hub.list_papers(query="sparse attention", token=False))
    assert found and found[0].id == "2602.00101"
    assert found[0].title == "Sparse attention at scale"
