"""Sections other apps add to the personal digest (today: For you, from recommend/), registered at start-up.

The digest asks each registered provider for its section; it does not import the apps that fill them: For you
reads a reader's follows and saved searches (accounts/), whose alerts are digest subscriptions, so an import
from here would close a circle. Each provider is called with the papers the digest already holds, and gives
its papers best first with one reason line each; the digest leaves out what the subscriber already got.
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
