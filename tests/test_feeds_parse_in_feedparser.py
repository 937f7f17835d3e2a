"""RSS 2.0 and Atom feeds for every listing, category, author, collection and search parse cleanly in feedparser,
and hold the papers of the page they mirror."""

import feedparser
import httpx
import pytest
from django.utils import timezone

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Collection, CollectionItem, Paper
from paperfeed.search import indexer, replica
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(make_paper, index_dir):
    today = timezone.localdate().isoformat()
    make_paper(
        "2602.00001",
        title="Graphs & <molecules>",
        authors=["Ada Lovelace"],
        categories=["cs.LG"],
        abstract="Message passing on graphs \x0b with a stray control character.",
        first_listing_date="2026-02-10",
    )
    make_paper(
        "2602.00002",
        title="Vision transformers",
        authors=["Grace Hopper"],
        categories=["cs.CV"],
        first_listing_date="2026-02-10",
    )
    make_paper(
        "2611.00003",
        title="Hot today",
        authors=["Alan Turing", "Ada Lovelace"],
        categories=["cs.LG"],
        first_listing_date=today,
    )
    paper_actions.upvote(make_user("fan"), Paper.objects.get(arxiv_id="2611.00003"))
    paper_actions.upvote(make_user("fan2"), Paper.objects.get(arxiv_id="2602.00002"))
    yield
    replica.forget()


def parsed(client, url, expected_type):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"].startswith(expected_type), url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def entry_ids(feed):
    return [e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries]


@pytest.mark.parametrize(
    "fmt,ctype,version", [("rss", "application/rss+xml", "rss20"), ("atom", "application/atom+xml", "atom10")]
)
def test_every_listing_page_has_a_feed_of_its_own_papers(client, papers, fmt, ctype, version):
    for page_url, expected in [
        ("/papers/date/2026-02-10", ["2602.00002", "2602.00001"]),
        ("/papers/date/2026-02-10?sort=new", None),
        ("/papers/week/2026-W07", ["2602.00002", "2602.00001"]),
        ("/papers/month/2026-02", ["2602.00002", "2602.00001"]),
        ("/papers/trending", ["2611.00003"]),
        ("/papers", ["2611.00003"]),
    ]:
        page = client.get(page_url)
        shown = [item.paper.arxiv_id for item in page.context["page"].items]
        sep = "&" if "?" in page_url else "?"
        feed = parsed(client, f"{page_url}{sep}format={fmt}", ctype)
        assert feed.version == version
        assert entry_ids(feed) == shown, page_url
        if expected:
            assert shown == expected, page_url


def test_entries_carry_title_authors_abstract_and_categories(client, papers):
    feed = parsed(client, "/papers/date/2026-02-10?format=atom", "application/atom+xml")
    graphs = next(e for e in feed.entries if e.title == "Graphs & <molecules>")
    assert graphs.author == "Ada Lovelace" and "Message passing on graphs" in graphs.summary
    assert [t.term for t in graphs.tags] == ["cs.LG"] and graphs.id == "https://arxiv.org/abs/2602.00001"


def test_category_author_new_collection_and_search_feeds(client, papers, alice):
    c = Collection.objects.create(owner=alice, name="Reading list", slug="reading")
    CollectionItem.objects.create(collection=c, paper=Paper.objects.get(arxiv_id="2602.00002"))
    indexer.catch_up()
    for url, expected in [
        ("/feeds/category/cs.LG.atom", {"2602.00001", "2611.00003"}),
        ("/feeds/category/cs.CV.rss", {"2602.00002"}),
        ("/feeds/author/Ada Lovelace.atom", {"2602.00001", "2611.00003"}),
        ("/feeds/new.rss", {"2602.00001", "2602.00002", "2611.00003"}),
        ("/feeds/trending.atom", {"2611.00003"}),
        ("/feeds/collection/alice/reading.rss", {"2602.00002"}),
        ("/feeds/search.atom?q=vision+transformers", {"2602.00002"}),
    ]:
        feed = parsed(
            client, url, "application/atom+xml" if url.split("?")[0].endswith(".atom") else "application/rss+xml"
        )
        assert set(entry_ids(feed)) == expected, url


def test_listing_pages_link_their_feeds_with_rel_alternate(client, papers):
    html = client.get("/papers/week/2026-W07?sort=new").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/papers/week/2026-W07?sort=new&amp;format=atom"' in html
    assert 'type="application/atom+xml"' in client.get("/papers/trending").content.decode()
    detail = client.get("/papers/2602.00001").content.decode()
    assert 'href="/feeds/category/cs.LG.atom"' in detail and 'href="/feeds/author/Ada%20Lovelace.atom"' in detail


def test_an_unknown_format_is_a_400_not_a_page(client, papers):
    response = client.get("/papers/date/2026-02-10?format=pdf")
    assert response.status_code == 400


def test_a_feed_reader_on_the_wire_follows_the_alternate_link(live_server, papers):
    page = httpx.get(f"{live_server.url}/papers/date/2026-02-10")
    href = page.text.split('type="application/atom+xml"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    feed = feedparser.parse(httpx.get(live_server.url + href.replace("&amp;", "&")).content)
    assert feed.bozo == 0 and feed.version == "atom10"
    assert [e.title for e in feed.entries] == ["Vision transformers", "Graphs & <molecules>"]


def test_the_search_page_answers_format_atom_with_its_results(client, make_paper):
    import feedparser

    make_paper("2601.00011", title="Graph neural networks for molecules", first_listing_date="2026-01-05")
    make_paper("2601.00012", title="Cooking recipes", first_listing_date="2026-01-05")
    from paperfeed.search import indexer

    indexer.catch_up()
    page = client.get("/papers/search?q=graph+neural")
    assert b'type="application/atom+xml"' in page.content
    feed = feedparser.parse(client.get("/papers/search?q=graph+neural&format=atom").content)
    assert feed.bozo == 0
    assert [e.title for e in feed.entries][0] == "Graph neural networks for molecules"
