"""Fuzzed parsers: whatever the bytes, a parser either yields records or its one 'unreadable' error, and a
record either normalizes or is rejected with a reason. Nothing else escapes to stop an import."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from paperfeed.ingest import files
from paperfeed.ingest.hf_daily import parse_items
from paperfeed.ingest.normalize import PaperRecord, RecordError, Unreadable, normalize
from paperfeed.ingest.oai_parse import MalformedPage, parse_page
from tests.ingest_servers import (
    arxiv_raw_record,
    arxiv_record,
    deleted_record,
    hf_item,
    hf_rows,
    oai_page,
    real_records,
)

RECORDS = real_records(5, skip=2360)
PAGE = oai_page(
    [arxiv_raw_record(r) for r in RECORDS[:3]] + [arxiv_record(RECORDS[3]), deleted_record("2501.00001", "2026-01-01")],
    token="tok-1",
    cursor=0,
    size=10,
)
HF = json.dumps([hf_item(r) for r in hf_rows()[:3]]).encode()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**31, 2**63, -1, 0, 10**30])
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
record_keys = st.sampled_from(
    [
        "id",
        "title",
        "abstract",
        "authors",
        "categories",
        "comment",
        "version",
        "versions",
        "published",
        "updated",
        "first_listing_date",
        "listing_dates",
        "imported_upvotes",
        "submitter_name",
        "code_url",
        "primary_category",
        "doi",
        "journal_ref",
        "classes",
        "listing_day",
        "withdrawn",
    ]
)
records = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["2401.12345", "hep-th/9901001v2", "x", ""]) | st.text(max_size=20),
        "title": st.text(max_size=20) | json_values,
    }
) | st.dictionaries(record_keys, json_values)


def mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    for start, length, insert in cuts:
        start %= max(1, len(data))
        data = data[:start] + insert + data[start + length :]
    return data


cuts = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 50), st.binary(max_size=8)), max_size=4)


def only_records_or_rejects(raw) -> None:
    try:
        assert isinstance(normalize(raw), PaperRecord)
    except RecordError:
        pass


@hsettings(max_examples=150, deadline=None)
@given(cuts)
def test_a_mangled_oai_page_is_malformed_or_yields_records_that_normalize_or_are_rejected(c):
    try:
        page = parse_page(mutate(PAGE, c))
    except MalformedPage:
        return
    for raw in page.records:
        only_records_or_rejects(raw)
    assert all(isinstance(reason, str) for _, reason in page.errors)


@hsettings(max_examples=100, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_as_an_oai_page_are_malformed_or_a_page(body):
    try:
        parse_page(body)
    except MalformedPage:
        pass


@hsettings(max_examples=200, deadline=None)
@given(cuts)
def test_a_mangled_hugging_face_answer_is_refused_or_yields_records_that_normalize_or_are_rejected(c):
    try:
        items = parse_items(mutate(HF, c))
    except ValueError:
        return
    for raw in items:
        only_records_or_rejects(raw)


@hsettings(max_examples=80, deadline=None)
@given(st.lists(json_values, max_size=5))
def test_arbitrary_json_items_from_hugging_face_normalize_or_are_rejected(items):
    for raw in parse_items(json.dumps(items)):
        only_records_or_rejects(raw)


@hsettings(max_examples=100, deadline=None)
@given(records)
def test_any_record_normalizes_or_is_rejected_with_a_reason(raw):
    only_records_or_rejects(raw)


@pytest.mark.parametrize("reader", [files._jsonl, files._csv, files._bibtex, files._json])
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_file_readers_turn_any_text_into_records_or_unreadables(reader, text):
    for raw in reader(io.StringIO(text)):
        if not isinstance(raw, Unreadable):
            only_records_or_rejects(raw)


@pytest.mark.django_db
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records, max_size=5))
def test_storing_fuzzed_records_counts_each_as_stored_or_rejected(batch):
    from paperfeed.ingest.store import ingest_records

    summary = ingest_records(batch, source="fuzz")
    assert summary.fetched == len(batch)
    assert summary.new + summary.updated + summary.unchanged + summary.rejected == len(batch)
