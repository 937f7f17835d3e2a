"""`paperfeed ingest arxiv | arxiv-ids | hf-daily | file | rejects`: thin shells over paperfeed.ingest."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from paperfeed.ingest import commands
from paperfeed.lib.command import PaperfeedCommand

EXAMPLES = {
    "arxiv": "paperfeed ingest arxiv --set cs --categories cs.LG,cs.CL --from 2026-11-01",
    "arxiv-ids": "paperfeed ingest arxiv-ids 2401.12345 hep-th/9901001v2",
    "hf-daily": "paperfeed ingest hf-daily --date 2026-02-10",
    "file": "paperfeed ingest file ../shared/data/arxiv-daily-cs/papers.jsonl.gz",
    "rejects": "paperfeed ingest rejects --source arxiv-oai --limit 20",
}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def _categories(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


class Command(PaperfeedCommand):
    help = (
        "Import papers: harvest arXiv's OAI-PMH (resumable), fetch single arXiv ids, import Hugging Face "
        "daily papers or a JSONL/JSON/CSV/BibTeX file; list rejected records. Each run prints a summary: "
        "fetched, new, updated, unchanged, rejected."
    )
    example = "\n  ".join(EXAMPLES.values())

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="{arxiv,arxiv-ids,hf-daily,file,rejects}")

        def add(name, help):
            return sub.add_parser(
                name,
                help=help,
                description=help,
                epilog=f"example:\n  {EXAMPLES[name]}",
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )

        p = add(
            "arxiv",
            "Harvest arXiv's OAI-PMH interface. Resumes an interrupted harvest; with no arguments "
            "(the scheduler) fetches what is new since the last run.",
        )
        p.add_argument(
            "--set",
            dest="set_spec",
            help="OAI set: cs, math, physics:hep-th, ... (default: the last run's, else PAPERFEED_ARXIV_SET)",
        )
        p.add_argument("--categories", type=_categories, help="keep only these arXiv categories, comma-separated")
        p.add_argument(
            "--from",
            dest="from_date",
            type=_day,
            help="first datestamp, YYYY-MM-DD (default: where the last harvest ended)",
        )
        p.add_argument("--until", dest="until_date", type=_day, help="last datestamp, YYYY-MM-DD")
        p.add_argument(
            "--format",
            dest="metadata_format",
            choices=["arXivRaw", "arXiv"],
            help="OAI metadata format (default arXivRaw, which carries versions)",
        )
        p.add_argument("--restart", action="store_true", help="drop an unfinished harvest's place and start anew")
        p = add(
            "arxiv-ids",
            "Fetch papers by arXiv id from the arXiv API (old- and new-style ids, with or without version).",
        )
        p.add_argument("ids", nargs="+", metavar="ID")
        p = add("hf-daily", "Import Hugging Face daily papers of a day or a range of days, with their upvotes.")
        p.add_argument("--date", type=_day, help="one day, YYYY-MM-DD")
        p.add_argument("--from", dest="from_date", type=_day)
        p.add_argument("--until", dest="until_date", type=_day, help="default: --from")
        p = add("file", "Import a JSONL, JSON, CSV or BibTeX file, gzip-compressed or not.")
        p.add_argument("path", type=Path)
        p.add_argument("--format", choices=["jsonl", "json", "csv", "bibtex"], help="default: from the file name")
        p.add_argument("--source", default="file", help="source name kept on listings and rejects (default: file)")
        p = add("rejects", "List recently rejected records: source, reason, raw excerpt.")
        p.add_argument("--source", help="only this source (arxiv-oai, arxiv-api, hf-daily, file, ...)")
        p.add_argument("--limit", type=int, default=20)

    def handle(self, *args, what, **options):
        try:
            summary = getattr(commands, what.replace("-", "_"))(self, **options)
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted. Everything up to the last complete page is stored; run the same command again to go on."
            ) from None
        if summary is not None:
            self.stdout.write(f"Done: {summary}.")

    def bar(self, desc: str, total: int | None = None) -> tqdm:
        return tqdm(total=total, desc=desc, unit="paper", file=self.stderr._out, dynamic_ncols=True)
