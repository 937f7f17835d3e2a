"""Subscribing, confirming (double opt-in), unsubscribing and managing; the rules views and commands share.

An address typed into the public form changes nothing until its owner follows the confirmation link: the
link carries what was asked for, so a stranger can neither subscribe someone nor change a confirmed
subscriber's settings. An address has one pending confirmation (a nonce) at a time: requests while it is valid
re-send it rather than make a new one, and the first link followed uses it up.
"""

from __future__ import annotations

import secrets
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from paperfeed.digests import throttle, tokens
from paperfeed.digests.models import Subscriber, Subscription
from paperfeed.digests.schedule import FREQUENCIES, is_valid_zone
from paperfeed.errors import BadRequest, NotFound, SourceUnavailable
from paperfeed.lib.site import site_url


def normalize_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise BadRequest(
            f"{raw[:80]!r} is not an email address. Type the address digests should go to.", code="invalid_email"
        ) from None
    return email


def parse_frequency(raw: str | None, *, allow_off: bool = False) -> str:
    value = (raw or "").strip().lower()
    if value in FREQUENCIES or (allow_off and value == ""):
        return value
    choices = ", ".join(FREQUENCIES) + (" or empty for none" if allow_off else "")
    raise BadRequest(f"Unknown frequency {value[:20]!r}; use {choices}.", code="invalid_frequency")


def _get_or_create_subscriber(email: str, user=None) -> Subscriber:
    defaults = {
        "timezone": settings.PAPERFEED["DIGEST_TIME_ZONE"],
        "weekends": settings.PAPERFEED["DIGEST_WEEKENDS"],
        "user": user,
    }
    try:
        with transaction.atomic():
            subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults=defaults)
    except IntegrityError:  # another request created it between our read and our insert
        subscriber = Subscriber.objects.get(email=email)
    if user is not None and subscriber.user_id is None:
        Subscriber.objects.filter(pk=subscriber.pk).update(user=user)
        subscriber.user = user
    return subscriber


def request_subscription(email: str, *, frequency: str, ip: str, now: datetime | None = None) -> Subscriber:
    """The public form: record the request and send the confirmation mail; nothing else changes yet."""
    now = now or timezone.now()
    email = normalize_email(email)
    frequency = parse_frequency(frequency)
    throttle.check(
        "ip",
        ip or "unknown",
        limit=settings.PAPERFEED["DIGEST_THROTTLE_PER_IP"],
        window=timedelta(hours=1),
        now=now,
        message="Too many subscribe requests from your network in the last hour. Try again later.",
    )
    subscriber = _get_or_create_subscriber(email)
    send_confirmation(subscriber, trending=frequency, now=now)
    return subscriber


# A second request this soon after a confirmation mail (a page that saves two things at once) sends nothing:
# the mail already on its way confirms everything pending for the address.
RESEND_AFTER = timedelta(minutes=10)


def pending_confirmation(subscriber: Subscriber, now: datetime) -> bool:
    """Whether the address has a confirmation link out that can still be used."""
    days = settings.PAPERFEED["DIGEST_CONFIRM_DAYS"]
    return bool(
        subscriber.confirm_nonce
        and subscriber.confirm_sent_at
        and now - subscriber.confirm_sent_at < timedelta(days=days)
    )


def send_confirmation(subscriber: Subscriber, *, trending: str = "", now: datetime | None = None) -> bool:
    """Mail the address's confirmation link (the only mail an unconfirmed address ever gets); False when the one
    mailed minutes ago already covers this request. One link is pending per address: while it is valid a new
    request re-sends it (same nonce, so every copy works until one is used), and following it confirms the
    address, which starts every digest it has asked for."""
    now = now or timezone.now()
    subscriber.confirm_nonce, subscriber.confirm_sent_at = (
        Subscriber.objects.filter(pk=subscriber.pk).values_list("confirm_nonce", "confirm_sent_at").get()
    )
    last_sent = subscriber.confirm_sent_at
    pending = pending_confirmation(subscriber, now)
    if pending and not trending and now - last_sent < RESEND_AFTER:
        return False
    throttle.check(
        "address",
        subscriber.email,
        limit=settings.PAPERFEED["DIGEST_THROTTLE_PER_ADDRESS"],
        window=timedelta(days=1),
        now=now,
        message=(
            "We already sent this address several confirmation mails today. Look for them (and in spam), or try "
            "tomorrow."
        ),
    )
    nonce = subscriber.confirm_nonce if pending else secrets.token_hex(8)
    # Claimed with a conditional UPDATE: of two requests at the same moment, one mails and the other reuses it.
    if not Subscriber.objects.filter(pk=subscriber.pk, confirm_sent_at=last_sent).update(
        confirm_nonce=nonce, confirm_sent_at=now
    ):
        return False
    subscriber.confirm_nonce, subscriber.confirm_sent_at = nonce, now
    token = tokens.confirm_token(subscriber.pk, nonce, trending)
    context = {
        "confirm_url": site_url(reverse("digest_confirm", args=[token])),
        "site_name": settings.PAPERFEED["SITE_NAME"],
        "days": settings.PAPERFEED["DIGEST_CONFIRM_DAYS"],
        "frequency": trending,
        "email": subscriber.email,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your {settings.PAPERFEED['SITE_NAME']} subscription",
        body=render_to_string("digests/confirm_email.txt", context),
        to=[subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as exc:  # the request must not 500 because the mail server is away
        # Not sent, so not pending: the next request mails it again (the nonce stays, any older copy still works).
        Subscriber.objects.filter(pk=subscriber.pk, confirm_sent_at=now).update(confirm_sent_at=last_sent)
        raise SourceUnavailable(
            f"The mail server did not take the confirmation mail ({type(exc).__name__}). Try again in a few minutes."
        ) from exc
    return True


def confirm(token: str, *, now: datetime | None = None) -> Subscriber:
    """Confirm the address (single use) and start what was asked for; a bad, old or reused link changes nothing."""
    now = now or timezone.now()
    subscriber_id, nonce, trending = tokens.read_confirm_token(token)
    if trending not in ("",) + FREQUENCIES:
        raise tokens.InvalidToken("This confirmation link is not valid. Subscribe again to get a new one.")
    with transaction.atomic():
        used = (
            Subscriber.objects.filter(pk=subscriber_id, confirm_nonce=nonce)
            .exclude(confirm_nonce="")
            .update(confirm_nonce="")
        )
        if not used:
            raise tokens.InvalidToken(
                "This confirmation link was already used or replaced by a newer one. "
                "Your subscriptions are on the page linked from any digest; or subscribe again.",
                code="used_token",
            )
        Subscriber.objects.filter(pk=subscriber_id, confirmed_at__isnull=True).update(confirmed_at=now)
        subscriber = Subscriber.objects.get(pk=subscriber_id)
        if subscriber.status == Subscriber.FAILED:
            # The owner just proved the address works again.
            Subscriber.objects.filter(pk=subscriber_id).update(status=Subscriber.ACTIVE, hard_bounces=0)
        if trending:
            set_subscription(subscriber, Subscription.TRENDING, trending, now=now)
    subscriber.refresh_from_db()
    return subscriber


def confirm_link(token: str) -> tuple[Subscriber, bool, str]:
    """What a confirmation link stands for, before anyone presses its button: (subscriber, still usable, the
    trending frequency it asks for). A bad or expired link raises InvalidToken saying how to get a new one."""
    subscriber_id, nonce, trending = tokens.read_confirm_token(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        raise tokens.InvalidToken(
            "This address is no longer on our list. Subscribe again to get a new confirmation link.",
            code="used_token",
        )
    return subscriber, bool(subscriber.confirm_nonce) and subscriber.confirm_nonce == nonce, trending


def set_subscription(
    subscriber: Subscriber, kind: str, frequency: str, *, saved_search=None, now: datetime | None = None
) -> Subscription | None:
    """Turn one digest on at `frequency`, or off with frequency ''. Off keeps the row (with unsubscribed_at)."""
    now = now or timezone.now()
    if saved_search is not None and saved_search.alert != frequency:
        type(saved_search).objects.filter(pk=saved_search.pk).update(alert=frequency)  # the account page shows this
        saved_search.alert = frequency
    lookup = (
        {"saved_search": saved_search}
        if saved_search is not None
        else {"subscriber": subscriber, "kind": kind, "saved_search__isnull": True}
    )
    existing = Subscription.objects.filter(**lookup).first()
    if not frequency:
        if existing and existing.active:
            _stop(existing.pk, now=now)
        return existing
    if existing:
        Subscription.objects.filter(pk=existing.pk).update(
            frequency=frequency, active=True, unsubscribed_at=None, subscriber=subscriber
        )
        existing.refresh_from_db()
        return existing
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                subscriber=subscriber, kind=kind, frequency=frequency, saved_search=saved_search, created_at=now
            )
    except IntegrityError:  # a concurrent request made it: update that one
        return set_subscription(subscriber, kind, frequency, saved_search=saved_search, now=now)


def unsubscribe(user, subscription_id: int, *, now: datetime | None = None) -> Subscription:
    """Stop one of `user`'s subscriptions (idempotent). Another user's, or one that does not exist, is NotFound."""
    if not Subscription.objects.filter(pk=subscription_id, subscriber__user=user).exists():
        raise NotFound("You have no subscription with that id.", code="subscription_not_found")
    return _stop(subscription_id, now=now)


def unsubscribe_by_token(token: str, *, now: datetime | None = None) -> Subscription | None:
    """The one-click link: the signed token is the proof. None when the subscription was deleted since."""
    return _stop(tokens.read_unsubscribe_token(token), now=now)


def _stop(subscription_id: int, *, now: datetime | None = None) -> Subscription | None:
    """Idempotent: the first call stops the subscription, later ones change nothing."""
    now = now or timezone.now()
    Subscription.objects.filter(pk=subscription_id, active=True).update(active=False, unsubscribed_at=now)
    return Subscription.objects.select_related("subscriber").filter(pk=subscription_id).first()


def unsubscribe_all(subscriber: Subscriber, *, now: datetime | None = None) -> int:
    return Subscription.objects.filter(subscriber=subscriber, active=True).update(
        active=False, unsubscribed_at=now or timezone.now()
    )


def set_preferences(subscriber: Subscriber, *, timezone_name: str, weekends: bool) -> None:
    if not is_valid_zone(timezone_name):
        raise BadRequest(
            f"Unknown time zone {timezone_name[:60]!r}; use a name like Europe/Berlin or America/New_York.",
            code="invalid_timezone",
        )
    Subscriber.objects.filter(pk=subscriber.pk).update(timezone=timezone_name, weekends=weekends)


def subscriber_for_user(user) -> Subscriber:
    if not user.email:
        raise BadRequest("Your account has no email address. Add one before asking for digests.", code="no_email")
    existing = Subscriber.objects.filter(user=user).first()
    if existing and existing.email == user.email.lower():
        return existing
    return _get_or_create_subscriber(normalize_email(user.email), user=user)


def set_digests(subscriber: Subscriber, wanted: list[tuple]) -> tuple[list[Subscription | None], bool]:
    """Turn digests on or off: (kind, frequency or '' for off, saved search or None) each. An address not confirmed
    yet gets one confirmation mail when anything is turned on. Returns (subscriptions, confirmation_sent)."""
    subscriptions = [
        set_subscription(subscriber, kind, frequency, saved_search=search) for kind, frequency, search in wanted
    ]
    needs_mail = any(frequency for _, frequency, _ in wanted) and not subscriber.confirmed
    if needs_mail:
        send_confirmation(subscriber)
    return subscriptions, needs_mail


def set_user_digest(user, kind: str, frequency: str, *, saved_search=None) -> tuple[Subscription | None, bool]:
    """The account page's switches. Returns (subscription, confirmation_sent)."""
    (subscription,), sent = set_digests(subscriber_for_user(user), [(kind, frequency, saved_search)])
    return subscription, sent
