"""With the real model over the demo corpus: a nonsense query finds nothing and says so on the page, in the API
(`total: 0`) and in the feed (empty and valid); a paraphrase whose words match the wrong papers finds the right
ones, and "N results" counts only results above the score floor. Loads the model and the demo corpus, so slow."""

import feedparser
import pytest

from paperfeed.search.hybrid import search
from tests.search_support import MUSIC_PAPERS, index_the_demo

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NONSENSE = "xyzzyplugh"
# Sheet-music recognition, described without its words ("sheet music", "score", "notation", "recognition").
PARAPHRASE = "teaching a program to understand pages of written notes for melodies"


demo = pytest.fixture(index_the_demo, name="demo")


def test_a_nonsense_query_finds_nothing_and_says_so_everywhere(demo, client):
    result = search(NONSENSE)
    assert result.semantic == "complete" and result.hits == [] and result.total == 0

    page = client.get("/papers/search", {"q": NONSENSE})
    assert page.status_code == 200
    assert "No papers match" in page.content.decode() and "0 results" in page.content.decode()

    api = client.get("/api/v1/search", {"q": NONSENSE})
    assert api.status_code == 200 and api.json()["total"] == 0 and api.json()["items"] == []

    feed = client.get("/feeds/search.atom", {"q": NONSENSE})
    assert feed.status_code == 200
    parsed = feedparser.parse(feed.content)
    assert parsed.bozo == 0 and parsed.entries == []


def test_a_paraphrase_finds_the_papers_its_meaning_names_and_counts_only_those_above_the_floor(demo):
    result = search(PARAPHRASE)
    assert {h.paper.arxiv_id for h in result.hits[:2]} == MUSIC_PAPERS
    # Words like "teaching", "program" and "pages" match hundreds of papers; few score above the floor.
    assert 0 < result.total < 50
    assert all(h.score >= 0.5 for h in result.hits)
