"""Index files remember the database they were built from; another database's indexes are rebuilt, not mixed in."""

import uuid

import pytest

from paperfeed.papers.models import ChangeCounter
from paperfeed.search import indexer, replica
from paperfeed.search.hybrid import search

pytestmark = pytest.mark.django_db


def titles(query):
    return [hit.paper.title for hit in search(query).hits]


def test_indexes_of_another_database_are_rebuilt_from_this_one(make_paper, index_dir):
    make_paper("2601.00001", title="Graph neural networks for molecules")
    indexer.catch_up()
    assert titles("graph") == ["Graph neural networks for molecules"]
    assert replica.read_watermark(index_dir)["database"] == ChangeCounter.objects.get().instance.hex

    # The same data directory now serves another database, whose change sequence starts again from 1: its
    # changes sit below the old watermark and would be skipped without the identity check.
    ChangeCounter.objects.update(value=0, instance=uuid.uuid4())
    make_paper("2601.00002", title="Graph kernels revisited")
    indexer.catch_up()
    replica.forget()
    assert sorted(titles("graph")) == ["Graph kernels revisited", "Graph neural networks for molecules"]
    assert replica.read_watermark(index_dir)["database"] == ChangeCounter.objects.get().instance.hex
