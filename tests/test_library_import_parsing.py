"""A library file (BibTeX, RIS, Zotero CSV, a list of ids) yields its arXiv ids, in file order and each once,
the entries without one by title, and a clear 400 for a file that is empty, too big, unreadable or has no id;
the files are written from real arXiv papers in ../shared."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
import rispy

from paperfeed.errors import BadRequest
from paperfeed.library.importing import MAX_BYTES, find_papers, parse_library
from tests.shared_data import shared_path


@pytest.fixture(scope="module")
def real_papers() -> list[dict]:
    papers = []
    with gzip.open(shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz"), "rt") as lines:
        for line in lines:
            papers.append(json.loads(line))
            if len(papers) == 5000:
                break
    return papers


def bib_escape(text: str) -> str:
    return text.replace("{", "").replace("}", "").replace("\\", "")


def bibtex_styles(paper: dict, n: int) -> str:
    """The ways reference managers write an arXiv paper: arXiv's own export, DBLP, Google Scholar, a DOI, a URL."""
    title, ident = bib_escape(paper["title"]), paper["id"]
    authors = " and ".join(bib_escape(a) for a in paper["authors"])
    style = n % 5
    if style == 0:
        extra = f"eprint = {{{ident}}},\n  archivePrefix = {{arXiv}},\n  primaryClass = {{{paper['categories'][0]}}}"
    elif style == 1:
        extra = f"journal = {{CoRR}},\n  volume = {{abs/{ident}}},\n  eprinttype = {{arXiv}}"
    elif style == 2:
        extra = f"journal = {{arXiv preprint arXiv:{ident}}}"
    elif style == 3:
        extra = f"doi = {{10.48550/arXiv.{ident}}}"
    else:
        extra = f"url = {{https://arxiv.org/abs/{ident}v1}}"
    return f"@article{{key{n},\n  title = {{{title}}},\n  author = {{{authors}}},\n  year = {{2025}},\n  {extra}\n}}\n"


def test_a_bibtex_file_of_real_papers_yields_every_id_in_file_order(real_papers):
    chosen = real_papers[:40]
    text = "".join(bibtex_styles(p, n) for n, p in enumerate(chosen))
    text += "@book{knuth,\n  title = {The Art of Computer Programming},\n  author = {Donald Knuth}\n}\n"
    text += bibtex_styles(chosen[0], 0)  # the same paper twice is imported once
    parsed = parse_library(text.encode(), "refs.bib")
    assert parsed.arxiv_ids == [p["id"] for p in chosen]
    assert parsed.entries == 42
    assert parsed.not_found == ["The Art of Computer Programming"]


def test_a_ris_file_of_real_papers_yields_every_id(real_papers):
    chosen = real_papers[100:130]
    records = []
    for n, paper in enumerate(chosen):
        record = {"type_of_reference": "JOUR", "title": paper["title"], "authors": paper["authors"]}
        if n % 3 == 0:
            record["urls"] = [f"https://arxiv.org/abs/{paper['id']}"]
        elif n % 3 == 1:
            record["doi"] = f"10.48550/arXiv.{paper['id']}"
        else:
            record["journal_name"] = f"arXiv:{paper['id']}"
        records.append(record)
    records.append({"type_of_reference": "BOOK", "title": "A book without arXiv"})
    parsed = parse_library(rispy.dumps(records).encode(), "export.ris")
    assert parsed.arxiv_ids == [p["id"] for p in chosen]
    assert (parsed.entries, parsed.not_found) == (31, ["A book without arXiv"])


def test_a_zotero_csv_export_yields_ids_from_url_extra_and_doi(real_papers):
    chosen = real_papers[200:210]
    out = io.StringIO()
    columns = ["Key", "Item Type", "Publication Year", "Author", "Title", "Publication Title", "DOI", "Url", "Extra"]
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    for n, paper in enumerate(chosen):
        row = {"Key": f"K{n}", "Item Type": "preprint", "Title": paper["title"], "Author": "; ".join(paper["authors"])}
        row[("Url", "Extra", "DOI")[n % 3]] = (
            f"http://arxiv.org/abs/{paper['id']}",
            f"arXiv: {paper['id']}",
            f"10.48550/arXiv.{paper['id']}",
        )[n % 3]
        writer.writerow(row)
    writer.writerow({"Key": "Z", "Item Type": "book", "Title": "Offline book"})
    parsed = parse_library(("\ufeff" + out.getvalue()).encode(), "My Library.csv")
    assert parsed.arxiv_ids == [p["id"] for p in chosen]
    assert parsed.not_found == ["Offline book"]


def test_a_list_of_ids_and_urls_is_read_without_a_file_name():
    text = "# my list\n2401.12345\nhttps://arxiv.org/pdf/2310.01234v2.pdf\narXiv:hep-th/9901001\nnot an id\n"
    parsed = parse_library(text.encode())
    assert parsed.arxiv_ids == ["2401.12345", "2310.01234", "hep-th/9901001"]
    assert parsed.not_found == ["not an id"]
    assert parsed.entries == 4


def test_a_bibtex_file_is_recognised_by_its_content_whatever_its_name(real_papers):
    parsed = parse_library(bibtex_styles(real_papers[0], 0).encode(), "download.txt")
    assert parsed.arxiv_ids == [real_papers[0]["id"]]


def test_a_file_of_five_thousand_entries_is_parsed_whole(real_papers):
    text = "".join(bibtex_styles(p, n) for n, p in enumerate(real_papers))
    parsed = parse_library(text.encode(), "big.bib")
    assert parsed.entries == 5000
    assert parsed.arxiv_ids == list(dict.fromkeys(p["id"] for p in real_papers))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.bib", "empty"),
        (b"  \n\n", "blank.txt", "empty"),
        (b"Dear reviewer, thank you.\n", "letter.txt", "not a reference library"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "picture.png", "binary"),
        (b"@book{k, title={Only books}}\n", "books.bib", "has an arXiv id"),
        (b"TY  - BOOK\nTI  - A book\nER  - \n", "books.ris", "has an arXiv id"),
    ],
)
def test_a_file_that_yields_nothing_is_refused_with_a_clear_message(data, name, message):
    with pytest.raises(BadRequest, match=message):
        parse_library(data, name)


def test_a_file_over_ten_megabytes_is_refused():
    with pytest.raises(BadRequest, match="up to 10 MB"):
        parse_library(b"2401.12345\n" * (MAX_BYTES // 11 + 1), "ids.txt")


@pytest.mark.django_db
def test_find_papers_returns_visible_papers_in_order_and_the_missing_ids(make_paper):
    make_paper("2401.00002")
    make_paper("2401.00001")
    hidden = make_paper("2401.00003")
    hidden.hidden = True
    hidden.save()
    papers, missing = find_papers(["2401.00001", "2401.00003", "2401.00002", "2401.09999"])
    assert [p.arxiv_id for p in papers] == ["2401.00001", "2401.00002"]
    assert missing == ["2401.00003", "2401.09999"]
