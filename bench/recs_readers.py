"""Public simulated readers for `paperfeed eval recs`, from the real arxiv-daily-cs papers and MiniLM vectors.

A reader is an author with at least 8 papers: their earliest half are likes, the later ones are relevant
(grade 2 where they are first or last author, else 1), `as_of` is the listing day of their last like, so
only papers listed after it are candidates (a temporal split). The readers follow no one, so the ranking is
blind to author names: it sees the embeddings and popularity only.

    PAPERFEED_DATA_DIR=/tmp/recs python bench/recs_readers.py --readers 300 --out /tmp/recs/readers.jsonl
    PAPERFEED_DATA_DIR=/tmp/recs paperfeed eval recs /tmp/recs/readers.jsonl

The first command also fills that data directory's database with the 74,728 papers (listed on their first
listing day) and their vectors, unless it already holds them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, DATA, setup_django

VECTORS = DATA / "arxiv-daily-cs-embeddings" / "minilm128.npy"
IDS = DATA / "arxiv-daily-cs-embeddings" / "minilm128.ids.txt"


def load_rows() -> list[dict]:
    with gzip.open(CORPUS, "rt") as f:
        return [json.loads(line) for line in f]


def fill(rows: list[dict]) -> None:
    from paperfeed.papers.models import ChangeCounter, Listing, Paper
    from paperfeed.search.embedder import configured_model_name
    from paperfeed.search.models import Embedding, encode_vector

    if Paper.objects.count() >= len(rows):
        return
    ids = IDS.read_text().split()
    assert ids == [r["id"] for r in rows], "vectors and corpus differ"
    vectors = np.load(VECTORS)
    model = configured_model_name()
    for start in range(0, len(rows), 5000):
        block = rows[start : start + 5000]
        papers = Paper.objects.bulk_create(
            [
                Paper(
                    arxiv_id=r["id"],
                    title=r["title"],
                    abstract=" ".join(r["abstract"].split()),
                    authors=r["authors"],
                    authors_text="; ".join(r["authors"]),
                    categories=r["categories"],
                    primary_category=r["categories"][0] if r["categories"] else "",
                    announced_on=date.fromisoformat(r["first_listing_date"]),
                    change_seq=start + i + 1,
                )
                for i, r in enumerate(block)
            ]
        )
        pks = dict(Paper.objects.filter(arxiv_id__in=[r["id"] for r in block]).values_list("arxiv_id", "pk"))
        Listing.objects.bulk_create(
            [Listing(paper_id=pks[r["id"]], day=date.fromisoformat(r["first_listing_date"])) for r in block]
        )
        Embedding.objects.bulk_create(
            [
                Embedding(
                    paper_id=pks[r["id"]],
                    model_name=model,
                    text_hash="bench",
                    dim=vectors.shape[1],
                    vector=encode_vector(vectors[start + i]),
                    seq=start + i + 1,
                )
                for i, r in enumerate(block)
            ]
        )
        del papers
    ChangeCounter.objects.update_or_create(pk=1, defaults={"value": len(rows)})


def readers(rows: list[dict], count: int, seed: int, min_papers: int = 8) -> list[dict]:
    by_author = defaultdict(list)
    for r in rows:
        for a in r["authors"]:
            by_author[a].append(r)
    authors = sorted(a for a, papers in by_author.items() if len(papers) >= min_papers)
    out = []
    for name in random.Random(seed).sample(authors, min(count, len(authors))):
        papers = sorted(by_author[name], key=lambda r: (r["first_listing_date"], r["id"]))
        half = len(papers) // 2
        liked, later = papers[:half], papers[half:]
        as_of = liked[-1]["first_listing_date"]
        relevant = {
            r["id"]: 2 if name in (r["authors"][0], r["authors"][-1]) else 1
            for r in later
            if r["first_listing_date"] > as_of
        }
        if relevant:
            out.append(
                {
                    "user": f"author-{len(out) + 1}",
                    "liked": [r["id"] for r in liked],
                    "disliked": [],
                    "relevant": relevant,
                    "as_of": as_of,
                }
            )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    parser.add_argument("--no-database", action="store_true", help="only write the readers file")
    args = parser.parse_args()
    rows = load_rows()
    if not args.no_database:
        setup_django("recs-")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        fill(rows)
    found = readers(rows, args.readers, args.seed)
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in found))
    print(f"{len(found)} readers -> {args.out}")


if __name__ == "__main__":
    main()
