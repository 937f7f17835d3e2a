"""`send_due`: find what is due, compose it and send it, exactly once per (subscription, period).

Safe to run from many processes and hosts at once (the send log is the queue; see claims.py). The order per
digest is: claim -> compose -> SMTP -> on 250 mark sent (and remember its papers) in one transaction. A crash
after the 250 and before the commit resends that one digest with the same Message-ID; nothing is ever
marked sent that the server did not accept (the checkpoint is at send, not at fetch).
"""

from __future__ import annotations

import enum
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.utils import timezone

from paperfeed.digests import claims
from paperfeed.digests.compose import Composer
from paperfeed.digests.delivery import Mailer, Outcome, RateLimiter, backoff
from paperfeed.digests.models import SendLog, SentPaper, Subscriber, Subscription
from paperfeed.digests.schedule import FREQUENCIES, from_key, period_for

ENQUEUE_CHUNK = 2000


class Result(enum.Enum):
    """What became of one digest in a run; Summary counts each."""

    SENT = "sent"
    EMPTY = "empty"  # nothing new for this subscriber: no mail, the period is done
    SKIPPED = "skipped"  # no longer deliverable when its turn came
    FAILED = "failed"  # the server refused it for good (5xx)
    RETRY_LATER = "retry_later"  # a temporary failure: given back for a later run


# The send-log status a digest that was not sent is closed with (_mark_sent closes the sent ones).
_CLOSED_AS = {Result.EMPTY: SendLog.EMPTY, Result.SKIPPED: SendLog.SKIPPED, Result.FAILED: SendLog.FAILED}


@dataclass
class Summary:
    periods: list[str] = field(default_factory=list)
    due: int = 0
    counts: Counter = field(default_factory=Counter)
    held_elsewhere: int = 0
    dry_run: bool = False
    aborted: str = ""
    last_error: str = ""  # the last temporary failure, for the line that says why digests were left
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, result: Result) -> None:
        with self.lock:
            self.counts[result] += 1

    @property
    def sent(self) -> int:
        return self.counts[Result.SENT]

    @property
    def empty(self) -> int:
        return self.counts[Result.EMPTY]

    @property
    def skipped(self) -> int:
        return self.counts[Result.SKIPPED]

    @property
    def failed(self) -> int:
        return self.counts[Result.FAILED]

    @property
    def retry_later(self) -> int:
        return self.counts[Result.RETRY_LATER]

    def as_dict(self) -> dict:
        return {
            "periods": self.periods,
            "due": self.due,
            "sent": self.sent,
            "empty": self.empty,
            "skipped": self.skipped,
            "failed": self.failed,
            "retry_later": self.retry_later,
            "held_elsewhere": self.held_elsewhere,
            "dry_run": self.dry_run,
            "aborted": self.aborted,
        }


def deliverable(via: str = "") -> Q:
    """The one test of "is this subscription deliverable" (active, address confirmed, not bounced): what is enqueued,
    and what a sender checks again when the digest's turn comes. `via` reaches the subscription from another model."""
    return Q(
        **{
            f"{via}active": True,
            f"{via}subscriber__confirmed_at__isnull": False,
            f"{via}subscriber__status": Subscriber.ACTIVE,
        }
    )


def _due_groups(frequencies) -> list[tuple[str, str, bool]]:
    groups = (
        Subscription.objects.filter(deliverable(), frequency__in=frequencies)
        .values_list("frequency", "subscriber__timezone", "subscriber__weekends")
        .distinct()
    )
    return sorted({(f, tz, weekends if f == "daily" else False) for f, tz, weekends in groups})


def _due_subscriptions(frequency: str, tz: str, weekends: bool):
    qs = Subscription.objects.filter(deliverable(), frequency=frequency, subscriber__timezone=tz)
    return qs.filter(subscriber__weekends=weekends) if frequency == "daily" else qs


def enqueue(now: datetime, frequencies) -> list[str]:
    """Make a pending send-log row for every confirmed, active subscription whose period is due; returns the periods.

    Concurrent senders may both insert: the unique key and ignore_conflicts leave one row.
    """
    periods = set()
    for frequency, tz, weekends in _due_groups(frequencies):
        period = period_for(frequency, now, tz, weekends)
        periods.add(period.key)
        due = _due_subscriptions(frequency, tz, weekends).exclude(sends__period=period.key).order_by("id")
        last = 0
        while True:
            # Keyset pages rather than one open cursor: no read cursor stays open across our own inserts
            # (SQLite), and memory stays flat however many subscribers there are.
            ids = list(due.filter(id__gt=last).values_list("id", flat=True)[:ENQUEUE_CHUNK])
            if not ids:
                break
            SendLog.objects.bulk_create(
                [SendLog(subscription_id=sid, period=period.key, available_at=now, created_at=now) for sid in ids],
                ignore_conflicts=True,
            )
            last = ids[-1]
    return sorted(periods)


def send_due(
    now: datetime | None = None,
    *,
    frequency: str | None = None,
    stop: threading.Event | None = None,
    dry_run: bool = False,
    progress=None,
) -> Summary:
    """Send every digest that is due at `now` (default: the current time); returns what happened.

    `stop` (set on SIGTERM) lets the message in flight finish and then returns, giving the rest back.
    Returns when nothing is left to claim; `summary.held_elsewhere` counts what other senders still hold.
    `progress` is anything with tqdm's `total`/`refresh()`/`update(n)`.
    """
    now = now or timezone.now()
    stop = stop or threading.Event()
    frequencies = [frequency] if frequency else list(FREQUENCIES)
    summary = Summary(dry_run=dry_run)
    if dry_run:
        return _dry_run(now, frequencies, summary, progress)
    summary.periods = enqueue(now, frequencies)
    if not summary.periods:
        return summary
    claims.free_dead_local_owners()
    summary.due = claims.outstanding(summary.periods)
    if progress is not None:
        progress.total = summary.due
        progress.refresh()
    concurrency = max(1, settings.PAPERFEED["DIGEST_CONCURRENCY"])
    limiter = RateLimiter(settings.PAPERFEED["DIGEST_RATE"])
    abort = threading.Event()
    if concurrency == 1:
        _Sender(summary, limiter, stop, abort, progress).run()
    else:
        threads = [
            threading.Thread(
                target=_threaded, args=(_Sender(summary, limiter, stop, abort, progress),), name=f"digest-sender-{i}"
            )
            for i in range(concurrency)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    summary.held_elsewhere = SendLog.objects.filter(period__in=summary.periods, status=SendLog.CLAIMED).count()
    return summary


def _threaded(sender: _Sender) -> None:
    try:
        sender.run()
    finally:
        connection.close()


class _Sender:
    def __init__(self, summary: Summary, limiter: RateLimiter, stop: threading.Event, abort: threading.Event, progress):
        self.summary, self.limiter, self.stop, self.abort, self.progress = summary, limiter, stop, abort, progress
        self.owner = claims.new_owner()
        self.composer = Composer()
        self.mailer = Mailer()
        self.lease = settings.PAPERFEED["DIGEST_CLAIM_LEASE_SECONDS"]
        self.batch = max(1, settings.PAPERFEED["DIGEST_BATCH_SIZE"])
        self.max_errors = max(1, settings.PAPERFEED["DIGEST_MAX_CONSECUTIVE_ERRORS"])
        self.consecutive_errors = 0

    def run(self) -> None:
        try:
            while not (self.stop.is_set() or self.abort.is_set()):
                ids = claims.claim(self.summary.periods, owner=self.owner, limit=self.batch)
                if not ids:
                    # What is left is held by live senders (or in backoff): theirs to finish. Not waiting here keeps
                    # `paperfeed worker`'s other jobs moving; a sender that died elsewhere is taken over by a later
                    # run once its lease is out (one on this host at once, see claims.free_dead_local_owners).
                    return
                self._batch(ids)
        finally:
            self.mailer.close()

    def _batch(self, ids: list[int]) -> None:
        claimed_at = timezone.now()
        rows = (
            SendLog.objects.filter(id__in=ids, claimed_by=self.owner, status=SendLog.CLAIMED)
            .select_related("subscription__subscriber__user", "subscription__saved_search")
            .annotate(deliverable=ExpressionWrapper(deliverable(via="subscription__"), BooleanField()))
            .order_by("id")
        )
        todo = list(rows)
        self.composer.prefetch_sent([(r.subscription, self._period(r)) for r in todo])
        for i, row in enumerate(todo):
            if self.stop.is_set() or self.abort.is_set():
                claims.release([r.id for r in todo[i:]], owner=self.owner)
                return
            if (timezone.now() - claimed_at).total_seconds() > self.lease / 2:
                mine = claims.renew([r.id for r in todo[i:]], owner=self.owner)
                claimed_at = timezone.now()
                if row.id not in mine:
                    continue  # another sender took it over after our lease ran out
            self._one(row)
            if self.progress is not None:
                self.progress.update(1)

    @staticmethod
    def _period(row: SendLog):
        subscriber = row.subscription.subscriber
        return from_key(row.period, subscriber.timezone, subscriber.weekends)

    def _one(self, row: SendLog) -> None:
        subscription = row.subscription
        subscriber = subscription.subscriber
        if not row.deliverable:  # unsubscribed, bounced or never confirmed since it was enqueued
            self._finish(row, Result.SKIPPED)
            return
        digest = self.composer.compose(subscription, self._period(row))
        if not digest.papers:
            self._finish(row, Result.EMPTY)
            return
        prepared = self.composer.prepared(digest) if self.mailer.takes_prepared else None
        message = prepared or self.composer.message(digest)
        self.limiter.wait(self.stop)
        outcome = self.mailer.deliver(message, self.stop)
        if outcome.ok:
            self.consecutive_errors = 0
            with transaction.atomic():
                _mark_sent(row.pk, digest)
                self.summary.add(Result.SENT)
                if subscriber.hard_bounces:
                    Subscriber.objects.filter(pk=subscriber.pk).update(hard_bounces=0)
            self.composer.remember_sent(digest)
        elif outcome.permanent:
            self.consecutive_errors = 0
            self._bounce(row, subscriber, outcome)
        else:
            self._temporary(row, outcome)

    def _finish(self, row: SendLog, result: Result, **fields) -> None:
        """Close a digest that was not sent (skipped, empty, failed); _mark_sent closes the sent ones."""
        SendLog.objects.filter(pk=row.pk).update(
            status=_CLOSED_AS[result], claimed_by="", attempts=F("attempts") + 1, **fields
        )
        self.summary.add(result)

    def _bounce(self, row: SendLog, subscriber: Subscriber, outcome: Outcome) -> None:
        with transaction.atomic():
            self._finish(row, Result.FAILED, error=outcome.error)
            Subscriber.objects.filter(pk=subscriber.pk).update(
                hard_bounces=F("hard_bounces") + 1, last_error=outcome.error
            )
            Subscriber.objects.filter(
                pk=subscriber.pk, hard_bounces__gte=settings.PAPERFEED["DIGEST_BOUNCE_THRESHOLD"]
            ).update(status=Subscriber.FAILED)

    def _temporary(self, row: SendLog, outcome: Outcome) -> None:
        retry_at = timezone.now() + timedelta(
            seconds=backoff(row.attempts + 1 + settings.PAPERFEED["DIGEST_SMTP_RETRIES"])
        )
        SendLog.objects.filter(pk=row.pk, claimed_by=self.owner).update(
            status=SendLog.PENDING,
            claimed_by="",
            claimed_at=None,
            available_at=retry_at,
            attempts=F("attempts") + 1,
            error=outcome.error,
        )
        self.summary.add(Result.RETRY_LATER)
        self.summary.last_error = outcome.error
        self.consecutive_errors += 1
        if self.consecutive_errors >= self.max_errors:
            self.summary.aborted = (
                f"stopped after {self.consecutive_errors} temporary SMTP failures in a row; last: {outcome.error}"
            )
            self.abort.set()


def _mark_sent(row_id: int, digest) -> None:
    """The send log row marked sent and the digest's papers remembered for its subscriber, in plain SQL: preparing
    these two statements through the ORM was a large share of a sender's CPU per digest (a profile of
    bench/bench_digests.py). The caller holds the transaction."""
    quote, ops = connection.ops.quote_name, connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    values = ", ".join(["(%s, %s, %s)"] * len(digest.papers))
    subscriber_id = digest.subscription.subscriber_id
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(SendLog._meta.db_table)} SET status = %s, claimed_by = '', sent_at = %s, "
            "attempts = attempts + 1, message_id = %s, paper_count = %s WHERE id = %s",
            [SendLog.SENT, now, digest.message_id, len(digest.papers), row_id],
        )
        cursor.execute(
            f"INSERT INTO {quote(SentPaper._meta.db_table)} (subscriber_id, paper_id, sent_at) VALUES {values} "
            "ON CONFLICT DO NOTHING",
            [v for p in digest.papers for v in (subscriber_id, p.pk, now)],
        )


def _dry_run(now: datetime, frequencies, summary: Summary, progress) -> Summary:
    """Compose what a real run would send, count it, write nothing."""
    composer = Composer()
    for frequency, tz, weekends in _due_groups(frequencies):
        period = period_for(frequency, now, tz, weekends)
        if period.key not in summary.periods:
            summary.periods.append(period.key)
        done = SendLog.objects.filter(period=period.key, status__in=SendLog.DONE).values("subscription_id")
        qs = (
            _due_subscriptions(frequency, tz, weekends)
            .exclude(id__in=done)
            .select_related("subscriber__user", "saved_search")
            .order_by("id")
        )
        for subscription in qs.iterator(chunk_size=ENQUEUE_CHUNK):
            summary.due += 1
            digest = composer.compose(subscription, period)
            summary.add(Result.SENT if digest.papers else Result.EMPTY)
            if progress is not None:
                progress.update(1)
    return summary
