"""A paper the reader marked Not interested, or whose title or abstract holds one of their excluded words, is
mailed to them in no part of their digest: not For you, and not the followed part either ("Not interested"
means "don't show me this", also in a category they follow)."""

import re
from datetime import timedelta

import pytest
import time_machine

from paperfeed.accounts import follow_actions
from paperfeed.digests.send import send_due
from paperfeed.papers import paper_actions
from paperfeed.recommend import actions
from paperfeed.recommend.retrain import retrain_stale
from tests.digests_support import TUESDAY_9AM, arxiv_ids_in, parts, subscribe
from tests.recommend_support import topic_papers

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(alice, make_paper, smtp, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_MAX_PAPERS": 40}
    with time_machine.travel(TUESDAY_9AM - timedelta(hours=20), tick=False):
        papers = topic_papers(make_paper, per_topic=6)
        for paper in papers["robotics"][:2]:
            paper_actions.upvote(alice, paper)
        follow_actions.follow(alice, "category", "cs.CL")
        retrain_stale()
    subscribe("alice@example.org", kind="follows", user=alice)
    return papers


def test_not_interested_and_excluded_words_leave_every_part_of_the_digest(alice, papers, smtp):
    unwanted = {papers["language"][1], papers["robotics"][3]}
    for paper in unwanted:
        actions.not_interested(alice, paper)
    actions.set_excluded_words(alice, "problem 4")  # "We study language problem 4." and robotics problem 4
    worded = {p for t in papers.values() for p in t if "problem 4." in p.abstract}
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    text, html = parts(smtp.messages[0])
    followed, for_you = text.split("== For you ==")
    assert "== New papers you follow ==" in followed
    mailed = set(arxiv_ids_in(text))
    assert not {p.arxiv_id for p in unwanted | worded} & mailed
    assert set(arxiv_ids_in(followed)) == {p.arxiv_id for p in papers["language"]} - {
        papers["language"][1].arxiv_id,
        papers["language"][4].arxiv_id,
    }
    assert arxiv_ids_in(for_you)  # the section is still there, without them
    assert not {p.arxiv_id for p in unwanted | worded} & set(re.findall(r"(\d{4}\.\d{5})", html))


def test_undoing_the_mark_and_clearing_the_words_bring_them_back(alice, papers, smtp):
    actions.not_interested(alice, papers["language"][1])
    actions.undo_not_interested(alice, papers["language"][1])
    actions.set_excluded_words(alice, "")
    with time_machine.travel(TUESDAY_9AM, tick=False):
        send_due()
    followed = parts(smtp.messages[0])[0].split("== For you ==")[0]
    assert set(arxiv_ids_in(followed)) == {p.arxiv_id for p in papers["language"]}
