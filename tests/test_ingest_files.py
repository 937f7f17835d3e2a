"""`paperfeed ingest file`: JSONL (the arxiv-daily-cs shape), JSON, CSV and BibTeX, gzip or not."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command

from paperfeed.ingest.models import Reject
from paperfeed.ingest.normalize import is_arxiv_category
from paperfeed.papers.models import Listing, Paper
from tests.ingest_servers import real_records

pytestmark = pytest.mark.django_db

RECORDS = real_records(200, skip=3000)


def ingest(*args) -> str:
    out = io.StringIO()
    call_command("ingest", "file", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write_jsonl(path, records, *, gz: bool):
    lines = "".join(json.dumps(r) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, gz", [("papers.jsonl.gz", True), ("papers.jsonl", False)])
def test_a_jsonl_file_of_real_records_is_imported_gzip_or_not(tmp_path, name, gz):
    path = write_jsonl(tmp_path / name, RECORDS, gz=gz)
    assert "fetched 200, new 200, updated 0, unchanged 0, rejected 0" in ingest(path)
    r = RECORDS[0]
    paper = Paper.objects.get(arxiv_id=r["id"])
    assert paper.listing.day.isoformat() == r["first_listing_date"] and paper.listing.source == "file"
    assert paper.categories == [c for c in r["categories"] if is_arxiv_category(c)]


def test_reimporting_a_file_is_a_no_op(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl.gz", RECORDS, gz=True)
    ingest(path)
    seqs = list(Paper.objects.order_by("pk").values_list("change_seq", flat=True))
    assert "new 0, updated 0, unchanged 200, rejected 0" in ingest(path)
    assert list(Paper.objects.order_by("pk").values_list("change_seq", flat=True)) == seqs
    assert Listing.objects.count() == 200


def test_a_broken_line_is_rejected_with_its_reason_and_the_rest_stored(tmp_path):
    path = tmp_path / "p.jsonl"
    lines = [json.dumps(r) for r in RECORDS[:99]]
    lines.insert(50, '{"id": "2503.00001", "title": "cut her')
    path.write_text("\n".join(lines) + "\n")
    assert "new 99" in ingest(path) and Paper.objects.count() == 99
    [reject] = Reject.objects.all()
    assert reject.source == "file" and "line 51 is not JSON" in reject.reason and "cut her" in reject.raw


def test_a_json_array_and_a_saved_hugging_face_answer_are_imported(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(RECORDS[:10]))
    assert "new 10" in ingest(tmp_path / "a.json")
    hf = [
        {
            "paper": {
                "id": "2612.90001",
                "title": "HF paper",
                "summary": "s",
                "authors": [{"name": "A B"}],
                "upvotes": 7,
            },
            "submittedBy": {"name": "someone"},
        }
    ]
    (tmp_path / "hf.json").write_text(json.dumps(hf))
    assert "new 1" in ingest(tmp_path / "hf.json")
    paper = Paper.objects.get(arxiv_id="2612.90001")
    assert paper.imported_upvotes == 7 and paper.listing.submitter_name == "someone"


def test_a_csv_file_is_imported(tmp_path):
    path = tmp_path / "p.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "authors", "categories", "abstract", "date"])
        for r in RECORDS[:20]:
            w.writerow(
                [
                    r["id"],
                    r["title"],
                    "; ".join(r["authors"]),
                    " ".join(r["categories"]),
                    r["abstract"],
                    r["first_listing_date"],
                ]
            )
        w.writerow(["nonsense", "T", "A", "cs.LG", "x", "2026-01-01"])
    out = ingest(path)
    assert "new 20" in out and "rejected 1" in out
    assert Paper.objects.get(arxiv_id=RECORDS[3]["id"]).authors == RECORDS[3]["authors"]


BIB = r"""
@article{vaswani2017attention,
  title = {Attention Is All You {Need}},
  author = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki},
  journal = {arXiv preprint},
  eprint = {1706.03762},
  archivePrefix = {arXiv},
  primaryClass = {cs.CL},
  year = {2017},
  month = {6},
  abstract = {The dominant sequence transduction models are based on complex $O(n^2)$ networks.}
}
@misc{he2015,
  title = {Deep Residual Learning for Image Recognition},
  author = {Kaiming He and Xiangyu Zhang},
  url = {https://arxiv.org/abs/1512.03385v1},
  year = {2015}
}
@misc{nope, title = {No arXiv id here}, author = {Some One}}
"""


def test_a_bibtex_file_is_imported_gzip_or_not(tmp_path):
    path = tmp_path / "refs.bib.gz"
    with gzip.open(path, "wt") as f:
        f.write(BIB)
    out = ingest(path)
    assert "new 2" in out and "rejected 1" in out
    paper = Paper.objects.get(arxiv_id="1706.03762")
    assert paper.title == "Attention Is All You Need"
    assert paper.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert paper.primary_category == "cs.CL" and "$O(n^2)$" in paper.abstract
    assert Paper.objects.get(arxiv_id="1512.03385").authors == ["Kaiming He", "Xiangyu Zhang"]
    assert "missing arXiv id" in Reject.objects.get().reason


def test_a_missing_file_or_unknown_kind_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        ingest(tmp_path / "nope.jsonl")
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(CommandError, match="--format"):
        ingest(tmp_path / "x.txt")
