"""BibTeX entries give the month as BibTeX's standard macro (month = jun), which styles print in their own
language, not as a braced number."""

import bibtexparser
import pytest
from bibtexparser.middlewares import MonthIntMiddleware

pytestmark = pytest.mark.django_db


def test_every_month_is_written_as_its_macro(client, make_paper):
    for month in range(1, 13):
        make_paper(f"2602.{month:05d}", published=f"2025-{month:02d}-15", first_listing_date="2026-02-10")
    text = client.get("/papers/date/2026-02-10?format=bibtex").content.decode()
    assert "month = {" not in text
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    months = {e["eprint"]: e.fields_dict["month"].value for e in library.entries}
    assert months["2602.00006"] == "jun" and months["2602.00012"] == "dec"
    as_numbers = bibtexparser.parse_string(text, append_middleware=[MonthIntMiddleware(True)])
    assert sorted(e["month"] for e in as_numbers.entries) == list(range(1, 13))
