"""/api/v1 writes: votes and submissions (comments are v1_comments), and who the caller is.

Each needs a token or a session with CSRF (api/auth.py)."""

from __future__ import annotations

from ninja import Router
from ninja.responses import Status

from paperfeed.api import v1_serialize as ser
from paperfeed.api.auth import WRITE_AUTH
from paperfeed.api.v1_schemas import Error, Me, PaperOut, SubmissionIn, VoteOut
from paperfeed.ingest import submissions
from paperfeed.papers import paper_actions, paper_list
from paperfeed.papers.models import Paper, Vote

router = Router()
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


@router.get(
    "/me", auth=WRITE_AUTH, response={200: Me, **WRITE_ERRORS}, tags=["account"], summary="Who the API sees you as"
)
def me(request):
    return {
        "username": request.auth.username,
        "authenticated_by": "token" if getattr(request, "api_token", None) else "session",
    }


def _vote_state(user, paper) -> dict:
    upvotes = Paper.objects.get(pk=paper.pk).upvotes
    voted = Vote.objects.has_voted(user, paper)
    return {"paper": paper.arxiv_id, "voted": voted, "upvotes": upvotes}


@router.put(
    "/papers/{arxiv_id}/vote",
    auth=WRITE_AUTH,
    response={200: VoteOut, **WRITE_ERRORS},
    tags=["votes"],
    summary="Upvote a paper (idempotent)",
)
def upvote(request, arxiv_id: str):
    paper = paper_list.get_paper(arxiv_id)
    paper_actions.upvote(request.auth, paper)
    return _vote_state(request.auth, paper)


@router.delete(
    "/papers/{arxiv_id}/vote",
    auth=WRITE_AUTH,
    response={200: VoteOut, **WRITE_ERRORS},
    tags=["votes"],
    summary="Take back your upvote (idempotent)",
)
def undo_upvote(request, arxiv_id: str):
    paper = paper_list.get_paper(arxiv_id)
    paper_actions.undo_upvote(request.auth, paper)
    return _vote_state(request.auth, paper)


@router.post(
    "/submissions",
    auth=WRITE_AUTH,
    response={201: PaperOut, 409: Error, 503: Error, **WRITE_ERRORS},
    tags=["submissions"],
    summary="Put a paper on today's list by arXiv id or URL",
)
def submit(request, data: SubmissionIn):
    paper = submissions.submit_paper(data.arxiv_id, user=request.auth)
    return Status(201, ser.paper(paper_list.get_paper(paper.arxiv_id)))
