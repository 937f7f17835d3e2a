"""Local HTTP servers that answer like arXiv's OAI-PMH interface and Hugging Face's daily_papers API.

Pages are built from real arXiv records (../shared/data/arxiv-daily-cs, found by tests/shared_data.py) in the
record shapes of arXiv's OAI documentation (metadata formats arXivRaw and arXiv,
https://info.arxiv.org/help/oa/index.html). Every request is logged with its arrival time, so tests can measure
pacing from the server's side.
"""

from __future__ import annotations

import gzip
import itertools
import json
import threading
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from tests.shared_data import shared_path

ARXIV_DAILY = ("data", "arxiv-daily-cs", "papers.jsonl.gz")
HF_DAILY = ("data", "hf-daily-papers-2026-02", "papers.jsonl.gz")


def real_records(n: int, skip: int = 0) -> list[dict]:
    with gzip.open(shared_path(*ARXIV_DAILY), "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in itertools.islice(f, skip, skip + n)]


def hf_rows() -> list[dict]:
    with gzip.open(shared_path(*HF_DAILY), "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _rfc2822(day: str, hour: int = 18) -> str:
    return format_datetime(datetime.combine(date.fromisoformat(day), dtime(hour), tzinfo=UTC), usegmt=True)


def arxiv_raw_record(r: dict, *, versions: int = 1, datestamp: str | None = None, withdrawn: bool = False) -> str:
    listed = r["first_listing_date"]
    submitted = (date.fromisoformat(listed) - timedelta(days=1)).isoformat()
    vs = "".join(
        f'<version version="v{n}">'
        f"<date>{_rfc2822((date.fromisoformat(submitted) + timedelta(days=7 * (n - 1))).isoformat())}</date>"
        f"<size>{'0kb' if withdrawn and n == versions else '1532kb'}</size><source_type>D</source_type></version>"
        for n in range(1, versions + 1)
    )
    comments = f"<comments>{escape(r['comment'])}</comments>" if r.get("comment") else ""
    return (
        f"<record><header><identifier>oai:arXiv.org:{r['id']}</identifier><datestamp>{datestamp or listed}</datestamp>"
        f"<setSpec>cs</setSpec></header><metadata>"
        f'<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">'
        f"<id>{r['id']}</id><submitter>{escape(r['authors'][0] if r['authors'] else 'Anonymous')}</submitter>{vs}"
        f"<title>{escape(r['title'])}</title><authors>{escape(', '.join(r['authors']))}</authors>"
        f"<categories>{escape(' '.join(r['categories']))}</categories>{comments}"
        f"<license>http://creativecommons.org/licenses/by/4.0/</license>"
        f"<abstract>  {escape(r['abstract'])}\n</abstract></arXivRaw></metadata></record>"
    )


def arxiv_record(r: dict) -> str:
    """The same paper in the `arXiv` metadata format (structured authors, no versions)."""
    authors = ""
    for name in r["authors"]:
        first, _, last = name.rpartition(" ")
        authors += (
            f"<author><keyname>{escape(last)}</keyname>"
            + (f"<forenames>{escape(first)}</forenames>" if first else "")
            + "</author>"
        )
    created = (date.fromisoformat(r["first_listing_date"]) - timedelta(days=1)).isoformat()
    comments = f"<comments>{escape(r['comment'])}</comments>" if r.get("comment") else ""
    return (
        f"<record><header><identifier>oai:arXiv.org:{r['id']}</identifier><datestamp>{r['first_listing_date']}"
        f"</datestamp><setSpec>cs</setSpec></header><metadata>"
        f'<arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">'
        f"<id>{r['id']}</id><created>{created}</created><authors>{authors}</authors>"
        f"<title>{escape(r['title'])}</title><categories>{escape(' '.join(r['categories']))}</categories>{comments}"
        f"<msc-class>68T07</msc-class><acm-class>I.2.7</acm-class>"
        f"<license>http://creativecommons.org/licenses/by/4.0/</license>"
        f"<abstract>  {escape(r['abstract'])}\n</abstract>"
        f"</arXiv></metadata></record>"
    )


def deleted_record(arxiv_id: str, datestamp: str) -> str:
    return (
        f'<record><header status="deleted"><identifier>oai:arXiv.org:{arxiv_id}</identifier>'
        f"<datestamp>{datestamp}</datestamp><setSpec>cs</setSpec></header></record>"
    )


def oai_page(records: list[str], *, token: str | None, cursor: int, size: int, request: str = "") -> bytes:
    if token is None:
        resumption = ""
    else:
        resumption = f'<resumptionToken cursor="{cursor}" completeListSize="{size}">{escape(token)}</resumptionToken>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
        f'<responseDate>2026-11-26T12:00:00Z</responseDate><request verb="ListRecords">{escape(request)}</request>'
        f"<ListRecords>{''.join(records)}{resumption}</ListRecords></OAI-PMH>"
    ).encode()


def oai_error(code: str, message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f'<responseDate>2026-11-26T12:00:00Z</responseDate><request verb="ListRecords"/>'
        f'<error code="{code}">{escape(message)}</error></OAI-PMH>'
    ).encode()


class _StampingServer(ThreadingHTTPServer):
    """Notes when each connection was accepted, before a handler thread is started for it, so that the
    request log's times do not depend on how soon a busy machine schedules that thread."""

    def get_request(self):
        conn, addr = self.socket.accept()
        return conn, (*addr, time.time())


class LocalServer:
    """A threaded HTTP server on loopback; `answer(path, query)` -> (status, body, headers)."""

    def __init__(self):
        self.log: list[tuple[float, str, dict, dict]] = []  # (arrival, path, query, headers)
        self.served = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                server.log.append((self.client_address[2], url.path, query, dict(self.headers)))
                status, body, headers = server.answer(url.path, query)
                if status is None:  # reset the connection without answering
                    self.connection.close()
                    return
                try:
                    self.send_response(status)
                    for k, v in {"Content-Type": "text/xml; charset=utf-8", **headers}.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                server.after(url.path, query)

            def log_message(self, *args):
                pass

        self.httpd = _StampingServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def answer(self, path, query):
        return 404, b"not here", {}

    def after(self, path, query):
        pass

    def starts(self, path: str | None = None) -> list[float]:
        return [t for t, p, _, _ in self.log if path is None or p == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class OaiServer(LocalServer):
    """arXiv's OAI-PMH ListRecords over `pages` (lists of record XML), tokens tok-1, tok-2, ...

    `faults` maps a page number to a list of answers to give (in order) before the real page:
    "503", "503-no-retry-after", "empty", "truncated", "reset", "no-records".
    """

    def __init__(self, pages: list[list[str]]):
        self.pages = pages
        self.faults: dict[int, list[str]] = {}
        self.repeat_token_on: int | None = None
        self.on_served = None  # called with the page number after a page was sent
        super().__init__()

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.pages)

    def page_number(self, query) -> int | None:
        if query.get("verb") != "ListRecords":
            return None
        if "resumptionToken" in query:
            token = query["resumptionToken"]
            return int(token.split("-")[1]) if token.startswith("tok-") else -1
        return 0

    def answer(self, path, query):
        n = self.page_number(query)
        if n is None:
            return 400, oai_error("badVerb", "Illegal verb"), {}
        if n < 0 or n >= len(self.pages):
            return (
                200,
                oai_error("badResumptionToken", "The value of the resumptionToken argument is invalid or expired."),
                {},
            )
        faults = self.faults.get(n)
        if faults:
            fault = faults.pop(0)
            if fault == "503":
                return 503, b"<html>Retry later</html>", {"Retry-After": "1", "Content-Type": "text/html"}
            if fault == "503-no-retry-after":
                return 503, b"<html>Retry later</html>", {"Content-Type": "text/html"}
            if fault == "empty":
                return 200, b"", {}
            if fault == "reset":
                return None, b"", {}
            if fault == "no-records":
                return 200, oai_page([], token=f"tok-{n + 1}", cursor=0, size=self.size), {}
            if fault == "truncated":
                return 200, self.body(n)[: len(self.body(n)) // 2], {}
        return 200, self.body(n), {}

    def body(self, n: int) -> bytes:
        last = n == len(self.pages) - 1
        if self.repeat_token_on == n:
            token = f"tok-{n}"
        else:
            token = "" if last else f"tok-{n + 1}"
        cursor = sum(len(p) for p in self.pages[:n])
        return oai_page(self.pages[n], token=token, cursor=cursor, size=self.size)

    def after(self, path, query):
        n = self.page_number(query)
        if self.on_served and n is not None:
            self.on_served(n)


def hf_item(row: dict) -> dict:
    """A row of the HF archive in the shape of Hugging Face's /api/daily_papers items."""
    return {
        "paper": {
            "id": row["paper_id"],
            "authors": [{"_id": f"a{i}", "name": name, "hidden": False} for i, name in enumerate(row["authors"])],
            "publishedAt": f"{row['date']}T00:00:00.000Z",
            "title": row["title"],
            "summary": row["abstract"],
            "upvotes": row["upvotes"],
            "discussionId": "d" + row["paper_id"].replace(".", ""),
            "githubRepo": row.get("github_url") or None,
        },
        "publishedAt": f"{row['date']}T00:00:00.000Z",
        "title": row["title"],
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{row['paper_id']}.png",
        "numComments": 2,
        "submittedBy": {"_id": "u1", "avatarUrl": "", "fullname": "AK", "name": "akhaliq", "type": "user"},
        "isAuthorParticipating": False,
    }


class HfServer(LocalServer):
    """/api/daily_papers?date=YYYY-MM-DD&limit=&p= answering from `days` {date: [items]}."""

    def __init__(self, days: dict[str, list[dict]]):
        self.days = days
        super().__init__()

    def answer(self, path, query):
        if path != "/api/daily_papers":
            return 404, b'{"error":"not found"}', {"Content-Type": "application/json"}
        items = self.days.get(query.get("date"), [])
        limit, page = int(query.get("limit", 50)), int(query.get("p", 0))
        body = json.dumps(items[page * limit : (page + 1) * limit]).encode()
        return 200, body, {"Content-Type": "application/json; charset=utf-8"}
