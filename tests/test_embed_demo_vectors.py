"""The demo ships its corpus's embeddings, so it has semantic search and similar papers at once."""

import numpy as np
from django.utils import timezone

from tests.search_support import use_data_dir


def test_the_shipped_vectors_cover_the_demo_corpus_with_the_default_model(settings):
    from paperfeed.demo.embeddings import read_shipped
    from paperfeed.demo.loader import read_corpus
    from paperfeed.search.embedder import configured_model_name

    model, ids, hashes, vectors = read_shipped()
    assert model == configured_model_name() == "sentence-transformers/all-MiniLM-L6-v2@128"
    assert ids == [r["id"] for r in read_corpus()]
    assert vectors.dtype == np.float16 and vectors.shape == (len(ids), 384)
    norms = np.linalg.norm(vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=5e-3)
    assert len(set(hashes)) > 0.99 * len(hashes)


def test_loading_demo_papers_stores_their_shipped_embeddings(db, settings, tmp_path):
    from paperfeed.demo.embeddings import store_demo_embeddings
    from paperfeed.demo.loader import read_corpus
    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers.models import Paper
    from paperfeed.search.embed_job import count_pending
    from paperfeed.search.embedder import configured_model_name
    from paperfeed.search.similar import similar_papers

    use_data_dir(settings, tmp_path)
    records = read_corpus()[:40]
    for r in records:
        r["first_listing_date"] = timezone.localdate().isoformat()
    ingest_records(records, source="demo")
    assert store_demo_embeddings() == 40
    assert count_pending(configured_model_name()) == 0
    paper = Paper.objects.get(arxiv_id=records[0]["id"])
    assert len(similar_papers(paper)) == 6


def test_shipped_vectors_of_another_model_are_not_stored(db, settings, tmp_path):
    from paperfeed.demo.embeddings import store_demo_embeddings
    from paperfeed.demo.loader import read_corpus
    from paperfeed.ingest.store import ingest_records

    use_data_dir(settings, tmp_path, EMBEDDING_MAX_TOKENS=256)
    ingest_records(read_corpus()[:5], source="demo")
    assert store_demo_embeddings() == 0
