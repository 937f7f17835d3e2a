import time

from django.core.management.base import CommandError
from tqdm import tqdm

from paperfeed.errors import PaperfeedError
from paperfeed.lib.command import PaperfeedCommand
from paperfeed.search import eval as ev
from paperfeed.search.fusion import FusionParams
from paperfeed.search.hybrid import query_embedder


class Command(PaperfeedCommand):
    needs_database = False  # scores an index it builds from the folder, beside the database
    help = (
        "Evaluate search on a BEIR-format folder: nDCG@10, recall@100 and MRR@10 for keyword, dense and hybrid "
        "side by side, through the site's own index and fusion code (fusion settings from PAPERFEED_SEARCH_*). "
        "--sweep tries many fusion settings and prints the best; it refuses any split but train."
    )
    example = "paperfeed eval beir ../shared/data/scifact --split test"

    def add_arguments(self, parser):
        parser.add_argument("format", choices=["beir"], help="dataset format (beir)")
        parser.add_argument("folder", help="folder with corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv")
        parser.add_argument("--split", default="test", help="qrels split to score (default: test)")
        parser.add_argument("--keyword-only", action="store_true", help="skip the embedding model")
        parser.add_argument("--sweep", action="store_true", help="tune fusion settings (train split only)")

    def handle(self, *args, format, folder, split, keyword_only, sweep, **options):
        if sweep and split != "train":
            raise CommandError(
                "--sweep tunes settings, so it runs on --split train only: a test figure used for tuning is void."
            )
        try:
            data = ev.load_beir(folder, split)
        except PaperfeedError as exc:
            raise CommandError(exc.message) from exc
        embedder = None
        if not keyword_only:
            embedder = query_embedder()
            if embedder is None:
                self.stderr.write("No embedding model could load: dense and hybrid are skipped.")
        vectors = None
        started = time.perf_counter()
        if embedder is not None:
            with tqdm(total=len(data.doc_ids), desc="embedding corpus (cached after)", unit="doc") as bar:
                vectors = ev.corpus_vectors(data, embedder, progress=lambda done, total: bar.update(done - bar.n))
        if sweep:
            rows = ev.sweep(data, embedder=embedder, vectors=vectors)
            self.stdout.write(f"sweep on {split}: {len(rows)} settings, best 15 by hybrid nDCG@10")
            for params, scores in rows[:15]:
                self.stdout.write(
                    f"  {scores['ndcg@10']:.4f}  R@100 {scores['recall@100']:.4f}  MRR {scores['mrr@10']:.4f}  {params}"
                )
            return
        params = FusionParams.from_settings()
        vector_index = ev.build_vector_index(vectors) if vectors is not None else None
        result = ev.run_eval(data, split=split, params=params, embedder=embedder, vector_index=vector_index)
        self.stdout.write(
            f"BEIR {folder} ({split} split): {result.docs:,} documents, {result.queries:,} queries; "
            f"model: {result.model or 'none'}; {time.perf_counter() - started:.1f}s"
        )
        self.stdout.write(f"fusion: {params}")
        self.stdout.write(f"{'':10}{'nDCG@10':>10}{'recall@100':>12}{'MRR@10':>10}")
        for name in ("keyword", "dense", "hybrid"):
            if name in result.scores:
                s = result.scores[name]
                self.stdout.write(f"{name:10}{s['ndcg@10']:>10.4f}{s['recall@100']:>12.4f}{s['mrr@10']:>10.4f}")
