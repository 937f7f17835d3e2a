"""gunicorn, started in-process so that `paperfeed serve` needs no second configuration file."""

from gunicorn.app.base import BaseApplication


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


def run(*, bind: str, workers: int, threads: int) -> None:
    _App({
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        "timeout": 60,
        "graceful_timeout": 20,
    }).run()
