"""Every change to a paper's searchable text or visibility advances the change sequence that indexers follow."""

import pytest

from paperfeed.ingest.store import ingest_records
from paperfeed.papers import changes
from paperfeed.papers.models import Paper, Tombstone
from tests.conftest import paper_record

pytestmark = pytest.mark.django_db


def test_new_updated_hidden_and_deleted_papers_each_take_a_higher_place(make_paper):
    a = make_paper("2601.00001")
    b = make_paper("2601.00002")
    assert 0 < a.change_seq < b.change_seq
    ingest_records([paper_record("2601.00001", title="New title", version=2)], source="test")
    a.refresh_from_db()
    assert a.change_seq > b.change_seq
    changes.mark_changed(Paper.objects.filter(pk=b.pk), hidden=True)
    b.refresh_from_db()
    assert b.hidden and b.change_seq > a.change_seq
    seq_before_delete = b.change_seq
    b.delete()
    tomb = Tombstone.objects.get(arxiv_id="2601.00002")
    assert tomb.change_seq > seq_before_delete


def test_an_unchanged_reimport_does_not_advance_the_sequence(make_paper):
    a = make_paper("2601.00001")
    summary = ingest_records([paper_record("2601.00001")], source="test")
    assert summary.unchanged == 1
    a2 = Paper.objects.get(pk=a.pk)
    assert a2.change_seq == a.change_seq


@pytest.mark.django_db(transaction=True)
def test_allocate_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        changes.allocate()
