"""Sections other apps add to the personal digest (today: For you, from recommend/), registered at start-up.

The digest asks each registered provider for its section; it does not import the apps that fill them: For you
reads a reader's follows and saved searches (accounts/), whose alerts are digest subscriptions, so an import
from here would close a circle. Each provider is called with the papers the digest already holds, and gives
its papers best first with one reason line each; the digest leaves out what the subscriber already got.
Hiders say which papers a reader asked never to be shown (Not interested, excluded words), and the digest
leaves those out of a reader's every digest and section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from paperfeed.papers.models import Paper


@dataclass
class Section:
    title: str
    papers: list[Paper] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)  # paper pk -> its reason line


# provider(user, *, now, exclude, limit) -> Section or None (None: nothing to say for this reader)
Provider = Callable[..., Section | None]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    _PROVIDERS[name] = provider


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


# hider(user, paper_ids) -> those of the papers the reader asked not to be shown (For you's Not-interested marks
# and excluded words): left out of every digest of theirs, each section and the digest's own papers alike.
Hider = Callable[..., set[int]]
_HIDERS: dict[str, Hider] = {}


def register_hider(name: str, hider: Hider) -> None:
    _HIDERS[name] = hider


def hidden_for(user, paper_ids: list[int]) -> set[int]:
    out: set[int] = set()
    if user is None or not paper_ids:
        return out
    for hider in _HIDERS.values():
        out |= hider(user, paper_ids)
    return out
