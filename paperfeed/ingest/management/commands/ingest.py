"""`paperfeed ingest arxiv | arxiv-ids | hf-daily | file | rejects`: thin shells over paperfeed.ingest."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

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


class Bar(tqdm):
    """tqdm that counts even when it draws nothing (a disabled tqdm stops counting), for the Ctrl-C line."""

    counted = 0

    def update(self, n=1):
        self.counted += n
        return super().update(n)


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
        self._bar: Bar | None = None
        try:
            summary = getattr(commands, what.replace("-", "_"))(self, **options)
        except KeyboardInterrupt:
            self.stderr.write(self._stopped(what, options))
            raise SystemExit(130) from None
        if summary is not None:
            self.stdout.write(f"Done: {summary}.")

    def _stopped(self, what: str, options: dict) -> str:
        """The one line Ctrl-C leaves: what is kept and how to go on."""
        done = self._bar.counted if self._bar is not None else 0
        if what == "arxiv":
            return (
                f"Stopped by Ctrl-C after {done:,} records; every complete page is stored. "
                "Run `paperfeed ingest arxiv` again to resume at the next page."
            )
        if what == "file":
            return (
                f"Stopped by Ctrl-C after {done:,} records, which are stored. Run the same command again to "
                "import the rest (the papers stored already count as unchanged)."
            )
        if what == "hf-daily":
            return (
                f"Stopped by Ctrl-C after {done:,} papers, which are stored. Run the same command again "
                "to go on (the papers stored already count as unchanged)."
            )
        return "Stopped by Ctrl-C; nothing was left half-written. Run the same command again to go on."

    def on_terminal(self) -> bool:
        return self.stderr._out.isatty()

    def bar(self, desc: str, total: int | None = None) -> Bar:
        """A progress bar on a terminal; nothing when stderr is a file or a pipe (the summary line still comes)."""
        self._bar = Bar(
            total=total,
            desc=desc,
            unit="paper",
            unit_scale=False,
            file=self.stderr._out,
            dynamic_ncols=True,
            disable=not self.on_terminal(),
        )
        return self._bar
