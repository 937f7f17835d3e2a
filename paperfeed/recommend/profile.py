"""A reader's profile: every signal they have given, read in a few queries (no training, no scoring)."""

from __future__ import annotations

from dataclasses import dataclass, field

from paperfeed.accounts.models import Follow, SavedSearch
from paperfeed.papers.models import CollectionItem, Vote
from paperfeed.recommend.models import NotInterested, ReaderSettings


@dataclass
class Profile:
    liked: dict[int, str] = field(default_factory=dict)  # paper pk -> how ("upvoted", "saved")
    disliked: set[int] = field(default_factory=set)  # Not interested
    categories: set[str] = field(default_factory=set)  # followed, lower-cased
    authors: set[str] = field(default_factory=set)  # followed, key form (lower-cased, spaces collapsed)
    searches: list[str] = field(default_factory=list)  # saved search queries
    excluded_words: list[str] = field(default_factory=list)

    @property
    def has_signal(self) -> bool:
        return bool(self.liked or self.disliked or self.categories or self.authors or self.searches)


def profile_for(user) -> Profile:
    """The reader's signals; an anonymous visitor has none."""
    profile = Profile()
    if not getattr(user, "is_authenticated", False):
        return profile
    for pk in CollectionItem.objects.filter(collection__owner=user).values_list("paper_id", flat=True):
        profile.liked[pk] = "saved"
    for pk in Vote.objects.filter(user=user).values_list("paper_id", flat=True):
        profile.liked.setdefault(pk, "upvoted")
    profile.disliked = set(NotInterested.objects.filter(user=user).values_list("paper_id", flat=True))
    for pk in profile.disliked:
        profile.liked.pop(pk, None)
    for kind, key in Follow.objects.filter(user=user).values_list("kind", "key"):
        (profile.categories if kind == Follow.CATEGORY else profile.authors).add(key)
    profile.searches = list(SavedSearch.objects.filter(user=user).values_list("query", flat=True))
    words = ReaderSettings.objects.filter(user=user).values_list("excluded_words", flat=True).first()
    profile.excluded_words = list(words or [])
    return profile
