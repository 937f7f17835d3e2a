"""A reader who likes robotics papers sees robotics first; Not interested takes a paper out at once."""

from paperfeed.papers import paper_actions
from paperfeed.recommend import actions
from paperfeed.recommend.feed import recommend
from paperfeed.recommend.retrain import retrain_stale
from tests.recommend_support import topic_papers


def test_a_reader_who_likes_three_robotics_papers_sees_robotics_first(alice, make_paper):
    papers = topic_papers(make_paper)
    for paper in papers["robotics"][:3]:
        paper_actions.upvote(alice, paper)
    assert retrain_stale() == 1
    result = recommend(alice, window="week")
    top = [item.paper for item in result.items[:3]]
    assert top and all(p.primary_category == "cs.RO" for p in top)
    assert {item.paper.arxiv_id for item in result.items}.isdisjoint(p.arxiv_id for p in papers["robotics"][:3])


def test_not_interested_takes_the_paper_out_of_the_feed_at_once_and_undo_brings_it_back(alice, make_paper):
    papers = topic_papers(make_paper)
    for paper in papers["robotics"][:3]:
        paper_actions.upvote(alice, paper)
    retrain_stale()
    first = recommend(alice).items[0].paper
    actions.not_interested(alice, first)
    assert first.pk not in {item.paper_id for item in recommend(alice).items}
    actions.undo_not_interested(alice, first)
    assert first.pk in {item.paper_id for item in recommend(alice).items}


def test_the_page_works_before_the_model_is_trained(alice, make_paper):
    papers = topic_papers(make_paper)
    for paper in papers["robotics"][:3]:
        paper_actions.upvote(alice, paper)
    result = recommend(alice)
    assert not result.trained and result.stale
    assert result.items[0].paper.primary_category == "cs.RO"
