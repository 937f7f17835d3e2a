"""Who is calling the API: a personal token (Authorization: Bearer pf_...) or a logged-in browser session.

Session callers must send the CSRF token like any form; token callers need none, because a browser never
attaches a bearer token on its own.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from paperfeed.api.models import ApiToken

TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is for the owner's eyes; a write per request is not worth it


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.lookup(token)
        if found is None:
            # Say so, rather than falling through to the session check and failing on CSRF instead.
            raise AuthenticationError(
                401, "This API token is unknown or has been revoked; create one on your account page."
            )
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.api_token = found
        return found.user


class LoggedInSession(SessionAuth):
    """Django's session, CSRF checked; an anonymous caller is told to authenticate (401), not about CSRF (403)."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


WRITE_AUTH = [TokenAuth(), LoggedInSession()]


class Anyone:
    """Last in a read's list: a caller with neither token nor session reads as the anonymous user. A read that
    shows its owner private things (a collection) so knows who asks, whether by token or by session."""

    def __call__(self, request):
        return request.user


# An unknown token is still a 401: a script that sent one expects to be someone, and should hear that it is not.
READ_AUTH = [TokenAuth(), LoggedInSession(), Anyone()]
