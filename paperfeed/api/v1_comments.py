"""/api/v1 comments: a paper's visible comments (public) and adding one (token or session with CSRF).

Both share the path /papers/{arxiv_id}/comments, and one path must live in one Router (Django resolves a path
to the first view that claims it), so reading and writing comments are this one area.
"""

from __future__ import annotations

from ninja import Router
from ninja.responses import Status

from paperfeed.accounts import throttle
from paperfeed.api.auth import WRITE_AUTH
from paperfeed.api.v1_schemas import CommentIn, CommentOut, Error
from paperfeed.papers import paper_actions, paper_list

router = Router()
READ_ERRORS = {400: Error, 404: Error, 422: Error, 429: Error}
WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


def comment_dict(c, paper) -> dict:
    return {
        "id": c.pk,
        "paper": paper.arxiv_id,
        "author": c.user.username,
        "body": c.body,
        "html": str(paper_actions.render_comment(c.body)),
        "created_at": c.created_at,
    }


# The operation ids are the ones these operations had when reads and writes lived in v1_read and v1_write;
# generated clients name their methods after them, so they stay.
@router.get(
    "/papers/{arxiv_id}/comments",
    response={200: list[CommentOut], **READ_ERRORS},
    tags=["comments"],
    summary="A paper's visible comments, oldest first",
    operation_id="paperfeed_api_v1_read_list_comments",
)
def list_comments(request, arxiv_id: str):
    paper = paper_list.get_paper(arxiv_id)
    return [comment_dict(c, paper) for c in paper.comments.filter(hidden=False).select_related("user")]


@router.post(
    "/papers/{arxiv_id}/comments",
    auth=WRITE_AUTH,
    response={201: CommentOut, **WRITE_ERRORS},
    tags=["comments"],
    summary="Comment on a paper (Markdown subset); at most COMMENT_RATE per user, as on the page, then 429",
    operation_id="paperfeed_api_v1_write_add_comment",
)
def add_comment(request, arxiv_id: str, data: CommentIn):
    paper = paper_list.get_paper(arxiv_id)
    # The page's limit and the page's counter: django-ratelimit's user key reads request.user, which a token
    # request does not set, so it is the caller the auth found.
    request.user = request.auth
    throttle.check(request, "comment", rate_setting="COMMENT_RATE", per="user", what="comments")
    comment = paper_actions.add_comment(request.auth, paper, data.body)
    return Status(201, comment_dict(comment, paper))
