"""Topic labels by class-based TF-IDF (BERTopic's c-TF-IDF): the words a topic's papers use much more than
the other topics' papers do.

Every topic's titles and abstracts count as one document: a term's weight in a topic is its frequency there
(normalised by the topic's length) times log(1 + A / f), A being the mean number of words per topic and f the
term's frequency over all topics. Words and two-word phrases, without the search index's English stopwords
and the words every abstract uses; a word inside a phrase already chosen is not repeated.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from paperfeed.search.text_index import STOPWORDS

# Words of the genre, not of any topic: present in most abstracts of every field, so they would crowd labels.
ABSTRACT_WORDS = frozenset(
    [
        "paper",
        "propose",
        "proposed",
        "approach",
        "approaches",
        "method",
        "methods",
        "results",
        "show",
        "shows",
        "novel",
        "based",
        "using",
        "use",
        "used",
        "new",
        "also",
        "however",
        "via",
        "existing",
        "work",
        "framework",
        "performance",
        "state",
        "art",
        "demonstrate",
        "experiments",
        "extensive",
        "achieve",
        "achieves",
        "significantly",
        "furthermore",
        "first",
        "well",
        "can",
        "may",
        "code",
        "available",
        "github",
        "com",
        "https",
        "http",
    ]
)
LABEL_WORDS = 4
MATH = re.compile(r"\$[^$]*\$")


def clean(text: str) -> str:
    return MATH.sub(" ", text or "")


def label_topics(texts: list[str], topic: np.ndarray, *, words: int = LABEL_WORDS) -> dict[int, list[str]]:
    """topic number -> its label's words, most telling first. `texts[i]` belongs to topic `topic[i]`."""
    topics = sorted({int(t) for t in topic})
    if not texts:
        return {t: [] for t in topics}
    vectorizer = CountVectorizer(
        stop_words=sorted(STOPWORDS | ABSTRACT_WORDS),
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]*[a-zA-Z]\b",
        min_df=min(2, len(texts)),
        lowercase=True,
    )
    try:
        docs = vectorizer.fit_transform([clean(t) for t in texts])
    except ValueError:  # no word survived (e.g. empty abstracts)
        return {t: [] for t in topics}
    vocab = vectorizer.get_feature_names_out()
    row = {t: i for i, t in enumerate(topics)}
    member = sparse.csr_matrix(
        (np.ones(len(topic)), ([row[int(t)] for t in topic], np.arange(len(topic)))), shape=(len(topics), len(texts))
    )
    tf = (member @ docs).astype(np.float64).tocsr()  # topics x terms
    per_topic = np.asarray(tf.sum(axis=1)).ravel()
    avg = per_topic.mean() if len(per_topic) else 1.0
    idf = np.log1p(avg / np.maximum(np.asarray(tf.sum(axis=0)).ravel(), 1.0))
    norm = sparse.diags(1.0 / np.maximum(per_topic, 1.0))
    score = (norm @ tf @ sparse.diags(idf)).tocsr()
    out = {}
    for t, i in row.items():
        r = score.getrow(i)
        order = r.indices[np.argsort(-r.data)]
        out[t] = _pick([str(vocab[j]) for j in order[: words * 6]], words)
    return out


def _pick(candidates: list[str], n: int) -> list[str]:
    """The first n terms, skipping a word already said by a chosen phrase and a phrase of chosen words."""
    chosen: list[str] = []
    for term in candidates:
        parts = {_singular(w) for w in term.split()}
        said = {_singular(w) for c in chosen for w in c.split()}
        if parts <= said:
            continue
        if len(parts) > 1:
            chosen = [c for c in chosen if not (len(c.split()) == 1 and _singular(c) in parts)]
        chosen.append(term)
        if len(chosen) == n:
            break
    return chosen[:n]


def _singular(word: str) -> str:
    """Good enough to tell "model" and "models" are one word in a label (not a stemmer)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def label_text(words: list[str]) -> str:
    return ", ".join(words) if words else "(no words)"
