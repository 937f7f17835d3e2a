import os

from django.conf import settings
from django.core.management import call_command
from tqdm import tqdm

from paperfeed.demo import loader
from paperfeed.errors import PaperfeedError
from paperfeed.lib.command import PaperfeedCommand
from paperfeed.topics import build


class Command(PaperfeedCommand):
    needs_database = False  # migrates itself before loading the demo
    help = (
        "Load the demo corpus (real arXiv papers, with votes by users named demo-*) into the configured "
        "database once, then serve the hub. Safe to run again: an existing demo is kept as it is."
    )
    example = "paperfeed demo            # then open http://127.0.0.1:8000"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo and exit")
        parser.add_argument("--bind", default=None, help="host:port for serving (default: PAPERFEED_BIND)")

    def _build_map(self):
        """The demo's map, built once here (about 20 s for its 2,738 papers) so /map has something to show."""
        try:
            build.build_map(progress=self.stdout.write)
        except (ImportError, PaperfeedError) as exc:  # no map extra, or no embeddings: the map page says what to do
            self.stdout.write(f"No map for the demo ({exc}); build it later with `paperfeed map build`.")

    def handle(self, *args, no_serve, bind, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if loader.is_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            with tqdm(total=len(loader.read_corpus()), desc="demo papers", unit="paper") as bar:
                summary = loader.load_demo(progress=bar.update)
            self.stdout.write(f"Demo loaded: {summary}.")
            self._build_map()
        # The demo's mail (confirmation links, digests) is for the person trying it: show it to them.
        if "PAPERFEED_OUTBOX_PUBLIC" not in os.environ:
            settings.PAPERFEED["OUTBOX_PUBLIC"] = True
        if not no_serve:
            call_command("serve", bind=bind, no_migrate=True)
