"""gunicorn, started in-process so that `paperfeed serve` needs no second configuration file."""

import logging
import subprocess
import sys
import threading

from gunicorn.app.base import BaseApplication

logger = logging.getLogger(__name__)


class _App(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from paperfeed.wsgi import application

        return application


def run(*, bind: str, workers: int, threads: int, with_worker: bool = True) -> None:
    options = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        "timeout": 60,
        "graceful_timeout": 20,
    }
    if with_worker:
        options.update(on_starting=_start_worker, on_exit=_stop_worker)
    options["post_worker_init"] = _warm_up
    _App(options).run()


def _warm_up(worker):
    """gunicorn hook: load the query embedding model in the background as each web process starts, so that no
    visitor's first search waits the ~10 s it takes."""
    threading.Thread(target=_load_search_model, name="warm-up", daemon=True).start()


def _load_search_model():
    try:
        from paperfeed.search.hybrid import query_embedder

        embedder = query_embedder()
        if embedder is not None:
            embedder.encode_queries(["warm up"])
    except Exception:
        logger.exception("warming up the search model failed; the first search will load it")


def _start_worker(server):
    """gunicorn hook: the scheduled jobs run in a `paperfeed worker` child process beside the web workers."""
    server.paperfeed_worker = subprocess.Popen([sys.executable, "-m", "paperfeed", "worker"])


def _stop_worker(server):
    worker = getattr(server, "paperfeed_worker", None)
    if worker and worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except Exception:
            worker.kill()
