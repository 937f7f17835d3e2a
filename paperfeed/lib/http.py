"""The one module through which paperfeed talks to the outside world over HTTP.

Every outbound request (arXiv, Hugging Face, anything later) goes through `get` or `polite_get`, so that the
User-Agent, timeouts, the translation of network failures into `SourceUnavailable`, and the pacing and
back-off arXiv asks of its clients live in one place.
"""

from __future__ import annotations

import fcntl
import logging
import math
import os
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
from django.conf import settings

from paperfeed import __version__
from paperfeed.errors import SourceUnavailable

log = logging.getLogger(__name__)


def user_agent() -> str:
    contact = settings.PAPERFEED["CONTACT_EMAIL"]
    tail = f"; mailto:{contact}" if contact else ""
    return f"paperfeed/{__version__} (+{settings.PAPERFEED['SITE_URL']}{tail})"


def get(
    url: str, *, params: dict | None = None, timeout: float | None = None, what: str = "the server"
) -> httpx.Response:
    """GET `url` and return the response, whatever its status; network failures become SourceUnavailable.

    `what` names the remote service in error messages ("arXiv", "Hugging Face").
    """
    timeout = timeout if timeout is not None else settings.PAPERFEED["HTTP_TIMEOUT"]
    try:
        return httpx.get(
            url,
            params=params,
            headers={"User-Agent": user_agent()},
            timeout=timeout,
            follow_redirects=True,
        )
    except httpx.TimeoutException as exc:
        raise SourceUnavailable(f"{what} did not answer within {timeout:g} s; try again in a few minutes.") from exc
    except httpx.HTTPError as exc:
        raise _unreachable(what, exc) from exc


def _unreachable(what: str, exc: Exception, times: str = "") -> SourceUnavailable:
    # The message reaches readers (the submit page) as well as admins: the exception's details go to the log.
    log.warning("%s could not be reached%s: %s: %s", what, times, exc.__class__.__name__, exc)
    return SourceUnavailable(f"{what} could not be reached; try again in a minute.")


# --- paced, retrying requests (arXiv's terms; also used for Hugging Face) ---------------------------------

RETRY_STATUSES = frozenset({429, 502, 503, 504})
_TRANSIENT = (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.TimeoutException)
# A connection that cannot even be opened (no network, no DNS, a refused port) is rarely fixed by waiting a
# minute: one quick second try, then the user hears so, instead of minutes of silent retries.
CONNECT_TRIES = 2
CONNECT_RETRY_SECONDS = 3.0


class Pace:
    """Whose turn it is to talk to one service, across every process of this installation.

    The state is a small file in DATA_DIR (``pace-<key>``): the start time of the last request and a
    "not before" time set by back-off. A process holds an exclusive fcntl lock on it from waiting its turn
    until its request has finished, so there is one connection at a time and starts are at least
    `min_interval` apart whichever process makes them; the kernel drops the lock of a killed process.
    """

    def __init__(self, key: str, min_interval: float):
        self.key = key
        self.min_interval = min_interval
        self.path = Path(settings.DATA_DIR) / f"pace-{key}"

    @contextmanager
    def turn(self, *, lock_timeout: float | None = None, sleep=time.sleep):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            self._lock(fd, lock_timeout, sleep)
            last_start, not_before = self._read(fd)
            # The margin keeps the spacing the server sees (arrival to arrival) above the interval despite
            # a few milliseconds of jitter in connection set-up.
            margin = 0.05 if self.min_interval else 0.0
            wait = max(last_start + self.min_interval + margin, not_before) - time.time()
            if lock_timeout is not None and wait > lock_timeout:
                raise SourceUnavailable(
                    f"{self.key} asked paperfeed to wait before asking again; try again in {math.ceil(wait)} s."
                )
            if wait > 0:
                sleep(wait)
            slot = _Slot(fd, time.time())
            slot.write()
            yield slot
        finally:
            os.close(fd)  # closing drops the lock

    def _lock(self, fd: int, lock_timeout: float | None, sleep) -> None:
        if lock_timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return
        deadline = time.monotonic() + lock_timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SourceUnavailable(
                        f"Another paperfeed process is talking to {self.key} right now; try again in a minute."
                    ) from None
                sleep(0.05)

    @staticmethod
    def _read(fd: int) -> tuple[float, float]:
        raw = os.pread(fd, 100, 0).decode("ascii", "replace").split()
        try:
            return float(raw[0]), float(raw[1])
        except (IndexError, ValueError):
            return 0.0, 0.0


class _Slot:
    def __init__(self, fd: int, started: float):
        self.fd, self.started, self.not_before = fd, started, 0.0

    def defer(self, seconds: float) -> None:
        """No process of this installation starts a request to this service within `seconds` from now."""
        self.not_before = max(self.not_before, time.time() + seconds)
        self.write()

    def write(self) -> None:
        data = f"{self.started:.6f} {self.not_before:.6f}\n".encode("ascii")
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)


def retry_after_seconds(value: str | None, default: float) -> float:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); `default` when absent or unreadable."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def polite_get(
    url: str,
    *,
    params: dict | None = None,
    what: str,
    pace: Pace,
    tries: int,
    retry_after: float,
    timeout: float | None = None,
    lock_timeout: float | None = None,
    retry_if=None,
    sleep=time.sleep,
) -> httpx.Response:
    """GET `url` on `pace`'s turn, retrying up to `tries` times in all.

    429/502/503/504, connection resets and timeouts are retried after the server's Retry-After (or
    `retry_after` seconds when it gives none), a wait every other process of the installation honours too.
    `retry_if(response)` may name more answers to retry (an empty or truncated page): it returns a reason or
    None. After the last try the last response is returned as it is, or the last network failure raised as
    SourceUnavailable, so the caller can say what to do.
    """
    timeout = timeout if timeout is not None else settings.PAPERFEED["HTTP_TIMEOUT"]
    # The client (and its TLS context, slow to build on a busy machine) exists before the turn is taken, so
    # the time between a turn's start and the request reaching the server stays small and steady.
    with httpx.Client(headers={"User-Agent": user_agent()}, timeout=timeout, follow_redirects=True) as client:
        return _polite_get(
            client,
            url,
            params=params,
            what=what,
            pace=pace,
            tries=max(1, tries),
            retry_after=retry_after,
            timeout=timeout,
            lock_timeout=lock_timeout,
            retry_if=retry_if,
            sleep=sleep,
        )


def _polite_get(client, url, *, params, what, pace, tries, retry_after, timeout, lock_timeout, retry_if, sleep):
    for attempt in range(1, tries + 1):
        last = attempt == tries
        with pace.turn(lock_timeout=lock_timeout, sleep=sleep) as slot:
            try:
                response = client.get(url, params=params)
            except _TRANSIENT as exc:
                no_connection = isinstance(exc, httpx.ConnectError)
                last = last or (no_connection and attempt >= CONNECT_TRIES)
                wait = min(retry_after, CONNECT_RETRY_SECONDS) if no_connection else retry_after
                log.warning(
                    "%s: %s on try %d of %d%s",
                    what,
                    exc.__class__.__name__,
                    attempt,
                    min(tries, CONNECT_TRIES) if no_connection else tries,
                    "" if last else f"; retrying in {wait:g} s",
                )
                if last:
                    times = f" ({tries} tries)" if tries > 1 else ""
                    if isinstance(exc, httpx.TimeoutException):
                        raise SourceUnavailable(
                            f"{what} did not answer within {timeout:g} s{times}; try again in a few minutes."
                        ) from exc
                    raise _unreachable(what, exc, times) from exc
                slot.defer(wait)
                continue
            except httpx.HTTPError as exc:
                raise _unreachable(what, exc) from exc
            reason = None
            asked = response.headers.get("Retry-After")
            if response.status_code in RETRY_STATUSES:
                reason = f"HTTP {response.status_code}"
                # A wait the server asked for binds every process; our own default only this run's next try.
                if asked or not last:
                    slot.defer(retry_after_seconds(asked, retry_after))
            elif retry_if is not None and (reason := retry_if(response)) and not last:
                slot.defer(retry_after)
            if reason is None or last:
                return response
            log.warning("%s: %s on try %d of %d; retrying", what, reason, attempt, tries)
    raise AssertionError("unreachable")  # pragma: no cover
