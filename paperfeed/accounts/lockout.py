"""What a locked-out log-in gets (django-axes' AXES_LOCKOUT_CALLABLE): the log-in page again, or for /api/ the
JSON error shape, saying when to retry; status 429 with Retry-After either way."""

from __future__ import annotations

import math

from axes.helpers import get_client_username, get_cool_off
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render

from paperfeed.errors import error_json
from paperfeed.lib.error_views import wants_json


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    seconds = math.ceil(cool_off.total_seconds()) if cool_off else 0
    minutes = max(1, math.ceil(seconds / 60))
    message = (
        f"Too many failed log-ins for this username from your address. Try again in {minutes} minutes "
        "(the wait starts again with each failed try), or reset your password."
    )
    if wants_json(request):
        response = JsonResponse(error_json(429, "login_locked", message), status=429)
    else:
        username = get_client_username(request, credentials) or ""
        # An unbound form: a bound one would try to authenticate again while rendering. The password is never
        # sent back; the username is kept.
        form = AuthenticationForm(request, initial={"username": username})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


def client_ip(request) -> str | None:
    # The address the API's rate limits use too: REMOTE_ADDR, which gunicorn's forwarded-allow-ips decides whether
    # to rewrite behind a proxy; django-ipware's guessing from X-Forwarded-For would let a client pick its address.
    # None where there is none (a log-in made in code): axes stores it in an IP address column.
    return request.META.get("REMOTE_ADDR") or None
