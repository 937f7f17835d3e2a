"""The For-you ranking as pure functions over arrays: training a reader's model, and scoring candidates.

The page, the API, the feed, the digest and `paperfeed eval recs` all score through `score()`, so the figures
the evaluation prints are those of the code the site runs. Rankers (measured side by side by the evaluation):

* "for-you" (shipped): a logistic regression over the embeddings (Scholar Inbox's recipe: likes as positives,
  Not-interested marks as weighted negatives, random papers of the corpus as background negatives), blended
  with the cosine to the nearest liked paper, each standardised over the candidates. The nearest-like term
  keeps a small, varied set of interests (one robotics paper, one on parsing) from being averaged away;
  the regression learns what separates the likes from the rest. Followed categories and authors and saved
  searches add fixed boosts; closeness to a Not-interested paper subtracts.
* "logistic": the regression alone. "linear-svc": arxiv-sanity-lite's LinearSVC on the same data.
* "mean-cosine": cosine to the mean of the likes (the Zotero-digest tools). "popularity": upvotes.
* "for-you+trending": the shipped score plus popularity, to see whether trending helps.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

SHIPPED = "for-you"
RANKERS = ("for-you", "logistic", "linear-svc", "mean-cosine", "popularity", "for-you+trending")
BACKGROUND = 500  # random corpus papers used as negatives
MARKED_WEIGHT = 3.0  # a Not-interested mark counts as this many background negatives
C = 10.0  # measured on the public readers: 0.1 and 1 under-fit a few dozen likes
BOOST_CATEGORY = 1.0  # in standard deviations of the blended score
BOOST_AUTHOR = 2.0
BOOST_SEARCH = 1.0
DISLIKE_PENALTY = 2.0


@dataclass
class LinearModel:
    weights: np.ndarray
    bias: float


@dataclass
class Candidates:
    """What scoring knows of each candidate: its vector (zero row when it has none) and its metadata."""

    vectors: np.ndarray  # (n, dim) float32, L2-normalised rows
    popularity: np.ndarray  # (n,) upvotes
    category_hit: np.ndarray = field(default_factory=lambda: np.zeros(0))  # (n,) followed-category match
    author_hit: np.ndarray = field(default_factory=lambda: np.zeros(0))
    search_hit: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class Scores:
    total: np.ndarray
    nearest: np.ndarray  # index into the likes of each candidate's nearest liked paper (-1: none)
    nearest_cos: np.ndarray
    close_likes: np.ndarray  # how many likes are close (cosine >= CLOSE)
    parts: dict[str, np.ndarray]


CLOSE = 0.5
_threads = None


def one_thread():
    """Fitting and scoring run on one BLAS thread: products this small gain nothing from more, and on cores that
    other work shares OpenBLAS's threads wait on each other (measured on 2 busy cores: a 600-sample fit 11 ms on
    one thread against 67 ms on two; scoring 300 candidates against 104 likes 1 ms against 11 ms)."""
    global _threads
    if _threads is None:
        from threadpoolctl import ThreadpoolController

        _threads = ThreadpoolController()  # looks the libraries up once; a limit then costs under a millisecond
    return _threads.limit(limits=1)


def train(
    liked: np.ndarray,
    marked: np.ndarray,
    background: np.ndarray,
    *,
    kind: str = "logistic",
    init: LinearModel | None = None,
) -> LinearModel:
    """A reader's linear model: likes against Not-interested marks (weighted) and background papers.

    `init` (the reader's previous model) starts the regression where it was: a reader's signals change a little
    between retrains, so it converges in a few iterations instead of dozens; the optimum is the same (the loss
    is convex)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    neg = np.vstack([m for m in (marked, background) if len(m)]) if len(marked) + len(background) else None
    if not len(liked) or neg is None:
        return LinearModel(np.zeros(liked.shape[1] if liked.ndim == 2 else 0, np.float32), 0.0)
    x = np.vstack([liked, neg]).astype(np.float64)
    y = np.r_[np.ones(len(liked)), np.zeros(len(neg))]
    weight = np.r_[
        np.full(len(liked), len(neg) / len(liked)), np.full(len(marked), MARKED_WEIGHT), np.ones(len(background))
    ]
    if kind == "linear-svc":
        clf = LinearSVC(C=0.1)
    elif init is not None and len(init.weights) == x.shape[1]:
        clf = LogisticRegression(C=C, max_iter=300, warm_start=True)
        clf.coef_ = init.weights.astype(np.float64).reshape(1, -1)
        clf.intercept_ = np.array([init.bias], np.float64)
    else:
        clf = LogisticRegression(C=C, max_iter=300)
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")  # a convergence warning on an odd reader must not break the job
        clf.fit(x, y, sample_weight=weight)
    return LinearModel(clf.coef_[0].astype(np.float32), float(clf.intercept_[0]))


def _z(s: np.ndarray) -> np.ndarray:
    if len(s) == 0:
        return s
    sd = float(s.std())
    return (s - s.mean()) / sd if sd > 1e-9 else np.zeros_like(s)


def _hits(cands: Candidates, name: str) -> np.ndarray:
    arr = getattr(cands, name)
    return arr if len(arr) == len(cands.popularity) else np.zeros(len(cands.popularity))


def score(
    ranker: str,
    cands: Candidates,
    *,
    liked: np.ndarray,
    marked: np.ndarray,
    model: LinearModel | None,
) -> Scores:
    """Scores of every candidate for one reader under `ranker` (higher is better)."""
    with one_thread():
        return _score(ranker, cands, liked=liked, marked=marked, model=model)


def _score(ranker: str, cands: Candidates, *, liked: np.ndarray, marked: np.ndarray, model) -> Scores:
    n = len(cands.popularity)
    x = cands.vectors
    nearest = np.full(n, -1)
    nearest_cos = np.zeros(n)
    close = np.zeros(n, dtype=int)
    if len(liked):
        sims = x @ liked.T
        nearest = sims.argmax(1)
        nearest_cos = sims[np.arange(n), nearest]
        close = (sims >= CLOSE).sum(1)
    pop = np.log1p(cands.popularity.astype(np.float64))
    parts: dict[str, np.ndarray] = {}
    if ranker == "popularity":
        total = pop.copy()
    elif ranker == "mean-cosine":
        total = x @ liked.mean(0) if len(liked) else np.zeros(n)
    elif ranker in ("logistic", "linear-svc"):
        total = x @ model.weights + model.bias if model is not None and len(model.weights) else np.zeros(n)
    else:
        learned = x @ model.weights + model.bias if model is not None and len(model.weights) else np.zeros(n)
        parts["model"] = _z(learned)
        parts["nearest"] = _z(nearest_cos) if len(liked) else np.zeros(n)
        parts["category"] = BOOST_CATEGORY * _hits(cands, "category_hit")
        parts["author"] = BOOST_AUTHOR * _hits(cands, "author_hit")
        parts["search"] = BOOST_SEARCH * _hits(cands, "search_hit")
        if len(marked):
            parts["marked"] = -DISLIKE_PENALTY * np.clip((x @ marked.T).max(1) - CLOSE, 0, None) / (1 - CLOSE)
        total = sum(parts.values(), np.zeros(n))
        # Popularity only breaks near-ties, so a reader with only follows still sees the week's best first.
        total = total + (0.5 if ranker == "for-you+trending" else 0.01) * _z(pop)
    return Scores(total=total, nearest=nearest, nearest_cos=nearest_cos, close_likes=close, parts=parts)


def order(total: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Indices best first; ties go to the higher key (the newer paper), so an order never depends on chance."""
    return np.lexsort((-np.asarray(keys), -total))
