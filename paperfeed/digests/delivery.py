"""Handing one message to the SMTP server through Django's email backend, with retries and a rate limit.

Prepared bytes (prepared_mail.PreparedMail) go out through PreparedMailBackend, Django's SMTP backend (host, port,
TLS, login: Django's settings) with one method more; other backends (console, file, locmem) take Django messages.

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
from django.utils.module_loading import import_string

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


class PreparedMailBackend(SMTPBackend):
    """Django's SMTP backend that also sends prepared bytes, and keeps its connection open across messages until
    close() (Django's own send_messages closes a connection it opened itself)."""

    def send_prepared(self, mail: PreparedMail) -> None:
        self.open()  # a no-op while the connection is open
        self.connection.sendmail(mail.from_email, [mail.to], mail.data)

    def send_messages(self, email_messages) -> int:
        self.open()
        return super().send_messages(email_messages)


def mail_backend():
    """The configured email backend, with Django's SMTP backend swapped for PreparedMailBackend (same settings)."""
    if import_string(settings.EMAIL_BACKEND) is SMTPBackend:
        return PreparedMailBackend(fail_silently=False)
    return get_connection(fail_silently=False)


class Mailer:
    """One connection of the configured email backend; for SMTP, kept open and reopened when the server drops it."""

    def __init__(self):
        self.backend = mail_backend()
        self.retries = settings.PAPERFEED["DIGEST_SMTP_RETRIES"]
        self.takes_prepared = isinstance(self.backend, PreparedMailBackend)

    def deliver(self, message: PreparedMail | EmailMessage, stop: threading.Event | None = None) -> Outcome:
        outcome = Outcome(ok=False, error="not tried")
        for attempt in range(1, self.retries + 2):
            try:
                if isinstance(message, PreparedMail):
                    self.backend.send_prepared(message)
                    return Outcome(ok=True)
                if self.backend.send_messages([message]) == 1:
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
        if not self.takes_prepared:
            return
        try:
            self.backend.close()  # Django's close() forgets the connection however the QUIT went
        except (smtplib.SMTPException, OSError):
            pass
