"""A private collection is a 404 for everyone but its owner, in its page, its exports, its feed and the API;
a collection exports as BibTeX (parsed back by bibtexparser), RIS, CSV and JSON; a file imports into it."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import pytest
import rispy

from paperfeed.library import collections

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(alice, make_paper):
    c = collections.create(alice, "Secret plans", public=False)
    collections.add_paper(c, make_paper("2602.00011", title="Quiet paper"))
    return c


URLS = [
    "/u/alice/c/secret-plans",
    "/u/alice/c/secret-plans.bib",
    "/u/alice/c/secret-plans.ris",
    "/u/alice/c/secret-plans.csv",
    "/u/alice/c/secret-plans.json",
    "/feeds/collection/alice/secret-plans.atom",
    "/feeds/collection/alice/secret-plans.rss",
    "/api/v1/collections/alice/secret-plans/papers",
]


@pytest.mark.parametrize("url", URLS)
def test_a_private_collection_is_not_found_for_others(client, bob, private, url):
    assert client.get(url).status_code == 404
    client.force_login(bob)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_a_private_collection_is_there_for_its_owner(alice_client, private, url):
    assert alice_client.get(url).status_code == 200


def test_others_see_only_public_collections_in_the_list(client, alice, private):
    collections.create(alice, "Open notes", public=True)
    html = client.get("/u/alice/collections").content.decode()
    assert "Open notes" in html and "Secret plans" not in html


def test_exports_parse_back_with_the_papers(alice_client, alice, private, make_paper):
    collections.add_paper(private, make_paper("2602.00012", title="Loud paper", authors=["Ada Lovelace"]))
    bib = bibtexparser.parse_string(alice_client.get("/u/alice/c/secret-plans.bib").content.decode())
    assert sorted(e.fields_dict["eprint"].value for e in bib.entries) == ["2602.00011", "2602.00012"]
    ris = rispy.loads(alice_client.get("/u/alice/c/secret-plans.ris").content.decode())
    assert sorted(r["title"] for r in ris) == ["Loud paper", "Quiet paper"]
    rows = list(csv.DictReader(io.StringIO(alice_client.get("/u/alice/c/secret-plans.csv").content.decode())))
    assert len(rows) == 2
    collections.set_note(collections.get_item(private, "2602.00012"), "my note")
    body = json.loads(alice_client.get("/u/alice/c/secret-plans.json").content)
    assert {p["id"]: p["note"] for p in body["papers"]}["2602.00012"] == "my note"


def test_notes_are_left_out_of_a_public_collections_export_for_others(client, alice, make_paper):
    c = collections.create(alice, "Shared", public=True)
    item, _ = collections.add_paper(c, make_paper("2602.00013"))
    collections.set_note(item, "private thought")
    body = json.loads(client.get("/u/alice/c/shared.json").content)
    assert "note" not in body["papers"][0]
    assert "private thought" not in client.get("/u/alice/c/shared").content.decode()


def test_a_bibtex_upload_imports_the_papers_here_and_lists_the_rest(alice_client, alice, private, make_paper):
    make_paper("2602.00021", title="Here one")
    make_paper("2602.00022", title="Here two")
    text = (
        "@misc{a, title={Here one}, eprint={2602.00021}}\n"
        "@misc{b, title={Here two}, url={https://arxiv.org/abs/2602.00022v3}}\n"
        "@misc{c, title={Quiet again}, doi={10.48550/arXiv.2602.00011}}\n"
        "@misc{d, title={Not on the hub}, eprint={2602.09999}}\n"
        "@book{e, title={A book}}\n"
    )
    upload = io.BytesIO(text.encode())
    upload.name = "mine.bib"
    response = alice_client.post("/u/alice/c/secret-plans/import", {"file": upload}, follow=True)
    assert response.redirect_chain == [("/u/alice/c/secret-plans", 302)]  # a reload does not post the file again
    html = response.content.decode()
    assert "Imported 2 papers from 5 BibTeX entries into Secret plans; 1 were there already; 2 not found here." in html
    assert "A book" in html and "arXiv:2602.09999" in html
    assert sorted(private.papers.values_list("arxiv_id", flat=True)) == ["2602.00011", "2602.00021", "2602.00022"]
    assert "A book" not in alice_client.get("/u/alice/c/secret-plans").content.decode()  # shown once


def test_an_upload_without_arxiv_ids_imports_nothing_and_says_why(alice_client, private):
    upload = io.BytesIO(b"@book{e, title={A book}}\n")
    upload.name = "books.bib"
    response = alice_client.post("/u/alice/c/secret-plans/import", {"file": upload}, follow=True)
    assert "has an arXiv id" in response.content.decode()
    assert private.papers.count() == 1
