"""Helpers shared by the embedding, vector-index and similar-papers tests."""

from __future__ import annotations

import pytest

TOPICS = {
    "2601.00001": (
        "Protein structure prediction with deep learning",
        "We predict the three-dimensional folding of proteins from amino acid sequences with a neural network.",
    ),
    "2601.00002": (
        "Stock market volatility forecasting",
        "We forecast equity price volatility with econometric models of financial time series.",
    ),
    "2601.00003": (
        "Robot grasping from camera images",
        "A robotic arm learns to pick up household objects from RGB images with reinforcement learning.",
    ),
    "2601.00004": (
        "Compilers for quantum circuits",
        "We optimise the gate count of quantum programs when compiling them for superconducting qubits.",
    ),
    "2601.00005": (
        "Speech recognition for low-resource languages",
        "Automatic transcription of spoken audio in languages with little labelled data.",
    ),
}


def embedder_or_skip():
    pytest.importorskip("sentence_transformers", reason="the embeddings extra is not installed")
    from paperfeed.search.embedder import get_embedder

    embedder = get_embedder()
    assert embedder is not None, "the default embedding model must load offline"
    return embedder


def use_data_dir(settings, path, **extra):
    settings.PAPERFEED = {**settings.PAPERFEED, "DATA_DIR": path, "SEARCH_INDEX_DIR": "", **extra}


def make_topic_papers(make_paper, ids=None):
    return {
        arxiv_id: make_paper(arxiv_id, title=title, abstract=abstract)
        for arxiv_id, (title, abstract) in TOPICS.items()
        if ids is None or arxiv_id in ids
    }


# The two demo papers on sheet music: MuSViT (sheet music representation) and pitch spelling of lead sheets.
MUSIC_PAPERS = {"2606.31811", "2606.20198"}


def index_the_demo(settings, tmp_path, monkeypatch):
    """Fixture body: the demo corpus listed today, with its shipped embeddings, in both search indexes."""
    from django.utils import timezone

    from paperfeed.demo.embeddings import store_demo_embeddings
    from paperfeed.demo.loader import read_corpus
    from paperfeed.ingest.store import ingest_records
    from paperfeed.search import indexer, replica

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    use_data_dir(settings, tmp_path)
    replica.forget()
    records = read_corpus()
    for r in records:
        r["first_listing_date"] = timezone.localdate().isoformat()
    ingest_records(records, source="demo")
    assert store_demo_embeddings() == len(records)
    indexer.catch_up()
    yield
    replica.forget()
