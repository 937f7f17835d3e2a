"""What a subscriber would get if their digests were sent now: for the staff preview page and `digest preview`.

When the current period's digest already went out (or was found empty), the preview is of the next edition,
composed under that edition's own period and Message-ID, and says when the last one was sent: showing the
papers a next mail would hold under the sent edition's Message-ID would describe a mail that can never exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from paperfeed.digests.compose import Composer
from paperfeed.digests.models import SendLog, Subscriber, Subscription
from paperfeed.digests.schedule import DuePeriod, period_for
from paperfeed.digests.selection import Digest
from paperfeed.digests.subscriptions import normalize_email
from paperfeed.errors import NotFound


@dataclass
class Preview:
    subscription: Subscription
    digest: Digest
    message: EmailMultiAlternatives | None  # None: nothing new, so no mail would go out
    last_sent: SendLog | None = None  # the current period's edition, when it is done already

    @property
    def note(self) -> str:
        """One sentence on which edition this is, when it is not simply the one due now."""
        if self.last_sent is None:
            return ""
        done = self.last_sent.sent_at or self.last_sent.created_at
        what = "was sent" if self.last_sent.status == SendLog.SENT else f"was {self.last_sent.status}"
        return (
            f"The {self.subscription.frequency} digest of {self.last_sent.period[1:]} {what} at "
            f"{done.astimezone(UTC):%Y-%m-%d %H:%M} UTC; this is what the next one "
            f"({self.digest.period.label}) would hold if it were sent now."
        )


def next_period(period: DuePeriod, subscriber: Subscriber) -> DuePeriod:
    """The period after `period` (a daily one skips the days without digests)."""
    moment = period.due_at
    while True:
        moment += timedelta(days=1)
        later = period_for(period.frequency, moment, subscriber.timezone, subscriber.weekends)
        if later.key != period.key:
            return later


def previews(email: str, *, now: datetime | None = None, kind: str | None = None) -> list[Preview]:
    """A Preview for each active subscription of this address."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_related("user").filter(email=normalize_email(email)).first()
    if subscriber is None:
        raise NotFound(
            f"No subscriber {email[:80]!r}. Check the address, or list subscribers in /admin.",
            code="subscriber_not_found",
        )
    composer = Composer()
    out = []
    qs = subscriber.subscriptions.filter(active=True).select_related("saved_search").order_by("id")
    if kind:
        qs = qs.filter(kind=kind)
    for subscription in qs:
        subscription.subscriber = subscriber
        period = period_for(subscription.frequency, now, subscriber.timezone, subscriber.weekends)
        done = SendLog.objects.filter(subscription=subscription, period=period.key, status__in=SendLog.DONE).first()
        if done is not None:
            period = next_period(period, subscriber)
        digest = composer.compose(subscription, period)
        out.append(Preview(subscription, digest, composer.message(digest) if digest.papers else None, done))
    return out
