"""`paperfeed map build` and `paperfeed map place`: the map job's two halves, run by hand."""

from paperfeed.lib.command import PaperfeedCommand
from paperfeed.topics import build, place


class Command(PaperfeedCommand):
    help = (
        "Build the map of topics from the stored embeddings (UMAP + HDBSCAN + class-based TF-IDF labels), or place "
        "papers that arrived since the last build by their nearest neighbours."
    )
    example = "paperfeed map build"
    interrupted = "Stopped by Ctrl-C; the map is as it was before this build."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        b = sub.add_parser("build", help="lay out, cluster and label every embedded paper (minutes at 100k)")
        b.add_argument("--sample", type=int, default=None, help="fit on at most this many papers (MAP_FIT_SAMPLE)")
        sub.add_parser("place", help="give a point to papers that have none yet, from their neighbours")

    def handle(self, *args, action, **options):
        if action == "build":
            record = build.build_map(progress=self.stdout.write, sample=options.get("sample"))
            self.stdout.write(
                f"Map built: {record.papers:,} papers ({record.fitted:,} fitted), {record.topics} topics "
                f"({record.kept_topics} kept their id), {record.noise:,} noise papers given a topic, "
                f"{record.seconds:.1f} s."
            )
        else:
            self.stdout.write(f"Placed {place.place_new():,} papers.")
