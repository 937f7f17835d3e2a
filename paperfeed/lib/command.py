"""Base for paperfeed's own commands: every one has help with an example, which a test checks.

A PaperfeedError raised anywhere below a command becomes Django's CommandError, so the user sees its message
as one line instead of a traceback; `stop_on_signals()` is how a long-running command learns it should stop.
"""

import argparse
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from paperfeed.errors import PaperfeedError


class PaperfeedCommand(BaseCommand):
    example: str = ""

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("epilog", f"example:\n  {self.example}" if self.example else None)
        return super().create_parser("paperfeed", subcommand, **kwargs)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except PaperfeedError as exc:
            raise CommandError(exc.message) from None

    @staticmethod
    def stop_on_signals() -> threading.Event:
        """An event that SIGTERM or Ctrl-C sets, so that the work in flight finishes before the command stops."""
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        return stop
