"""`paperfeed index embed`: embeds what is missing or stale, resumes, and re-runs instantly from the cache."""

import numpy as np
import pytest
from django.core.management import call_command

from tests.search_support import TOPICS, embedder_or_skip, make_topic_papers, use_data_dir


@pytest.fixture
def embedder(db, settings, tmp_path):
    use_data_dir(settings, tmp_path)
    return embedder_or_skip()


def _embedding_rows():
    from paperfeed.search.models import Embedding

    return {e.paper.arxiv_id: e for e in Embedding.objects.select_related("paper")}


def test_a_paper_is_findable_by_meaning_after_index_embed(embedder, make_paper):
    from paperfeed.search.vector_index import VectorIndex

    papers = make_topic_papers(make_paper)
    call_command("index", "embed")
    rows = _embedding_rows()
    assert set(rows) == set(TOPICS)
    index = VectorIndex(dim=embedder.dim)
    for row in rows.values():
        index.upsert(row.paper_id, row.as_array())
    query = embedder.encode_queries(["how do proteins fold into 3D shapes"])[0]
    assert index.search(query, 1)[0][0] == papers["2601.00001"].pk
    query = embedder.encode_queries(["predicting prices of shares"])[0]
    assert index.search(query, 1)[0][0] == papers["2601.00002"].pk


def test_stored_vectors_are_float16_unit_vectors_with_the_text_hash(embedder, make_paper):
    from paperfeed.search.embedder import paper_text_hash

    papers = make_topic_papers(make_paper, ids={"2601.00003"})
    call_command("index", "embed")
    row = _embedding_rows()["2601.00003"]
    paper = papers["2601.00003"]
    assert len(row.vector) == 384 * 2 and row.dim == 384
    assert abs(np.linalg.norm(row.as_array()) - 1) < 2e-3
    assert row.text_hash == paper_text_hash(paper.title, paper.abstract)
    assert row.model_name == embedder.model_name


def test_a_second_run_embeds_nothing(embedder, make_paper):
    from paperfeed.search.embed_job import embed_missing

    make_topic_papers(make_paper)
    assert embed_missing().embedded == 5
    again = embed_missing()
    assert again.embedded == 0 and again.candidates == 0


def test_only_a_paper_whose_text_changed_is_embedded_again(embedder, make_paper):
    from paperfeed.search.embed_job import embed_missing

    papers = make_topic_papers(make_paper)
    embed_missing()
    before = {k: bytes(v.vector) for k, v in _embedding_rows().items()}
    paper = papers["2601.00004"]
    paper.abstract = "Error correction codes protect logical qubits from noise."
    paper.save()
    papers["2601.00005"].save()  # saved, text unchanged: no new vector
    summary = embed_missing()
    assert (summary.embedded, summary.unchanged) == (1, 1)
    after = {k: bytes(v.vector) for k, v in _embedding_rows().items()}
    assert after["2601.00004"] != before["2601.00004"]
    assert all(after[k] == before[k] for k in before if k != "2601.00004")
    assert embed_missing().candidates == 0


def test_changing_the_model_setting_marks_every_embedding_stale(embedder, make_paper, settings):
    from paperfeed.search.embed_job import count_pending, embed_missing, stale_count

    make_topic_papers(make_paper)
    embed_missing()
    settings.PAPERFEED = {**settings.PAPERFEED, "EMBEDDING_MAX_TOKENS": 64}
    from paperfeed.search.embedder import configured_model_name, get_embedder

    assert configured_model_name().endswith("@64")
    assert stale_count(configured_model_name()) == 5 and count_pending(configured_model_name()) == 5
    assert embed_missing(embedder=get_embedder()).embedded == 5
    assert {r.model_name for r in _embedding_rows().values()} == {configured_model_name()}


def test_a_limited_run_stops_and_the_next_run_goes_on(embedder, make_paper):
    from paperfeed.search.embed_job import embed_missing

    make_topic_papers(make_paper)
    seen = []
    first = embed_missing(limit=2, batch_size=1, progress=lambda done, total: seen.append((done, total)))
    assert first.embedded == 2 and len(_embedding_rows()) == 2
    assert seen == [(1, 2), (2, 2)]
    assert embed_missing().embedded == 3
    assert len(_embedding_rows()) == 5


def test_vectors_come_from_the_cache_when_the_rows_are_lost(embedder, make_paper):
    from paperfeed.search.embed_job import embed_missing
    from paperfeed.search.embedder import cache_path
    from paperfeed.search.models import Embedding

    make_topic_papers(make_paper)
    assert embed_missing().encoded == 5
    assert cache_path(embedder.model_name).exists()
    Embedding.objects.all().delete()
    again = embed_missing()
    assert again.embedded == 5 and again.encoded == 0


def test_cached_encode_encodes_only_unseen_texts(embedder):
    from paperfeed.search.embedder import cached_encode

    calls = []

    class Counting:
        model_name, dim = embedder.model_name, embedder.dim

        def encode(self, texts, batch_size=64):
            calls.append(list(texts))
            return embedder.encode(texts, batch_size=batch_size)

    first = cached_encode(["alpha claim", "beta claim"], Counting())
    second = cached_encode(["beta claim", "gamma claim", "alpha claim"], Counting())
    assert calls == [["beta claim", "alpha claim"], ["gamma claim"]] or calls == [
        ["alpha claim", "beta claim"],
        ["gamma claim"],
    ]
    assert np.allclose(second[0], first[1], atol=2e-3) and np.allclose(second[2], first[0], atol=2e-3)


def test_hidden_papers_are_not_embedded(embedder, make_paper):
    from paperfeed.search.embed_job import embed_missing

    papers = make_topic_papers(make_paper)
    papers["2601.00001"].hidden = True
    papers["2601.00001"].save()
    embed_missing()
    assert "2601.00001" not in _embedding_rows()


def test_index_status_counts_papers_and_embeddings(embedder, make_paper, capsys):
    make_topic_papers(make_paper)
    call_command("index", "embed", "--limit", "3")
    call_command("index", "status")
    out = capsys.readouterr().out
    assert "papers:          5 " in out
    assert "embeddings:      3 current, 0 stale (text or model changed), 2 missing" in out
    assert "run `paperfeed index embed`" in out
