"""Rebuild paperfeed/demo/papers.jsonl.gz: the last DAYS listing days of the arxiv-daily-cs corpus.

The corpus is arXiv metadata (CC0 per arXiv); see ../shared/data/arxiv-daily-cs/SOURCE.md.
Run from the repository root:  python scripts/make_demo_corpus.py [--days 10]
"""

import argparse
import gzip
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "arxiv-daily-cs" / "papers.jsonl.gz"
TARGET = ROOT / "paperfeed" / "demo" / "papers.jsonl.gz"
KEEP = ("id", "title", "authors", "categories", "abstract", "comment", "first_listing_date")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=10)
    args = parser.parse_args()
    with gzip.open(SOURCE, "rt") as f:
        records = [json.loads(line) for line in f]
    days = set(sorted({r["first_listing_date"] for r in records})[-args.days :])
    chosen = [{k: r.get(k) for k in KEEP} for r in records if r["first_listing_date"] in days]
    with gzip.open(TARGET, "wt", compresslevel=9) as out:
        for r in chosen:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(
        f"{len(chosen)} papers from {min(days)} to {max(days)} -> {TARGET.relative_to(ROOT)} "
        f"({TARGET.stat().st_size:,} bytes)"
    )


if __name__ == "__main__":
    main()
