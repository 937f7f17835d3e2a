import json
import time

from django.core.management.base import CommandError
from tqdm import tqdm

from paperfeed.errors import PaperfeedError
from paperfeed.lib.command import PaperfeedCommand
from paperfeed.recommend import evaluation as recs
from paperfeed.search import eval as ev
from paperfeed.search.fusion import FusionParams
from paperfeed.search.hybrid import query_embedder


class Command(PaperfeedCommand):
    needs_database = False  # scores an index it builds from the folder, beside the database
    help = (
        "Evaluate search on a BEIR-format folder: nDCG@10, recall@100 and MRR@10 for keyword, dense and hybrid "
        "side by side, through the site's own index and fusion code (fusion settings from PAPERFEED_SEARCH_*). "
        "--sweep tries many fusion settings and prints the best; it refuses any split but train. "
        "`eval recs USERS.jsonl` scores For you on simulated readers of the configured database: nDCG@10, "
        "recall@50 and MRR@10 of the shipped ranker and its baselines (see paperfeed/recommend/evaluation.py)."
    )
    example = "paperfeed eval beir ../shared/data/scifact --split test\n  paperfeed eval recs readers.jsonl --json"

    def add_arguments(self, parser):
        parser.add_argument("format", choices=["beir", "recs"], help="beir (search) or recs (For you)")
        parser.add_argument(
            "folder", help="beir: folder with corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv; recs: USERS.jsonl"
        )
        parser.add_argument("--split", default="test", help="qrels split to score (default: test)")
        parser.add_argument("--keyword-only", action="store_true", help="skip the embedding model")
        parser.add_argument("--sweep", action="store_true", help="tune fusion settings (train split only)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the figures as one JSON object")

    def handle(self, *args, format, folder, split, keyword_only, sweep, as_json=False, **options):
        if format == "recs":
            return self.recs(folder, as_json=as_json)
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
            with tqdm(
                total=len(data.doc_ids), desc="embedding corpus (cached after)", unit="doc", disable=as_json
            ) as bar:
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
        if as_json:
            self.stdout.write(json.dumps(ev.as_json(result), indent=2))
            return
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
        kinds = sorted({k for by_kind in result.by_kind.values() for k in by_kind})
        if kinds:
            names = [n for n in ("keyword", "dense", "hybrid") if n in result.scores]
            counts = {k: sum(1 for q in data.queries if data.kinds.get(q) == k) for k in kinds}
            self.stdout.write("")
            self.stdout.write(f"{'nDCG@10 by kind':24}" + "".join(f"{n:>10}" for n in names))
            for kind in kinds:
                row = "".join(f"{result.by_kind[n][kind]['ndcg@10']:>10.4f}" for n in names)
                self.stdout.write(f"{kind + f' ({counts[kind]})':24}{row}")

    def recs(self, path, *, as_json: bool):
        readers = recs.read_readers(path)
        started = time.perf_counter()
        corpus = recs.load_corpus()
        with tqdm(total=len(readers), desc="readers", unit="reader", disable=as_json) as bar:
            result = recs.evaluate(readers, corpus, progress=lambda done: bar.update(done - bar.n))
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"For you on {path}: {result['users']} readers evaluated of {result['readers_in_file']}, "
            f"{result['papers']:,} papers; {time.perf_counter() - started:.1f}s"
        )
        if result["skipped_ids"]:
            shown = ", ".join(result["skipped_ids"][:10])
            self.stdout.write(f"skipped {len(result['skipped_ids'])} ids not in the database: {shown}")
        self.stdout.write(f"{'':18}{'nDCG@10':>10}{'recall@50':>11}{'MRR@10':>10}{'SI nDCG':>10}")
        for name, s in result["rankers"].items():
            mark = " (shipped)" if name == result["shipped"] else ""
            si = result["scholar_inbox"]["ndcg"][name]
            self.stdout.write(
                f"{name:18}{s['ndcg@10']:>10.4f}{s['recall@50']:>11.4f}{s['mrr@10']:>10.4f}{si:>10.4f}{mark}"
            )
        ba = result["scholar_inbox"]["balanced_accuracy"]
        self.stdout.write(
            f"Scholar Inbox protocol ({result['scholar_inbox']['groups']} held-out likes, each against 4 of the "
            f"reader's negatives): logistic balanced accuracy {ba if ba is None else round(ba, 4)}"
        )
