"""The site's own name and address: absolute links in mail, feeds and the API, and the template context."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def site_url(path: str) -> str:
    """An absolute URL on this site for a path like '/papers' (PAPERFEED_SITE_URL is where readers reach it)."""
    return str(settings.PAPERFEED["SITE_URL"]).rstrip("/") + path


def site_domain() -> str:
    return urlsplit(str(settings.PAPERFEED["SITE_URL"])).hostname or "localhost"


def site(request: HttpRequest) -> dict[str, str]:
    """Template context processor."""
    return {"site_name": str(settings.PAPERFEED["SITE_NAME"])}
