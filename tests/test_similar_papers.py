"""Similar papers: nearest neighbours by embedding, fresh ones first on ties, never hidden, deleted or itself."""

import shutil
from datetime import date

import pytest
from django.core.management import call_command

from tests.search_support import embedder_or_skip, make_topic_papers, use_data_dir

ROBOTS = {
    "2602.00001": (
        "Robot manipulation with learned grasp policies",
        "Robotic arms learn to grasp objects from camera images.",
    ),
    "2602.00002": (
        "Dexterous robot hands pick up objects",
        "A robot hand learns grasping of household items from vision.",
    ),
    "2602.00003": ("Mobile robots grasp tools", "Robots navigate and pick up tools using visual grasp detection."),
}


@pytest.fixture
def corpus(db, settings, tmp_path, make_paper):
    use_data_dir(settings, tmp_path)
    embedder_or_skip()
    papers = make_topic_papers(make_paper)
    for arxiv_id, (title, abstract) in ROBOTS.items():
        papers[arxiv_id] = make_paper(arxiv_id, title=title, abstract=abstract)
    from paperfeed.search.embed_job import embed_missing

    embed_missing()
    return papers


def _ids(papers):
    return [p.arxiv_id for p in papers]


def test_the_nearest_papers_by_meaning_come_first_and_not_the_paper_itself(corpus):
    from paperfeed.search.similar import similar_papers

    found = _ids(similar_papers(corpus["2601.00003"], k=3))
    assert set(found) == set(ROBOTS)
    assert "2601.00003" not in _ids(similar_papers(corpus["2601.00003"], k=20))


def test_a_hidden_or_deleted_paper_never_appears(corpus):
    from paperfeed.papers.changes import mark_changed
    from paperfeed.papers.models import Paper
    from paperfeed.search.similar import similar_papers

    mark_changed(Paper.objects.filter(arxiv_id="2602.00001"), hidden=True)
    corpus["2602.00002"].delete()
    found = _ids(similar_papers(corpus["2601.00003"], k=20))
    assert "2602.00001" not in found and "2602.00002" not in found
    assert "2602.00003" in found


def test_fresh_papers_come_first_when_scores_tie(db, settings, tmp_path, make_paper):
    from paperfeed.papers.models import Paper
    from paperfeed.search.embed_job import embed_missing
    from paperfeed.search.similar import similar_papers

    use_data_dir(settings, tmp_path)
    embedder_or_skip()
    same = {"title": "Sparse attention for long documents", "abstract": "Attention over long sequences in linear time."}
    source = make_paper(
        "2603.00001", title="Efficient transformers for long inputs", abstract="Linear-time attention for long texts."
    )
    for n, day in [(2, date(2024, 1, 5)), (3, date(2026, 1, 5)), (4, date(2025, 1, 5))]:
        make_paper(f"2603.0000{n}", **same)
        Paper.objects.filter(arxiv_id=f"2603.0000{n}").update(submitted_on=day)
    embed_missing()
    assert _ids(similar_papers(source, k=3)) == ["2603.00003", "2603.00004", "2603.00002"]


def test_a_paper_without_an_embedding_has_no_similar_papers_yet(db, settings, tmp_path, make_paper):
    from paperfeed.search.similar import similar_papers

    use_data_dir(settings, tmp_path)
    assert similar_papers(make_paper("2604.00001")) == []


def test_the_paper_page_lists_similar_papers(corpus, client):
    response = client.get("/papers/2601.00003")
    html = response.content.decode()
    assert response.status_code == 200
    section = html.split('id="similar"', 1)[1].split("</section>", 1)[0]
    for title, _ in ROBOTS.values():
        assert title in section


def test_the_vector_index_and_a_rebuilt_one_give_the_same_similar_papers(corpus, settings):
    pytest.importorskip("usearch")
    from paperfeed.search import replica
    from paperfeed.search.similar import similar_papers

    exact = {pid: _ids(similar_papers(p, k=4)) for pid, p in corpus.items()}
    call_command("index", "rebuild")
    replica.forget()
    assert replica.replica().vectors is not None and len(replica.replica().vectors) == len(corpus)
    indexed = {pid: _ids(similar_papers(p, k=4)) for pid, p in corpus.items()}
    assert indexed == exact
    shutil.rmtree(replica.index_dir())
    replica.forget()
    call_command("index", "rebuild")
    replica.forget()
    assert {pid: _ids(similar_papers(p, k=4)) for pid, p in corpus.items()} == exact
