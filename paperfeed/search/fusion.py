"""Fusing keyword (BM25) and dense (cosine) candidate lists into one ranking. Pure functions, no I/O but the
combiner's small JSON file beside this module.

- learned (the default): a logistic regression (fusion_model.json, fitted by bench/fusion_learn.py on SciFact
  train and bench/arxiv_dev) reads the query's evidence (`evidence`: how well its words match against what they
  could score, how many papers the two lists share, how many terms it has, how well its meaning matches, whether
  the papers its words find mean what it means, how flat each list is) and decides whether its words help: if so,
  convex fusion (BM25 / best BM25 + dense_weight * cosine); if not, meaning first (`fuse_meaning_first`):
  dense_weight * cosine, plus a small keyword part (0.05 x BM25 / best) for the papers both top 20s hold, so the
  words only reorder near-ties among papers meaning finds too. A query whose words mislead (a paraphrase
  matching papers on "photo" and "city") is ranked by meaning, and its scores are cosines give or take 0.05, so
  the floor below means the same as for any query. The keyword part stays that small because at any weight above
  ~0.1 its 0..1 range outweighs the cosines' small differences; it is there because a claim sent this way by
  mistake keeps part of what its words find (SciFact test, where the choice errs on a few claims).
- adaptive: convex fusion whose keyword weight follows the evidence that the query's words carry
  its need: trust = max(coverage, agreement) ** trust_power, each 0..1. coverage: the best BM25 score against
  full_match times the query's BM25 ceiling (the sum of its terms' IDFs, what a document holding each term once
  at average length scores); agreement: papers shared by the top AGREEMENT_TOP of both lists, against
  agreement_docs. A paraphrase ("teaching computers to read sheet music") matches papers on "music" and "read"
  well below its ceiling, and those are not the papers its meaning finds: its words count little and meaning
  decides. A keyword query, or a claim whose words the papers share, keeps the words in full. The score is
  keyword_weight * trust * BM25 / best BM25 + dense_weight * cosine; the keyword part never exceeds trust and
  cosine is absolute, so scores compare across queries and a floor (min_score) can say "no papers match".
  Chosen over a BM25 / ceiling scale and over the product of the two signals (docs/search.md has the figures).

The two older methods, chosen and tuned on SciFact's train split (`paperfeed eval beir ... --split train --sweep`, 390
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

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
    "trust_power": "SEARCH_WORD_TRUST_POWER",
    "full_match": "SEARCH_FULL_MATCH",
    "agreement_docs": "SEARCH_AGREEMENT_DOCS",
    "min_score": "SEARCH_MIN_SCORE",
}
AGREEMENT_TOP = 20


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
    trust_power: float = _default("trust_power")
    full_match: float = _default("full_match")
    agreement_docs: int = _default("agreement_docs")
    min_score: float = _default("min_score")

    @classmethod
    def from_settings(cls) -> FusionParams:
        """The configured parameters (settings.PAPERFEED, i.e. PAPERFEED_SEARCH_* or the defaults)."""
        s = settings.PAPERFEED
        return cls(**{field: s[name] for field, name in SETTINGS.items()})


def word_trust(
    keyword: list[tuple[int, float]], dense: list[tuple[int, float]], ceiling: float, params: FusionParams
) -> float:
    """How far the query's words can be trusted, 0..1 (see the module's docstring)."""
    if not keyword:
        return 0.0
    coverage = min(1.0, keyword[0][1] / (params.full_match * ceiling)) if ceiling > 0 else 1.0
    if not dense:
        return 1.0  # nothing to weigh the words against
    shared = len({pk for pk, _ in keyword[:AGREEMENT_TOP]} & {pk for pk, _ in dense[:AGREEMENT_TOP]})
    agreement = min(1.0, shared / max(1, params.agreement_docs))
    return max(coverage, agreement) ** params.trust_power


# The combiner's per-query evidence, in the order of fusion_model.json's coefficients (see `evidence`).
EVIDENCE = ("coverage", "agreement", "terms", "top_cosine", "keyword_meaning", "keyword_flatness", "dense_spread")
KEYWORD_MEANING_TOP = 5
SPREAD_RANK = 10
MODEL_PATH = Path(__file__).with_name("fusion_model.json")


def evidence(
    keyword: list[tuple[int, float]],
    dense: list[tuple[int, float]],
    ceiling: float,
    keyword_cosines: list[float],
    terms: int,
) -> tuple[float, ...]:
    """What a query's candidate lists say about its words, before any judgment (the names of EVIDENCE):
    coverage: best BM25 / the query's ceiling, at most 2; agreement: share of the top AGREEMENT_TOP papers both
    lists hold; terms: log(1 + scored terms); top_cosine: the best cosine; keyword_meaning: the mean cosine of
    the top KEYWORD_MEANING_TOP keyword papers minus the best cosine (near 0 when the papers the words find are
    those the meaning finds); keyword_flatness: BM25 at rank SPREAD_RANK / best (near 1: many papers match the
    same few words); dense_spread: the best cosine minus the one at rank SPREAD_RANK."""
    top_cos = dense[0][1] if dense else 0.0
    spread = top_cos - dense[min(SPREAD_RANK, len(dense)) - 1][1] if dense else 0.0
    terms_log = math.log1p(terms)
    if not keyword:
        return (0.0, 0.0, terms_log, top_cos, -1.0, 0.0, spread)
    best = keyword[0][1]
    coverage = min(2.0, best / ceiling) if ceiling > 0 else 1.0
    shared = len({pk for pk, _ in keyword[:AGREEMENT_TOP]} & {pk for pk, _ in dense[:AGREEMENT_TOP]})
    cosines = keyword_cosines[:KEYWORD_MEANING_TOP]
    meaning = (sum(cosines) / len(cosines) - top_cos) if cosines and dense else 0.0
    flatness = keyword[SPREAD_RANK - 1][1] / best if len(keyword) >= SPREAD_RANK and best > 0 else 0.0
    return (coverage, shared / AGREEMENT_TOP, terms_log, top_cos, meaning, flatness, spread)


@lru_cache(maxsize=1)
def combiner() -> dict:
    """The learned combiner (bench/fusion_learn.py --write): feature means and scales, coefficients, intercept."""
    model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if tuple(model["features"]) != EVIDENCE:
        raise ValueError(f"{MODEL_PATH.name} was fitted on {model['features']}, not {EVIDENCE}: refit it")
    return model


def words_help(features: tuple[float, ...]) -> bool:
    """Whether the combiner says the query's words help its ranking: the logistic regression's probability is at
    least one half."""
    model = combiner()
    z = model["intercept"] + sum(
        c * (x - m) / s for c, x, m, s in zip(model["coef"], features, model["mean"], model["scale"])
    )
    return z >= 0


def fuse_meaning_first(
    keyword: list[tuple[int, float]], dense: list[tuple[int, float]], params: FusionParams, top: int, weight: float
) -> dict[int, float]:
    """Meaning ranks, the words only reorder near-ties: dense_weight * cosine, plus weight * BM25 / best BM25 for a
    paper in both the keyword and the dense top `top`. With weight 0.05 against 1.5 x cosine, a paper the words
    also find moves up past papers up to 0.033 of cosine better; a paper the words alone find gains nothing. A
    keyword candidate missing from the dense list scores the dense list's lowest cosine, as in meaning alone."""
    best = keyword[0][1] if keyword and keyword[0][1] > 0 else 1.0
    kw_top = {pk: score / best for pk, score in keyword[:top]}
    scores = {
        pk: params.dense_weight * cos + (weight * kw_top[pk] if rank < top and pk in kw_top else 0.0)
        for rank, (pk, cos) in enumerate(dense)
    }
    dense_floor = params.dense_weight * min((cos for _, cos in dense), default=0.0)
    for pk, _ in keyword:
        scores.setdefault(pk, dense_floor)
    return scores


def fuse_learned(
    keyword: list[tuple[int, float]], dense: list[tuple[int, float]], params: FusionParams, features: tuple[float, ...]
) -> dict[int, float]:
    """Convex fusion where the combiner says the words help, else meaning first (the combiner's low branch)."""
    if words_help(features):
        return fuse_with_trust(keyword, dense, params, 1.0)
    low = combiner()["low"]
    return fuse_meaning_first(keyword, dense, params, int(low["top"]), float(low["weight"]))


def fuse_with_trust(
    keyword: list[tuple[int, float]], dense: list[tuple[int, float]], params: FusionParams, trust: float
) -> dict[int, float]:
    """Convex fusion with the keyword side weighted by `trust` (0..1): keyword_weight * trust * BM25 / best BM25
    + dense_weight * cosine, for every candidate of either list; unsorted."""
    top = keyword[0][1] if keyword and keyword[0][1] > 0 else 1.0
    keyword_weight = params.keyword_weight * trust
    kw = {pk: score / top for pk, score in keyword}
    dense_scores = dict(dense)
    # A paper missing from a list cut at its depth scores that list's lowest candidate, not zero: it was
    # merely beyond the depth. A keyword list shorter than its depth holds every match, so there a missing
    # paper does not contain the words and scores zero. (Dense misses: beyond the depth or no embedding.)
    kw_floor = min(kw.values()) if kw and len(keyword) >= params.keyword_depth else 0.0
    dense_floor = min(dense_scores.values()) if dense_scores else 0.0
    return {
        pk: keyword_weight * kw.get(pk, kw_floor) + params.dense_weight * dense_scores.get(pk, dense_floor)
        for pk in kw.keys() | dense_scores.keys()
    }


def best_first(scores: dict[int, float]) -> list[tuple[int, float]]:
    """(pk, score) by score, ties by pk, so rankings are the same on every host and database."""
    return sorted(scores.items(), key=lambda item: (-round(item[1], 9), item[0]))


def fuse(
    keyword: list[tuple[int, float]],
    dense: list[tuple[int, float]],
    params: FusionParams,
    *,
    ceiling: float | None = None,
    keyword_cosines: list[float] | None = None,
    terms: int = 0,
) -> list[tuple[int, float]]:
    """Both inputs best first as (pk, score); returns (pk, fused score) best first. `ceiling`: the query's BM25
    ceiling (TextIndex.bm25_ceiling), for the adaptive and learned methods (without it, coverage does not lower
    the words' weight); `keyword_cosines`: the query's cosine with each of the top keyword papers, and `terms`:
    its scored terms, for the learned method."""
    scores: dict[int, float]
    if params.method in ("convex", "adaptive", "learned"):
        if params.method == "learned" and keyword and dense:  # with one list only there is nothing to choose
            ev = evidence(keyword, dense, ceiling or 0.0, keyword_cosines or [], terms)
            scores = fuse_learned(keyword, dense, params, ev)
        else:
            trust = word_trust(keyword, dense, ceiling or 0.0, params) if params.method == "adaptive" else 1.0
            scores = fuse_with_trust(keyword, dense, params, trust)
    elif params.method == "rrf":
        scores = {}
        for rank, (pk, _) in enumerate(keyword, 1):
            scores[pk] = scores.get(pk, 0.0) + params.keyword_weight / (params.rrf_k + rank)
        for rank, (pk, _) in enumerate(dense, 1):
            scores[pk] = scores.get(pk, 0.0) + params.dense_weight / (params.rrf_k + rank)
    else:
        raise ValueError(f"unknown fusion method {params.method!r}: use learned, adaptive, convex or rrf")
    fused = best_first(scores)
    if params.method in ("adaptive", "learned") and params.min_score > 0 and dense:
        # Only adaptive and learned scores, with their cosine part, mean the same on every query, so only they have
        # a floor; keyword-only search (no model) shows every match, as a match there is the words themselves.
        fused = [(pk, score) for pk, score in fused if score >= params.min_score]
    return fused
