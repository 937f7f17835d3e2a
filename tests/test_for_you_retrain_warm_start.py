"""A retrain starts from the reader's previous model and ends where a training from nothing ends (the loss is
convex), in fewer iterations; the stored model after a new signal scores like a fresh one."""

import numpy as np

from paperfeed.papers import paper_actions
from paperfeed.recommend import rankers
from paperfeed.recommend.models import ReaderModel
from paperfeed.recommend.retrain import retrain_stale, train_reader
from tests.recommend_support import topic_papers


def unit_rows(rng, n: int, centre: np.ndarray) -> np.ndarray:
    rows = centre + 0.4 * rng.standard_normal((n, len(centre)))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_a_warm_start_reaches_the_cold_optimum():
    rng = np.random.default_rng(3)
    centre = np.zeros(384)
    centre[:8] = 1.0
    liked, background = unit_rows(rng, 60, centre), unit_rows(rng, 500, np.zeros(384))
    marked = unit_rows(rng, 5, -centre)
    before = rankers.train(liked[:-1], marked, background)
    cold = rankers.train(liked, marked, background)
    warm = rankers.train(liked, marked, background, init=before)
    cosine = float(cold.weights @ warm.weights / np.linalg.norm(cold.weights) / np.linalg.norm(warm.weights))
    assert cosine > 0.999 and abs(cold.bias - warm.bias) < 0.05 * max(1.0, abs(cold.bias))


def test_retraining_after_a_new_upvote_ranks_like_a_fresh_model(alice, make_paper):
    papers = topic_papers(make_paper)
    for paper in papers["robotics"][:3]:
        paper_actions.upvote(alice, paper)
    retrain_stale()
    paper_actions.upvote(alice, papers["robotics"][3])
    assert ReaderModel.objects.get(user=alice).stale
    warm = train_reader(alice)
    assert not warm.stale and warm.positives == 4
    warm_w = warm.weight_vector()
    ReaderModel.objects.filter(user=alice).update(weights=b"", model_name="")
    cold_w = train_reader(alice).weight_vector()
    assert float(warm_w @ cold_w / np.linalg.norm(warm_w) / np.linalg.norm(cold_w)) > 0.99
