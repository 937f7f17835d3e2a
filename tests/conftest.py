"""Shared personas and helpers: alice and bob, papers stored through the real ingest path, a real Chromium."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from tests.shared_data import SHARED  # noqa: F401  (imported from here by tests that predate tests/shared_data.py)

# Playwright's sync API runs an event loop in the test's thread; the ORM calls our tests make around it
# are ordinary synchronous calls, so Django's async-safety guard would be a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.core.servers.basehttp import ThreadedWSGIServer

    # The live test server listens with socketserver's backlog of 5 and resets the rest of a burst;
    # gunicorn, which serves paperfeed for real, queues 2048. Tests that send bursts need the same room.
    ThreadedWSGIServer.request_queue_size = 2048


FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_OUTPUT = Path(__file__).resolve().parents[1] / "test-output"
PASSWORD = "correct horse battery staple 42"


def make_user(username: str, *, days_old: float = 30, **extra):
    from django.contrib.auth.models import User

    user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD, **extra)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days_old))
    user.refresh_from_db()
    return user


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def paper_record(arxiv_id: str, **fields) -> dict:
    record = {
        "id": arxiv_id,
        "title": f"Paper {arxiv_id}",
        "authors": ["Ada Lovelace", "Alan Turing"],
        "categories": ["cs.LG"],
        "abstract": f"An abstract for {arxiv_id} about learning.",
        "comment": None,
        "first_listing_date": timezone.localdate().isoformat(),
    }
    record.update(fields)
    return record


@pytest.fixture
def make_paper(db):
    """Store a paper through the real ingest path and return it."""
    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers.models import Paper

    def make(arxiv_id: str, **fields):
        summary = ingest_records([paper_record(arxiv_id, **fields)], source="test")
        assert summary.rejected == 0, f"test paper {arxiv_id} was rejected"
        return Paper.objects.get(arxiv_id=arxiv_id)

    return make


class Replay:
    """A real HTTP server on loopback that answers GETs from a table of path -> (status, body)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes, str]] = {}
        self.requests: list[str] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                replay.requests.append(self.path)
                status, body, ctype = replay.lookup(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def lookup(self, path: str):
        for prefix, answer in self.routes.items():
            if prefix in path:
                return answer
        return 404, b"not here", "text/plain"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def replay():
    server = Replay()
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("PAPERFEED_TEST_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"{executable} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    TEST_OUTPUT.mkdir(exist_ok=True)
    path = TEST_OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.envelopes = []  # (MAIL FROM, RCPT TO list) of each message
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email
                from email import policy

                sink.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
                sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                return "250 OK"

        self.port = free_port()  # aiosmtpd's start-up check connects to the port it was given, so 0 won't do
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    yield sink
    sink.stop()


@pytest.fixture
def index_dir(settings, tmp_path):
    """A search index directory of this test's own, keyword search only (no embedding model to load)."""
    from paperfeed.search import replica

    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_INDEX_DIR": str(tmp_path / "index"), "EMBEDDING_MODEL": ""}
    replica.forget()  # a replica opened by an earlier test points at that test's directory
    yield tmp_path / "index"
    replica.forget()


@pytest.fixture(autouse=True)
def quick_arxiv_pacing(settings):
    """arXiv's 3 s between requests is kept by the code and measured in test_ingest_pacing; elsewhere it only
    slows tests."""
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_MIN_INTERVAL": 0.05}


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages (runtime/page_cache.py), entry parts or shared listing content
    (papers/shared_listing.py), and no memory of a cache that was down, as a fresh server would."""
    from django.core.cache import caches

    from paperfeed.runtime import page_cache

    page_cache.health.reset()
    caches["pages"].clear()
    caches["fragments"].clear()
    caches["listings"].clear()
    yield
