"""Listing pages and the paper page: thin shells over paper_list and paper_actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from paperfeed.accounts import throttle
from paperfeed.accounts.models import Follow
from paperfeed.errors import BadRequest, PaperfeedError, RateLimited, error_json
from paperfeed.feeds import alternate
from paperfeed.ingest import submissions
from paperfeed.library import intents
from paperfeed.papers import hub_pages, paper_actions, paper_list, periods, shared_listing
from paperfeed.papers.models import Vote
from paperfeed.search.similar import similar_papers


def _listing_page(request, period: periods.Period):
    if (other := alternate.respond(request, "period", period=period)) is not None:
        return other
    sort = paper_list.parse_sort(request.GET.get("sort"))
    page = paper_list.parse_page(request.GET.get("page"))

    def shared_context():
        result = paper_list.period_listing(period, sort=sort, page=page)
        if period.kind == "date":
            prev_day, next_day = paper_list.neighbour_days(period.start)
            prev_slug = prev_day and prev_day.isoformat()
            next_slug = next_day and next_day.isoformat()
        else:
            prev_slug, next_slug = period.shifted(-1).slug, period.shifted(1).slug
        return {
            "period": period,
            "page": result,
            "sort": sort,
            "sorts": paper_list.SORT_LABELS,
            "prev_slug": prev_slug,
            "next_slug": next_slug,
            "day_slug": period.start.isoformat(),
            "week_slug": periods.week_of(period.start).slug,
            "month_slug": period.start.strftime("%Y-%m"),
        }

    content = shared_listing.content(request, "papers/_listing_content.html", shared_context, vary=period.slug)
    return render(request, "papers/listing.html", {"period": period, "content": content})


def _voted(request, listings) -> set[int]:
    return Vote.objects.paper_ids_voted_by(request.user, [item.paper_id for item in listings])


def papers_latest(request):
    day = paper_list.latest_day()
    if day is None:
        return render(request, "papers/empty.html")
    return _listing_page(request, periods.day(day))


def papers_date(request, slug):
    return _listing_page(request, periods.parse_date(slug))


def papers_week(request, slug):
    return _listing_page(request, periods.parse_week(slug))


def papers_month(request, slug):
    return _listing_page(request, periods.parse_month(slug))


def papers_trending(request):
    if "sort" in request.GET:
        raise BadRequest(
            "Trending has one order, by votes decayed with age; sort=top, new or discussed applies to the "
            "daily, weekly and monthly lists (/papers).",
            code="invalid_sort",
        )
    if (other := alternate.respond(request, "trending")) is not None:
        return other
    page = paper_list.parse_page(request.GET.get("page"))
    content = shared_listing.content(
        request, "papers/_trending_content.html", lambda: {"page": paper_list.trending(page=page)}
    )
    return render(request, "papers/trending.html", {"content": content})


def paper_detail(request, arxiv_id, *, status: int = 200, extra: dict | None = None):
    if (other := alternate.respond(request, "paper", arxiv_id=arxiv_id)) is not None:
        return other
    paper = paper_list.get_paper(arxiv_id)
    comments = [
        (c, paper_actions.render_comment(c.body)) for c in paper.comments.filter(hidden=False).select_related("user")
    ]
    voted = Vote.objects.has_voted(request.user, paper)
    return render(
        request,
        "papers/detail.html",
        {"paper": paper, "comments": comments, "voted": voted, "similar": similar_papers(paper), **(extra or {})},
        status=status,
    )


def _back(request, fallback: str):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target)


@require_POST
def paper_vote(request, arxiv_id):
    paper = paper_list.get_paper(arxiv_id)
    if not request.user.is_authenticated:
        intents.remember(request, "upvote", paper.arxiv_id)  # done by the login, so the ▲ is not lost
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse(error_json(401, "login_required", "Log in to upvote."), status=401)
        return HttpResponseRedirect(f"{reverse('login')}?next={paper.get_absolute_url()}")
    if request.POST.get("action") == "undo":
        paper_actions.undo_upvote(request.user, paper)
    else:
        paper_actions.upvote(request.user, paper)
    paper.refresh_from_db(fields=["vote_count"])
    if request.headers.get("X-Requested-With") == "fetch":
        voted = Vote.objects.has_voted(request.user, paper)
        return JsonResponse({"upvotes": paper.upvotes, "voted": voted})
    return _back(request, paper.get_absolute_url())


@require_POST
@login_required
def paper_comment(request, arxiv_id):
    paper = paper_list.get_paper(arxiv_id)
    try:
        throttle.check(request, "comment", rate_setting="COMMENT_RATE", per="user", what="comments")
    except RateLimited as exc:  # the page again, with the comment still in its box
        extra = {"comment_body": request.POST.get("body", ""), "comment_error": exc.message}
        return throttle.retry_after_header(paper_detail(request, arxiv_id, status=429, extra=extra), exc)
    paper_actions.add_comment(request.user, paper, request.POST.get("body", ""))
    return HttpResponseRedirect(paper.get_absolute_url() + "#comments")


@login_required
def paper_submit(request):
    error = None
    text = request.GET.get("arxiv_id", "")[:200]  # prefilled from a paper page that was not found
    if request.method == "POST":
        text = request.POST.get("arxiv_id", "")
        try:
            paper = submissions.submit_paper(text, user=request.user)
        except PaperfeedError as exc:
            error = exc
        else:
            return HttpResponseRedirect(paper.get_absolute_url())
    status = error.status if error else 200
    return render(request, "papers/submit.html", {"error": error, "text": text}, status=status)


def about(request):
    from django.conf import settings

    return render(request, "about.html", {"cfg": settings.PAPERFEED})


def _following(request, kind: str, value: str) -> bool:
    if not request.user.is_authenticated:
        return False
    return request.user.follows.filter(kind=kind, key=" ".join(value.split()).lower()).exists()


def author_page(request, name):
    sort = paper_list.parse_sort(request.GET.get("sort"), default="new")
    data = hub_pages.author_page(name, sort=sort, page=paper_list.parse_page(request.GET.get("page")))
    context = {
        "author": data,
        "page": data.page,
        "sort": sort,
        "sorts": paper_list.SORT_LABELS,
        "voted": _voted(request, data.page.items),
        "following": _following(request, Follow.AUTHOR, data.name),
    }
    return render(request, "papers/author.html", context)


def category_page(request, category):
    sort = paper_list.parse_sort(request.GET.get("sort"), default="new")
    span = request.GET.get("period") or "all"
    result = hub_pages.category_page(
        category, span=span, sort=sort, page=paper_list.parse_page(request.GET.get("page"))
    )
    context = {
        "category": category,
        "page": result,
        "sort": sort,
        "sorts": paper_list.SORT_LABELS,
        "span": span,
        "spans": hub_pages.SPANS,
        "voted": _voted(request, result.items),
        "following": _following(request, Follow.CATEGORY, category),
    }
    return render(request, "papers/category.html", context)
