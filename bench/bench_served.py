"""Pages served by `paperfeed serve` under load: wrk over loopback, per endpoint, anonymous and signed-in,
with the page cache on and, in the same run, off (the baseline).

Database: --papers papers (the real 74,728 of ../shared/data/arxiv-daily-cs, then copies with shuffled words and
new ids, as bench_search.py builds them), each listed on its original's day moved to this week; imported
upvotes drawn from the real Hugging Face sample (../shared/data/hf-daily-papers-2026-02), plus votes cast here by
--users accounts a year old. Built once into --db-dir (or PAPERFEED_DATABASE_URL) and reused by later runs: a
1M-paper SQLite database takes a while. The search indexes (BM25 and, with --vectors, the real all-MiniLM-L6-v2
vectors plus noise for copies) are built into the same data directory.

Each run: `python -m paperfeed serve` (gunicorn gthread, PAPERFEED_WEB_WORKERS x PAPERFEED_WEB_THREADS, its
worker beside it) started as a user would, then `wrk -t2 -c32 -d30s` per endpoint. Printed per endpoint: req/s,
p50/p95/p99, errors (socket errors + non-2xx), and the RSS of every server process before and after the run.

Reproduce (wrk from Debian: apt-get install wrk):
  .venv/bin/python bench/bench_served.py --papers 1000000 --db-dir /tmp/pf-served-1m
  PAPERFEED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pf_bench \
    .venv/bin/python bench/bench_served.py --papers 100000
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

logging.getLogger("httpx").setLevel(logging.WARNING)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
HF_SAMPLE = ROOT.parent / "shared" / "data" / "hf-daily-papers-2026-02" / "papers.jsonl.gz"
READER, PASSWORD = "bench-reader", "bench-reader-password-1"
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def build(args, data_dir: Path) -> None:
    """Fill the database and the search indexes once; a marker file says it is done."""
    from bench_search import fill_database, load_base, vectors_for
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from paperfeed.demo.loader import week_shift
    from paperfeed.papers import vote_counts
    from paperfeed.papers.models import Listing, Paper, Vote
    from paperfeed.search import indexer, replica

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    base = load_base()
    t = time.perf_counter()
    fill_database(base, args.papers)
    shift = week_shift(max(date.fromisoformat(r["first_listing_date"]) for r in base), timezone.localdate())
    with gzip.open(HF_SAMPLE, "rt") as f:
        hf_upvotes = [json.loads(line)["upvotes"] for line in f]
    rng = random.Random(5)
    pks = list(Paper.objects.order_by("pk").values_list("pk", flat=True))
    listings, papers = [], []
    for i, pk in enumerate(pks):
        day = date.fromisoformat(base[i % len(base)]["first_listing_date"]) + shift
        listings.append(Listing(paper_id=pk, day=day, source="bench"))
        papers.append(Paper(pk=pk, imported_upvotes=rng.choice(hf_upvotes)))
        if len(listings) == 20_000:
            Listing.objects.bulk_create(listings)
            Paper.objects.bulk_update(papers, ["imported_upvotes"])
            listings, papers = [], []
    Listing.objects.bulk_create(listings)
    Paper.objects.bulk_update(papers, ["imported_upvotes"])
    joined = timezone.now() - timedelta(days=400)
    User.objects.bulk_create([User(username=f"bench{i}", date_joined=joined) for i in range(args.users)])
    reader = User.objects.create_user(READER, password=PASSWORD)
    User.objects.filter(pk=reader.pk).update(date_joined=joined)
    users = list(User.objects.values_list("pk", flat=True))
    recent = list(
        Paper.objects.filter(listing__day__gte=timezone.localdate() - timedelta(days=7)).values_list("pk", flat=True)
    )
    votes = []
    for pk in recent:
        n = min(len(users), int(rng.paretovariate(1.3)) - 1)
        votes.extend(Vote(user_id=u, paper_id=pk, counted=True) for u in rng.sample(users, max(0, n)))
    Vote.objects.bulk_create(votes, batch_size=5000, ignore_conflicts=True)
    vote_counts.recount(recent)
    Paper.objects.filter(pk__in=recent).update(vote_count=models_count())
    print(f"built {args.papers:,} papers, {len(votes):,} votes in {time.perf_counter() - t:.0f} s", flush=True)
    t = time.perf_counter()
    indexer.rebuild_all()
    print(f"text index built in {time.perf_counter() - t:.0f} s", flush=True)
    if args.vectors:
        from paperfeed.search.vector_index import VectorIndex

        t = time.perf_counter()
        vectors = vectors_for(len(base), len(pks))
        index = VectorIndex(vectors.shape[1], replica.vector_path())
        index.upsert_many(pks, vectors)
        index.save()
        state = replica.read_watermark()
        state["vectors"] = len(index)
        replica.write_watermark(state)
        print(f"vector index built in {time.perf_counter() - t:.0f} s", flush=True)
    (data_dir / "bench-built").write_text(str(args.papers))


def models_count():
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from paperfeed.papers.models import Vote

    n = Vote.objects.filter(paper=OuterRef("pk")).values("paper").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(n), 0)


def rss_mib(root_pid: int) -> dict[int, float]:
    """RSS of the server and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = {}, [root_pid]
    while todo:
        pid = todo.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        out[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        todo.extend(children.get(pid, []))
    return out


class Server:
    def __init__(self, env: dict, port: int, log: Path):
        self.base = f"http://127.0.0.1:{port}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:  # else we would measure whatever answers there
                raise SystemExit(f"something already listens on 127.0.0.1:{port}: stop it or pass --port")
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "paperfeed", "serve"],
            env={**env, "PAPERFEED_BIND": f"127.0.0.1:{port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                if httpx.get(self.base + "/papers", timeout=30).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        self.stop()
        raise SystemExit(f"paperfeed serve did not answer within 300 s; see {log}")

    def login(self) -> str:
        with httpx.Client(base_url=self.base, timeout=30) as c:
            c.get("/accounts/login/")
            token = c.cookies["csrftoken"]
            r = c.post(
                "/accounts/login/", data={"username": READER, "password": PASSWORD, "csrfmiddlewaretoken": token}
            )
            if r.status_code != 302:
                errors = re.findall(r'class="errorlist[^>]*>(.*?)</ul', r.text, re.S)
                raise SystemExit(f"logging in as {READER} answered {r.status_code}: {errors or r.text[:300]}")
            return f"sessionid={c.cookies['sessionid']}; csrftoken={c.cookies['csrftoken']}"

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(60)
        self.log.close()


def wrk(url: str, args, *, cookie: str | None = None, paths: list[str] | None = None) -> dict:
    script = WRK_REPORT
    if paths:
        script += "paths = {" + ",".join(json.dumps(p) for p in paths) + "}\nn = 0\n"
        script += "request = function()\n  n = n + 1\n  return wrk.format('GET', paths[(n % #paths) + 1])\nend\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    cmd = ["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
    cmd += ["-s", f.name]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    requests, seconds, p50, p95, p99, errors = re.search(r"RESULT (.*)", out).group(1).split()
    return {
        "rps": int(requests) / float(seconds),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "errors": int(errors),
    }


def endpoints(base_url: str, queries: list[str]) -> list[tuple[str, str, list[str] | None, bool]]:
    """(label, path, rotating paths or None, signed in)."""
    top = httpx.get(base_url + "/api/v1/listings/latest?page_size=1", timeout=60).json()["items"][0]["id"]
    search = [f"/papers/search?q={q.replace(' ', '+')}" for q in queries]
    return [
        ("/papers", "/papers", None, False),
        ("/papers/trending", "/papers/trending", None, False),
        ("paper page", f"/papers/{top}", None, False),
        ("/api/daily_papers", "/api/daily_papers", None, False),
        ("/papers/search (20 queries)", search[0], search, False),
        ("/papers signed in", "/papers", None, True),
        ("/papers/trending signed in", "/papers/trending", None, True),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--db-dir", type=Path, help="data directory to build into or reuse (default /tmp/pf-served-N)")
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--vectors", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--only", help="comma-separated labels to run (default: all)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    vendor = "postgresql" if os.environ.get("PAPERFEED_DATABASE_URL") else "sqlite"
    data_dir = args.db_dir or Path(tempfile.gettempdir()) / f"pf-served-{vendor}-{args.papers}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PAPERFEED_DATA_DIR"] = str(data_dir)
    from common import setup_django

    setup_django("pf-served-")
    if not (data_dir / "bench-built").exists() or (data_dir / "bench-built").read_text() != str(args.papers):
        build(args, data_dir)
    from bench_search import load_base, make_queries

    queries = make_queries(load_base(), 20)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # One wrk client from 127.0.0.1 is far over the per-IP API limit in seconds; throughput is measured here.
    env.setdefault("PAPERFEED_API_RATE_LIMIT_IP", "1000000000")
    if not args.vectors:
        env["PAPERFEED_EMBEDDING_MODEL"] = ""
    print(
        f"database {vendor}, {args.papers:,} papers; {os.cpu_count()} cores shared by the server and wrk "
        f"(-t{args.wrk_threads} -c{args.connections} -d{args.duration}s); web "
        f"{env.get('PAPERFEED_WEB_WORKERS', '2')} workers x {env.get('PAPERFEED_WEB_THREADS', '4')} threads",
        flush=True,
    )
    only = set(args.only.split(",")) if args.only else None
    for mode, seconds in (("cached", "15"), ("uncached (baseline)", "0")):
        server = Server({**env, "PAPERFEED_PAGE_CACHE_SECONDS": seconds}, args.port, data_dir / "bench-serve.log")
        try:
            cookie = server.login()
            print(f"\n== page cache {mode}", flush=True)
            print(
                f"{'endpoint':>30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}  "
                "RSS MiB before -> after"
            )
            for label, path, paths, signed_in in endpoints(server.base, queries):
                if only and label not in only:
                    continue
                before = rss_mib(server.proc.pid)
                r = wrk(server.base + path, args, cookie=cookie if signed_in else None, paths=paths)
                after = rss_mib(server.proc.pid)
                mem = ", ".join(f"{before[p]:.0f}->{after.get(p, 0):.0f}" for p in sorted(before))
                print(
                    f"{label:>30} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {r['errors']:7d}  "
                    f"{mem}",
                    flush=True,
                )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
