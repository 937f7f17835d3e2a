"""`paperfeed serve` says it is serving only once it listens; a port that is taken ends the start with a message
and leaves no process behind, and a stopped server leaves none either."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port


def processes_of(data_dir: Path) -> list[int]:
    """Live processes started with this data directory in their environment (the server and its children)."""
    marker = f"PAPERFEED_DATA_DIR={data_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    status = (entry / "status").read_text()
                    if "\nState:\tZ" not in status:
                        found.append(int(entry.name))
            except OSError:
                continue
    return found


def start(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_")}
    env.update(PAPERFEED_DATA_DIR=str(data_dir), PAPERFEED_EMBEDDING_MODEL="", PAPERFEED_SEARCH_INDEXER_INTERVAL="0")
    return subprocess.Popen(
        [sys.executable, "-m", "paperfeed", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_gone(data_dir: Path, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_of(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_a_taken_port_ends_the_start_with_no_serving_line_and_no_process_left(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = start(tmp_path, taken.getsockname()[1])
        output, _ = server.communicate(timeout=120)
    assert server.returncode != 0
    assert "serving at" not in output
    assert "Address already in use" in output or "Connection in use" in output
    assert wait_gone(tmp_path) == []


def test_a_started_server_answers_after_its_serving_line_and_stops_cleanly(tmp_path):
    port = free_port()
    server = start(tmp_path, port)
    try:
        deadline = time.monotonic() + 120
        lines = []
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            lines.append(line)
            if "serving at" in line:
                break
        assert f"paperfeed is serving at http://127.0.0.1:{port}/papers" in "".join(lines)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/about", timeout=30) as response:
            assert response.status == 200
        assert len(processes_of(tmp_path)) >= 3  # arbiter, one web process, the jobs worker
        # gunicorn opens its control socket from a thread of its own, around the time it says it is ready.
        control = tmp_path / "gunicorn.ctl"
        for _ in range(100):
            if control.exists():
                break
            time.sleep(0.1)
        assert control.exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=60)
    assert wait_gone(tmp_path) == []
