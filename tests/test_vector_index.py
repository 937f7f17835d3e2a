"""VectorIndex: upsert, remove, search, save and open, with files under the index directory."""

import numpy as np
import pytest

pytest.importorskip("usearch")


def _unit(rng, n, dim=384):
    v = rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_search_finds_the_nearest_vectors_best_first(settings):
    from paperfeed.search.vector_index import VectorIndex

    rng = np.random.default_rng(1)
    vectors = _unit(rng, 50)
    index = VectorIndex(dim=384)
    for pk, v in enumerate(vectors, start=1):
        index.upsert(pk, v)
    hits = index.search(vectors[9], 3)
    assert hits[0][0] == 10 and abs(hits[0][1] - 1.0) < 1e-2
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert len(index) == 50


def test_upsert_replaces_and_remove_deletes(settings):
    from paperfeed.search.vector_index import VectorIndex

    rng = np.random.default_rng(2)
    a, b = _unit(rng, 2)
    index = VectorIndex(dim=384)
    index.upsert(7, a)
    index.upsert(7, b)
    assert len(index) == 1 and index.search(b, 1)[0][0] == 7 and index.search(b, 1)[0][1] > 0.99
    index.remove(7)
    index.remove(7)  # removing what is gone is fine
    assert len(index) == 0 and index.search(b, 5) == []


def test_a_saved_index_opens_with_the_same_results_and_can_be_written_again(settings, tmp_path):
    from paperfeed.search.vector_index import VectorIndex

    settings.PAPERFEED = {**settings.PAPERFEED, "DATA_DIR": tmp_path, "SEARCH_INDEX_DIR": ""}
    rng = np.random.default_rng(3)
    vectors = _unit(rng, 100)
    index = VectorIndex(dim=384)
    index.upsert_many(range(1, 101), vectors)
    where = index.save()
    assert where == tmp_path / "index" / "vectors" and (where / "vectors.usearch").exists()
    opened = VectorIndex.open()
    assert len(opened) == 100
    assert opened.search(vectors[41], 5) == index.search(vectors[41], 5)
    opened.remove(42)
    opened.upsert(500, vectors[41])
    opened.save()
    again = VectorIndex.open(where)
    assert 42 not in again and again.search(vectors[41], 1)[0][0] == 500


def test_the_index_directory_is_read_at_call_time(settings, tmp_path):
    from paperfeed.search.vector_index import default_path

    settings.PAPERFEED = {**settings.PAPERFEED, "DATA_DIR": tmp_path / "one", "SEARCH_INDEX_DIR": ""}
    assert default_path() == tmp_path / "one" / "index" / "vectors"
    settings.PAPERFEED = {**settings.PAPERFEED, "DATA_DIR": tmp_path / "two"}
    assert default_path() == tmp_path / "two" / "index" / "vectors"


def test_a_vector_of_the_wrong_size_is_refused(settings):
    from paperfeed.search.vector_index import VectorIndex

    index = VectorIndex(dim=384)
    with pytest.raises(ValueError, match="384"):
        index.upsert(1, np.ones(10, dtype=np.float32))


def test_approximate_search_on_clustered_vectors_keeps_recall(settings):
    """Above SIMILAR_PAPERS_EXACT_MAX the HNSW graph answers; on clustered vectors it must still find the true
    neighbours."""
    from paperfeed.search.vector_index import VectorIndex

    settings.PAPERFEED = {**settings.PAPERFEED, "SIMILAR_PAPERS_EXACT_MAX": 0}
    rng = np.random.default_rng(4)
    centres = _unit(rng, 40)
    points = centres[rng.integers(0, 40, 4000)] + 0.08 * rng.standard_normal((4000, 384)).astype(np.float32)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    index = VectorIndex(dim=384)
    index.upsert_many(range(4000), points)
    queries = points[rng.integers(0, 4000, 50)]
    truth = np.argsort(-(queries @ points.T), axis=1)[:, :10]
    found = [[pk for pk, _ in index.search(q, 10)] for q in queries]
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
    assert recall >= 0.9
