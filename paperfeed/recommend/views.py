"""The For-you page, Not interested, excluded words and the private Atom feed: thin shells over feed.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from paperfeed.accounts import follow_actions
from paperfeed.errors import BadRequest
from paperfeed.library.importing import MAX_BYTES
from paperfeed.papers import paper_list
from paperfeed.papers.models import Vote
from paperfeed.recommend import actions, feed, older, start
from paperfeed.recommend.models import ReaderSettings
from paperfeed.recommend.profile import profile_for


@never_cache
def landing(request):
    """The site's front door: For you for a signed-in reader who has given any signal, else the daily list."""
    if request.user.is_authenticated and feed.has_signal(request.user):
        return HttpResponseRedirect(reverse("for_you"))
    return HttpResponseRedirect(reverse("papers"))


@never_cache
@login_required
def for_you(request):
    return _page(request, feed.parse_window(request.GET.get("window")), paper_list.parse_page(request.GET.get("page")))


def _page(request, window: str, page: int = 1, *, status: int = 200, **extra):
    profile = profile_for(request.user)
    picks: list = []
    if not profile.has_signal:
        picks, categories = start.spread()
    # A paper of the start panel is not listed again below it: once on the page, so its entry's id is unique.
    picked = {i.paper_id for i in picks}
    result = feed.recommend(request.user, window=window, page=page, exclude_papers=picked, profile=profile)
    context = {"page": result, "window": window, "windows": list(feed.WINDOWS), "profile": result.profile}
    if not result.profile.has_signal:
        context["picks"], context["categories"] = picks, categories
    elif page == 1:
        context["older"] = older.older_papers(request.user, result.profile, before=feed.window_start(window))
    shown = result.items + context.get("picks", []) + context.get("older", [])
    context["voted"] = Vote.objects.paper_ids_voted_by(request.user, [i.paper_id for i in shown])
    context["settings"] = actions.settings_for(request.user)
    context["max_upload_mb"] = MAX_BYTES // (1024 * 1024)
    context.update(extra)
    return render(request, "recommend/for_you.html", context, status=status)


MAX_SHOWN_NOT_FOUND = 200


@never_cache
@require_POST
@login_required
def import_library(request):
    """A library file or pasted ids from the start panel: the papers this hub has become likes at once; the page
    that comes back is the changed feed, with what was not found listed."""
    window = feed.parse_window(request.POST.get("window"))
    upload, text = request.FILES.get("file"), request.POST.get("text", "")
    try:
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise BadRequest(f"This file is over {MAX_BYTES // (1024 * 1024)} MB; nothing was imported.")
            data, name = upload.read(), upload.name or ""
        elif text.strip():
            data, name = text.encode("utf-8"), ""
        else:
            raise BadRequest("Choose a library file, or paste arXiv ids or a BibTeX export, to import.")
        result = actions.import_library(request.user, data, name)
    except BadRequest as exc:
        return _page(request, window, status=400, import_error=exc.message)
    not_found = result.not_found + [f"arXiv:{i} (not on this hub)" for i in result.missing_ids]
    return _page(
        request,
        window,
        import_result=result,
        not_found=not_found[:MAX_SHOWN_NOT_FOUND],
        not_found_count=len(not_found),
    )


def _back(request):
    return HttpResponseRedirect(reverse("for_you") + (f"?window={w}" if (w := request.POST.get("window")) else ""))


@require_POST
@login_required
def not_interested(request, arxiv_id):
    paper = paper_list.get_paper(arxiv_id)
    undo = request.POST.get("action") == "undo"
    (actions.undo_not_interested if undo else actions.not_interested)(request.user, paper)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"paper": paper.arxiv_id, "not_interested": not undo})
    return _back(request)


@require_POST
@login_required
def excluded_words(request):
    actions.set_excluded_words(request.user, request.POST.get("words", ""))
    return _back(request)


@require_POST
@login_required
def follow_category(request):
    for value in request.POST.getlist("category"):
        follow_actions.follow(request.user, "category", value)
    return _back(request)


@require_POST
@login_required
def rotate_token(request):
    actions.rotate_feed_token(request.user)
    return _back(request)


class ForYouFeed(Feed):
    """The reader's For you as Atom, at a URL whose secret token is the only credential (as calendar feeds)."""

    feed_type = Atom1Feed
    description = "Papers ranked for you"

    def get_object(self, request, token):
        row = ReaderSettings.objects.select_related("user").filter(feed_token=token).first()
        if row is None or not row.user.is_active:
            raise Http404("No feed at this address.")
        return row.user

    def title(self, obj):
        return f"For you ({obj.username})"

    def link(self, obj):
        return reverse("for_you")

    def items(self, obj):
        return feed.recommend(obj, window="week").items

    def item_title(self, item):
        return item.paper.title

    def item_description(self, item):
        return f"{item.reason}. {item.paper.abstract[:600]}"

    def item_link(self, item):
        return item.paper.get_absolute_url()


for_you_feed = never_cache(ForYouFeed())
