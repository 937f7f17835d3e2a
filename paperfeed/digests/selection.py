"""What goes into a digest: a subscription's candidates for a period, less what its subscriber already got.

A Selection is made once per send run and caches what all subscribers of a period share (the trending list, the
period's new papers, the papers themselves), so selecting the 100,000th digest costs one query for what that
subscriber already got, or none when the batch's sent papers were prefetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from paperfeed.digests import matching
from paperfeed.digests.models import SentPaper, Subscription
from paperfeed.digests.schedule import DuePeriod
from paperfeed.digests.sections import Section, hidden_for, providers
from paperfeed.lib.site import site_domain
from paperfeed.papers import paper_list
from paperfeed.papers.models import Paper


@dataclass
class Digest:
    subscription: Subscription
    period: DuePeriod
    papers: list[Paper] = field(default_factory=list)  # every paper of the digest: its own, then the sections'
    sections: list[Section] = field(default_factory=list)  # e.g. For you, in the personal digest

    @property
    def own_papers(self) -> list[Paper]:
        """The papers of the digest's own kind (followed, trending, matching), before any added section."""
        added = {p.pk for s in self.sections for p in s.papers}
        return [p for p in self.papers if p.pk not in added]

    @property
    def message_id(self) -> str:
        return message_id(self.subscription.pk, self.period.key)


def message_id(subscription_id: int, period_key: str) -> str:
    """Derived from the send log's key, so a resent digest carries the same Message-ID as the first try."""
    return f"<digest.{subscription_id}.{period_key}@{site_domain()}>"


class Selection:
    def __init__(self):
        self.max_papers = settings.PAPERFEED["DIGEST_MAX_PAPERS"]
        self.section_papers = settings.PAPERFEED["DIGEST_FOR_YOU_PAPERS"]
        self._trending: dict[tuple, list[int]] = {}  # (frequency, due_at) -> paper ids
        self._windows: dict[tuple, list[matching.Candidate]] = {}  # (covers_since, due_at) -> the period's papers
        self._papers: dict[int, Paper] = {}
        self._sent: dict[int, set[int]] = {}  # subscriber id -> paper ids, for the batch being sent

    def candidates(self, subscription: Subscription, period: DuePeriod) -> list[int]:
        """Paper ids in digest order, before leaving out what the subscriber already got."""
        if subscription.kind == Subscription.TRENDING:
            return self._trending_ids(period)
        window = self._window(period)
        if subscription.kind == Subscription.FOLLOWS:
            user = subscription.subscriber.user
            if user is None:
                return []
            follows = list(user.follows.values_list("kind", "key"))
            return matching.followed(
                window, {k for kind, k in follows if kind == "category"}, {k for kind, k in follows if kind == "author"}
            )
        search = subscription.saved_search
        return matching.search_matches(window, search.query, search.filters) if search else []

    def _trending_ids(self, period: DuePeriod) -> list[int]:
        key = (period.frequency, period.due_at)
        if key not in self._trending:
            days = (
                settings.PAPERFEED["TRENDING_WINDOW_DAYS"]
                if period.frequency == "daily"
                else max(7, settings.PAPERFEED["TRENDING_WINDOW_DAYS"])
            )
            page = paper_list.trending(now=period.due_at, window_days=days, page_size=self.max_papers * 5)
            self._trending[key] = [item.paper_id for item in page.items]
            for item in page.items:
                self._papers.setdefault(item.paper_id, item.paper)
        return self._trending[key]

    def _window(self, period: DuePeriod) -> list[matching.Candidate]:
        key = (period.covers_since, period.due_at)
        if key not in self._windows:
            self._windows[key] = matching.window(period.covers_since, period.due_at)
        return self._windows[key]

    def prefetch_sent(self, work: list[tuple[Subscription, DuePeriod]]) -> None:
        """What the subscribers of a batch already got, in one query instead of one per digest."""
        paper_ids = set()
        for subscription, period in work:
            paper_ids.update(self.candidates(subscription, period))
        subscriber_ids = {s.subscriber_id for s, _ in work}
        self._sent = {sid: set() for sid in subscriber_ids}
        if paper_ids:
            for sid, pid in SentPaper.objects.filter(
                subscriber_id__in=subscriber_ids, paper_id__in=paper_ids
            ).values_list("subscriber_id", "paper_id"):
                self._sent[sid].add(pid)

    def remember_sent(self, digest: Digest) -> None:
        if digest.subscription.subscriber_id in self._sent:
            self._sent[digest.subscription.subscriber_id].update(p.pk for p in digest.papers)

    def select(self, subscription: Subscription, period: DuePeriod) -> Digest:
        ids = self.candidates(subscription, period)
        if ids and subscription.subscriber.user_id:
            # "Not interested" and an excluded word mean "don't show me this", also in a followed category.
            hidden = hidden_for(subscription.subscriber.user, ids)
            ids = [i for i in ids if i not in hidden]
        if ids:
            sent = self._sent.get(subscription.subscriber_id)
            if sent is None:
                sent = set(
                    SentPaper.objects.filter(subscriber_id=subscription.subscriber_id, paper_id__in=ids).values_list(
                        "paper_id", flat=True
                    )
                )
            ids = [i for i in ids if i not in sent][: self.max_papers]
        digest = Digest(subscription, period, self._load(ids))
        if subscription.kind == Subscription.FOLLOWS and subscription.subscriber.user_id and self.section_papers > 0:
            self._add_sections(digest)
        return digest

    def _add_sections(self, digest: Digest) -> None:
        """Each registered section of the personal digest, less the digest's own papers and what the subscriber
        got before (in any digest), so a paper stands in one section of one digest only. An empty section is
        left out."""
        user, limit = digest.subscription.subscriber.user, self.section_papers
        for provider in providers():
            held = {p.pk for p in digest.papers}
            section = provider(user, now=digest.period.due_at, exclude=held, limit=limit * 4)
            if section is None or not section.papers:
                continue
            ids = [p.pk for p in section.papers if p.pk not in held]
            sent = set(
                SentPaper.objects.filter(subscriber_id=digest.subscription.subscriber_id, paper_id__in=ids).values_list(
                    "paper_id", flat=True
                )
            )
            section.papers = [p for p in section.papers if p.pk in set(ids) - sent][:limit]
            if section.papers:
                section.reasons = {p.pk: section.reasons.get(p.pk, "") for p in section.papers}
                digest.sections.append(section)
                digest.papers.extend(section.papers)

    def _load(self, ids: list[int]) -> list[Paper]:
        missing = [i for i in ids if i not in self._papers]
        if missing:
            for paper in Paper.objects.filter(pk__in=missing):
                self._papers[paper.pk] = paper
        return [self._papers[i] for i in ids if i in self._papers]
