"""Fusing keyword (BM25) and dense (cosine) candidate lists into one ranking. Pure functions, no I/O.

Two methods, chosen and tuned on SciFact's train split (`paperfeed eval beir ... --split train --sweep`, 390
settings, then the missing-score rule; all-MiniLM-L6-v2@128): convex with dense weight 1.5, depth 200, title
boost 0.25 scored hybrid nDCG@10 0.7385 on train (keyword alone 0.7040, dense alone 0.6359); every RRF setting
scored below the 25 best convex ones.
- rrf: weighted reciprocal-rank fusion, score = wk / (k + rank_kw) + wd / (k + rank_dense); a paper missing
  from one list gets nothing from it.
- convex: weighted sum of scores normalised per query (BM25 by its best score, cosine as is), which keeps
  how far apart the candidates are, not only their order; a paper missing from one list gets that list's
  lowest score (train: 0.7385 against 0.7326 when it gets zero).
Ties break by pk so rankings are deterministic on every host and database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FusionParams:
    method: str = "convex"
    rrf_k: float = 60.0
    keyword_weight: float = 1.0
    dense_weight: float = 1.5
    keyword_depth: int = 200
    dense_depth: int = 200
    title_boost: float = 0.25

    @classmethod
    def from_settings(cls) -> FusionParams:
        from django.conf import settings

        s = settings.PAPERFEED
        return cls(
            method=s["SEARCH_FUSION"],
            rrf_k=s["SEARCH_RRF_K"],
            keyword_weight=s["SEARCH_KEYWORD_WEIGHT"],
            dense_weight=s["SEARCH_DENSE_WEIGHT"],
            keyword_depth=s["SEARCH_KEYWORD_DEPTH"],
            dense_depth=s["SEARCH_DENSE_DEPTH"],
            title_boost=s["SEARCH_TITLE_BOOST"],
        )


def fuse(
    keyword: list[tuple[int, float]], dense: list[tuple[int, float]], params: FusionParams
) -> list[tuple[int, float]]:
    """Both inputs best first as (pk, score); returns (pk, fused score) best first."""
    scores: dict[int, float] = {}
    if params.method == "convex":
        top = keyword[0][1] if keyword and keyword[0][1] > 0 else 1.0
        kw = {pk: score / top for pk, score in keyword}
        dense_scores = dict(dense)
        # A paper missing from a list cut at its depth scores that list's lowest candidate, not zero: it was
        # merely beyond the depth. A keyword list shorter than its depth holds every match, so there a missing
        # paper does not contain the words and scores zero. (Dense misses: beyond the depth or no embedding.)
        kw_floor = min(kw.values()) if kw and len(keyword) >= params.keyword_depth else 0.0
        dense_floor = min(dense_scores.values()) if dense_scores else 0.0
        for pk in kw.keys() | dense_scores.keys():
            scores[pk] = params.keyword_weight * kw.get(pk, kw_floor) + params.dense_weight * dense_scores.get(
                pk, dense_floor
            )
    elif params.method == "rrf":
        for rank, (pk, _) in enumerate(keyword, 1):
            scores[pk] = scores.get(pk, 0.0) + params.keyword_weight / (params.rrf_k + rank)
        for rank, (pk, _) in enumerate(dense, 1):
            scores[pk] = scores.get(pk, 0.0) + params.dense_weight / (params.rrf_k + rank)
    else:
        raise ValueError(f"unknown fusion method {params.method!r}: use rrf or convex")
    return sorted(scores.items(), key=lambda item: (-round(item[1], 9), item[0]))
