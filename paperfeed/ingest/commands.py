"""What each `paperfeed ingest` subcommand does, given the parsed options; the command file only dispatches."""

from __future__ import annotations

from paperfeed.errors import BadRequest
from paperfeed.ingest import arxiv_api, files, oai_harvest
from paperfeed.ingest import hf_daily as hf
from paperfeed.ingest.models import Reject
from paperfeed.ingest.store import ingest_records
from paperfeed.papers.arxiv_ids import parse_arxiv_id

API_BATCH = 50


def arxiv(
    cmd, *, set_spec=None, categories=None, from_date=None, until_date=None, metadata_format=None, restart=False, **_
):
    state = oai_harvest.plan_harvest(
        set_spec=set_spec,
        categories=categories,
        from_date=from_date,
        until_date=until_date,
        metadata_format=metadata_format,
        restart=restart,
    )
    verb = f"Resuming at page {state.pages + 1}" if state.running else "Harvesting"
    cmd.stderr.write(
        f"{verb}: set {state.set_spec} from {state.from_date}"
        f"{f' until {state.until_date}' if state.until_date else ''} ({state.metadata_format}"
        f"{', categories ' + ','.join(state.categories) if state.categories else ''})."
    )
    with cmd.bar("arXiv OAI", state.complete_size) as bar:
        bar.update(state.records)

        def total(n):
            bar.total = n
            bar.refresh()

        return oai_harvest.harvest(state, progress=oai_harvest.Progress(advance=bar.update, total=total))


def arxiv_ids(cmd, *, ids, **_):
    parsed = [parse_arxiv_id(text) for text in ids]  # InvalidArxivId names the accepted forms
    records = []
    with cmd.bar("arXiv API", len(parsed)) as bar:
        for start in range(0, len(parsed), API_BATCH):
            batch = parsed[start : start + API_BATCH]
            records += arxiv_api.fetch_by_ids(batch, patient=True)
            bar.update(len(batch))
    found = {r["id"] for r in records}
    missing = [str(a) for a in parsed if a.base not in found]
    if missing:
        cmd.stderr.write(f"arXiv has no paper {', '.join(missing)}.")
    return ingest_records(records, source="arxiv-api")


def hf_daily(cmd, *, date=None, from_date=None, until_date=None, **_):
    if date and (from_date or until_date):
        raise BadRequest("Give either --date or --from/--until.")
    start = date or from_date
    if start is None:
        raise BadRequest("Give --date YYYY-MM-DD, or --from YYYY-MM-DD [--until YYYY-MM-DD].")
    days = hf.days_between(start, until_date or start)
    with cmd.bar("Hugging Face") as bar:
        return hf.import_days(days, progress=bar.update)


def file(cmd, *, path, format=None, source="file", **_):
    if not path.is_file():
        what = f"{path} is a folder" if path.is_dir() else f"No such file: {path}"
        raise BadRequest(
            f"{what}; give the path of a JSONL, JSON, CSV or BibTeX file (gzipped or not), "
            f"e.g. paperfeed ingest file ../shared/data/arxiv-daily-cs/papers.jsonl.gz"
        )
    records = files.read_records(path, format)
    fmt = format or files.detect_format(path)
    # Counting lines first costs a second on 75,000 papers and gives the bar its total and an ETA.
    total = _count_lines(path) if fmt == "jsonl" and cmd.on_terminal() else None
    with cmd.bar(path.name, total) as bar:
        return ingest_records(records, source=source, progress=bar.update)


def _count_lines(path) -> int | None:
    try:
        with files.open_text(path) as text:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: text.buffer.read(1 << 20), b"")) or None
    except (OSError, EOFError):
        return None  # the import itself says what is wrong with the file


def rejects(cmd, *, source=None, limit=20, **_):
    if limit < 1:
        raise BadRequest("--limit must be at least 1.")
    rows = Reject.objects.order_by("-created_at", "-id")
    if source:
        rows = rows.filter(source=source)
    rows = list(rows[:limit])
    if not rows:
        cmd.stdout.write("No rejected records" + (f" from {source}." if source else "."))
        return None
    for r in rows:
        raw = " ".join(r.raw.split())
        cmd.stdout.write(
            f"{r.created_at:%Y-%m-%d %H:%M} {r.source}: {r.reason}\n    {raw[:200]}{'…' if len(raw) > 200 else ''}"
        )
    return None
