"""fetch_by_ids and fetch_one against a real HTTP server on loopback that replays recorded arXiv responses."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from paperfeed.errors import SourceUnavailable, UnknownArxivId
from paperfeed.ingest.arxiv_api import fetch_by_ids, fetch_one
from paperfeed.papers.arxiv_ids import parse_arxiv_id

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


ATOM = "application/atom+xml; charset=utf-8"

# id_list -> (status, body): what arXiv answered for these ids when they were recorded.
BY_ID_LIST = {
    "1111.2011v2": (200, fixture("query_1111.2011v2.xml")),
    "1111.2011v2,2401.99999": (200, fixture("query_1111.2011v2.xml")),
    "astro-ph/0601001": (200, fixture("query_astro-ph_0601001.xml")),
    "2401.99999": (200, fixture("query_0000.0000_no_entries.xml")),
    "2402.99999": (400, fixture("query_abc_error_entry.xml")),
}

# path -> (status, body, content type) for the ways arXiv can fail.
BY_PATH = {
    "/unavailable/api/query": (503, b"<html><body>Service Unavailable</body></html>", "text/html"),
    "/ratelimited/api/query": (429, b"Rate exceeded.", "text/plain"),
    "/forbidden/api/query": (403, b"<html><body>Forbidden</body></html>", "text/html"),
    "/html/api/query": (200, b"<html><body>We are down for maintenance.</body></html>", "text/html"),
    "/truncated/api/query": (200, fixture("query_1111.2011v2.xml")[:1500], ATOM),
    "/empty/api/query": (200, b"", ATOM),
}


class ArxivReplay:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                replay.requests.append({"path": url.path, "query": query, "user_agent": self.headers["User-Agent"]})
                if url.path == "/slow/api/query":
                    time.sleep(1.5)
                if url.path in BY_PATH:
                    status, body, ctype = BY_PATH[url.path]
                elif url.path == "/api/query" and query.get("id_list") in BY_ID_LIST:
                    status, body = BY_ID_LIST[query["id_list"]]
                    ctype = ATOM
                else:
                    status, body, ctype = 404, b"not recorded", "text/plain"
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def arxiv(settings, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    replay = ArxivReplay()
    settings.PAPERFEED = {
        **settings.PAPERFEED,
        "ARXIV_API_URL": f"{replay.base}/api/query",
        "HTTP_TIMEOUT": 5.0,
        "SITE_URL": "https://papers.example.org",
        "CONTACT_EMAIL": "ops@example.org",
        "ARXIV_MIN_INTERVAL": 0.01,  # the pacing itself is tested in test_ingest_pacing.py
    }
    yield replay
    replay.close()


def point_at(settings, url: str, **extra) -> None:
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_API_URL": url, **extra}


def test_fetching_one_id_returns_its_parsed_record(arxiv):
    records = fetch_by_ids([parse_arxiv_id("1111.2011v2")])
    assert [(record["id"], record["version"]) for record in records] == [("1111.2011", 2)]
    assert records[0]["doi"] == "10.1103/PhysRevB.85.115117"


def test_the_request_asks_for_exactly_the_ids_and_names_paperfeed_and_its_operator(arxiv):
    fetch_by_ids([parse_arxiv_id("arXiv:1111.2011v2"), parse_arxiv_id("2401.99999")])
    [request] = arxiv.requests
    assert request["path"] == "/api/query"
    assert request["query"] == {"id_list": "1111.2011v2,2401.99999", "max_results": "2"}
    assert request["user_agent"].startswith("paperfeed/")
    assert "https://papers.example.org" in request["user_agent"]
    assert "mailto:ops@example.org" in request["user_agent"]


def test_ids_arxiv_does_not_know_are_simply_missing_from_the_result(arxiv):
    records = fetch_by_ids([parse_arxiv_id("1111.2011v2"), parse_arxiv_id("2401.99999")])
    assert [record["id"] for record in records] == ["1111.2011"]


def test_an_empty_list_of_ids_asks_arxiv_nothing(arxiv):
    assert fetch_by_ids([]) == []
    assert arxiv.requests == []


def test_fetch_one_returns_the_record_of_an_old_style_id(arxiv):
    record = fetch_one(parse_arxiv_id("https://arxiv.org/abs/astro-ph/0601001"))
    assert record["id"] == "astro-ph/0601001"
    assert "(1^{+1.39}_{-0.59})" in record["abstract"]


def test_fetch_one_of_an_id_answered_with_no_entries_is_an_unknown_arxiv_id(arxiv):
    with pytest.raises(UnknownArxivId) as caught:
        fetch_one(parse_arxiv_id("2401.99999"))
    assert caught.value.message == "arXiv has no paper 2401.99999"
    assert caught.value.status == 404


def test_fetch_one_of_an_id_answered_with_an_error_entry_is_an_unknown_arxiv_id(arxiv):
    with pytest.raises(UnknownArxivId, match="arXiv has no paper 2402.99999"):
        fetch_one(parse_arxiv_id("2402.99999"))


@pytest.mark.parametrize("path", ["/unavailable/api/query", "/ratelimited/api/query"])
def test_an_overloaded_arxiv_is_reported_as_unavailable_with_advice_to_retry(arxiv, settings, path):
    point_at(settings, arxiv.base + path)
    with pytest.raises(SourceUnavailable) as caught:
        fetch_by_ids([parse_arxiv_id("1111.2011v2")])
    assert "arXiv is unavailable" in caught.value.message
    assert "try again" in caught.value.message
    assert caught.value.status == 503


@pytest.mark.parametrize(
    "path", ["/forbidden/api/query", "/html/api/query", "/truncated/api/query", "/empty/api/query"]
)
def test_a_response_that_is_not_an_arxiv_feed_is_reported_as_unavailable(arxiv, settings, path):
    point_at(settings, arxiv.base + path)
    with pytest.raises(SourceUnavailable, match="try again later"):
        fetch_one(parse_arxiv_id("1111.2011v2"))


def test_an_arxiv_that_does_not_answer_in_time_is_reported_as_unavailable(arxiv, settings):
    point_at(settings, arxiv.base + "/slow/api/query", HTTP_TIMEOUT=0.2)
    with pytest.raises(SourceUnavailable, match="did not answer within 0.2 s"):
        fetch_by_ids([parse_arxiv_id("1111.2011v2")])


def test_an_arxiv_that_cannot_be_reached_is_reported_as_unavailable(arxiv, settings):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_port
    closed.server_close()
    point_at(settings, f"http://127.0.0.1:{port}/api/query")
    with pytest.raises(SourceUnavailable, match="arXiv could not be reached; try again in a minute"):
        fetch_by_ids([parse_arxiv_id("1111.2011v2")])


def test_an_arxiv_that_cannot_be_connected_to_is_given_up_on_after_one_quick_retry(arxiv, settings, caplog):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_port
    closed.server_close()
    # Five tries a minute apart would leave someone offline waiting four minutes for this one line.
    point_at(settings, f"http://127.0.0.1:{port}/api/query", ARXIV_MAX_TRIES=5, ARXIV_RETRY_AFTER=60)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="could not be reached"):
        fetch_by_ids([parse_arxiv_id("1111.2011v2")], patient=True)  # as a command fetches
    assert time.monotonic() - started < 15
    tries = [r.getMessage() for r in caplog.records if "ConnectError on try" in r.getMessage()]
    assert len(tries) == 2 and "retrying in 3 s" in tries[0]
