"""Fusing keyword and dense candidates: the tuned convex rule, reciprocal-rank fusion, deterministic ties."""

import pytest

from paperfeed.search.fusion import FusionParams, fuse


def test_convex_adds_normalised_bm25_to_weighted_cosine():
    params = FusionParams(method="convex", dense_weight=2.0, keyword_depth=2, dense_depth=2)
    fused = dict(fuse([(1, 10.0), (2, 5.0)], [(2, 0.5), (3, 0.4)], params))
    assert fused[2] == pytest.approx(0.5 + 2 * 0.5)
    assert fused[1] == pytest.approx(1.0 + 2 * 0.4)  # beyond the dense depth: the dense list's lowest score
    assert fused[3] == pytest.approx(0.5 + 2 * 0.4)  # beyond the keyword depth: the keyword list's lowest


def test_a_paper_without_the_words_gets_no_keyword_score_when_the_list_holds_every_match():
    params = FusionParams(method="convex", dense_weight=1.0, keyword_depth=100, dense_depth=100)
    fused = fuse([(1, 3.0)], [(2, 0.9), (1, 0.5)], params)
    assert fused[0][0] == 1 and dict(fused)[2] == pytest.approx(0.9)


def test_reciprocal_rank_fusion_uses_ranks_only():
    params = FusionParams(method="rrf", rrf_k=60, keyword_weight=1.0, dense_weight=1.0)
    fused = dict(fuse([(1, 99.0), (2, 1.0)], [(2, 0.9)], params))
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61) and fused[1] == pytest.approx(1 / 61)


def test_ties_are_broken_by_pk_so_every_host_ranks_alike():
    params = FusionParams(method="rrf")
    assert [pk for pk, _ in fuse([(9, 1.0)], [(4, 1.0)], params)] == [4, 9]


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="adaptive, convex or rrf"):
        fuse([], [], FusionParams(method="magic"))


ADAPTIVE = FusionParams(method="adaptive", keyword_depth=200, dense_depth=200, min_score=0.0)


def test_adaptive_fusion_is_deterministic():
    keyword = [(3, 9.0), (1, 9.0), (2, 4.0)]
    dense = [(2, 0.7), (4, 0.7), (1, 0.3)]
    runs = {tuple(fuse(list(keyword), list(dense), ADAPTIVE, ceiling=5.0)) for _ in range(5)}
    assert len(runs) == 1
    assert [pk for pk, _ in next(iter(runs))][:3] == [2, 1, 3]  # 1 and 3 score alike: the smaller pk first


def test_words_that_match_poorly_and_disagree_with_meaning_count_little():
    # The best keyword match scores a fifth of the query's ceiling and the lists share nothing: meaning decides.
    keyword = [(1, 2.0), (2, 1.9)]
    dense = [(7, 0.62), (8, 0.60), (1, 0.20)]
    fused = fuse(keyword, dense, ADAPTIVE, ceiling=10.0)
    assert [pk for pk, _ in fused][:2] == [7, 8]


def test_words_that_match_in_full_keep_their_weight():
    keyword = [(1, 12.0), (2, 11.0)]
    dense = [(7, 0.62), (8, 0.60), (1, 0.55)]
    fused = fuse(keyword, dense, ADAPTIVE, ceiling=9.0)
    assert [pk for pk, _ in fused][0] == 1
    assert dict(fused)[1] == pytest.approx(1.0 + 1.5 * 0.55)


def test_scores_below_the_floor_are_left_out_when_meaning_is_scored():
    floor = FusionParams(method="adaptive", min_score=0.5)
    assert fuse([], [(7, 0.30), (8, 0.28)], floor) == []
    assert [pk for pk, _ in fuse([], [(7, 0.45), (8, 0.28)], floor)] == [7]
    # Keyword-only search (no embedding model) has no floor: a match there is the words themselves.
    assert [pk for pk, _ in fuse([(1, 3.0), (2, 0.3)], [], floor)] == [1, 2]
