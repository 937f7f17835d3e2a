"""The formulas that order papers, as pure functions. `/about` explains them in words; tests pin them.

Trending (Hacker-News style gravity, on effective votes):

    score = effective_votes / (age_hours + offset) ** gravity

* effective_votes = upvotes imported from elsewhere (e.g. Hugging Face) + votes cast here by accounts at
  least MIN_VOTER_AGE_HOURS old at scoring time. A fresh account's vote shows in the paper's count but
  weighs nothing in trending, so a burst of new accounts cannot push a paper up.
* age_hours = hours since the start (00:00 in the site's time zone) of the day the paper was listed.
* offset (TRENDING_AGE_OFFSET_HOURS) keeps a new paper's score finite; gravity (TRENDING_GRAVITY) sets how
  fast attention decays: a paper with the same votes is worth half as much once its age plus offset grows
  by 2^(1/gravity) (~= 1.59x at gravity 1.5). The defaults are those of the settings registry (config.py).

Papers of the same age are therefore ordered exactly by effective votes; ties fall back to the newer
listing, then the higher arXiv id, so an order never depends on the database's whim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from paperfeed.config import BY_NAME


@dataclass(frozen=True)
class TrendingParams:
    """The formula's knobs. Unset ones take the registry's defaults (config.py), not the site's settings:
    `from_settings()` gives what the site is configured with."""

    gravity: float = BY_NAME["TRENDING_GRAVITY"].default
    offset_hours: float = BY_NAME["TRENDING_AGE_OFFSET_HOURS"].default
    min_voter_age_hours: float = BY_NAME["MIN_VOTER_AGE_HOURS"].default

    @classmethod
    def from_settings(cls) -> TrendingParams:
        cfg = settings.PAPERFEED
        return cls(
            gravity=cfg["TRENDING_GRAVITY"],
            offset_hours=cfg["TRENDING_AGE_OFFSET_HOURS"],
            min_voter_age_hours=cfg["MIN_VOTER_AGE_HOURS"],
        )


def age_hours(listed_at: datetime, now: datetime) -> float:
    """Hours between the listing and now; never negative (a clock skew must not produce a bonus)."""
    return max(0.0, (now - listed_at).total_seconds() / 3600.0)


def voter_counts(voter_joined_at: datetime, now: datetime, params: TrendingParams) -> bool:
    """Whether a vote by an account created at `voter_joined_at` counts toward trending at `now`."""
    return age_hours(voter_joined_at, now) >= params.min_voter_age_hours


def trending_score(effective_votes: float, age: float, params: TrendingParams = TrendingParams()) -> float:
    """The trending score of a paper with `effective_votes` listed `age` hours ago (see module doc)."""
    if effective_votes <= 0:
        return 0.0
    return effective_votes / (age + params.offset_hours) ** params.gravity


@dataclass(frozen=True)
class Candidate:
    """What the trending formula needs to know about one paper."""

    key: str
    effective_votes: int
    listed_at: datetime


def trending_order(
    candidates: list[Candidate], now: datetime, params: TrendingParams = TrendingParams()
) -> list[tuple[Candidate, float]]:
    """Candidates with their scores, best first; ties broken by newer listing, then higher key."""
    scored = [(c, trending_score(c.effective_votes, age_hours(c.listed_at, now), params)) for c in candidates]
    scored.sort(key=lambda cs: (-cs[1], -cs[0].listed_at.timestamp(), _desc(cs[0].key)))
    return scored


def _desc(key: str) -> tuple:
    # Sort keys descending inside an ascending sort without negating strings.
    return (*(-ord(ch) for ch in key), 1)
