"""The shapes of paperfeed's own API (/api/v1), as pydantic schemas; the OpenAPI document is made from them."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field, field_validator

from paperfeed.api import v1_params as params


def strip_nul(value):
    """PostgreSQL text and jsonb cannot hold NUL; it is never meaningful in what people type, so drop it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [strip_nul(v) for v in value]
    return value


class Input(Schema):
    """Base of every request body: strings arrive without NUL characters."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        return strip_nul(value)


class ErrorBody(Schema):
    status: int
    code: str = Field(description="stable machine-readable reason, e.g. not_found, invalid_sort, rate_limited")
    message: str = Field(description="what went wrong and what to do, for people")


class Error(Schema):
    error: ErrorBody


class PaperOut(Schema):
    id: str = Field(description="arXiv id without version")
    version: int
    title: str = Field(description="plain text: LaTeX math rendered as Unicode, as on the paper page")
    abstract: str = Field(description="plain text: LaTeX math rendered as Unicode, as on the paper page")
    title_source: str = Field(description="the title as arXiv gives it, LaTeX included")
    abstract_source: str = Field(description="the abstract as arXiv gives it, LaTeX included")
    authors: list[str]
    categories: list[str]
    primary_category: str
    comment: str
    journal_ref: str
    doi: str
    code_links: list[str]
    submitted_on: date | None = Field(description="first version's arXiv submission date")
    updated_on: date | None
    withdrawn: bool
    upvotes: int = Field(description="votes cast here plus upvotes imported from elsewhere")
    num_comments: int
    listed_on: date | None = Field(description="the day of the daily listing the paper is on")
    submitted_by: str | None = Field(description="user name of whoever put it on the list; null for imports")
    url: str
    abs_url: str
    pdf_url: str


class PaperPage(Schema):
    items: list[PaperOut]
    page: int
    page_size: int
    total: int
    has_next: bool


class TrendingPaper(PaperOut):
    score: float = Field(description="effective_votes / (age_hours + offset_hours) ** gravity")
    effective_votes: int = Field(description="imported upvotes + votes here by accounts older than min_voter_age_hours")
    age_hours: float = Field(description="hours since the start of the paper's listing day")


class TrendingParamsOut(Schema):
    formula: str
    gravity: float
    offset_hours: float
    min_voter_age_hours: float
    window_days: int
    now: datetime


class TrendingPage(Schema):
    items: list[TrendingPaper]
    page: int
    page_size: int
    total: int
    has_next: bool
    params: TrendingParamsOut


class SearchPage(Schema):
    items: list[PaperOut]
    query: str
    page: int
    page_size: int
    total: int = Field(description="ranked candidates (at most the fusion depths)")
    has_next: bool
    notices: list[str] = Field(description="things the searcher should know, e.g. that semantic search is off")


class VoteOut(Schema):
    paper: str
    voted: bool
    upvotes: int


class CommentOut(Schema):
    id: int
    paper: str
    author: str
    body: str = Field(description="Markdown as written")
    html: str = Field(description="the sanitized HTML rendering of body")
    created_at: datetime


class CommentIn(Input):
    body: str = Field(min_length=1, max_length=10_000)


class SubmissionIn(Input):
    arxiv_id: str = Field(
        min_length=1,
        max_length=200,
        description="an arXiv id (2401.12345, hep-th/9901001, either may end in v2 or start with arXiv:) or an "
        "arxiv.org/abs/, /pdf/ or /html/ URL",
        # published, not enforced: what does not parse is a 400 invalid_arxiv_id that says which forms work
        json_schema_extra={"pattern": params.SUBMITTED_ID},
    )


class Me(Schema):
    username: str
    authenticated_by: str = Field(description="token or session")


class TopicOut(Schema):
    id: int = Field(description="stable across map rebuilds while the topic's papers stay together")
    label: str = Field(description="a few words its papers use far more than other topics' papers (c-TF-IDF)")
    words: list[str]
    size: int = Field(description="papers in the topic")
    active: bool = Field(description="false once a rebuild found no cluster continuing it")
    x: float = Field(description="where its label sits on the map, 0..100")
    y: float
    url: str


class TopicWeekOut(Schema):
    week: date = Field(description="the Monday the week starts on")
    papers: int
    votes: int
    share: float = Field(description="the topic's share of all papers listed that week, 0..1")


class TopicDetailOut(TopicOut):
    weeks: list[TopicWeekOut]
    top_authors: list[list[str | int]] = Field(description="[name, papers] pairs, most papers first")
    newest: list[str] = Field(description="arXiv ids of its newest papers")


class TopicPointsOut(Schema):
    count: int
    topics: list[dict] = Field(description="[{id, label, x, y, size}]; a point's `topic` is an index into this list")
    ids: list[str] = Field(description="arXiv id of each point")
    x: list[float] = Field(description="0..100")
    y: list[float]
    topic: list[int]
    day: list[int] = Field(description="listing day as days since 1970-01-01, -1 when unknown")
