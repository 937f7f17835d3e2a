"""Harvest arXiv's OAI-PMH interface: ListRecords pages, followed by resumption token, each page stored in one
transaction together with the harvest's state, so a run stopped anywhere resumes where it stopped.

`plan_harvest` decides what a run does (resume the unfinished harvest, or start a new one from the given
date or from where the last one ended); `harvest` runs it. Fetching goes through `fetch.arxiv_get` (paced,
one connection, back-off); parsing through `oai_parse`; storing through `store.ingest_records`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from paperfeed.errors import BadRequest, SourceUnavailable
from paperfeed.ingest import leases
from paperfeed.ingest.fetch import arxiv_get
from paperfeed.ingest.models import HarvestState
from paperfeed.ingest.normalize import Unreadable, is_arxiv_category
from paperfeed.ingest.oai_parse import FORMATS, MalformedPage, OaiPage, parse_page
from paperfeed.ingest.store import Summary, ingest_records, mark_withdrawn

SOURCE = "arxiv-oai"
LEASE = "arxiv-harvest"  # the scheduled harvest's lease (ingest/leases.py): one worker at a time runs it
logger = logging.getLogger(__name__)


@dataclass
class Progress:
    """What a command shows while a harvest runs: `advance(n)` after each page, `total(n)` when known."""

    advance: Callable[[int], None] = lambda n: None
    total: Callable[[int], None] = lambda n: None


def plan_harvest(
    *,
    set_spec: str | None = None,
    categories: list[str] | None = None,
    from_date: date | None = None,
    until_date: date | None = None,
    metadata_format: str | None = None,
    restart: bool = False,
) -> HarvestState:
    """The state a run works on. With no arguments (the scheduler): the most recent harvest goes on where it
    stopped, or a new one starts where it ended. An unfinished harvest is resumed when the arguments name the
    same harvest (or none); other arguments, or `restart`, start a new one."""
    for term in categories or []:
        if not is_arxiv_category(term):
            raise BadRequest(f"{term!r} is not an arXiv category; use names like cs.LG or math.PR.")
    if metadata_format is not None and metadata_format not in FORMATS:
        raise BadRequest(f"Unknown metadata format {metadata_format!r}; use arXiv or arXivRaw.")
    if from_date and until_date and until_date < from_date:
        raise BadRequest("--until is before --from.")
    if set_spec is None:
        latest = HarvestState.objects.order_by("-updated_at").first()
        set_spec = latest.set_spec if latest else settings.PAPERFEED["ARXIV_SET"]
    state, _ = HarvestState.objects.get_or_create(set_spec=set_spec)
    same = (
        from_date in (None, state.from_date)
        and until_date in (None, state.until_date)
        and metadata_format in (None, state.metadata_format)
        and (categories is None or sorted(categories) == sorted(state.categories))
    )
    if state.running and same and not restart:
        return state
    start = from_date or state.next_from
    if start is None:
        raise BadRequest(f"The first harvest of set {set_spec!r} needs a start date: add --from YYYY-MM-DD.")
    state.from_date, state.until_date = start, until_date
    if categories is not None:
        state.categories = categories
    elif not state.pk or not state.categories:
        state.categories = settings.PAPERFEED["ARXIV_CATEGORIES"]
    state.metadata_format = metadata_format or state.metadata_format or "arXivRaw"
    state.resumption_token, state.pages, state.records = "", 0, 0
    state.watermark = state.response_date = state.complete_size = state.finished_at = None
    state.save()
    return state


def _first_request(state: HarvestState) -> dict:
    params = {
        "verb": "ListRecords",
        "metadataPrefix": state.metadata_format,
        "set": state.set_spec,
        "from": state.from_date.isoformat(),
    }
    if state.until_date:
        params["until"] = state.until_date.isoformat()
    return params


def fetch_page(params: dict) -> OaiPage:
    """One ListRecords page; empty, truncated or unreadable pages are retried, then reported."""
    parsed: dict[str, OaiPage] = {}

    def unreadable(response) -> str | None:
        if response.status_code != 200:
            return None
        try:
            page = parse_page(response.content)
        except MalformedPage as exc:
            return f"unreadable page ({exc.reason})"
        if page.error_code is None and page.size == 0:
            return "a page without records"  # OAI says noRecordsMatch for an empty list: this one was cut
        parsed["page"] = page
        return None

    response = arxiv_get(settings.PAPERFEED["ARXIV_OAI_URL"], params=params, retry_if=unreadable)
    tries = settings.PAPERFEED["ARXIV_MAX_TRIES"]
    if response.status_code != 200:
        raise SourceUnavailable(
            f"arXiv's OAI-PMH answered HTTP {response.status_code} ({tries} tries). The harvest "
            "is saved where it stopped: run the same command again later and it resumes."
        )
    if "page" not in parsed:
        reason = unreadable(response)
        raise SourceUnavailable(
            f"arXiv's OAI-PMH sent {reason} {tries} times. The harvest is saved where it "
            "stopped: run the same command again later and it resumes."
        )
    return parsed["page"]


def _wanted(record: dict, categories: set[str]) -> bool:
    return not categories or bool(categories.intersection(record.get("categories") or ()))


def harvest(state: HarvestState, *, progress: Progress | None = None) -> Summary:
    """Fetch and store every page of `state`'s harvest from where it stands; returns the run's counts."""
    progress = progress or Progress()
    summary = Summary()
    wanted = set(state.categories)
    token = state.resumption_token
    seen = {token} if token else set()
    restarted = False
    while True:
        page = fetch_page({"verb": "ListRecords", "resumptionToken": token} if token else _first_request(state))
        if page.error_code == "noRecordsMatch":
            _store_page(state, page, summary, wanted, final=True)
            return summary
        if page.error_code == "badResumptionToken" and token and not restarted:
            # arXiv's tokens expire; the harvest starts again from its from-date, and what is stored already
            # comes back unchanged.
            token, seen, restarted = "", set(), True
            continue
        if page.error_code:
            raise SourceUnavailable(
                f"arXiv's OAI-PMH refused the request ({page.error_code}: {page.error_message}). "
                "Check --set, --from and --until; `paperfeed ingest arxiv --restart` starts afresh."
            )
        if page.complete_size:
            progress.total(page.complete_size)
        final = not page.token
        _store_page(state, page, summary, wanted, final=final)
        progress.advance(page.size)
        if final:
            return summary
        if page.token in seen:
            raise SourceUnavailable(
                f"arXiv's OAI-PMH sent resumption token {page.token[:60]!r} a second time; "
                "stopped rather than loop. Pages so far are stored; run the same command "
                "again later, or with --restart."
            )
        seen.add(page.token)
        token = page.token


def _store_page(state: HarvestState, page: OaiPage, summary: Summary, wanted: set[str], *, final: bool) -> None:
    records = [r for r in page.records if _wanted(r, wanted)]
    rejects = [Unreadable(raw=excerpt, reason=reason) for excerpt, reason in page.errors]
    with transaction.atomic():
        counts = ingest_records([*records, *rejects], source=SOURCE, list_on=page.response_date)
        withdrawn = mark_withdrawn(page.deleted) if page.deleted else 0
        state.resumption_token = "" if final else page.token
        state.pages += 1
        state.records += page.size
        if state.response_date is None:
            state.response_date = page.response_date
        if page.datestamps:
            state.watermark = max([d for d in (state.watermark, *page.datestamps) if d])
        if page.complete_size:
            state.complete_size = page.complete_size
        if final:
            state.next_from = state.until_date or state.response_date or state.watermark or state.from_date
            state.finished_at = timezone.now()
        state.save()
    summary.add(counts)
    summary.fetched += len(page.deleted) + (len(page.records) - len(records))
    summary.skipped += len(page.records) - len(records)
    summary.updated += withdrawn
    summary.unchanged += len(page.deleted) - withdrawn


def harvest_scheduled() -> Summary | None:
    """The scheduled job (HARVEST_INTERVAL): fetch what is new since the last run of the latest harvest.

    Does nothing until an admin has run a first `paperfeed ingest arxiv --from ...`, which sets the set and start.
    Of the workers that run it, one at a time harvests: it holds the lease LEASE, renews it after each page and
    frees it when done; the others skip their turn. A worker that dies is taken over once its lease runs out
    (HARVEST_LEASE_SECONDS), and goes on where it stopped, as every harvest does.
    """
    if not HarvestState.objects.exists():
        logger.info("no arXiv harvest set up yet; run `paperfeed ingest arxiv --set cs --from YYYY-MM-DD` once")
        return None
    owner, seconds = leases.new_owner(), settings.PAPERFEED["HARVEST_LEASE_SECONDS"]
    if not leases.take(LEASE, owner=owner, seconds=seconds):
        logger.info("scheduled arXiv harvest skipped: %s is running it", leases.holder(LEASE) or "another worker")
        return None

    def renew(pages: int) -> None:
        if not leases.renew(LEASE, owner=owner, seconds=seconds):
            raise SourceUnavailable(
                f"The scheduled arXiv harvest's lease ran out (more than {seconds:.0f} s for one page) and another "
                "worker took it over; this one stopped after storing its page."
            )

    try:
        summary = harvest(plan_harvest(), progress=Progress(advance=renew))
    finally:
        leases.release(LEASE, owner=owner)
    logger.info("scheduled arXiv harvest: %s", summary)
    return summary
