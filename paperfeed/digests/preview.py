"""What a subscriber would get if their digests were sent now: for the staff preview page and `digest preview`."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from paperfeed.digests.compose import Composer
from paperfeed.digests.models import Subscriber
from paperfeed.digests.schedule import period_for
from paperfeed.digests.subscriptions import normalize_email
from paperfeed.errors import NotFound


def previews(email: str, *, now: datetime | None = None, kind: str | None = None) -> list[tuple]:
    """[(subscription, digest, message or None)] for each active subscription of this address."""
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
        digest = composer.compose(
            subscription, period_for(subscription.frequency, now, subscriber.timezone, subscriber.weekends)
        )
        out.append((subscription, digest, composer.message(digest) if digest.papers else None))
    return out
