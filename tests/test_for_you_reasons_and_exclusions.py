"""Reasons name the reader's real signals; excluded words take papers out; follows alone give a feed."""

import pytest

from paperfeed.accounts import follow_actions
from paperfeed.papers import paper_actions
from paperfeed.recommend import actions
from paperfeed.recommend.feed import recommend
from paperfeed.recommend.retrain import retrain_stale
from tests.recommend_support import topic_papers

pytestmark = pytest.mark.django_db


def test_reasons_name_the_liked_paper_the_followed_category_and_the_saved_search(alice, make_paper):
    papers = topic_papers(make_paper)
    liked = papers["robotics"][0]
    paper_actions.upvote(alice, liked)
    follow_actions.follow(alice, "category", "cs.CV")
    follow_actions.save_search(alice, "language problem")
    retrain_stale()
    reasons = {item.paper.primary_category: set() for item in recommend(alice).items}
    for item in recommend(alice).items:
        reasons[item.paper.primary_category].add(item.reason)
    assert reasons["cs.RO"] == {f"like {liked.arxiv_id} you upvoted"}
    assert reasons["cs.CV"] == {"you follow cs.CV"}
    assert reasons["cs.CL"] == {"matches your search 'language problem'"}


def test_a_reader_with_only_follows_gets_the_followed_category_first(alice, make_paper):
    topic_papers(make_paper)
    follow_actions.follow(alice, "category", "cs.CL")
    items = recommend(alice).items
    assert [i.paper.primary_category for i in items[:6]] == ["cs.CL"] * 6


def test_a_reader_with_only_not_interested_marks_still_gets_a_feed_without_them(alice, make_paper):
    papers = topic_papers(make_paper)
    actions.not_interested(alice, papers["vision"][0])
    retrain_stale()
    ids = {i.paper_id for i in recommend(alice).items}
    assert len(ids) == 17 and papers["vision"][0].pk not in ids


def test_excluded_words_take_papers_out_of_the_feed(alice, make_paper):
    topic_papers(make_paper)
    paper_actions.upvote(alice, make_paper("2601.90001", title="Diffusion for robots", categories=["cs.RO"]))
    assert actions.set_excluded_words(alice, "-Language, vision  paper") == ["language", "vision paper"]
    titles = [i.paper.title for i in recommend(alice).items]
    assert titles and not any("language" in t.lower() or "vision paper" in t.lower() for t in titles)
