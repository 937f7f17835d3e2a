"""The one module through which paperfeed talks to the outside world over HTTP.

Every outbound request (arXiv, Hugging Face, anything later) goes through `get`, so that the User-Agent,
timeouts and the translation of network failures into `SourceUnavailable` live in one place.
"""

from __future__ import annotations

import httpx
from django.conf import settings

from paperfeed import __version__
from paperfeed.errors import SourceUnavailable


def user_agent() -> str:
    contact = settings.PAPERFEED["CONTACT_EMAIL"]
    tail = f"; mailto:{contact}" if contact else ""
    return f"paperfeed/{__version__} (+{settings.PAPERFEED['SITE_URL']}{tail})"


def get(url: str, *, params: dict | None = None, timeout: float | None = None, what: str = "the server") -> httpx.Response:
    """GET `url` and return the response, whatever its status; network failures become SourceUnavailable.

    `what` names the remote service in error messages ("arXiv", "Hugging Face").
    """
    timeout = timeout if timeout is not None else settings.PAPERFEED["HTTP_TIMEOUT"]
    try:
        return httpx.get(
            url,
            params=params,
            headers={"User-Agent": user_agent()},
            timeout=timeout,
            follow_redirects=True,
        )
    except httpx.TimeoutException as exc:
        raise SourceUnavailable(f"{what} did not answer within {timeout:g} s; try again in a few minutes.") from exc
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"Could not reach {what} ({exc.__class__.__name__}); check the network and try again.") from exc
