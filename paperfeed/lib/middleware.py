from paperfeed.errors import BadRequest, PaperfeedError
from paperfeed.lib.error_views import error_response


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


class RejectNulMiddleware:
    """Refuses form fields and query parameters that contain NUL: PostgreSQL text cannot store it, and no real
    input needs it. Checked once here rather than in every form and filter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in value for value in request.GET.values()):
            return error_response(request, BadRequest("The address contains a NUL character.", code="nul_character"))
        form = ("application/x-www-form-urlencoded", "multipart/form-data")
        if request.method == "POST" and request.content_type in form:  # noqa: SIM102 (the cheap test first)
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                return error_response(
                    request,
                    BadRequest("A field contains a NUL character; remove it and try again.", code="nul_character"),
                )
        return self.get_response(request)
