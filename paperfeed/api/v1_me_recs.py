"""/api/v1/me/for-you and /api/v1/me/feedback: the caller's For you, and their Not-interested marks.

Thin shells over recommend/feed.py and recommend/actions.py; only the caller's own feed and marks are ever
read or written (the token or session names the reader; there is no user parameter to get wrong).
"""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from paperfeed.api import v1_serialize
from paperfeed.api.auth import WRITE_AUTH
from paperfeed.api.v1_schemas import Error, Input, PaperOut
from paperfeed.papers import paper_list
from paperfeed.recommend import actions, feed

router = Router()
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


class ForYouPaper(PaperOut):
    reason: str = Field(description="why this paper is here, from the part of the score that put it there")
    score: float = Field(description="the reader's For-you score (comparable within one response only)")


class ForYouPage(Schema):
    items: list[ForYouPaper]
    page: int
    page_size: int
    total: int
    has_next: bool
    window: Literal["day", "week", "month"]
    has_signal: bool


class ForYouQuery(Schema):
    window: Literal["day", "week", "month"] = "week"
    page: int = Field(1, ge=1, le=paper_list.MAX_PAGE)


class FeedbackIn(Input):
    paper: str = Field(min_length=1, max_length=40, description="arXiv id")
    not_interested: bool = Field(description="true marks the paper Not interested; false clears the mark")


class FeedbackOut(Schema):
    paper: str
    not_interested: bool


@router.get("/me/for-you", auth=WRITE_AUTH, response={200: ForYouPage, **ERRORS}, tags=["for you"])
def for_you(request, params: Query[ForYouQuery]):
    result = feed.recommend(request.auth, window=params.window, page=params.page)
    body = v1_serialize.page(result, feed.PAGE_SIZE)
    for out, item in zip(body["items"], result.items, strict=True):
        out.update(reason=item.reason, score=item.score)
    body.update(window=params.window, has_signal=result.profile.has_signal)
    return body


@router.post("/me/feedback", auth=WRITE_AUTH, response={200: FeedbackOut, **ERRORS}, tags=["for you"])
def feedback(request, body: FeedbackIn):
    paper = paper_list.get_paper(body.paper)
    (actions.not_interested if body.not_interested else actions.undo_not_interested)(request.auth, paper)
    return {"paper": paper.arxiv_id, "not_interested": body.not_interested}
