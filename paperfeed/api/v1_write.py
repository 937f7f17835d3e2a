"""/api/v1 writes: votes, comments, submissions. Each needs a token or a session with CSRF (api/auth.py)."""

from __future__ import annotations

from ninja.responses import Status

from paperfeed.api import v1_serialize as ser
from paperfeed.api.auth import WRITE_AUTH
from paperfeed.api.v1 import api
from paperfeed.api.v1_read import comment_dict
from paperfeed.api.v1_schemas import Comment, CommentIn, Error, Me, Paper, SubmissionIn, Vote
from paperfeed.ingest import submissions
from paperfeed.papers import paper_actions, paper_list
from paperfeed.papers.models import Paper as PaperModel
from paperfeed.papers.models import Vote as VoteModel

WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


@api.get(
    "/me", auth=WRITE_AUTH, response={200: Me, **WRITE_ERRORS}, tags=["account"], summary="Who the API sees you as"
)
def me(request):
    return {
        "username": request.auth.username,
        "authenticated_by": "token" if getattr(request, "api_token", None) else "session",
    }


def _vote_state(user, paper) -> dict:
    upvotes = PaperModel.objects.get(pk=paper.pk).upvotes
    voted = VoteModel.objects.has_voted(user, paper)
    return {"paper": paper.arxiv_id, "voted": voted, "upvotes": upvotes}


@api.put(
    "/papers/{arxiv_id}/vote",
    auth=WRITE_AUTH,
    response={200: Vote, **WRITE_ERRORS},
    tags=["votes"],
    summary="Upvote a paper (idempotent)",
)
def upvote(request, arxiv_id: str):
    paper = paper_list.get_paper(arxiv_id)
    paper_actions.upvote(request.auth, paper)
    return _vote_state(request.auth, paper)


@api.delete(
    "/papers/{arxiv_id}/vote",
    auth=WRITE_AUTH,
    response={200: Vote, **WRITE_ERRORS},
    tags=["votes"],
    summary="Take back your upvote (idempotent)",
)
def undo_upvote(request, arxiv_id: str):
    paper = paper_list.get_paper(arxiv_id)
    paper_actions.undo_upvote(request.auth, paper)
    return _vote_state(request.auth, paper)


@api.post(
    "/papers/{arxiv_id}/comments",
    auth=WRITE_AUTH,
    response={201: Comment, **WRITE_ERRORS},
    tags=["comments"],
    summary="Comment on a paper (Markdown subset)",
)
def add_comment(request, arxiv_id: str, data: CommentIn):
    paper = paper_list.get_paper(arxiv_id)
    comment = paper_actions.add_comment(request.auth, paper, data.body)
    return Status(201, comment_dict(comment, paper))


@api.post(
    "/submissions",
    auth=WRITE_AUTH,
    response={201: Paper, 409: Error, 503: Error, **WRITE_ERRORS},
    tags=["submissions"],
    summary="Put a paper on today's list by arXiv id or URL",
)
def submit(request, data: SubmissionIn):
    paper = submissions.submit_paper(data.arxiv_id, user=request.auth)
    return Status(201, ser.paper(paper_list.get_paper(paper.arxiv_id)))
