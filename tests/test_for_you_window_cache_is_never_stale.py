"""The window's papers are cached per process, yet For you never serves what changed since: an edited abstract,
a hidden paper, a new listing, a new vector and new votes all count on the very next request."""

import numpy as np
import pytest

from paperfeed.accounts import follow_actions
from paperfeed.papers import changes, paper_actions
from paperfeed.papers.models import Paper
from paperfeed.recommend import actions, feed
from paperfeed.recommend.retrain import retrain_stale
from tests.conftest import make_user
from tests.recommend_support import store_vector, topic_papers

pytestmark = pytest.mark.django_db


def shown(user) -> list[str]:
    return [item.paper.arxiv_id for item in feed.recommend(user, window="week", limit=100).items]


@pytest.fixture
def papers(alice, make_paper):
    papers = topic_papers(make_paper, per_topic=4)
    follow_actions.follow(alice, "category", "cs.RO")
    return papers


def test_an_edited_abstract_meets_the_excluded_words_at_once(alice, papers):
    actions.set_excluded_words(alice, "zebra")
    paper = papers["vision"][0]
    assert paper.arxiv_id in shown(alice)
    paper.abstract = "A zebra crossing dataset."
    paper.save()
    assert paper.arxiv_id not in shown(alice)


def test_a_hidden_paper_leaves_and_a_new_listing_comes_in(alice, papers, make_paper):
    before = shown(alice)
    changes.mark_changed(Paper.objects.filter(pk=papers["language"][0].pk), hidden=True)
    assert papers["language"][0].arxiv_id in before and papers["language"][0].arxiv_id not in shown(alice)
    make_paper("2601.99999", title="A fresh robotics paper", categories=["cs.RO"])
    assert "2601.99999" in shown(alice)


def test_a_new_vector_and_new_votes_count_on_the_next_request(alice, papers, make_paper):
    for paper in papers["robotics"][:2]:
        paper_actions.upvote(alice, paper)
    retrain_stale()
    newcomer = make_paper("2601.99998", title="Untitled", categories=["cs.CV"])
    first = shown(alice)
    assert first.index("2601.99998") > first.index(papers["robotics"][2].arxiv_id)
    robot = np.zeros(384, np.float32)
    robot[0] = 1.0
    store_vector(newcomer, robot)  # now it is about robotics
    assert shown(alice).index("2601.99998") < 3


def test_new_votes_reorder_the_next_request(bob, papers):
    """For a reader with no signal yet the window is ranked by its votes alone."""
    last = shown(bob)[-1]
    for i in range(5):
        paper_actions.upvote(make_user(f"voter{i}", days_old=400), Paper.objects.get(arxiv_id=last))
    assert shown(bob)[0] == last
