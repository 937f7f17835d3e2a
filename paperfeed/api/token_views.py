"""Create and revoke personal API tokens from the account page. The secret is shown once, never stored."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from paperfeed.accounts import throttle
from paperfeed.accounts.views import account_page
from paperfeed.api.models import ApiToken
from paperfeed.errors import BadRequest, NotFound, RateLimited

MAX_ACTIVE = 20


@require_POST
@login_required
def create(request):
    name = (request.POST.get("name") or "").strip()[:100]
    if not name:
        raise BadRequest(
            "Give the token a name that says where it will be used, e.g. 'lab chat bot'.", code="missing_name"
        )
    if ApiToken.objects.active().filter(user=request.user).count() >= MAX_ACTIVE:
        raise BadRequest(
            f"You have {MAX_ACTIVE} active tokens; revoke one you no longer use first.", code="too_many_tokens"
        )
    try:
        throttle.check(request, "api_token", rate_setting="API_TOKEN_RATE", per="user", what="new API tokens")
    except RateLimited as exc:
        extra = {"token_name": name, "token_error": exc.message}
        return throttle.retry_after_header(account_page(request, status=429, extra=extra), exc)
    token, secret = ApiToken.issue(request.user, name)
    response = render(request, "api/token_created.html", {"token": token, "secret": secret})
    response["Cache-Control"] = "no-store"  # the secret must not linger in a cache
    return response


@require_POST
@login_required
def revoke(request, pk: int):
    # Someone else's token is "not found", so token ids reveal nothing.
    updated = ApiToken.objects.active().filter(pk=pk, user=request.user).update(revoked_at=timezone.now())
    if not updated and not ApiToken.objects.filter(pk=pk, user=request.user).exists():
        raise NotFound("You have no such token.", code="token_not_found")
    messages.info(request, "The token is revoked; requests that use it are refused from now on.")
    return redirect("account")
