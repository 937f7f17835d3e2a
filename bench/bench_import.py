"""Import benchmark: the 74,728 papers of ../shared/data/arxiv-daily-cs into a fresh SQLite database and a fresh
PostgreSQL database through `paperfeed ingest file`'s code path (files.read_records -> ingest_records), then
the same import again (a no-op: every record unchanged). Prints papers/s, peak RSS and the re-import time.

Baselines in the same run: reading the file alone (gunzip + JSON), the ceiling any import could reach, and
the previous store (normalize + Django's bulk_create) on SQLite. Figures move with the machine's load: compare
lines of one run, not across runs.
Each measurement runs in its own process, so peak RSS is that import's own.

With --library N it measures instead a reader's library import: the first N papers stored, then a BibTeX file
of N entries about them (written the five ways reference managers cite arXiv) uploaded to a collection page
through Django's test client, as a browser posts it, on SQLite and PostgreSQL; it prints the file's size, the
parse and store times and the whole request's.

Run from the repository root:
    .venv/bin/python bench/bench_import.py [--limit N] [--postgres postgres://postgres@127.0.0.1:5432/pf_bench_import]
    .venv/bin/python bench/bench_import.py --library 5000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "arxiv-daily-cs" / "papers.jsonl.gz"


def worker(limit: int | None, mode: str) -> dict:
    import itertools

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperfeed.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from paperfeed.ingest import files

    records = files.read_records(DATA)
    if limit:
        records = itertools.islice(records, limit)
    if mode == "read":
        start = time.perf_counter()
        n = sum(1 for _ in records)
        return {"n": n, "seconds": time.perf_counter() - start}
    from paperfeed.ingest.store import ingest_records

    call_command("migrate", verbosity=0)
    if mode == "orm":
        return orm_import(records)
    if mode == "library":
        return library_import(records)
    start = time.perf_counter()
    summary = ingest_records(records, source="bench")
    first = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    again = files.read_records(DATA)
    if limit:
        again = itertools.islice(again, limit)
    start = time.perf_counter()
    resummary = ingest_records(again, source="bench")
    second = time.perf_counter() - start
    return {
        "n": summary.fetched,
        "new": summary.new,
        "rejected": summary.rejected,
        "seconds": first,
        "peak_rss_mb": rss,
        "reimport_seconds": second,
        "reimport": str(resummary),
    }


def orm_import(records) -> dict:
    """The store as it was before: normalize, then Django's bulk_create for papers and listings."""
    from django.db import transaction

    from paperfeed.ingest.normalize import RecordError, normalize
    from paperfeed.ingest.store import BATCH, _chunks, _paper_fields, _versions
    from paperfeed.papers import changes
    from paperfeed.papers.models import Listing, Paper

    start = time.perf_counter()
    n = 0
    for chunk in _chunks(records, BATCH):
        recs = []
        for raw in chunk:
            try:
                recs.append(normalize(raw))
            except RecordError:
                pass
        n += len(chunk)
        with transaction.atomic():
            seq = changes.allocate(len(recs))
            papers = [
                Paper(arxiv_id=r.arxiv_id, versions=_versions([], r), change_seq=seq + i, **_paper_fields(r))
                for i, r in enumerate(recs)
            ]
            Paper.objects.bulk_create(papers, batch_size=500)
            Listing.objects.bulk_create(
                [Listing(paper=p, day=r.listing_day, source="bench") for p, r in zip(papers, recs)], batch_size=500
            )
    return {
        "n": n,
        "seconds": time.perf_counter() - start,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bibtex_of(paper: dict, n: int) -> str:
    """An entry citing the paper as one of five reference managers does (see tests/test_library_import_parsing.py)."""
    ident = paper["id"]
    extra = [
        f"eprint = {{{ident}}}, archivePrefix = {{arXiv}}",
        f"journal = {{CoRR}}, volume = {{abs/{ident}}}",
        f"journal = {{arXiv preprint arXiv:{ident}}}",
        f"doi = {{10.48550/arXiv.{ident}}}",
        f"url = {{https://arxiv.org/abs/{ident}v1}}",
    ][n % 5]
    title = paper["title"].replace("{", "").replace("}", "").replace("\\", "")
    return f"@article{{key{n},\n  title = {{{title}}},\n  year = {{2025}},\n  {extra}\n}}\n"


def library_import(records) -> dict:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from paperfeed.ingest.store import ingest_records
    from paperfeed.library import collections
    from paperfeed.library.importing import parse_library
    from paperfeed.papers.models import CollectionItem

    records = list(records)
    ingest_records(records, source="bench")
    text = "".join(bibtex_of(r, n) for n, r in enumerate(records)).encode()
    start = time.perf_counter()
    parsed = parse_library(text, "library.bib")
    parse_seconds = time.perf_counter() - start
    user = User.objects.create_user("bench", password="bench password 42")
    store = collections.create(user, "Stored directly")
    start = time.perf_counter()
    stored = collections.import_into(store, parsed)
    store_seconds = time.perf_counter() - start
    collections.create(user, "Uploaded")
    client = Client(SERVER_NAME="localhost")  # a host the default ALLOWED_HOSTS takes
    client.force_login(user)
    start = time.perf_counter()
    response = client.post("/u/bench/c/uploaded/import", {"file": SimpleUploadedFile("library.bib", text)})
    web_seconds = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    start = time.perf_counter()
    response = client.get(response["Location"])  # the collection page the import lands on, its first 100 papers
    page_seconds = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return {
        "n": len(records),
        "bytes": len(text),
        "found": len(parsed.arxiv_ids),
        "parse_seconds": parse_seconds,
        "store_seconds": store_seconds,
        "added": stored.added,
        "web_seconds": web_seconds,
        "page_seconds": page_seconds,
        "web_added": CollectionItem.objects.filter(collection__slug="uploaded").count(),
    }


def run(env_extra: dict, limit: int | None, mode: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="pf-bench-") as data_dir:
        env = {**os.environ, "PAPERFEED_DATA_DIR": data_dir, "PAPERFEED_DATABASE_URL": "", **env_extra}
        args = [sys.executable, __file__, "--worker", mode] + (["--limit", str(limit)] if limit else [])
        out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
        if out.returncode:
            sys.exit(out.stderr[-3000:])
        return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_postgres(url: str) -> str:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="import only the first N records")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/pf_bench_import",
        help="a database on this server is dropped and created for the run",
    )
    parser.add_argument("--library", type=int, metavar="N", help="measure a library file of N entries instead")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.limit, args.worker)))
        return
    python = sys.executable.removeprefix(str(ROOT) + "/")
    print(f"command: {' '.join([python, 'bench/bench_import.py', *sys.argv[1:]])}")
    print(f"data: {DATA} ({DATA.stat().st_size:,} bytes gz)")
    if args.library:
        for name, env in (("SQLite", {}), ("PostgreSQL", {"PAPERFEED_DATABASE_URL": fresh_postgres(args.postgres)})):
            r = run(env, args.library, "library")
            print(
                f"{name}: a BibTeX file of {r['n']:,} entries ({r['bytes'] / 1024 / 1024:.1f} MB): parsed in "
                f"{r['parse_seconds']:.1f} s ({r['found']:,} arXiv ids), stored in {r['store_seconds']:.1f} s "
                f"({r['added']:,} added); the upload to a collection page answered in {r['web_seconds']:.1f} s "
                f"({r['web_added']:,} added), the collection page it lands on in {r['page_seconds']:.2f} s"
            )
        return
    read = run({}, args.limit, "read")
    print(
        f"baseline, read only (gunzip + JSON): {read['n']:,} records in {read['seconds']:.1f} s = "
        f"{read['n'] / read['seconds']:,.0f} records/s"
    )
    orm = run({}, args.limit, "orm")
    print(
        f"baseline, the previous store (Django bulk_create), SQLite: {orm['n']:,} papers in {orm['seconds']:.1f} s = "
        f"{orm['n'] / orm['seconds']:,.0f} papers/s, peak RSS {orm['peak_rss_mb']:.0f} MB"
    )
    for name, env in (("SQLite", {}), ("PostgreSQL", {"PAPERFEED_DATABASE_URL": fresh_postgres(args.postgres)})):
        r = run(env, args.limit, "import")
        print(
            f"{name}: {r['new']:,} new papers ({r['rejected']} rejected) in {r['seconds']:.1f} s = "
            f"{r['n'] / r['seconds']:,.0f} papers/s, peak RSS {r['peak_rss_mb']:.0f} MB; "
            f"re-import (no-op) {r['reimport_seconds']:.1f} s = {r['n'] / r['reimport_seconds']:,.0f} papers/s "
            f"[{r['reimport']}]"
        )


if __name__ == "__main__":
    main()
