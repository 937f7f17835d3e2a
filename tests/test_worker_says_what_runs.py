"""The worker's first line names the jobs it runs and, apart, those switched off by their interval setting."""

import os
import signal
import subprocess
import sys


def test_the_worker_names_the_jobs_that_run_and_those_that_are_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_")}
    env.update(
        PAPERFEED_DATA_DIR=str(tmp_path),
        PAPERFEED_SEARCH_INDEXER_INTERVAL="0",
        PAPERFEED_HARVEST_INTERVAL="0",
        PAPERFEED_RECOMMEND_RETRAIN_INTERVAL="0",
    )
    proc = subprocess.Popen([sys.executable, "-m", "paperfeed", "worker"], env=env, stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline().strip()
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    assert first == (
        "worker running: vote-counts, digests, map; off: search-index (PAPERFEED_SEARCH_INDEXER_INTERVAL=0), "
        "arxiv-harvest (PAPERFEED_HARVEST_INTERVAL=0), for-you-retrain (PAPERFEED_RECOMMEND_RETRAIN_INTERVAL=0)"
    )
