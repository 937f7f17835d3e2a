import json

from django.http import JsonResponse

from paperfeed.errors import BadRequest, PaperfeedError, error_json
from paperfeed.lib.error_views import error_response

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_WRITES = ("POST", "PUT", "PATCH", "DELETE")


class ErrorMiddleware:
    """Renders PaperfeedError raised anywhere in a view as an HTML page or the fixed JSON shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PaperfeedError):
            return error_response(request, exception)
        return None


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _has_body(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True


def _unsupported_body(request):
    """An /api/ write whose body is not JSON. Refused before anything reads the body: Django's form parsing
    (the NUL check below, CSRF) consumes the stream, and django-ninja reading it afterwards is a 500."""
    if request.method not in _WRITES or not _has_body(request):
        return None
    if request.content_type == "application/json":
        try:
            json.loads(request.body)
        except ValueError:  # also checked for operations that take no body: a broken one is a broken client
            return JsonResponse(
                error_json(400, "invalid_json", "The request body is not valid JSON (UTF-8)."), status=400
            )
        return None
    given = request.content_type or "none"
    return JsonResponse(
        error_json(
            415,
            "unsupported_media_type",
            f"The API reads JSON bodies only (Content-Type: application/json), not {given[:80]!r}.",
        ),
        status=415,
    )


def _method_not_allowed(response):
    """The JSON error shape for a 405 on an /api/ URL (Django and django-ninja answer it with an empty or HTML
    body); Allow is kept so the caller learns what the URL does take."""
    if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
        return response
    allowed = response.get("Allow", "")
    answer = JsonResponse(
        error_json(405, "method_not_allowed", f"This address answers {allowed or 'no other method'} only."),
        status=405,
    )
    if allowed:
        answer["Allow"] = allowed
    return answer


class RejectNulMiddleware:
    """Refuses form fields and query parameters that contain NUL: PostgreSQL text cannot store it, and no real
    input needs it. Checked once here rather than in every form and filter.

    Also where request methods are settled for every view: HEAD is answered as GET without the body (feed
    readers and monitors send it, and views only declare GET), and the API refuses bodies that are not JSON
    and answers a wrong method in its JSON error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in value for value in request.GET.values()):
            return error_response(request, BadRequest("The address contains a NUL character.", code="nul_character"))
        if _is_api(request):
            refused = _unsupported_body(request)
            if refused is not None:
                return refused
        elif request.method == "POST" and request.content_type in _FORM_TYPES:  # noqa: SIM102 (the cheap test first)
            # The API strips NUL in its own schemas (api/v1_schemas.Input) and never reads request.POST.
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                return error_response(
                    request,
                    BadRequest("A field contains a NUL character; remove it and try again.", code="nul_character"),
                )
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if _is_api(request):
            response = _method_not_allowed(response)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        return response
