from django.conf import settings
from django.core.management import call_command
from django.db import connections

from paperfeed.lib.command import PaperfeedCommand
from paperfeed.runtime.webserver import run


class Command(PaperfeedCommand):
    needs_database = False  # migrates itself, unless --no-migrate
    help = (
        "Serve the hub with gunicorn (static files included): applies pending migrations, collects static "
        "files into the data directory, then listens on PAPERFEED_BIND."
    )
    example = "PAPERFEED_BIND=0.0.0.0:8000 paperfeed serve --workers 4"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="host:port (default: PAPERFEED_BIND)")
        parser.add_argument("--workers", type=int, default=None, help="processes (default: PAPERFEED_WEB_WORKERS)")
        parser.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")

    def handle(self, *args, bind, workers, no_migrate, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()  # the web workers fork from this process; none may inherit its connection
        run(
            bind=bind or settings.PAPERFEED["BIND"],
            workers=workers or settings.PAPERFEED["WEB_WORKERS"],
            threads=settings.PAPERFEED["WEB_THREADS"],
            with_worker=settings.PAPERFEED["SERVE_WORKER"],
        )
