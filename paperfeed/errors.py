"""One error hierarchy for everything a user can get wrong or that can fail outside our control.

Views, the API and the CLI raise these; `paperfeed.lib.middleware.ErrorMiddleware` renders them as an HTML
page or as the fixed JSON shape ``{"error": {"status": int, "code": str, "message": str}}``, and the CLI
prints the message. Anything that is not a PaperfeedError is a bug and stays a 500. `error_json` builds that
JSON shape, for these errors and for the few answers that are not raised as one (django-ninja's own errors).
"""


def error_json(status: int, code: str, message: str) -> dict[str, dict[str, int | str]]:
    """The one JSON shape of every error answer: ``{"error": {"status", "code", "message"}}``."""
    return {"error": {"status": status, "code": code, "message": message}}


class PaperfeedError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status

    def as_json(self) -> dict[str, dict[str, int | str]]:
        return error_json(self.status, self.code, self.message)


class BadRequest(PaperfeedError):
    status = 400
    code = "bad_request"


class NotFound(PaperfeedError):
    status = 404
    code = "not_found"


class Forbidden(PaperfeedError):
    status = 403
    code = "forbidden"


class RateLimited(PaperfeedError):
    """Over a rate limit; `retry_after` (seconds) goes out as the Retry-After header."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Conflict(PaperfeedError):
    status = 409
    code = "conflict"


class InvalidArxivId(BadRequest):
    code = "invalid_arxiv_id"


class UnknownArxivId(NotFound):
    code = "unknown_arxiv_id"


class SourceUnavailable(PaperfeedError):
    """An outside service (arXiv, Hugging Face) did not answer usefully; the message says what to do next."""

    status = 503
    code = "source_unavailable"
