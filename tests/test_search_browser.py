"""In real Chromium: search from the header, see highlights, apply a filter, open a result, see similar papers."""

import re

import pytest

from paperfeed.search import indexer, replica
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def indexed(settings, tmp_path, make_paper, monkeypatch):
    from paperfeed.search.embed_job import embed_missing

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_INDEX_DIR": str(tmp_path / "index"), "DATA_DIR": tmp_path}
    replica.forget()
    make_paper(
        "2601.00001",
        title="Reinforcement learning for robot locomotion",
        categories=["cs.RO"],
        abstract="Legged robots learn to walk with reinforcement learning in simulation.",
    )
    make_paper(
        "2601.00002",
        title="Reinforcement learning from human feedback",
        categories=["cs.CL"],
        abstract="Language models are tuned with reinforcement learning on human preferences.",
    )
    make_paper(
        "2601.00003",
        title="Quadruped walking policies",
        categories=["cs.RO"],
        abstract="A four-legged robot walks over rough terrain with a learned controller.",
    )
    make_paper(
        "2601.00004",
        title="Protein folding with transformers",
        categories=["q-bio.BM"],
        abstract="Structures of proteins are predicted from sequences.",
    )
    embed_missing()
    indexer.catch_up()
    yield
    replica.forget()


def test_search_from_the_header_to_a_paper_and_its_similar_papers(page, live_server, indexed):
    page.goto(f"{live_server.url}/papers")
    page.fill("header form[role=search] input[name=q]", "reinforcement learning")
    page.press("header form[role=search] input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/papers/search\?q=reinforcement\+learning"))
    hits = page.locator("article.hit")
    assert hits.count() >= 2
    assert page.locator("article.hit h3 mark").first.inner_text().lower() == "reinforcement"
    screenshot(page, "search-results")

    page.fill("main .filters input[name=cat]", "cs.RO")
    page.click("main .filters button[type=submit]")
    page.wait_for_url(re.compile(r"cat=cs\.RO"))
    ids = page.locator("article.hit").evaluate_all("els => els.map(e => e.id)")
    assert ids and ids[0] == "p-2601.00001" and "p-2601.00002" not in ids

    page.click("article.hit >> nth=0 >> h3 a")
    page.wait_for_url("**/papers/2601.00001")
    similar = page.locator("#similar li a")
    assert similar.count() >= 1
    assert "Quadruped walking policies" in similar.all_inner_texts()
    screenshot(page, "paper-similar")
