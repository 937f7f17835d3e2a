"""The learned fusion (the default): the committed combiner decides from a query's evidence whether its words
keep their weight or meaning ranks first, the words only reordering near-ties; its scores keep the floor's meaning;
it is deterministic."""

import pytest

from paperfeed.search.fusion import (
    EVIDENCE,
    FusionParams,
    best_first,
    combiner,
    evidence,
    fuse,
    fuse_meaning_first,
    words_help,
)

LEARNED = FusionParams(method="learned", keyword_depth=200, dense_depth=200, min_score=0.0)


def test_the_default_fusion_is_the_learned_one():
    assert FusionParams().method == "learned"


def test_the_committed_model_names_the_evidence_fusion_computes():
    model = combiner()
    assert tuple(model["features"]) == EVIDENCE
    assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(EVIDENCE)


def test_evidence_reads_coverage_agreement_and_the_lists_shapes():
    keyword = [(pk, 10.0 - pk * 0.5) for pk in range(1, 13)]  # 12 matches, best 9.5, tenth 5.0
    dense = [(pk, 0.8 - pk * 0.01) for pk in range(5, 17)]  # 12 papers, 8 shared with the keyword list
    ev = dict(zip(EVIDENCE, evidence(keyword, dense, 5.0, [0.7, 0.6], terms=3)))
    assert ev["coverage"] == pytest.approx(1.9)
    assert ev["agreement"] == pytest.approx(8 / 20)
    assert ev["keyword_meaning"] == pytest.approx(0.65 - 0.75)
    assert ev["keyword_flatness"] == pytest.approx(5.0 / 9.5)
    assert ev["dense_spread"] == pytest.approx(0.75 - 0.66)


def test_words_that_match_in_full_and_agree_with_meaning_keep_their_weight():
    keyword = [(pk, 20.0 - pk) for pk in range(1, 30)]
    dense = [(pk, 0.6 - pk * 0.004) for pk in range(1, 30)]
    fused = fuse(keyword, dense, LEARNED, ceiling=8.0, keyword_cosines=[0.6] * 5, terms=2)
    assert dict(fused)[1] == pytest.approx(1.0 + 1.5 * dense[0][1])  # the keyword part is there in full


def test_words_that_match_poorly_and_find_other_papers_than_meaning_leave_the_ranking_to_meaning():
    # The best match reaches a third of the query's ceiling, many papers match about as well, the two lists share
    # nothing and the papers the words find are far from the query's meaning: a paraphrase.
    keyword = [(pk, 3.0 - pk * 0.02) for pk in range(1, 60)]
    dense = [(pk, 0.72 - (pk - 100) * 0.003) for pk in range(100, 160)]
    ev = evidence(keyword, dense, 9.0, [0.35] * 5, terms=7)
    assert not words_help(ev)
    fused = fuse(keyword, dense, LEARNED, ceiling=9.0, keyword_cosines=[0.35] * 5, terms=7)
    assert [pk for pk, _ in fused][:3] == [100, 101, 102]


def test_meaning_first_lets_the_words_reorder_only_near_ties_among_papers_both_lists_find():
    dense = [(1, 0.70), (2, 0.69), (3, 0.60)] + [(pk, 0.5) for pk in range(10, 30)]
    keyword = [(2, 8.0), (3, 7.9), (99, 7.8)]  # 99: found by its words alone
    scores = fuse_meaning_first(keyword, dense, LEARNED, 20, 0.05)
    ranked = [pk for pk, _ in best_first(scores)]
    assert ranked[:3] == [2, 1, 3]  # 0.01 of cosine apart: the words decide; 0.1 apart: they do not
    assert scores[99] == pytest.approx(1.5 * 0.5)  # no cosine of its own: the dense list's lowest, as meaning alone
    assert max(scores.values()) <= 1.5 * 0.70 + 0.05  # still a cosine, give or take the words' 0.05


def test_learned_fusion_is_deterministic_and_breaks_ties_by_pk():
    keyword = [(3, 9.0), (1, 9.0), (2, 4.0)]
    dense = [(2, 0.7), (4, 0.7), (1, 0.3)]
    runs = {
        tuple(fuse(list(keyword), list(dense), LEARNED, ceiling=5.0, keyword_cosines=[0.3, 0.3], terms=2))
        for _ in range(5)
    }
    assert len(runs) == 1


def test_the_floor_holds_for_learned_scores():
    floor = FusionParams(method="learned", min_score=0.5)
    assert fuse([], [(7, 0.30), (8, 0.28)], floor) == []  # a nonsense query: no words match, meaning is weak
    assert [pk for pk, _ in fuse([(1, 3.0), (2, 0.3)], [], floor)] == [1, 2]  # keyword-only search has no floor
