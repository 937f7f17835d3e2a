"""Thin shells over subscriptions.py: subscribe, confirm, one-click unsubscribe, manage, staff preview."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from paperfeed.digests import subscriptions, tokens
from paperfeed.digests.models import Subscriber, Subscription
from paperfeed.digests.preview import previews
from paperfeed.digests.schedule import FREQUENCIES
from paperfeed.errors import NotFound
from paperfeed.lib.site import site_url


def subscribe(request):
    if request.method == "POST":
        subscriber = subscriptions.request_subscription(
            request.POST.get("email", ""),
            frequency=request.POST.get("frequency") or "daily",
            ip=request.META.get("REMOTE_ADDR", ""),
        )
        return render(request, "digests/subscribe_sent.html", {"email": subscriber.email})
    return render(
        request,
        "digests/subscribe.html",
        {"frequencies": FREQUENCIES, "email": request.user.email if request.user.is_authenticated else ""},
    )


def confirm(request, token: str):
    try:
        subscriber, live, trending = subscriptions.confirm_link(token)
    except tokens.InvalidToken as exc:
        if exc.code != "expired_token":
            raise
        return render(request, "digests/confirm_dead.html", {"expired": True, "message": exc.message}, status=400)
    if not live:
        # Used or replaced: say where the address stands, and show no button that can only fail.
        return _dead_link(request, subscriber, status=400 if request.method == "POST" else 200)
    if request.method == "POST":
        try:
            subscriber = subscriptions.confirm(token)
        except tokens.InvalidToken as exc:  # used up by another click between the two reads
            if exc.code != "used_token":
                raise
            return _dead_link(request, Subscriber.objects.get(pk=subscriber.pk), status=400)
        return render(
            request,
            "digests/confirmed.html",
            {"subscriber": subscriber, "manage_token": tokens.manage_token(subscriber.pk), "rows": _active(subscriber)},
        )
    rows = _active(subscriber)
    return render(
        request,
        "digests/confirm.html",
        {"token": token, "subscriber": subscriber, "rows": rows, "trending": trending},
    )


def _active(subscriber: Subscriber) -> list[Subscription]:
    return list(subscriber.subscriptions.filter(active=True).select_related("saved_search").order_by("kind", "id"))


def _dead_link(request, subscriber: Subscriber, *, status: int):
    return render(
        request,
        "digests/confirm_dead.html",
        {"subscriber": subscriber, "rows": _active(subscriber) if subscriber.confirmed else []},
        status=status,
    )


@csrf_exempt  # RFC 8058: mail providers POST here with no cookie and no CSRF token; the signed token is the proof
def unsubscribe(request, token: str):
    subscription_id = tokens.read_unsubscribe_token(token)
    if request.method == "POST":
        subscription = subscriptions.unsubscribe_by_token(token)
        if subscription is None:  # deleted since (e.g. its saved search): nothing will be sent, which is what was asked
            return render(request, "digests/unsubscribed.html", {"subscription": None})
        return render(
            request,
            "digests/unsubscribed.html",
            {"subscription": subscription, "manage_token": tokens.manage_token(subscription.subscriber_id)},
        )
    subscription = Subscription.objects.select_related("subscriber", "saved_search").filter(pk=subscription_id).first()
    if subscription is None:
        raise NotFound(
            "This subscription no longer exists; nothing more will be sent for it.", code="subscription_not_found"
        )
    return render(
        request,
        "digests/unsubscribe.html",
        {"subscription": subscription, "token": token, "manage_token": tokens.manage_token(subscription.subscriber_id)},
    )


def manage(request, token: str):
    try:
        subscriber_id = tokens.read_manage_token(token)
    except tokens.ExpiredManageToken as expired:
        # Said with the address of the page that mails a fresh link, so the reader need not look for it.
        raise tokens.ExpiredManageToken(
            f"{expired.message} ({site_url(reverse('digest_subscribe'))})", status=410
        ) from None
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        raise NotFound("This address is no longer subscribed to anything.", code="subscriber_not_found")
    saved = False
    if request.method == "POST":
        if request.POST.get("action") == "unsubscribe_all":
            subscriptions.unsubscribe_all(subscriber)
        else:
            subscriptions.set_preferences(
                subscriber,
                timezone_name=request.POST.get("timezone", subscriber.timezone).strip(),
                weekends=request.POST.get("weekends") == "on",
            )
            wanted = [
                (
                    subscription.kind,
                    subscriptions.parse_frequency(request.POST.get(f"sub-{subscription.pk}", ""), allow_off=True),
                    subscription.saved_search,
                )
                for subscription in subscriber.subscriptions.select_related("saved_search")
            ]
            trending = request.POST.get("new-trending")
            if trending and not subscriber.subscriptions.filter(kind=Subscription.TRENDING).exists():
                wanted.append((Subscription.TRENDING, subscriptions.parse_frequency(trending), None))
            subscriptions.set_digests(subscriber, wanted)
        saved = True
        subscriber.refresh_from_db()
    rows = list(subscriber.subscriptions.select_related("saved_search").order_by("kind", "id"))
    return render(
        request,
        "digests/manage.html",
        {
            "subscriber": subscriber,
            "rows": rows,
            "token": token,
            "frequencies": FREQUENCIES,
            "saved": saved,
            "has_trending": any(r.kind == Subscription.TRENDING for r in rows),
        },
    )


@staff_member_required
def preview(request, email: str):
    kind = request.GET.get("kind") or None
    items = previews(email, kind=kind)
    if request.GET.get("part") == "text":
        parts = [
            (i.note, i.message.body if i.message else f"({i.subscription.title}: nothing new, so no mail)")
            for i in items
        ]
        body = "\n\n".join("\n".join(filter(None, part)) for part in parts)
        return HttpResponse(body or "No active subscriptions.", content_type="text/plain; charset=utf-8")
    shown = [{"item": i, "html": i.message.alternatives[0][0] if i.message else ""} for i in items]
    return render(request, "digests/preview.html", {"email": email, "items": shown})
