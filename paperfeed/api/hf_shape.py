"""Papers in the JSON shape of Hugging Face's /api/daily_papers and /api/papers/{id}, so its clients work here.

Differences from Hugging Face (docs/api.md has the full list): ids like `_id` and `discussionId` are ours;
`githubStars`, `ai_summary`, `ai_keywords`, `organization` and `thumbnail` are omitted (we don't have them);
`submittedBy` is null for papers that came from an import rather than a person; `githubRepo`/`projectPage`
are repeated at the top level of a daily-papers item because huggingface_hub's PaperInfo reads them there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from paperfeed.api.v1_serialize import plain
from paperfeed.lib.site import site_url
from paperfeed.papers import paper_list
from paperfeed.papers.models import Listing, Paper


def iso(value: datetime | date | None) -> str | None:
    """HF's timestamp format, which huggingface_hub's parse_datetime insists on: 2026-02-10T08:00:00.000Z."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def user_json(user=None, name: str = "") -> dict | None:
    if user is not None:
        fullname = user.get_full_name() or user.username
        return {
            "_id": str(user.pk),
            "user": user.username,
            "fullname": fullname,
            "name": user.username,
            "avatarUrl": "",
            "isPro": False,
            "type": "user",
        }
    if name:
        return {
            "_id": f"import:{name}",
            "user": name,
            "fullname": name,
            "name": name,
            "avatarUrl": "",
            "isPro": False,
            "type": "user",
        }
    return None


def _links(paper: Paper) -> dict:
    github = next((u for u in paper.code_links if u.startswith("https://github.com/")), None)
    other = next((u for u in paper.code_links if u != github), None)
    out = {"githubRepo": github}
    if other:
        out["projectPage"] = other
    return out


def on_daily_at(listing: Listing) -> datetime:
    """When the paper went on its day's list, as Hugging Face's submittedOnDailyAt means it: the time the row was
    made when that was on the listing day, else (an import, a backfill) the start of the listing day, so the
    timestamp always names the day the paper is listed on."""
    made = listing.created_at
    start = paper_list.day_start(listing.day)
    if made is not None and made.astimezone(start.tzinfo).date() == listing.day:
        return made
    return start


def paper_json(paper: Paper) -> dict:
    """The `paper` object of a daily item, and (with numComments) the body of /api/papers/{id}."""
    listing = paper.listing_or_none()
    submitter = user_json(listing.submitted_by, listing.submitter_name) if listing else None
    withdrawn_at = (paper.updated_on or paper.submitted_on or date.today()) if paper.withdrawn else None
    return {
        "id": paper.arxiv_id,
        "authors": [
            {"_id": f"{paper.arxiv_id}:{i}", "name": name, "hidden": False} for i, name in enumerate(paper.authors)
        ],
        "publishedAt": iso(paper.submitted_on or paper.announced_on or (listing and listing.day)),
        "submittedOnDailyAt": iso(on_daily_at(listing)) if listing else None,
        "submittedOnDailyBy": submitter,
        "title": plain(paper.title),
        "summary": plain(paper.abstract),
        "titleSource": paper.title,
        "summarySource": paper.abstract,
        "upvotes": paper.upvotes,
        "discussionId": paper.arxiv_id,
        **_links(paper),
        "withdrawnAt": iso(withdrawn_at),
        "numComments": paper.comment_count,
        "categories": paper.categories,
        "url": site_url(paper.get_absolute_url()),
    }


def daily_item(listing: Listing) -> dict:
    """One element of /api/daily_papers (and of /api/papers/search): the paper plus its daily-list entry."""
    paper = listing.paper
    paper.listing = listing  # already loaded; saves a query per item
    body = paper_json(paper)
    links = {k: body[k] for k in ("githubRepo", "projectPage") if k in body}
    return {
        "paper": body,
        "publishedAt": body["submittedOnDailyAt"],
        "title": body["title"],
        "summary": body["summary"],
        "numComments": paper.comment_count,
        "submittedBy": body["submittedOnDailyBy"],
        "isAuthorParticipating": False,
        **links,
    }
