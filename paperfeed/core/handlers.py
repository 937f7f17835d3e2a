"""Django's error handlers, routed through the same error page and JSON shape as PaperfeedError."""

from paperfeed.core.middleware import error_response
from paperfeed.errors import BadRequest, Forbidden, NotFound, PaperfeedError


def bad_request(request, exception=None):
    return error_response(request, BadRequest("The request could not be understood."))


def permission_denied(request, exception=None):
    return error_response(request, Forbidden("You are not allowed to do that."))


def not_found(request, exception=None):
    return error_response(request, NotFound("There is nothing at this address."))


def server_error(request):
    return error_response(
        request, PaperfeedError("Something broke on our side; it has been logged.", code="server_error", status=500)
    )


def csrf_failure(request, reason=""):
    return error_response(
        request,
        Forbidden("The form's security token was missing or stale; reload the page and try again.", code="csrf_failed"),
    )
