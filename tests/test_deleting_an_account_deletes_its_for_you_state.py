"""Deleting an account deletes what For you kept about the reader: the trained model, the Not-interested marks,
the excluded words and the private feed token (whose URL then answers 404); another reader's state stays."""

import pytest
from django.test import Client

from paperfeed.papers import paper_actions
from paperfeed.recommend import actions
from paperfeed.recommend.models import NotInterested, ReaderModel, ReaderSettings
from paperfeed.recommend.retrain import retrain_stale
from tests.recommend_support import topic_papers

pytestmark = pytest.mark.django_db


def give_signals(user, papers) -> str:
    for paper in papers["robotics"][:3]:
        paper_actions.upvote(user, paper)
    actions.not_interested(user, papers["vision"][0])
    actions.set_excluded_words(user, "diffusion")
    return actions.settings_for(user).feed_token


def test_deleting_an_account_deletes_its_model_marks_and_settings(alice, bob, make_paper):
    papers = topic_papers(make_paper)
    token = give_signals(alice, papers)
    give_signals(bob, papers)
    assert retrain_stale() == 2
    assert ReaderModel.objects.get(user=alice).weights

    alice.delete()

    assert not ReaderModel.objects.filter(user_id=alice.pk).exists()
    assert not NotInterested.objects.filter(user_id=alice.pk).exists()
    assert not ReaderSettings.objects.filter(user_id=alice.pk).exists()
    assert Client().get(f"/papers/for-you/feed/{token}.atom").status_code == 404
    assert ReaderModel.objects.filter(user=bob).count() == NotInterested.objects.filter(user=bob).count() == 1
    assert ReaderSettings.objects.get(user=bob).excluded_words == ["diffusion"]
