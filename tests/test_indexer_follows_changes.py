"""The indexer follows the change sequence into this host's index files, with its watermark beside them."""

import threading
import time

import pytest

from paperfeed.papers import changes
from paperfeed.papers.models import Paper
from paperfeed.search import indexer, replica
from paperfeed.search.hybrid import search


def ids(query, **kw):
    return [h.paper.arxiv_id for h in search(query, **kw).hits]


@pytest.mark.django_db
def test_the_watermark_beside_the_index_records_the_last_change_applied(make_paper, index_dir):
    a = make_paper("2601.00001", title="Quantum error correction")
    b = make_paper("2601.00002", title="Quantum annealing")
    assert indexer.catch_up() == 2
    state = replica.read_watermark(index_dir)
    assert (index_dir / "text").is_dir() and (index_dir / "watermark.json").is_file()
    assert state["seq"] == max(a.change_seq, b.change_seq) and state["text_docs"] == 2
    assert indexer.catch_up() == 0


@pytest.mark.django_db
def test_catch_up_applies_at_most_the_limit_in_sequence_order(make_paper, index_dir):
    for n in range(1, 6):
        make_paper(f"2601.{n:05d}", title=f"Protein folding {n}")
    assert indexer.catch_up(limit=2) == 2
    assert len(ids("protein")) == 2
    assert indexer.catch_up() == 3
    assert len(ids("protein")) == 5


@pytest.mark.django_db
def test_deleting_the_index_files_and_rebuilding_gives_the_same_results(make_paper, index_dir):
    for n in range(1, 13):
        make_paper(
            f"2601.{n:05d}",
            title=f"Federated learning round {n}",
            abstract="privacy " * (n % 4 + 1) + "federated clients",
        )
    changes.mark_changed(Paper.objects.filter(arxiv_id="2601.00003"), hidden=True)
    Paper.objects.get(arxiv_id="2601.00004").delete()
    indexer.catch_up()
    queries = ["federated privacy", "clients", "round 7", "privacy"]
    before = [ids(q, page_size=50) for q in queries]
    assert "2601.00003" not in before[1] and "2601.00004" not in before[1] and len(before[1]) == 10
    import shutil

    shutil.rmtree(index_dir)
    replica.forget()
    assert indexer.rebuild_all() == 10
    assert [ids(q, page_size=50) for q in queries] == before


@pytest.mark.django_db
def test_an_index_from_scratch_follows_the_whole_sequence_again(make_paper, index_dir):
    make_paper("2601.00001", title="Sparse transformers")
    indexer.catch_up()
    import shutil

    shutil.rmtree(index_dir)
    assert indexer.catch_up() == 1
    assert ids("sparse") == ["2601.00001"]


@pytest.mark.django_db(transaction=True)
def test_a_new_paper_is_findable_by_keyword_within_the_indexer_interval(make_paper, index_dir, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_INDEXER_INTERVAL": 0.2}
    stop = threading.Event()
    loop = threading.Thread(target=indexer.run_loop, args=(stop,), daemon=True)
    loop.start()
    try:
        time.sleep(0.3)
        added = time.monotonic()
        make_paper("2601.00042", title="Neuromorphic spiking cameras")
        while not ids("neuromorphic"):
            assert time.monotonic() - added < 5, "the paper was not findable within 5 s"
            time.sleep(0.05)
        lag = time.monotonic() - added
        assert lag < 2.0
    finally:
        stop.set()
        loop.join(5)
    assert not loop.is_alive()


@pytest.mark.django_db
def test_a_second_writer_on_the_same_directory_steps_aside(make_paper, index_dir):
    make_paper("2601.00001", title="Lock step")
    with indexer._writer_lock(index_dir, wait=True):
        assert indexer.catch_up() == 0
    assert indexer.catch_up() == 1
