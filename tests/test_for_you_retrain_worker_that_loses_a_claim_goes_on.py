"""A retrain worker whose claim another worker won (both read the same oldest stale rows) goes on with the
next free ones instead of stopping, so the nightly run is shared by every worker."""

import pytest

from paperfeed.papers import paper_actions
from paperfeed.recommend import retrain
from paperfeed.recommend.models import ReaderModel
from tests.conftest import make_user
from tests.recommend_support import topic_papers

pytestmark = pytest.mark.django_db


def test_a_worker_that_loses_a_claim_trains_the_rest(make_paper, monkeypatch):
    papers = topic_papers(make_paper, per_topic=2)
    readers = [make_user(f"reader{i}") for i in range(4)]
    for reader in readers:
        paper_actions.upvote(reader, papers["robotics"][0])
    assert ReaderModel.objects.filter(stale=True).count() == 4
    real_claim, calls = retrain.claim, []

    def rival_first(owner, limit=retrain.BATCH):
        calls.append(owner)
        if len(calls) == 1:
            real_claim("rival", 2)  # another worker takes the two oldest rows just before this one
            return []
        return real_claim(owner, limit)

    monkeypatch.setattr(retrain, "claim", rival_first)
    assert retrain.retrain_stale() == 2
    left = ReaderModel.objects.filter(stale=True)
    assert left.count() == 2 and set(left.values_list("claimed_by", flat=True)) == {"rival"}
