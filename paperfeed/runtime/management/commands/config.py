from django.conf import settings

from paperfeed import config
from paperfeed.lib.command import PaperfeedCommand


class Command(PaperfeedCommand):
    help = "Print every setting, its current value (secrets hidden), its environment variable and what it does."
    example = "PAPERFEED_DEBUG=false paperfeed config"

    def handle(self, *args, **options):
        for env, shown, help_text in config.describe(settings.PAPERFEED):
            self.stdout.write(f"{env}={shown}\n    {help_text}")
