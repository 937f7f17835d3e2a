"""What the rankers need of one reader, read the same way for the For-you window and for older papers: the
vectors of their likes and Not-interested marks, their trained model if it fits, and their excluded words."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Q, QuerySet

from paperfeed.recommend import rankers, vectors
from paperfeed.recommend.models import ReaderModel
from paperfeed.recommend.profile import Profile


@dataclass
class ReaderState:
    liked_ids: list[int]  # liked papers that have a vector, in the profile's order
    liked: np.ndarray  # their vectors, one row each
    marked: np.ndarray  # the Not-interested papers' vectors
    model: rankers.LinearModel | None  # the trained model, when it was trained on vectors of this size
    row: ReaderModel | None


def reader_state(user, profile: Profile, model_name: str | None, dim: int) -> ReaderState:
    own = vectors.vectors_of(list(profile.liked) + list(profile.disliked), model_name) if model_name else {}
    liked_ids = [pk for pk in profile.liked if pk in own]
    liked = np.array([own[pk] for pk in liked_ids], np.float32).reshape(-1, dim)
    marked = np.array([own[pk] for pk in profile.disliked if pk in own], np.float32).reshape(-1, dim)
    row = ReaderModel.objects.filter(user=user).first() if profile.has_signal else None
    w = row.weight_vector() if row is not None and row.model_name == model_name else None
    model = rankers.LinearModel(w, row.bias) if w is not None and row is not None and len(w) == dim else None
    return ReaderState(liked_ids, liked, marked, model, row)


def without_excluded_words(qs: QuerySet, words: list[str]) -> QuerySet:
    """Listings whose paper's title and abstract hold none of the reader's excluded words."""
    for word in words:
        qs = qs.exclude(Q(paper__title__icontains=word) | Q(paper__abstract__icontains=word))
    return qs
