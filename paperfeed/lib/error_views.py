"""Error pages: a PaperfeedError rendered as HTML or the fixed JSON shape, and Django's error handlers routed
through the same rendering."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from paperfeed.errors import BadRequest, Forbidden, NotFound, PaperfeedError, RateLimited


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def error_response(request, error: PaperfeedError) -> HttpResponse:
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(error.as_json(), status=error.status)
    else:
        response = render(request, "error.html", {"error": error}, status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


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
