"""Where browsers report Content-Security-Policy violations (the policy's report-uri): logged, so that a page
the policy breaks shows up in the server log instead of failing silently in a reader's browser."""

import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("paperfeed.csp")
MAX_REPORT_BYTES = 8192


@csrf_exempt  # browsers send reports without cookies or tokens; nothing is written but a log line
@require_POST
def csp_report(request):
    body = request.body[:MAX_REPORT_BYTES]
    try:
        report = json.loads(body).get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    logger.warning(
        "CSP violation on %s: %s blocked %s",
        str(report.get("document-uri", "?"))[:300],
        str(report.get("effective-directive") or report.get("violated-directive", "?"))[:100],
        str(report.get("blocked-uri", "?"))[:300],
    )
    return HttpResponse(status=204)
