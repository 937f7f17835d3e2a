"""The search results header says how many results there are and nothing about the machinery: no model name,
no keyword-match counts, no index commands for visitors; staff still read the index's state."""

import pytest

from paperfeed.search import indexer, replica
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(settings, tmp_path, make_paper, monkeypatch):
    from paperfeed.search.embed_job import embed_missing

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.PAPERFEED = {
        **settings.PAPERFEED,
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "DATA_DIR": tmp_path,
        "SEARCH_KEYWORD_DEPTH": 1,
        "SEARCH_DENSE_DEPTH": 1,
    }
    replica.forget()
    for n, title in enumerate(["Graph neural networks", "Graph transformers", "Graph sampling"], 1):
        make_paper(f"2601.0000{n}", title=title, abstract=f"We study graph learning, variant {n}.")
    embed_missing()
    indexer.catch_up()
    yield make_paper
    replica.forget()


def _header(client):
    html = client.get("/papers/search", {"q": "graph"}).content.decode()
    return html[html.index("<main>") : html.index('<article class="entry hit"')]


def test_the_results_header_names_no_model_and_no_keyword_count(client, indexed):
    header = _header(client)
    assert "result" in header
    assert "semantic:" not in header and "MiniLM" not in header and "sentence-transformers" not in header
    assert "keyword matches" not in header and "best of" not in header


def test_an_incomplete_semantic_index_is_told_in_plain_words_to_visitors(client, indexed):
    indexed("2601.00009", title="Graph coloring", abstract="Graph colouring heuristics.")
    indexer.catch_up()
    header = _header(client)
    assert "keywords only for now" in header
    assert "paperfeed index" not in header and " of " not in header


def test_staff_read_the_semantic_index_state_with_its_counts_and_command(client, indexed):
    indexed("2601.00009", title="Graph coloring", abstract="Graph colouring heuristics.")
    indexer.catch_up()
    client.force_login(make_user("root", is_staff=True))
    assert "paperfeed index embed" in _header(client)
