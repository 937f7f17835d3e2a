"""One true line per recommended paper, taken from the part of the score that put it there."""

from __future__ import annotations

from paperfeed.papers.models import Paper
from paperfeed.recommend.profile import Profile
from paperfeed.recommend.rankers import CLOSE, Scores


def arxiv_ids(pks: list[int]) -> dict[int, str]:
    return dict(Paper.objects.filter(pk__in=pks).values_list("pk", "arxiv_id")) if pks else {}


def _followed_author(profile: Profile, paper) -> str | None:
    for name in paper.authors or []:
        if " ".join(str(name).lower().split()) in profile.authors:
            return str(name)
    text = (paper.authors_text or "").lower()
    return next((a for a in sorted(profile.authors) if a in text), None)


def _like_reason(i: int, scores: Scores, profile: Profile, liked_ids: list[int], liked_arxiv: dict[int, str]):
    if scores.nearest[i] < 0 or scores.nearest_cos[i] < CLOSE:
        return None
    count = int(scores.close_likes[i])
    pk = liked_ids[int(scores.nearest[i])]
    how = profile.liked.get(pk, "liked")
    if count >= 3:
        kinds = {profile.liked.get(p) for p in liked_ids}
        verb = how if len(kinds) == 1 else "liked"
        return f"similar to {count} papers you {verb}"
    return f"like {liked_arxiv.get(pk, '?')} you {how}"


def explain(
    i: int,
    scores: Scores,
    *,
    profile: Profile,
    paper,
    liked_ids: list[int],
    liked_arxiv: dict[int, str],
    search: str | None,
    author_hit: bool,
) -> str:
    """The reason for candidate `i`: the largest positive part of its score that a reader can check."""
    parts = {name: float(values[i]) for name, values in scores.parts.items()}
    options = []
    if author_hit and (name := _followed_author(profile, paper)):
        options.append((parts.get("author", 0.0), f"by {name}, whom you follow"))
    like = _like_reason(i, scores, profile, liked_ids, liked_arxiv)
    if like:
        options.append((parts.get("nearest", 0.0) + max(parts.get("model", 0.0), 0.0), like))
    if search:
        options.append((parts.get("search", 0.0), f"matches your search '{search}'"))
    followed = sorted({c for c in paper.categories or [] if c.lower() in profile.categories})
    if followed:
        options.append((parts.get("category", 0.0), f"you follow {followed[0]}"))
    if options:
        return max(options, key=lambda o: o[0])[1]
    if paper.upvotes:
        return "popular in this window"
    return "new in this window"
