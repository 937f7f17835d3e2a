from django.shortcuts import render
from django.http import JsonResponse

from paperfeed.errors import PaperfeedError


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def error_response(request, error: PaperfeedError):
    if wants_json(request):
        return JsonResponse(error.as_json(), status=error.status)
    return render(request, "error.html", {"error": error}, status=error.status)


class ErrorMiddleware:
    """Renders PaperfeedError raised anywhere in a view as an HTML page or the fixed JSON error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PaperfeedError):
            return error_response(request, exception)
        return None
