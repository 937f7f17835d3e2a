"""Author pages (papers newest first, count, co-authors, Follow) and category pages (by period, with sorts,
Follow); every author name and category chip links there; following says so, and a bad follow says why."""

from __future__ import annotations

import pytest

from paperfeed.accounts.models import Follow
from paperfeed.search import indexer

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(make_paper):
    make_paper("2602.00001", authors=["Ada Lovelace", "Alan Turing"], categories=["cs.RO"], title="Older robots")
    make_paper("2602.00002", authors=["Ada Lovelace", "Grace Hopper"], categories=["cs.LG", "cs.RO"], title="Newer")
    make_paper("2602.00003", authors=["Grace Hopper"], categories=["cs.CL"], title="Unrelated")


def test_an_author_page_lists_their_papers_newest_first_with_coauthors(client, papers):
    response = client.get("/authors/Ada Lovelace")
    assert [i.paper.arxiv_id for i in response.context["page"].items] == ["2602.00002", "2602.00001"]
    html = response.content.decode()
    assert "2 papers here" in html
    assert 'href="/authors/Alan%20Turing"' in html and 'href="/authors/Grace%20Hopper"' in html
    assert "/feeds/author/Ada%20Lovelace.atom" in html and "/api/v1/docs" in html
    assert "Log in to follow" in html


def test_a_category_page_lists_the_category_by_period(client, papers):
    response = client.get("/papers/cat/cs.RO?period=week&sort=new")
    assert {i.paper.arxiv_id for i in response.context["page"].items} == {"2602.00001", "2602.00002"}
    assert "/feeds/category/cs.RO.rss" in response.content.decode()
    assert client.get("/papers/cat/cs.RO?period=decade").status_code == 400


def test_names_and_chips_link_to_their_pages_on_listings_and_the_paper_page(client, papers):
    listing = client.get("/papers").content.decode()
    assert 'href="/authors/Ada%20Lovelace"' in listing and 'href="/papers/cat/cs.LG"' in listing
    detail = client.get("/papers/2602.00002").content.decode()
    assert 'href="/papers/cat/cs.RO"' in detail and 'href="/authors/Grace%20Hopper"' in detail


def test_follow_from_an_author_page_comes_back_with_a_message(alice_client, alice, papers):
    response = alice_client.post(
        "/accounts/follows", {"kind": "author", "value": "Ada Lovelace", "next": "/authors/Ada%20Lovelace"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/authors/Ada%20Lovelace"
    assert "Following Ada Lovelace." in response.content.decode()
    assert "✓ Following" in response.content.decode()
    assert Follow.objects.filter(user=alice, kind="author").count() == 1


def test_a_bad_follow_comes_back_with_the_reason_not_a_dead_end(alice_client, papers):
    response = alice_client.post("/accounts/follows", {"kind": "category", "value": "Not a category!"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="follow-error">&#x27;Not a category!&#x27; is not an arXiv category' in html
    assert 'value="Not a category!"' in html
    response = alice_client.post(
        "/accounts/follows", {"kind": "category", "value": "bad!", "next": "/papers/cat/cs.RO"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/papers/cat/cs.RO"
    assert "is not an arXiv category" in response.content.decode()


def test_follow_refuses_to_send_the_reader_to_another_site(alice_client, papers):
    response = alice_client.post(
        "/accounts/follows", {"kind": "category", "value": "cs.RO", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/accounts/"


def test_listing_trending_and_search_pages_show_their_feed_export_and_api_links(client, index_dir, papers):
    indexer.catch_up()
    for url in ("/papers", "/papers/trending", "/papers/search?q=robots"):
        html = client.get(url).content.decode()
        assert 'class="list-links"' in html, url
        assert "format=atom" in html and "format=bibtex" in html and "/api/v1/docs" in html, url
