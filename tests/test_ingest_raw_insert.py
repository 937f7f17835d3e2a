"""The store's raw insert of new papers knows every Paper field and encodes each as Django would."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from paperfeed.ingest import store
from paperfeed.ingest.normalize import normalize
from paperfeed.papers.models import Paper
from tests.conftest import paper_record

pytestmark = pytest.mark.django_db

# What the raw insert skips comparing: the row's identity and when it was written.
UNCOMPARED = {"id", "change_seq", "created_at", "modified_at"}


def columns(paper: Paper) -> dict:
    return {f.attname: getattr(paper, f.attname) for f in Paper._meta.concrete_fields if f.attname not in UNCOMPARED}


def test_a_paper_inserted_raw_reads_back_as_the_orm_would_store_it():
    record = paper_record(
        "2601.00042v3",
        title="Ünïcode and $\\alpha$ in a title",
        categories=["cs.LG", "stat.ML"],
        comment="12 pages; code at https://github.com/example/repo",
        doi="10.1000/xyz",
    )
    assert store.ingest_records([record], source="test").new == 1
    raw = Paper.objects.get(arxiv_id="2601.00042")
    rec = normalize(record)
    fields = {**store._paper_fields(rec), "versions": store._versions([], rec), "imported_upvotes": 0}
    Paper.objects.bulk_create([Paper(**{**fields, "arxiv_id": "2601.99999"})])  # Django's own insert
    orm = Paper.objects.get(arxiv_id="2601.99999")
    assert columns(raw) == {**columns(orm), "arxiv_id": "2601.00042"}
    assert raw.authors == ["Ada Lovelace", "Alan Turing"] and raw.version == 3 and raw.versions
    assert raw.created_at is not None and raw.created_at == raw.modified_at and raw.change_seq > 0


def test_every_paper_field_is_given_by_the_store_or_left_to_its_default():
    # A field added to Paper fails here (and in every ingest) until store.py says where its value comes from.
    assert store.ingest_records([paper_record("2601.00043")], source="test").new == 1


def test_a_field_the_store_does_not_know_stops_the_insert_naming_it():
    new_field = models.IntegerField(default=0)
    new_field.set_attributes_from_name("reading_time")
    fields = [f for f in Paper._meta.concrete_fields if not f.primary_key] + [new_field]
    given = {f.attname for f in fields} - {"reading_time", *store.DEFAULTED}
    with pytest.raises(ImproperlyConfigured, match="reading_time"):
        store._insert_plan(fields, given)
