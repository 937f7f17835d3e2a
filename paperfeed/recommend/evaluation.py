"""Offline evaluation of For you (`paperfeed eval recs USERS.jsonl`): simulated readers, every ranker, one run.

Each reader line is `{"user", "liked": [arXiv ids], "disliked": [...], "relevant": {id: grade}, "as_of"?}`.
For each reader, every visible, embedded paper of the configured database except their own seeds is ranked
(only those listed after `as_of` when given: a temporal split) by `rankers.score`, the function the page uses,
with a model trained by `rankers.train` exactly as the retrain job does. Ids the database lacks are reported
and skipped. The Scholar Inbox protocol is scored too: each relevant paper against 4 random non-relevant
candidates of the same reader (balanced accuracy of the logistic model at probability 0.5, and nDCG of each
group of five).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from paperfeed.errors import BadRequest
from paperfeed.papers.models import Paper
from paperfeed.recommend import rankers, vectors


@dataclass
class Corpus:
    pks: np.ndarray
    arxiv_ids: list[str]
    days: np.ndarray  # listing day as an ordinal (0: never listed)
    popularity: np.ndarray
    matrix: np.ndarray
    row_of: dict[str, int] = field(default_factory=dict)


@dataclass
class Reader:
    user: str
    liked: list[str]
    disliked: list[str]
    relevant: dict[str, int]
    as_of: date | None


def read_readers(path: str | Path) -> list[Reader]:
    readers = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRequest(f"Cannot read {path}: {exc}", code="unreadable_file") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            relevant = {str(k): int(v) for k, v in obj["relevant"].items()}
            if any(v not in (1, 2) for v in relevant.values()):
                raise ValueError("grades are 1 or 2")
            as_of = date.fromisoformat(obj["as_of"]) if obj.get("as_of") else None
            readers.append(
                Reader(
                    str(obj["user"]),
                    [str(x) for x in obj["liked"]],
                    [str(x) for x in obj.get("disliked") or []],
                    relevant,
                    as_of,
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BadRequest(f"{path} line {number}: not a reader object ({exc}).", code="invalid_reader") from exc
    return readers


def load_corpus() -> Corpus:
    """Every visible, not withdrawn paper with a vector by the configured model."""
    model = vectors.model_name()
    rows = list(
        Paper.objects.listable().values_list("pk", "arxiv_id", "listing__day", "vote_count", "imported_upvotes")
    )
    found = vectors.vectors_of([r[0] for r in rows], model) if model else {}
    rows = [r for r in rows if r[0] in found]
    corpus = Corpus(
        pks=np.array([r[0] for r in rows], np.int64),
        arxiv_ids=[r[1] for r in rows],
        days=np.array([r[2].toordinal() if r[2] else 0 for r in rows], np.int64),
        popularity=np.array([r[3] + r[4] for r in rows], np.float64),
        matrix=vectors.matrix([r[0] for r in rows], found),
    )
    corpus.row_of = {a: i for i, a in enumerate(corpus.arxiv_ids)}
    return corpus


def ndcg_at(order: list[int], relevant: dict[int, int], k: int = 10) -> float:
    gain = sum((2 ** relevant.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(order[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def recall_at(order: list[int], relevant: dict[int, int], k: int = 50) -> float:
    return len(set(order[:k]) & set(relevant)) / len(relevant) if relevant else 0.0


def mrr_at(order: list[int], relevant: dict[int, int], k: int = 10) -> float:
    return next((1.0 / (i + 1) for i, d in enumerate(order[:k]) if d in relevant), 0.0)


def evaluate(readers: list[Reader], corpus: Corpus, *, progress: Callable[[int], None] | None = None) -> dict:
    sums = {name: {"ndcg@10": 0.0, "recall@50": 0.0, "mrr@10": 0.0} for name in rankers.RANKERS}
    protocol = dict.fromkeys(rankers.RANKERS, 0.0)
    balanced, groups, evaluated, skipped = [], 0, 0, []
    for index, reader in enumerate(readers):
        rows = {}
        for kind in ("liked", "disliked"):
            rows[kind] = []
            for aid in getattr(reader, kind):
                if aid in corpus.row_of:
                    rows[kind].append(corpus.row_of[aid])
                else:
                    skipped.append(aid)
        for aid in reader.relevant:
            if aid not in corpus.row_of:
                skipped.append(aid)
        mask = np.ones(len(corpus.pks), bool)
        mask[rows["liked"] + rows["disliked"]] = False
        if reader.as_of:
            mask &= corpus.days > reader.as_of.toordinal()
        cand = np.flatnonzero(mask)
        relevant = {corpus.row_of[a]: g for a, g in reader.relevant.items() if a in corpus.row_of}
        relevant = {r: g for r, g in relevant.items() if mask[r]}
        if progress:
            progress(index + 1)
        if not relevant:
            continue
        evaluated += 1
        liked = corpus.matrix[rows["liked"]]
        marked = corpus.matrix[rows["disliked"]]
        rng = np.random.default_rng(index)
        seeds = set(rows["liked"]) | set(rows["disliked"])
        pool = [
            r
            for r in rng.choice(len(corpus.pks), min(len(corpus.pks), rankers.BACKGROUND + len(seeds)), replace=False)
            if r not in seeds
        ]
        background = corpus.matrix[pool[: rankers.BACKGROUND]]
        models = {
            "logistic": rankers.train(liked, marked, background),
            "linear-svc": rankers.train(liked, marked, background, kind="linear-svc"),
        }
        cands = rankers.Candidates(vectors=corpus.matrix[cand], popularity=corpus.popularity[cand])
        rel_local = {int(np.searchsorted(cand, r)): g for r, g in relevant.items()}
        others = np.setdiff1d(np.arange(len(cand)), list(rel_local))
        picks = {r: rng.choice(others, min(4, len(others)), replace=False) for r in rel_local}
        for name in rankers.RANKERS:
            model = models["linear-svc"] if name == "linear-svc" else models["logistic"]
            total = rankers.score(name, cands, liked=liked, marked=marked, model=model).total
            order = list(rankers.order(total, corpus.pks[cand])[:50])
            sums[name]["ndcg@10"] += ndcg_at(order, rel_local)
            sums[name]["recall@50"] += recall_at(order, rel_local)
            sums[name]["mrr@10"] += mrr_at(order, rel_local)
            group_scores = 0.0
            for r, negs in picks.items():
                ids = np.r_[negs, r]  # a tie goes against the held-out like, never for it
                ranked = list(ids[np.argsort(-total[ids], kind="stable")])
                group_scores += ndcg_at(ranked, {r: 1}, 5)
            protocol[name] += group_scores / len(picks)
        lr = models["logistic"]
        if len(lr.weights):
            pos = (cands.vectors[list(rel_local)] @ lr.weights + lr.bias) > 0
            neg_rows = np.concatenate(list(picks.values()))
            neg = (cands.vectors[neg_rows] @ lr.weights + lr.bias) <= 0
            balanced.append((pos.mean() + neg.mean()) / 2)
        groups += len(picks)
    n = max(evaluated, 1)
    return {
        "shipped": rankers.SHIPPED,
        "rankers": {name: {k: v / n for k, v in s.items()} for name, s in sums.items()},
        "users": evaluated,
        "skipped_ids": sorted(set(skipped)),
        "scholar_inbox": {
            "balanced_accuracy": float(np.mean(balanced)) if balanced else None,
            "ndcg": {name: v / n for name, v in protocol.items()},
            "groups": groups,
        },
        "readers_in_file": len(readers),
        "papers": len(corpus.pks),
    }
