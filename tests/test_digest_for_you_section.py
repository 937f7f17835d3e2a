"""The personal digest gains a For-you section: the reader's top papers with their reason lines, each paper in
one section of one digest only, and no section at all for a reader who has given no signal."""

from datetime import timedelta

import pytest
import time_machine

from paperfeed.accounts import follow_actions
from paperfeed.digests.models import SentPaper
from paperfeed.digests.send import send_due
from paperfeed.papers import paper_actions
from paperfeed.recommend import actions
from paperfeed.recommend.retrain import retrain_stale
from tests.digests_support import TUESDAY_9AM, arxiv_ids_in, parts, subscribe
from tests.recommend_support import topic_papers

pytestmark = pytest.mark.django_db

MONDAY_AFTERNOON = TUESDAY_9AM - timedelta(hours=20)  # listed in Tuesday's period


def for_you_part(text: str) -> str:
    return text.split("== For you ==", 1)[1] if "== For you ==" in text else ""


@pytest.fixture
def reader(alice, make_paper, smtp):
    """alice follows cs.CL and upvoted three robotics papers; she gets the personal digest daily."""
    with time_machine.travel(MONDAY_AFTERNOON, tick=False):
        papers = topic_papers(make_paper, per_topic=10)
        for paper in papers["robotics"][:3]:
            paper_actions.upvote(alice, paper)
        follow_actions.follow(alice, "category", "cs.CL")
        retrain_stale()
    subscribe("alice@example.org", kind="follows", user=alice)
    return papers


def test_the_personal_digest_has_a_for_you_section_of_ten_with_reasons(reader, smtp, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "DIGEST_MAX_PAPERS": 20}
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    text, html = parts(smtp.messages[0])
    followed, for_you = text.split("== For you ==")
    assert "== New papers you follow ==" in followed
    assert set(arxiv_ids_in(followed)) == {p.arxiv_id for p in reader["language"]}
    picked = arxiv_ids_in(for_you)
    assert len(picked) == 10
    robotics = {p.arxiv_id for p in reader["robotics"][3:]}
    assert set(picked[:7]) == robotics  # the seven robotics papers she has not upvoted come first
    assert for_you.count("Why: ") == 10 and "you upvoted" in for_you
    assert "<h2" in html and "For you" in html and html.count("Why: ") == 10
    ids = arxiv_ids_in(text)
    assert len(ids) == len(set(ids)) == 20  # each paper in one section only
    assert "(20 papers)" in smtp.messages[0]["Subject"]


def test_no_paper_comes_twice_across_digests(reader, smtp, make_paper):
    with time_machine.travel(TUESDAY_9AM, tick=False):
        send_due()
    with time_machine.travel(TUESDAY_9AM + timedelta(hours=3), tick=False):
        make_paper("2603.00001", title="A robotics paper of Tuesday", categories=["cs.RO"])
    with time_machine.travel(TUESDAY_9AM + timedelta(days=1), tick=False):
        assert send_due().sent == 1
    first, second = (parts(m)[0] for m in smtp.messages)
    assert not set(arxiv_ids_in(first)) & set(arxiv_ids_in(second))
    # 30 papers, 3 liked: Tuesday had 10 followed and 10 more; Wednesday the 7 left and Tuesday's new one
    assert len(arxiv_ids_in(second)) == 8 and "2603.00001" in arxiv_ids_in(second)
    assert SentPaper.objects.count() == 28


def test_excluded_words_and_not_interested_keep_papers_out_of_the_section(reader, alice, smtp):
    actions.set_excluded_words(alice, "problem 4")
    actions.not_interested(alice, reader["robotics"][5])
    with time_machine.travel(TUESDAY_9AM, tick=False):
        send_due()
    section = arxiv_ids_in(for_you_part(parts(smtp.messages[0])[0]))
    assert reader["robotics"][5].arxiv_id not in section
    assert not {p.arxiv_id for t in reader.values() for p in t if "problem 4." in p.abstract} & set(section)


def test_a_reader_with_no_signal_gets_no_section(alice, make_paper, smtp):
    with time_machine.travel(MONDAY_AFTERNOON, tick=False):
        topic_papers(make_paper)
    subscribe("alice@example.org", kind="follows", user=alice)
    with time_machine.travel(TUESDAY_9AM, tick=False):
        summary = send_due()
    assert summary.empty == 1 and smtp.messages == []


def test_a_section_with_nothing_new_is_left_out(alice, make_paper, smtp):
    """Every paper she would get For you is already in the followed part: no empty heading."""
    with time_machine.travel(MONDAY_AFTERNOON, tick=False):
        papers = topic_papers(make_paper, per_topic=3)
        follow_actions.follow(alice, "category", "cs.RO")
        follow_actions.follow(alice, "category", "cs.CL")
        follow_actions.follow(alice, "category", "cs.CV")
    subscribe("alice@example.org", kind="follows", user=alice)
    with time_machine.travel(TUESDAY_9AM, tick=False):
        assert send_due().sent == 1
    text, html = parts(smtp.messages[0])
    assert "For you" not in text and "For you" not in html and "==" not in text
    assert len(arxiv_ids_in(text)) == 9 == SentPaper.objects.count() == sum(map(len, papers.values()))
