"""Ctrl-C during a long import or embed run ends with one line that says what is kept and how to go on (exit 130,
no traceback), and running the same command again continues with what is left."""

import gzip
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.shared_data import ROOT, shared_path


def environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_")}
    env.update(PAPERFEED_DATA_DIR=str(tmp_path), HF_HUB_OFFLINE="1")  # its own SQLite file, read from outside
    return env


def papers_file(tmp_path, count):
    path = tmp_path / "papers.jsonl"
    with gzip.open(shared_path("data", "arxiv-daily-cs", "papers.jsonl.gz"), "rt", encoding="utf-8") as source:
        path.write_text("".join(itertools.islice(source, count)), encoding="utf-8")
    return path


def paperfeed(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "paperfeed", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def interrupt_when(env, tmp_path, table, at_least, *args):
    """Start the command, send SIGINT once `table` holds `at_least` rows, return (returncode, stderr)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "paperfeed", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 240
    while proc.poll() is None and time.time() < deadline:
        with sqlite3.connect(tmp_path / "paperfeed.sqlite3", timeout=30) as conn:
            if conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= at_least:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the command ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


def rows(tmp_path, table):
    with sqlite3.connect(tmp_path / "paperfeed.sqlite3", timeout=30) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_ctrl_c_during_a_file_import_keeps_what_is_stored_and_a_rerun_imports_the_rest(tmp_path):
    env = environment(tmp_path)
    path = papers_file(tmp_path, 20_000)
    assert paperfeed(env, "migrate", "-v0").returncode == 0
    rc, err = interrupt_when(env, tmp_path, "papers_paper", 2000, "ingest", "file", str(path))
    assert rc == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    line = err.strip()
    assert "\n" not in line, err
    assert line.startswith("Stopped by Ctrl-C after ") and "stored" in line and "Run the same command again" in line
    kept = rows(tmp_path, "papers_paper")
    assert 2000 <= kept < 20_000
    again = paperfeed(env, "ingest", "file", str(path))
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"new {20_000 - kept}," in again.stdout and f"unchanged {kept}," in again.stdout


@pytest.mark.slow
def test_ctrl_c_during_an_embed_run_keeps_the_finished_batches_and_a_rerun_counts_what_is_left(tmp_path):
    pytest.importorskip("sentence_transformers")
    env = environment(tmp_path)
    path = papers_file(tmp_path, 200)
    assert paperfeed(env, "ingest", "file", str(path)).returncode == 0
    rc, err = interrupt_when(env, tmp_path, "search_embedding", 3, "index", "embed", "--batch-size", "1")
    assert rc == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    last = err.strip().splitlines()[-1]
    kept = rows(tmp_path, "search_embedding")
    assert 3 <= kept < 200
    assert last.startswith("Stopped by Ctrl-C after ") and "their embeddings are stored" in last
    assert f"{200 - kept:,} papers still need one: run `paperfeed index embed` again" in last
    # Only the line above and the model's own loading messages: no stack, no second error.
    assert "Error" not in err
    again = paperfeed(env, "index", "embed", "--limit", "5")
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"5 papers to look at (--limit; {200 - kept:,} need it)" in again.stdout
    assert "Embedded 5 papers" in again.stdout
