"""The /papers/search page: a header box on every page, highlights, filters, sorts, pagination, clear errors."""

import pytest

from paperfeed.search import indexer, replica

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(index_dir, settings, make_paper):
    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_PAGE_SIZE": 2}
    make_paper("2601.00001", title="Contrastive learning of speech", authors=["Ada Lovelace"], categories=["cs.CL"])
    make_paper("2601.00002", title="Contrastive vision pretraining", authors=["Alan Turing"], categories=["cs.CV"])
    make_paper("2601.00003", title="Contrastive losses revisited", authors=["Grace Hopper"], categories=["cs.LG"])
    indexer.catch_up()
    yield
    replica.forget()


def test_every_page_has_a_search_box_in_the_header(client, indexed):
    html = client.get("/papers/trending").content.decode()
    assert 'role="search"' in html and 'action="/papers/search"' in html and 'name="q"' in html


def test_results_show_highlighted_words_and_link_to_papers(client, indexed):
    r = client.get("/papers/search", {"q": "speech contrastive"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "<mark>speech</mark>" in html and "<mark>Contrastive</mark>" in html
    assert 'href="/papers/2601.00001"' in html


def test_the_semantic_index_being_off_is_said_on_the_page(client, indexed):
    html = client.get("/papers/search", {"q": "contrastive"}).content.decode()
    assert "keywords only" in html


def test_category_and_author_filters_from_the_form(client, indexed):
    html = client.get("/papers/search", {"q": "contrastive", "cat": "cs.CV"}).content.decode()
    assert "2601.00002" in html and "2601.00001" not in html and "2601.00003" not in html
    html = client.get("/papers/search", {"q": "contrastive", "author": "Grace Hopper"}).content.decode()
    assert "2601.00003" in html and "2601.00002" not in html


def test_pagination_links_keep_the_query_and_filters(client, indexed):
    html = client.get("/papers/search", {"q": "contrastive", "sort": "newest"}).content.decode()
    assert "page 1 of 2" in html and "page=2" in html and "q=contrastive" in html and "sort=newest" in html
    html2 = client.get("/papers/search", {"q": "contrastive", "sort": "newest", "page": "2"}).content.decode()
    assert html2.count('class="entry hit"') == 1


def test_an_empty_query_shows_how_to_search(client, indexed):
    r = client.get("/papers/search", {"q": "  "})
    assert r.status_code == 200 and "author:Hinton" in r.content.decode()


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({"q": "x" * 10_000}, 400, "the limit is 1,000"),
        ({"q": "?!?! ... ;;"}, 400, "no letters or digits"),
        ({"q": "contrastive", "from": "yesterday"}, 400, "YYYY-MM-DD"),
        ({"q": "contrastive", "page": "zero"}, 400, "Pages count from 1"),
        ({"q": "contrastive", "sort": "random"}, 400, "relevance"),
        ({"q": "contrastive", "from": "2026-03-01", "to": "2026-01-01"}, 400, "swap"),
    ],
)
def test_bad_input_gets_a_clear_answer_never_a_500(client, indexed, params, status, words):
    r = client.get("/papers/search", params)
    assert r.status_code == status
    assert words in r.content.decode()
