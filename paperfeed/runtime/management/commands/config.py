from django.conf import settings

from paperfeed import config
from paperfeed.lib.command import PaperfeedCommand


class Command(PaperfeedCommand):
    needs_database = False
    help = (
        "Print every setting, its current value (secrets hidden), its environment variable and what it does; "
        "with --markdown, the settings reference page (docs/settings.md) instead."
    )
    example = "PAPERFEED_DEBUG=false paperfeed config"

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown", action="store_true", help="print the reference of every setting and its default as Markdown"
        )

    def handle(self, *args, markdown, **options):
        if markdown:
            self.stdout.write(config.reference_markdown(), ending="")
            return
        for env, shown, help_text in config.describe(settings.PAPERFEED):
            self.stdout.write(f"{env}={shown}\n    {help_text}")
