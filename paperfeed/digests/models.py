"""Subscribers, their subscriptions, the send log that makes sending idempotent, and the throttle's hits.

The send log has one row per (subscription, period). A sender claims rows, sends, and marks a row sent only
after the SMTP server accepted the message; the Message-ID is derived from the same key, so a crash between
the server's 250 and our commit can repeat one message (same Message-ID) but never skip one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class Subscriber(models.Model):
    """One email address, with or without an account. Unconfirmed addresses get only the confirmation mail."""

    ACTIVE, FAILED = "active", "failed"

    email = models.EmailField(max_length=254, unique=True, help_text="stored lower-cased")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="subscribers"
    )
    timezone = models.CharField(max_length=64, default="UTC")
    weekends = models.BooleanField(default=False, help_text="daily digests on Saturday and Sunday too")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_nonce = models.CharField(
        max_length=32, blank=True, help_text="the one confirmation link that is still valid"
    )
    confirm_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="when the pending confirmation was last mailed; within its validity it is reused",
    )
    status = models.CharField(max_length=8, default=ACTIVE, choices=[(ACTIVE, "active"), (FAILED, "failed: bounced")])
    hard_bounces = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self):
        return self.email

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Subscription(models.Model):
    """What a subscriber gets and how often: the trending digest, the personal digest, or a saved-search alert."""

    TRENDING, FOLLOWS, SEARCH = "trending", "follows", "search"
    KINDS = [(TRENDING, "Trending papers"), (FOLLOWS, "New papers you follow"), (SEARCH, "Saved-search alert")]
    DAILY, WEEKLY = "daily", "weekly"
    FREQUENCIES = [(DAILY, "Daily"), (WEEKLY, "Weekly")]

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(max_length=16, choices=KINDS)
    frequency = models.CharField(max_length=8, choices=FREQUENCIES, default=DAILY)
    saved_search = models.OneToOneField(
        "accounts.SavedSearch", null=True, blank=True, on_delete=models.CASCADE, related_name="subscription"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind"],
                condition=models.Q(saved_search__isnull=True),
                name="one_digest_of_a_kind_per_subscriber",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "active"])]

    def __str__(self):
        return f"{self.subscriber} {self.frequency} {self.kind}"

    @property
    def title(self) -> str:
        if self.kind == self.SEARCH and self.saved_search_id:
            return f"Alert: {self.saved_search.label}"
        return dict(self.KINDS)[self.kind]


class SendLog(models.Model):
    """One digest of one subscription for one period; the unique key is what makes sending idempotent."""

    PENDING, CLAIMED, SENT, EMPTY, FAILED, SKIPPED = "pending", "claimed", "sent", "empty", "failed", "skipped"
    DONE = (SENT, EMPTY, FAILED, SKIPPED)

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sends")
    period = models.CharField(max_length=24, help_text="d2026-02-10 (daily) or w2026-W07 (weekly)")
    status = models.CharField(max_length=8, default=PENDING, db_index=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    available_at = models.DateTimeField(default=now, help_text="not claimed before this (backoff)")
    attempts = models.PositiveIntegerField(default=0)
    message_id = models.CharField(max_length=200, blank=True)
    paper_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period"], name="one_digest_per_subscription_and_period")
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return f"{self.subscription_id}/{self.period}: {self.status}"


class SentPaper(models.Model):
    """A paper that went to a subscriber in an accepted digest; later digests leave it out."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="sent_papers")
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "paper"], name="a_paper_goes_to_a_subscriber_once")
        ]


class ThrottleHit(models.Model):
    """One counted action (a subscribe request, a confirmation mail); in the database so every process sees it."""

    key = models.CharField(max_length=100, help_text="scope:hash, e.g. ip:... or address:...")
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["key", "created_at"])]
