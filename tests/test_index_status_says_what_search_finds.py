"""`paperfeed index status` counts what a user cares about: papers searchable on this host by keyword and by
meaning, embeddings current / stale / missing, whether the index has every database change, and what to run."""

import pytest
from django.core.management import call_command

from tests.search_support import use_data_dir


@pytest.fixture
def keyword_only(db, settings, tmp_path):
    use_data_dir(settings, tmp_path, EMBEDDING_MODEL="")


def status(capsys) -> str:
    capsys.readouterr()
    call_command("index", "status")
    return capsys.readouterr().out


def test_an_unbuilt_index_says_so_and_names_the_command_that_builds_it(keyword_only, make_paper, capsys):
    make_paper("2601.00001")
    make_paper("2601.00002")
    out = status(capsys)
    assert "papers:          2 " in out
    assert "by keyword:      0 of them searchable on this host" in out
    assert "not built yet on this host" in out
    assert "run `paperfeed index rebuild`" in out
    assert "watermark" not in out


def test_a_built_index_is_up_to_date_and_counts_every_paper_as_searchable(keyword_only, make_paper, capsys):
    make_paper("2601.00001")
    make_paper("2601.00002")
    call_command("index", "rebuild")
    out = status(capsys)
    assert "by keyword:      2 of them searchable on this host" in out
    assert "up to date with the database" in out
    assert "to do:           nothing" in out
    assert "keyword search only" in out and "watermark" not in out


def test_an_index_behind_the_database_counts_the_changes_and_says_what_applies_them(keyword_only, make_paper, capsys):
    make_paper("2601.00001")
    call_command("index", "rebuild")
    make_paper("2601.00002")
    out = status(capsys)
    assert "by keyword:      1 of them searchable on this host" in out
    assert "1 database change not in it yet" in out
    assert "`paperfeed worker`" in out
