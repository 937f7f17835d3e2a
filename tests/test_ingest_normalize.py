"""Normalization of real records: whitespace, LaTeX kept, ordered authors, categories vs ACM/MSC classes,
dates and code links."""

from __future__ import annotations

import pytest

from paperfeed.ingest.normalize import RecordError, normalize
from tests.ingest_servers import real_records

REAL = real_records(1, skip=2366)[0]  # 2503.22932: MSC class 62H30, LaTeX, a github link in the abstract


def test_abstract_line_breaks_are_collapsed_and_latex_is_left_for_the_renderer():
    rec = normalize(REAL)
    assert "\n" not in rec.abstract and "  " not in rec.abstract
    assert r"$\mathcal{K}(t)$" in rec.abstract


def test_categories_keep_only_arxiv_ones_and_the_msc_class_is_kept_apart():
    rec = normalize(REAL)
    assert rec.categories == ["cs.CV", "cs.LG", "math.PR"] and rec.primary_category == "cs.CV"
    assert rec.classes == "62H30"


def test_code_links_are_found_in_abstract_and_comment():
    assert normalize(REAL).code_links == ["https://github.com/KristinaP09/EB-MVFCM"]
    rec = normalize({**REAL, "abstract": "No code.", "comment": "Code: https://gitlab.com/a/b.git, 9 pages"})
    assert rec.code_links == ["https://gitlab.com/a/b"]


def test_authors_stay_an_ordered_list_and_dates_are_read():
    rec = normalize({**REAL, "published": "2025-03-20T10:00:00Z", "updated": "2025-04-01T00:00:00Z"})
    assert rec.authors == REAL["authors"]
    assert (str(rec.submitted_on), str(rec.updated_on), str(rec.announced_on)) == (
        "2025-03-20",
        "2025-04-01",
        REAL["first_listing_date"],
    )


def test_without_a_submission_date_the_ids_month_is_used():
    assert str(normalize(REAL).submitted_on) == "2025-03-01"


def test_a_withdrawal_comment_marks_the_paper_withdrawn():
    assert normalize({**REAL, "comment": "This paper has been withdrawn by the author due to an error"}).withdrawn


@pytest.mark.parametrize(
    "bad, reason",
    [
        ({"title": "x"}, "missing arXiv id"),
        ({"id": "2401.12345"}, "missing title"),
        ({"id": "https://evil.example.org/abs/2401.12345", "title": "x"}, "Not an arXiv id"),
        ({"id": "2401.12345", "title": "x", "authors": 5}, "authors"),
        ({"id": "2401.12345", "title": "x", "version": -1}, "version"),
    ],
)
def test_bad_records_are_refused_with_a_reason(bad, reason):
    with pytest.raises(RecordError, match=reason):
        normalize(bad)
