from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from paperfeed.accounts import follow_actions, throttle
from paperfeed.accounts import signup as signups
from paperfeed.accounts.forms import SignupForm
from paperfeed.digests import subscriptions
from paperfeed.digests.models import Subscriber, Subscription
from paperfeed.errors import PaperfeedError, RateLimited
from paperfeed.library import intents


def signup(request):
    if request.method == "POST":
        try:
            throttle.check(request, "signup", rate_setting="SIGNUP_RATE", per="ip", what="sign-ups")
        except RateLimited as exc:
            # What was typed comes back (passwords never do: a browser form does not refill them either).
            form = SignupForm(initial={k: request.POST.get(k, "") for k in ("username", "email")})
            response = render(
                request, "accounts/signup.html", {"form": form, "limited_message": exc.message}, status=429
            )
            return throttle.retry_after_header(response, exc)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signups.register(form, base_url=request.build_absolute_uri("/"))
        return render(request, "accounts/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


def signup_confirm(request, uidb64: str, token: str):
    user = signups.confirm(uidb64, token)
    if user is None:
        return render(request, "accounts/signup_confirm_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.info(request, "Your account is ready; welcome.")
    return redirect("papers")


@login_required
def account(request):
    return account_page(request)


def account_page(request, *, status: int = 200, extra: dict | None = None):
    """The account page; `extra` carries what a refused form sends back (its message and what was typed)."""
    submissions = request.user.submissions.select_related("paper").order_by("-created_at")[:50]
    subscriber = Subscriber.objects.filter(user=request.user).first()
    digests = {}
    if subscriber:
        for s in subscriber.subscriptions.filter(active=True, saved_search__isnull=True):
            digests[s.kind] = s.frequency
    return render(
        request,
        "accounts/account.html",
        {
            "submissions": submissions,
            "subscriber": subscriber,
            "digests": digests,
            "follows": request.user.follows.all(),
            "saved_searches": request.user.saved_searches.all(),
            "frequencies": ["daily", "weekly"],
            **(extra or {}),
        },
        status=status,
    )


def _confirmation_notice(request, sent: bool) -> None:
    if sent:
        messages.info(
            request, f"We sent a confirmation link to {request.user.email}; digests start once you follow it."
        )


@login_required
@require_POST
def digests(request):
    wanted = {
        kind: subscriptions.parse_frequency(request.POST.get(kind, ""), allow_off=True)
        for kind in (Subscription.TRENDING, Subscription.FOLLOWS)
    }
    _, sent = subscriptions.set_digests(
        subscriptions.subscriber_for_user(request.user), [(kind, frequency, None) for kind, frequency in wanted.items()]
    )
    _confirmation_notice(request, sent)
    messages.info(request, "Email digests saved.")
    return redirect("account")


@require_POST
def follow_add(request):
    """Follow an author or a category; an anonymous visitor logs in first and the follow happens then."""
    back = _back_to(request)
    if not request.user.is_authenticated:
        intents.remember(request, "follow", request.POST.get("value", ""), request.POST.get("kind", ""))
        return redirect(f"{reverse('login')}?{urlencode({'next': back})}")
    try:
        follow = follow_actions.follow(request.user, request.POST.get("kind", ""), request.POST.get("value", ""))
    except PaperfeedError as exc:
        if not request.POST.get("next"):  # the account page's own form: the error beside the field, input kept
            return account_page(
                request, status=400, extra={"follow_error": exc.message, "follow_value": request.POST.get("value", "")}
            )
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, f"Following {follow.value}.")
    return redirect(back)


def _back_to(request) -> str:
    """The page the form was on (an author or category page), else the account page; never another site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("account")


@login_required
@require_POST
def follow_remove(request, follow_id: int):
    follow_actions.unfollow(request.user, follow_id)
    return redirect("account")


@login_required
@require_POST
def saved_search_add(request):
    alert = subscriptions.parse_frequency(request.POST.get("alert", ""), allow_off=True)
    search = follow_actions.save_search(
        request.user,
        request.POST.get("query", ""),
        categories=request.POST.get("categories"),
        authors=request.POST.get("authors"),
        name=request.POST.get("name", ""),
        alert=alert,
    )
    if alert:  # save_search turned the alert on, and mailed a confirmation link to an address not confirmed yet
        _confirmation_notice(request, not search.subscription.subscriber.confirmed)
    return redirect("account")


@login_required
@require_POST
def saved_search_update(request, search_id: int):
    search = follow_actions.get_saved_search(request.user, search_id)
    if request.POST.get("action") == "delete":
        search.delete()
    else:
        _set_alert(request, search, request.POST.get("alert", ""))
    return redirect("account")


def _set_alert(request, search, alert: str) -> None:
    alert = subscriptions.parse_frequency(alert, allow_off=True)
    if not alert and not hasattr(search, "subscription"):
        return
    _, sent = subscriptions.set_user_digest(request.user, Subscription.SEARCH, alert, saved_search=search)
    _confirmation_notice(request, sent)
