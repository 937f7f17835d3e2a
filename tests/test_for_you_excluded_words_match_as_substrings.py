"""Excluded words, followed authors and saved searches match For you's papers as substrings of the title or
abstract, whatever the case: a word inside a longer one, a phrase only as a phrase, accented letters too."""

import pytest

from paperfeed.accounts import follow_actions
from paperfeed.accounts.models import SavedSearch
from paperfeed.recommend import actions, feed

pytestmark = pytest.mark.django_db


def shown(user) -> dict[str, str]:
    return {item.paper.arxiv_id: item.reason for item in feed.recommend(user, window="week", limit=100).items}


@pytest.fixture
def papers(make_paper):
    make_paper("2601.00001", title="Robotics at scale", abstract="We grasp things.", categories=["cs.RO"])
    make_paper("2601.00002", title="Medical Imaging with transformers", abstract="Scans.", categories=["cs.CV"])
    make_paper("2601.00003", title="Imaging the sky", abstract="A medical aside.", categories=["cs.CV"])
    make_paper("2601.00004", title="Über Émile", abstract="Ein Aufsatz.", categories=["cs.CL"])
    make_paper(
        "2601.00005", title="Parsing", abstract="Graph neural parsers.", categories=["cs.CL"], authors=["Grace Hopper"]
    )


def test_words_phrases_and_accents_exclude_as_icontains(alice, papers):
    follow_actions.follow(alice, "category", "cs.CL")
    actions.set_excluded_words(alice, "robot, medical imaging, émile")
    assert set(shown(alice)) == {"2601.00003", "2601.00005"}  # 00003 has both words, not the phrase


def test_followed_authors_and_saved_searches_give_their_reasons(alice, papers):
    follow_actions.follow(alice, "author", "Grace Hopper")
    SavedSearch.objects.create(user=alice, query="imaging medical")  # both words, in any order or field
    reasons = shown(alice)
    assert reasons["2601.00005"] == "by Grace Hopper, whom you follow"
    assert reasons["2601.00002"] == reasons["2601.00003"] == "matches your search 'imaging medical'"
    assert "search" not in reasons["2601.00001"]
