"""Base for paperfeed's own commands: every one has help with an example, which a test checks."""

import argparse

from django.core.management.base import BaseCommand


class PaperfeedCommand(BaseCommand):
    example: str = ""

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("epilog", f"example:\n  {self.example}" if self.example else None)
        return super().create_parser("paperfeed", subcommand, **kwargs)
