"""/api/v1/search with filters and sorts, and /papers/{id}/similar, over the real search index."""

import pytest

from paperfeed.search import indexer, replica

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_paper, index_dir):
    make_paper(
        "2601.00001",
        title="Graph neural networks for molecules",
        authors=["Ada Lovelace"],
        categories=["cs.LG"],
        published="2026-01-05",
        first_listing_date="2026-01-06",
    )
    make_paper(
        "2601.00002",
        title="Graph diffusion for images",
        authors=["Alan Turing"],
        categories=["cs.CV"],
        published="2026-01-10",
        first_listing_date="2026-01-12",
    )
    make_paper(
        "2601.00003",
        title="Robot grasping",
        authors=["Grace Hopper"],
        categories=["cs.RO"],
        published="2026-01-20",
        first_listing_date="2026-01-21",
    )
    indexer.catch_up()
    yield
    replica.forget()


def ids(response):
    assert response.status_code == 200, response.content
    return [p["id"] for p in response.json()["items"]]


def test_search_finds_and_filters(client, corpus):
    assert set(ids(client.get("/api/v1/search?q=graph"))) == {"2601.00001", "2601.00002"}
    assert ids(client.get("/api/v1/search?q=graph&category=cs.CV")) == ["2601.00002"]
    assert ids(client.get("/api/v1/search?q=graph&author=Ada Lovelace")) == ["2601.00001"]
    assert ids(client.get("/api/v1/search?q=graph&date_to=2026-01-07")) == ["2601.00001"]
    assert ids(client.get("/api/v1/search?q=graph&sort=new")) == ["2601.00002", "2601.00001"]
    body = client.get("/api/v1/search?q=graph&page_size=1").json()
    assert len(body["items"]) == 1 and body["has_next"] is True and body["total"] == 2


def test_search_errors_have_the_one_shape(client, corpus):
    response = client.get("/api/v1/search?q=%22%22")
    assert response.status_code == 400 and set(response.json()["error"]) == {"status", "code", "message"}
    # a range that ends before it starts is well-formed: nothing matches, and a notice says why
    swapped = client.get("/api/v1/search?q=graph&date_from=2026-02-01&date_to=2026-01-01")
    assert swapped.status_code == 200 and swapped.json()["items"] == []
    assert "swap the two dates" in swapped.json()["notices"][0]


def test_similar_papers_is_empty_without_embeddings_not_an_error(client, corpus):
    response = client.get("/api/v1/papers/2601.00001/similar")
    assert response.status_code == 200 and response.json()["items"] == []
    assert client.get("/api/v1/papers/2699.00001/similar").status_code == 404


def test_the_search_feed_holds_the_search_pages_papers(client, corpus):
    import feedparser

    page = client.get("/papers/search?q=graph&cat=cs.LG")
    shown = [hit.paper.arxiv_id for hit in page.context["result"].hits]
    feed = feedparser.parse(client.get("/feeds/search.atom?q=graph&cat=cs.LG").content)
    assert feed.bozo == 0 and [e.id.rsplit("/", 1)[-1] for e in feed.entries] == shown == ["2601.00001"]


def test_a_query_whose_words_all_sit_in_ignored_terms_finds_nothing_and_says_why(client, corpus):
    response = client.get("/api/v1/search?q=cat:%C2%B4x")
    assert response.status_code == 200 and response.json()["items"] == []
    assert "letters or digits" in response.json()["notices"][0]
    assert client.get("/api/v1/search?q=%C2%B4").json()["error"]["code"] == "nothing_to_search"
