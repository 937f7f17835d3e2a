"""Digest throughput: N subscribers' trending digests composed and handed to a local SMTP server (aiosmtpd).

Runs the real `paperfeed digest send` as a subprocess against a fresh database and counts what the SMTP server
accepted. Prints messages/s and the sender's peak memory, for N and for N/10 (the baseline in the same run),
so "memory flat in the number of subscribers" can be read off directly.

    .venv/bin/python bench/bench_digests.py                    # 10,000 subscribers (and 1,000), SQLite
    .venv/bin/python bench/bench_digests.py --subscribers 100000 --processes 3   # 2-3 senders per 2-core host
    PAPERFEED_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pf_bench_digests .venv/bin/python bench/bench_digests.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class CountingSink:
    """aiosmtpd on loopback that counts messages and distinct Message-IDs, keeping nothing else."""

    def __init__(self):
        self.count = 0
        self.ids: set[bytes] = set()
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                head = envelope.original_content.split(b"\r\n\r\n", 1)[0]
                mid = next((line for line in head.split(b"\r\n") if line.lower().startswith(b"message-id:")), b"")
                with sink.lock:
                    sink.count += 1
                    sink.ids.add(mid)
                return "250 OK"

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def setup_django(data_dir: str, db_url: str) -> None:
    os.environ["PAPERFEED_DATA_DIR"] = data_dir
    if db_url:
        os.environ["PAPERFEED_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    import django

    django.setup()


# Django and paperfeed are imported inside the functions below on purpose: the settings read PAPERFEED_* from the
# environment that setup_django() sets first.


def reset_database(db_url: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def populate(n: int, papers: int) -> None:
    from django.utils import timezone

    from paperfeed.digests.models import SendLog, SentPaper, Subscriber, Subscription
    from paperfeed.ingest.store import ingest_records
    from paperfeed.papers.models import Paper

    SendLog.objects.all().delete()
    SentPaper.objects.all().delete()
    Subscription.objects.all().delete()
    Subscriber.objects.all().delete()
    if Paper.objects.count() < papers:
        day = (timezone.localdate() - timedelta(days=2)).isoformat()
        records = [
            {
                "id": f"2601.{i + 1:05d}",
                "title": f"Paper {i} on $\\alpha$-divergences",
                "authors": ["Ada Lovelace", "Alan Turing"],
                "categories": ["cs.LG"],
                "abstract": "We study $x^2 + y^2 \\leq 1$ and more. " * 12,
                "comment": None,
                "first_listing_date": day,
            }
            for i in range(papers)
        ]
        ingest_records(records, source="bench")
        for i, pk in enumerate(Paper.objects.order_by("arxiv_id").values_list("pk", flat=True)):
            Paper.objects.filter(pk=pk).update(imported_upvotes=papers - i)
    now = timezone.now()
    batch = 5000
    for start in range(0, n, batch):
        subs = Subscriber.objects.bulk_create(
            [
                Subscriber(email=f"b{i:07d}@example.net", confirmed_at=now, weekends=True)
                for i in range(start, min(n, start + batch))
            ]
        )
        if not subs[0].pk:  # backends that don't return ids from bulk_create
            subs = list(Subscriber.objects.filter(email__in=[s.email for s in subs]))
        Subscription.objects.bulk_create(
            [Subscription(subscriber_id=s.pk, kind="trending", frequency="daily") for s in subs]
        )


def run_senders(env: dict, processes: int) -> tuple[float, int, int, float]:
    """Start `processes` senders at once (the scale path: they share the work through the database)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "paperfeed", "digest", "send", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(processes)
    ]
    outputs = [p.communicate() for p in procs]
    elapsed = time.perf_counter() - start
    for p, (_, err) in zip(procs, outputs):
        if p.returncode:
            sys.exit(err[-3000:])
    sent = sum(json.loads(out.strip().splitlines()[-1])["sent"] for out, _ in outputs)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, max(usage.ru_maxrss, before), sent, usage.ru_utime + usage.ru_stime - cpu_before


def measure(n: int, papers: int, db_url: str, data_dir: str, rate: float, concurrency: int, processes: int) -> dict:
    populate(n, papers)
    sink = CountingSink()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERFEED_")}
    env.update(
        {
            "PAPERFEED_DATA_DIR": data_dir,
            "PAPERFEED_EMAIL_HOST": "127.0.0.1",
            "PAPERFEED_EMAIL_PORT": str(sink.port),
            "PAPERFEED_DIGEST_RATE": str(rate),
            "PAPERFEED_DIGEST_CONCURRENCY": str(concurrency),
        }
    )
    if db_url:
        env["PAPERFEED_DATABASE_URL"] = db_url
    try:
        elapsed, peak_kib, sent, cpu = run_senders(env, processes)
    finally:
        sink.stop()
    # ru_maxrss of children is the largest child so far; each measurement runs in a fresh benchmark process below.
    return {
        "subscribers": n,
        "sent": sent,
        "smtp_accepted": sink.count,
        "distinct_message_ids": len(sink.ids),
        "seconds": round(elapsed, 1),
        "messages_per_s": round(sink.count / elapsed, 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "sender_cpu_ms_per_msg": round(1000 * cpu / max(sink.count, 1), 2),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--papers", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--processes", type=int, default=1, help="sender processes started at once")
    parser.add_argument("--only", type=int, help=argparse.SUPPRESS)  # internal: measure one N in this process
    args = parser.parse_args()
    db_url = os.environ.get("PAPERFEED_DATABASE_URL", "")
    data_dir = os.environ.get("BENCH_DATA_DIR") or tempfile.mkdtemp(prefix="pf-bench-digests-")
    if args.only is not None:
        setup_django(data_dir, db_url)
        reset_database(db_url)
        print(
            json.dumps(measure(args.only, args.papers, db_url, data_dir, args.rate, args.concurrency, args.processes))
        )
        return
    rows = []
    for n in (max(1, args.subscribers // 10), args.subscribers):
        env = {**os.environ, "BENCH_DATA_DIR": data_dir}
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--only",
                str(n),
                "--papers",
                str(args.papers),
                "--rate",
                str(args.rate),
                "--concurrency",
                str(args.concurrency),
                "--processes",
                str(args.processes),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode:
            sys.exit(out.stderr[-3000:])
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    backend = "PostgreSQL" if db_url.startswith("postgres") else "SQLite"
    print(
        f"digest send, {backend}, {args.processes} process(es) x {args.concurrency} thread(s), {os.cpu_count()} CPUs, "
        f"{args.papers} papers, trending digests of {min(10, args.papers)} papers"
    )
    print(
        f"{'subscribers':>12} {'accepted':>9} {'distinct ids':>12} {'seconds':>8} {'msg/s':>8} {'peak MiB':>9} "
        f"{'CPU ms/msg':>10} {'load avg':>8}"
    )
    for r in rows:
        print(
            f"{r['subscribers']:>12} {r['smtp_accepted']:>9} {r['distinct_message_ids']:>12} {r['seconds']:>8} "
            f"{r['messages_per_s']:>8} "
            f"{r['peak_rss_mib']:>9} {r['sender_cpu_ms_per_msg']:>10} {r['load_average']:>8}"
        )
    big = rows[-1]
    print(
        f"projected for 100k at this rate: {100_000 / big['messages_per_s'] / 60:.1f} min (goal <= 5 min); "
        f"the senders' CPU time alone allows {1000 / big['sender_cpu_ms_per_msg']:.0f} msg/s per idle core"
    )
    print(
        "reproduce:",
        " ".join(["PAPERFEED_DATABASE_URL=" + db_url] if db_url else []),
        ".venv/bin/python bench/bench_digests.py",
        f"--subscribers {args.subscribers} --processes {args.processes} --concurrency {args.concurrency}",
    )


if __name__ == "__main__":
    main()
