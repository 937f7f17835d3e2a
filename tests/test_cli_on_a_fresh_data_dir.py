"""Every command works on a data directory nobody has set up: the database is prepared first, never a traceback
about a missing table."""

import json
import os
import subprocess
import sys

import pytest

COMMANDS = [
    ["ingest", "file", "{papers}"],
    ["ingest", "rejects"],
    ["index", "status"],
    ["index", "rebuild"],
    ["digest", "preview", "reader@example.org"],
    ["digest", "send", "--dry-run"],
    ["createadmin", "root", "--password", "a long enough password 42"],
    ["worker", "--once", "--only", "digests"],
    ["config"],
]


def run(data_dir, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_")}
    env.update(PAPERFEED_DATA_DIR=str(data_dir), PAPERFEED_EMBEDDING_MODEL="")
    return subprocess.run(
        [sys.executable, "-m", "paperfeed", *args], capture_output=True, text=True, env=env, timeout=180
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_on_a_new_data_dir_prepares_the_database_and_runs(tmp_path, command):
    papers = tmp_path / "papers.jsonl"
    record = {"id": "2501.00001", "title": "A paper", "authors": ["Ada Lovelace"], "categories": ["cs.LG"]}
    papers.write_text(json.dumps(record) + "\n")
    data_dir = tmp_path / "data"
    result = run(data_dir, *[part.format(papers=papers) for part in command])
    if command[:2] == ["digest", "preview"]:
        # Nobody subscribed yet: one line that says so, as on any database.
        assert result.returncode == 1 and "No subscriber 'reader@example.org'" in result.stderr
    else:
        assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
    if command != ["config"]:
        assert "Preparing the database" in result.stderr
        again = run(data_dir, *command[:2]) if command[0] in ("index", "ingest") and command[1] != "file" else None
        assert again is None or "Preparing the database" not in again.stderr


def test_version_and_help_are_paperfeeds_own(tmp_path):
    version = run(tmp_path, "--version")
    assert version.stdout.strip() == "paperfeed 0.1.0"
    overview = run(tmp_path, "help").stdout
    ours, django = overview.split("Django's own commands")
    assert "ingest" in ours and "Import papers" in ours and "startproject" not in ours
    assert "migrate" in django and "startproject" in django
    sub = run(tmp_path, "help", "digest", "preview").stdout
    assert "usage: paperfeed digest preview" in sub and "--html" in sub
