"""Every element id on the For-you page is unique: the start panel's papers are not listed again below it, and
a reader with several reading lists gets one Save-to menu per paper."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from paperfeed.library import collections
from paperfeed.papers import paper_actions
from paperfeed.recommend.retrain import retrain_stale
from tests.recommend_support import topic_papers

pytestmark = pytest.mark.django_db


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1


def ids_of(html: str) -> Counter:
    parser = Ids()
    parser.feed(html)
    return parser.ids


def repeated(html: str) -> dict:
    return {k: n for k, n in ids_of(html).items() if n > 1}


def test_the_start_panel_shows_each_paper_once_with_unique_ids(alice, alice_client, make_paper):
    papers = topic_papers(make_paper, per_topic=4)
    collections.default_collection(alice)
    collections.create(alice, "Second list")  # two lists: each Save button has its own menu id
    html = alice_client.get("/papers/for-you").content.decode()
    assert "Start your feed" in html
    assert repeated(html) == {}
    shown = [p for t in papers.values() for p in t if f'id="p-{p.arxiv_id}"' in html]
    assert len(shown) == 12  # every paper of the week is on the page, in the panel or below it
    assert ids_of(html)["import-file"] == 1


def test_a_ranked_page_has_unique_ids(alice, alice_client, make_paper):
    papers = topic_papers(make_paper, per_topic=4)
    for paper in papers["robotics"][:2]:
        paper_actions.upvote(alice, paper)
    retrain_stale()
    collections.default_collection(alice)
    collections.create(alice, "Second list")
    for window in ("day", "week", "month"):
        html = alice_client.get(f"/papers/for-you?window={window}").content.decode()
        assert "Not interested" in html and repeated(html) == {}
