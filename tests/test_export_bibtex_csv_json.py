"""BibTeX for a paper, a collection, a listing and a search (by ?format= or Accept), CSV and JSON for lists;
the BibTeX parses in bibtexparser with the paper's fields."""

import csv
import io

import bibtexparser
import pytest

from paperfeed.papers import export
from paperfeed.papers.models import Collection, CollectionItem, Paper
from paperfeed.search import indexer, replica

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(make_paper, index_dir):
    make_paper(
        "2602.00001",
        title="Attention {is} all: 100% of $O(n^2)$ & more",
        authors=["Ada Lovelace", "Alan Turing"],
        categories=["cs.LG", "cs.CL"],
        published="2026-02-09",
        first_listing_date="2026-02-10",
    )
    make_paper(
        "2602.00002",
        title='=HYPERLINK("http://evil") Unbalanced } brace',
        authors=["Grace Hopper"],
        categories=["cs.CV"],
        published="2026-02-09",
        first_listing_date="2026-02-10",
    )
    make_paper(
        "hep-th/9901001",
        title="Old-style strings",
        authors=["Edward Witten"],
        categories=["hep-th"],
        published="1999-01-04",
        first_listing_date="2026-02-10",
    )
    yield
    replica.forget()


def entries(text):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return {e["eprint"]: e for e in library.entries}


def test_a_papers_bibtex_has_its_fields(client, papers):
    response = client.get("/papers/2602.00001?format=bibtex")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/x-bibtex")
    e = entries(response.content.decode())["2602.00001"]
    assert e.entry_type == "misc" and e.key == "arxiv_2602.00001"
    assert e["title"] == r"Attention {is} all: 100\% of $O(n^2)$ \& more"
    assert e["author"] == "Ada Lovelace and Alan Turing"
    assert (e["year"], e["archivePrefix"], e["primaryClass"]) == ("2026", "arXiv", "cs.LG")
    assert e["url"] == "https://arxiv.org/abs/2602.00001"


def test_a_listing_exports_by_accept_header_and_unbalanced_braces_cannot_break_the_file(client, papers):
    response = client.get("/papers/date/2026-02-10", headers={"Accept": "application/x-bibtex"})
    found = entries(response.content.decode())
    assert set(found) == {"2602.00001", "2602.00002", "hep-th/9901001"}
    assert found["2602.00002"]["title"] == '=HYPERLINK("http://evil") Unbalanced brace'
    assert found["hep-th/9901001"].key == "arxiv_hep_th_9901001" and found["hep-th/9901001"]["year"] == "1999"


def test_a_collection_and_a_search_export_as_bibtex(client, papers, alice):
    c = Collection.objects.create(owner=alice, name="Reading", slug="reading")
    CollectionItem.objects.create(collection=c, paper=Paper.objects.get(arxiv_id="2602.00002"))
    assert set(entries(client.get("/feeds/collection/alice/reading.bib").content.decode())) == {"2602.00002"}
    indexer.catch_up()
    assert set(entries(client.get("/feeds/search.bib?q=old-style+strings").content.decode())) == {"hep-th/9901001"}


def test_csv_has_a_row_per_paper_and_defuses_spreadsheet_formulas(client, papers):
    response = client.get("/papers/date/2026-02-10?format=csv&sort=new")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["id"] for r in rows] == [
        item.paper.arxiv_id for item in client.get("/papers/date/2026-02-10?sort=new").context["page"].items
    ]
    evil = next(r for r in rows if r["id"] == "2602.00002")
    assert evil["title"].startswith("'=HYPERLINK") and evil["authors"] == "Grace Hopper"


def test_json_export_lists_the_pages_papers(client, papers):
    body = client.get("/papers/week/2026-W07?format=json").json()
    assert {p["id"] for p in body["papers"]} == {"2602.00001", "2602.00002", "hep-th/9901001"}
    first = next(p for p in body["papers"] if p["id"] == "2602.00001")
    assert first["authors"] == ["Ada Lovelace", "Alan Turing"] and first["listed_on"] == "2026-02-10"


def test_bibtex_value_balances_and_escapes():
    assert export.bibtex_value("a {b} c") == "a {b} c"
    assert export.bibtex_value("a } b {") == "a b"
    assert export.bibtex_value(r"50% \& 50%") == r"50\% \& 50\%"
