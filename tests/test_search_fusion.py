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
    with pytest.raises(ValueError, match="rrf or convex"):
        fuse([], [], FusionParams(method="magic"))
