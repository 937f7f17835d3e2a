"""gunicorn, started in-process so that `paperfeed serve` needs no second configuration file.

Start-up order matters to a user: the listening socket is bound first; only then does the log say "serving"
and the `paperfeed worker` child start, so a port that is taken ends the start with one message and leaves
no process behind. Each web process loads the search model before it takes its first request.
"""

import logging
import subprocess
import sys
import time
from pathlib import Path

from django import db
from django.conf import settings
from gunicorn.app.base import BaseApplication

from paperfeed.search import hybrid
from paperfeed.search.hybrid import query_embedder

logger = logging.getLogger(__name__)
# A Unix socket path longer than this does not fit in sockaddr_un (108 bytes on Linux, with its NUL).
_MAX_SOCKET_PATH = 100


class _App(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from paperfeed.wsgi import application  # the WSGI app is built in each web process, after the fork

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
        "when_ready": _ready(bind, with_worker),
        "post_worker_init": _warm_up,
    }
    # gunicorn's control socket defaults to ~/.gunicorn/gunicorn.ctl, which two servers on one host would share.
    control = Path(settings.DATA_DIR) / "gunicorn.ctl"
    if len(str(control)) <= _MAX_SOCKET_PATH:
        options["control_socket"] = str(control)
    else:
        options["control_socket_disable"] = True
    if with_worker:
        options["on_exit"] = _stop_worker
    _App(options).run()


def _ready(bind: str, with_worker: bool):
    def when_ready(server):
        """gunicorn hook, called once the socket is bound: only now is the hub reachable."""
        if with_worker:
            # The scheduled jobs run in a `paperfeed worker` child process beside the web workers.
            server.paperfeed_worker = subprocess.Popen([sys.executable, "-m", "paperfeed", "worker"])
        print(f"paperfeed is serving at http://{bind}/papers (Ctrl-C stops it)", flush=True)
        if not settings.PAPERFEED["EMAIL_HOST"]:
            who = "" if settings.PAPERFEED["OUTBOX_PUBLIC"] else ", for staff"
            print(
                f"mail is kept in the outbox at http://{bind}/outbox{who} (PAPERFEED_EMAIL_HOST sends it)", flush=True
            )

    return when_ready


def _warm_up(worker):
    """gunicorn hook: each web process loads the query embedding model and opens this host's search indexes with
    one search before it accepts a request, so that no visitor's search waits the ~10 s a first model load takes,
    nor the first reads of a large vector index (requests meanwhile go to processes already warm)."""
    started = time.monotonic()
    try:
        embedder = query_embedder()
        if embedder is not None:
            embedder.encode_queries(["warm up"])
            logger.info("web process %s loaded the search model in %.1f s", worker.pid, time.monotonic() - started)
        hybrid.search("warm up")
        logger.info("web process %s opened the search indexes (%.1f s in all)", worker.pid, time.monotonic() - started)
    except Exception:
        logger.exception("warming up search failed; the first search will load what it needs")
    finally:
        db.connections.close_all()  # the threads that serve requests open their own


def _stop_worker(server):
    worker = getattr(server, "paperfeed_worker", None)
    if worker and worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
