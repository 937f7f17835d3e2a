"""No paper text runs as script in a feed reader that does not sanitize: papers whose titles, abstracts, authors
and comments carry each payload of tests/fixtures/xss_payloads.txt are fetched through every kind of feed, each
text field is put into a page the way a naive reader does (Atom fields by their declared type, RSS fields as
HTML, which is how readers take them), and that page is loaded in real Chromium, where no payload may run."""

import html
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.utils import timezone

from paperfeed.ingest.store import ingest_records
from paperfeed.papers.models import Collection, CollectionItem, Paper
from paperfeed.papers.periods import day, week_of
from paperfeed.search import indexer, replica
from tests.conftest import FIXTURES, paper_record

pytestmark = pytest.mark.django_db(transaction=True)

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
MARKER = "zebrafish"  # a word every abstract has, for the search feed


def payloads() -> list[str]:
    lines = (FIXTURES / "xss_payloads.txt").read_text().splitlines()
    return [line.replace("\\n", "\n").replace("\\t", "\t") for line in lines if line and not line.startswith("#")]


@pytest.fixture
def hostile(index_dir, alice, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "FEED_SIZE": 200, "PAGE_SIZE": 200, "SEARCH_PAGE_SIZE": 100}
    today = timezone.localdate().isoformat()
    records = [
        paper_record(
            f"2611.{i:05d}",
            title=payload,
            abstract=f"A {MARKER} abstract. {payload} And more prose.",
            authors=[payload, "Ada Lovelace"],
            comment=payload,
            first_listing_date=today,
        )
        for i, payload in enumerate(payloads(), start=1)
    ]
    summary = ingest_records(records, source="test")
    assert summary.rejected == 0
    collection = Collection.objects.create(
        owner=alice, name="<img src=x onerror=alert(1)>", slug="xss", description="<svg onload=alert(1)>", public=True
    )
    for paper in Paper.objects.all():
        CollectionItem.objects.create(collection=collection, paper=paper)
    indexer.catch_up()
    yield len(records)
    replica.forget()


def feed_urls(fmt: str) -> list[str]:
    today = timezone.localdate()
    ext = fmt
    return [
        f"/papers?format={fmt}",
        f"/papers/date/{day(today).slug}?format={fmt}",
        f"/papers/week/{week_of(today).slug}?format={fmt}",
        f"/papers/month/{today:%Y-%m}?format={fmt}",
        f"/papers/trending?format={fmt}",
        f"/feeds/new.{ext}",
        f"/feeds/trending.{ext}",
        f"/feeds/category/cs.LG.{ext}",
        f"/feeds/author/{quote('Ada Lovelace')}.{ext}",
        f"/feeds/author/{quote('<img src=x onerror=alert(1)>', safe='')}.{ext}",
        f"/feeds/collection/alice/xss.{ext}",
        f"/feeds/search.{ext}?q={MARKER}",
        f"/feeds/search.{ext}?q={quote('<img src=x onerror=alert(1)>')}",
    ]


def naive_reader_html(xml: bytes) -> tuple[str, int]:
    """The page a reader that trusts its feed would build, and how many entries it showed."""
    root = ET.fromstring(xml)
    parts, entries = [], 0

    def put(text, as_html):
        text = text or ""
        parts.append(f"<div>{text if as_html else html.escape(text)}</div>")

    if root.tag == f"{ATOM}feed":

        def atom(el):
            kind = el.get("type", "text")
            if kind == "xhtml":
                put("".join(ET.tostring(child, encoding="unicode") for child in el), True)
            else:
                put(el.text, kind == "html")

        for name in ("title", "subtitle"):
            for el in root.findall(ATOM + name):
                atom(el)
        for entry in root.findall(ATOM + "entry"):
            entries += 1
            for name in ("title", "summary", "content", "rights"):
                for el in entry.findall(ATOM + name):
                    atom(el)
            for el in entry.findall(f"{ATOM}author/{ATOM}name"):
                put(el.text, False)
    else:
        channel = root.find("channel")
        for name in ("title", "description"):
            for el in channel.findall(name):
                put(el.text, True)
        for item in channel.findall("item"):
            entries += 1
            for name in ("title", "description", "author", f"{DC}creator", "category"):
                for el in item.findall(name):
                    put(el.text, True)
    return "<!doctype html><html><head><title>reader</title></head><body>" + "".join(parts) + "</body></html>", entries


def executions(page, dialogs: list, document: str) -> int:
    before = len(dialogs)
    page.set_content(document, wait_until="load")
    page.wait_for_timeout(300)  # ontoggle, onfocus and onerror of failed loads fire just after load
    return len(dialogs) - before + bool(page.evaluate("window.__pwned"))


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_no_payload_runs_in_a_naive_reader_of_any_feed(client, page, hostile, fmt):
    page.route("**/*", lambda route: route.abort())
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    total, shown = 0, {}
    for url in feed_urls(fmt):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        document, entries = naive_reader_html(response.content)
        shown[url] = entries
        total += executions(page, dialogs, document)
    assert shown[f"/feeds/new.{fmt}"] == hostile, shown
    assert all(shown.values()), shown
    assert total == 0, f"{total} script executions in {fmt} feeds"


def test_feed_text_shows_math_as_readable_text_not_latex(client, make_paper):
    make_paper(
        "2611.99999",
        title=r"Bounds for $\alpha \leq 10^{3}$ in \emph{sparse} graphs",
        abstract=r"We show $\sum_i x_i \to \infty$ when $\beta \geq 2$.",
    )
    for fmt in ("rss", "atom"):
        xml = client.get(f"/feeds/new.{fmt}").content.decode()
        assert "α ≤ 10³" in xml and "β ≥ 2" in xml, fmt
        assert "\\alpha" not in xml and "$" not in xml and "\\emph" not in xml, fmt
