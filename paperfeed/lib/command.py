"""Base for paperfeed's own commands: every one has help with an example, which a test checks.

Before a command that needs the database runs, pending migrations are applied (a new data directory works
with any command, as `serve` and `demo` always did). A PaperfeedError raised anywhere below a command becomes
Django's CommandError, so the user sees its message as one line instead of a traceback, and so does Ctrl-C;
`stop_on_signals()` is how a long-running command learns it should stop.
"""

import argparse
import signal
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from paperfeed.errors import PaperfeedError


class PaperfeedCommand(BaseCommand):
    example: str = ""
    needs_database: bool = True
    # What Ctrl-C leaves behind and how to go on; each long-running command says it for its own work.
    interrupted: str = "Stopped by Ctrl-C."

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("epilog", f"example:\n  {self.example}" if self.example else None)
        return super().create_parser("paperfeed", subcommand, **kwargs)

    def execute(self, *args, **options):
        try:
            try:
                if self.needs_database:
                    apply_pending_migrations(self.stderr)
                return super().execute(*args, **options)
            except PaperfeedError as exc:
                raise CommandError(exc.message) from None
            except KeyboardInterrupt:
                raise CommandError(self.interrupted) from None
        except CommandError as exc:
            # On a terminal the message alone, as `paperfeed: ...`; Django's run_from_argv would prefix it with
            # its class name. call_command (tests, other commands) still gets the exception.
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"paperfeed: {exc}")
            sys.exit(exc.returncode)

    @staticmethod
    def stop_on_signals() -> threading.Event:
        """An event that SIGTERM or Ctrl-C sets, so that the work in flight finishes before the command stops."""
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        return stop


def apply_pending_migrations(out=sys.stderr) -> int:
    """Bring the configured database up to date; returns how many migrations were applied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        out.write(f"Preparing the database ({len(plan)} migrations to apply)...")
        call_command("migrate", interactive=False, verbosity=0)
    return len(plan)
