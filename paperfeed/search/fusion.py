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

from django.conf import settings

from paperfeed import config

# Each parameter's setting; the defaults are the settings registry's (config.py), declared there only.
SETTINGS = {
    "method": "SEARCH_FUSION",
    "rrf_k": "SEARCH_RRF_K",
    "keyword_weight": "SEARCH_KEYWORD_WEIGHT",
    "dense_weight": "SEARCH_DENSE_WEIGHT",
    "keyword_depth": "SEARCH_KEYWORD_DEPTH",
    "dense_depth": "SEARCH_DENSE_DEPTH",
    "title_boost": "SEARCH_TITLE_BOOST",
}


def _default(field: str):
    return config.BY_NAME[SETTINGS[field]].default


@dataclass(frozen=True)
class FusionParams:
    """How to fuse. A field left out takes its setting's registry default (not the configured value: that is
    `from_settings()`), so evaluations and sweeps start from the shipped defaults wherever they run."""

    method: str = _default("method")
    rrf_k: float = _default("rrf_k")
    keyword_weight: float = _default("keyword_weight")
    dense_weight: float = _default("dense_weight")
    keyword_depth: int = _default("keyword_depth")
    dense_depth: int = _default("dense_depth")
    title_boost: float = _default("title_boost")

    @classmethod
    def from_settings(cls) -> FusionParams:
        """The configured parameters (settings.PAPERFEED, i.e. PAPERFEED_SEARCH_* or the defaults)."""
        s = settings.PAPERFEED
        return cls(**{field: s[name] for field, name in SETTINGS.items()})


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
