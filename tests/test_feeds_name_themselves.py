"""A feed's rel="self" link is the feed's own address (query included), and its title reads naturally:
"paperfeed: papers of Nov 25, 2026"."""

import feedparser
import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(make_paper, index_dir):
    make_paper("2611.00001", title="Graphs", first_listing_date="2026-11-25")


def self_link(feed):
    return next(link.href for link in feed.feed.links if link.rel == "self")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_self_links_point_at_the_feed_itself(client, listed, fmt):
    for url in [f"/papers?format={fmt}", f"/papers/date/2026-11-25?format={fmt}&sort=new", f"/feeds/new.{fmt}"]:
        feed = feedparser.parse(client.get(url).content)
        assert self_link(feed) == f"http://testserver{url}", url


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_titles_read_as_a_sentence(client, listed, fmt):
    def title(url):
        return feedparser.parse(client.get(url).content).feed.title

    assert title(f"/papers/date/2026-11-25?format={fmt}") == "paperfeed: papers of Nov 25, 2026"
    assert title(f"/papers/week/2026-W48?format={fmt}") == "paperfeed: papers of week 48 of 2026 (Nov 23 – Nov 29)"
    assert title(f"/papers/month/2026-11?format={fmt}") == "paperfeed: papers of November 2026"
    assert title(f"/feeds/trending.{fmt}") == "paperfeed: trending papers"
    subtitle = feedparser.parse(client.get(f"/papers/date/2026-11-25?format={fmt}").content).feed.subtitle
    assert subtitle == "The papers of Nov 25, 2026, top first."
