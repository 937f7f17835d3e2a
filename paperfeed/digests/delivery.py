"""Handing one message to the SMTP server through Django's email backend, with retries and a rate limit.

The answer is one of three: accepted (250), permanent (5xx: this address will not take it), or temporary
(4xx, a dropped connection, a refused connection), which is retried here with exponential backoff and jitter
before the caller gives the digest back for a later run.
"""

from __future__ import annotations

import random
import smtplib
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from paperfeed.digests.prepared_mail import PreparedMail


@dataclass
class Outcome:
    ok: bool
    permanent: bool = False
    code: int | None = None
    error: str = ""


def classify(exc: Exception) -> Outcome:
    code = None
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
        detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    elif isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        detail = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    else:
        detail = str(exc) or type(exc).__name__
    permanent = code is not None and 500 <= code < 600
    return Outcome(ok=False, permanent=permanent, code=code, error=f"{code or type(exc).__name__}: {detail}"[:500])


def backoff(attempt: int) -> float:
    base = settings.PAPERFEED["DIGEST_RETRY_BASE_SECONDS"]
    delay = base * (2 ** max(attempt - 1, 0))
    return delay + random.uniform(0, delay)  # jitter, so senders that failed together don't retry together


class RateLimiter:
    """At most `rate` messages per second across the threads of one process (0: no limit)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def wait(self, stop: threading.Event | None = None) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            at = max(self.next_at, now)
            self.next_at = at + self.interval
        delay = at - time.monotonic()
        if delay > 0:
            if stop is not None:
                stop.wait(delay)
            else:
                time.sleep(delay)


class Mailer:
    """One connection of Django's configured email backend; for SMTP, kept open and reopened when the server drops it."""

    def __init__(self):
        self.connection = get_connection(fail_silently=False)
        self.retries = settings.PAPERFEED["DIGEST_SMTP_RETRIES"]
        # Prepared bytes (prepared_mail.PreparedMail) go straight to the SMTP session that Django's backend opened
        # (host, port, TLS, login: Django's settings); other backends (console, file, locmem) take Django messages.
        self.takes_wire = isinstance(self.connection, SMTPBackend)

    def deliver(self, message: PreparedMail | EmailMessage, stop: threading.Event | None = None) -> Outcome:
        outcome = Outcome(ok=False, error="not tried")
        for attempt in range(1, self.retries + 2):
            try:
                if self.takes_wire and self.connection.connection is None:
                    self.connection.open()  # kept open across messages: send_messages alone would reconnect each time
                if isinstance(message, PreparedMail):
                    self.connection.connection.sendmail(message.from_email, [message.to], message.data)
                    return Outcome(ok=True)
                if self.connection.send_messages([message]) == 1:
                    return Outcome(ok=True)
                outcome = Outcome(ok=False, error="the backend sent nothing")
            except (smtplib.SMTPException, OSError) as exc:
                outcome = classify(exc)
                if outcome.permanent:
                    return outcome
                if not isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)):
                    self.close()  # the connection is gone or unusable: the next try opens a new one
            if attempt <= self.retries and not (stop is not None and stop.is_set()):
                pause = backoff(attempt)
                stop.wait(pause) if stop is not None else time.sleep(pause)
            else:
                break
        return outcome

    def close(self) -> None:
        if not self.takes_wire:
            return
        try:
            self.connection.close()
        except (smtplib.SMTPException, OSError):
            pass
        self.connection.connection = None
