"""`paperfeed index embed` killed with SIGKILL mid-run loses at most the batch in flight; a re-run finishes."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUP = """
import django; django.setup()
from django.core.management import call_command
from paperfeed.ingest.store import ingest_records
call_command("migrate", verbosity=0)
ingest_records([{"id": f"2605.{n:05d}", "title": f"Study number {n} of graph learning",
                 "abstract": "We study message passing on graphs. " * (1 + n % 7), "authors": ["A. Author"],
                 "categories": ["cs.LG"], "first_listing_date": "2026-01-05"} for n in range(1, 41)], source="test")
"""


@pytest.mark.slow
def test_a_killed_embed_run_keeps_its_finished_batches_and_a_rerun_completes(tmp_path):
    pytest.importorskip("sentence_transformers")
    env = {
        **os.environ,
        "PAPERFEED_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "paperfeed.settings",
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("PAPERFEED_DATABASE_URL", None)  # its own SQLite file, which this test can read from outside
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=300)
    db = tmp_path / "paperfeed.sqlite3"

    def rows() -> int:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM search_embedding").fetchone()[0]

    proc = subprocess.Popen(
        [sys.executable, "-m", "paperfeed", "index", "embed", "--batch-size", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 240
    while rows() < 4 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    kept = rows()
    assert 4 <= kept < 40, "the run should have been killed part-way"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM search_embedding WHERE length(vector) != 768").fetchone()[0] == 0
    out = subprocess.run(
        [sys.executable, "-m", "paperfeed", "index", "embed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert rows() == 40
    embedded = int(out.stdout.split("Embedded ", 1)[1].split(" ", 1)[0])
    assert embedded == 40 - kept
