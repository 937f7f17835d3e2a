"""Hybrid search with the default offline model: a paper is found by meaning after `index embed`, and the page
says when some papers are found by keyword only. Loads the real model (about 20 s on 2 cores), so it is slow."""

import pytest

from paperfeed.search import indexer, replica
from paperfeed.search.hybrid import search

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def index_dir(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_INDEX_DIR": str(tmp_path / "index"), "DATA_DIR": tmp_path}
    replica.forget()
    yield tmp_path / "index"
    replica.forget()


def ids(result):
    return [h.paper.arxiv_id for h in result.hits]


def test_a_paper_is_found_by_meaning_after_index_embed(make_paper, index_dir):
    from paperfeed.search.embed_job import embed_missing

    make_paper("2601.00001", title="Automobile crash avoidance", abstract="Vehicles brake before hitting pedestrians.")
    make_paper("2601.00002", title="Protein structure prediction", abstract="Amino acid sequences fold into shapes.")
    make_paper("2601.00003", title="Stock market forecasting", abstract="Prices of equities are predicted from news.")
    indexer.catch_up()
    before = search("self-driving car safety")
    assert ids(before) == [] and before.semantic == "partial"

    summary = embed_missing()
    assert summary.embedded == 3
    indexer.catch_up()
    after = search("self-driving car safety")
    assert after.semantic == "complete" and after.model_name
    assert ids(after)[0] == "2601.00001"
    assert after.hits[0].dense_rank == 1 and after.hits[0].keyword_rank is None


def test_the_search_says_when_some_papers_lack_embeddings(make_paper, index_dir, client):
    from paperfeed.search.embed_job import embed_missing

    make_paper("2601.00001", title="Graph coloring heuristics")
    embed_missing()
    make_paper("2601.00002", title="Graph partitioning at scale")
    indexer.catch_up()
    result = search("graph")
    assert result.semantic == "partial"
    assert set(ids(result)) == {"2601.00001", "2601.00002"}  # the one without an embedding is found by keyword
    html = client.get("/papers/search", {"q": "graph"}).content.decode()
    assert "Some papers are found by keywords only for now" in html  # the details are for staff


def test_a_re_embedded_paper_moves_in_the_vector_index_after_its_text_changes(make_paper, index_dir):
    from paperfeed.papers.models import Paper
    from paperfeed.search.embed_job import embed_missing

    paper = make_paper("2601.00001", title="Weather forecasting with radar", abstract="Rain nowcasting.")
    make_paper("2601.00002", title="Poetry generation", abstract="Language models write sonnets.")
    embed_missing()
    indexer.catch_up()
    paper = Paper.objects.get(pk=paper.pk)
    paper.title, paper.abstract = "Italian cuisine", "Recipes for cooking spaghetti and lasagna."
    paper.save()
    indexer.catch_up()
    assert replica.read_watermark(index_dir)["vectors"] == 1  # the stale vector left with the old text
    embed_missing()
    indexer.catch_up()
    assert replica.read_watermark(index_dir)["vectors"] == 2
    assert ids(search("how to make noodles dinner"))[0] == "2601.00001"


def test_a_repeated_query_reuses_its_vector_and_a_caller_cannot_change_the_kept_one(index_dir):
    from paperfeed.search.embedder import get_embedder

    embedder = get_embedder()
    first = embedder.encode_queries(["robot grasping of soft objects"])
    kept = len(embedder._queries)
    first[0, :] = 0.0  # a caller that scribbles on its result
    again = embedder.encode_queries(["robot grasping of soft objects"])
    assert len(embedder._queries) == kept  # answered from the kept vectors, not the model
    assert abs(float(again[0] @ again[0]) - 1.0) < 1e-4  # still the unit vector the model gave
    fresh = embedder._run(embedder.model.encode, ["robot grasping of soft objects"], 1)
    assert float(fresh[0] @ again[0]) > 0.9999
