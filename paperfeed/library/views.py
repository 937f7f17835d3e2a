"""Collection pages and the Save action: thin shells over library.collections and library.importing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from paperfeed.errors import BadRequest, NotFound, PaperfeedError, error_json
from paperfeed.library import collections, exports, intents
from paperfeed.library.importing import MAX_BYTES, fmt_name, parse_library
from paperfeed.papers import paper_filters, paper_list

MAX_SHOWN_NOT_FOUND = 50
IMPORT_RESULT = "library_import_result"  # the last import's counts, shown once on the collection page


def _is_fetch(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return target


def login_url(next_path: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_path})}"


@require_POST
def save(request):
    """Save (or, with action=remove, unsave) a paper; anonymous visitors log in first and the save happens then."""
    paper = paper_list.get_paper(request.POST.get("arxiv_id", ""))
    slug = request.POST.get("collection", "")
    back = _next(request, paper.get_absolute_url())
    if not request.user.is_authenticated:
        intents.remember(request, "save", paper.arxiv_id, slug)
        if _is_fetch(request):
            body = error_json(401, "login_required", "Log in to save papers; the paper is saved once you have.")
            body["login_url"] = login_url(back)
            return JsonResponse(body, status=401)
        return HttpResponseRedirect(login_url(back))
    try:
        if request.POST.get("action") == "remove":
            collection = collections.owned(request.user, slug) if slug else collections.default_collection(request.user)
            collections.remove_paper(collection, paper)
            text, saved = f"Removed from {collection.name}.", False
        else:
            collection, _ = collections.save_paper(request.user, paper, slug)
            text, saved = f"Saved to {collection.name}.", True
    except PaperfeedError as exc:
        if _is_fetch(request):
            return JsonResponse(exc.as_json(), status=exc.status)
        messages.error(request, exc.message)
        return HttpResponseRedirect(back)
    if _is_fetch(request):
        url = reverse("collection", args=[request.user.username, collection.slug])
        return JsonResponse({"saved": saved, "collection": collection.name, "url": url, "message": text})
    messages.success(request, text)
    return HttpResponseRedirect(back)


def _owner_or_404(request, username: str):
    if not request.user.is_authenticated or request.user.username != username:
        raise NotFound(f"No collection page for {username[:60]!r} that you can change.", code="collection_not_found")
    return request.user


def collection_list(request, username: str):
    owner = get_user_model().objects.filter(username=username[:150]).first()
    if owner is None:
        raise NotFound(f"No reader {username[:60]!r} here.", code="user_not_found")
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    errors, form = {}, {"name": "", "description": "", "public": ""}
    if request.method == "POST":
        _owner_or_404(request, username)
        form = {k: request.POST.get(k, "") for k in form}
        try:
            created = collections.create(
                request.user, form["name"], description=form["description"], public=bool(form["public"])
            )
        except BadRequest as exc:
            errors["name" if exc.code == "invalid_name" else "description"] = exc.message
        else:
            messages.success(request, f"Created {created.name}.")
            return HttpResponseRedirect(reverse("collection", args=[username, created.slug]))
    shown = owner.collections.all() if is_owner else owner.collections.filter(public=True)
    context = {"owner": owner, "is_owner": is_owner, "collections": shown, "errors": errors, "form": form}
    return render(request, "library/collections.html", context, status=400 if errors else 200)


def _collection_context(request, collection, **extra):
    sort = collections.parse_sort(request.GET.get("sort"))
    unread = request.GET.get("unread") == "1"
    page = collections.items_page(
        collection, sort=sort, unread_only=unread, page=paper_list.parse_page(request.GET.get("page"))
    )
    items = page.items
    is_owner = request.user.is_authenticated and request.user.pk == collection.owner_id
    if is_owner:
        for item in items:
            item.note_html = collections.render_note(item.note)
    # Where the item forms come back to: this page in its sort and filter, also when it was rendered by a POST
    # (an import, a refused note) at another URL.
    here = reverse("collection", args=[collection.owner.username, collection.slug])
    params = {k: request.GET[k] for k in ("sort", "unread") if request.GET.get(k)}
    back = urlencode({**params, "page": page.number} if page.number > 1 else params)
    return {
        "here": f"{here}?{back}" if back else here,
        "query": urlencode(params),
        "page": page,
        "import_result": request.session.pop(IMPORT_RESULT, None) if request.method == "GET" else None,
        "collection": collection,
        "owner": collection.owner,
        "is_owner": is_owner,
        "items": items,
        "sort": sort,
        "sorts": collections.SORTS,
        "unread": unread,
        "max_note": collections.MAX_NOTE,
        "max_upload_mb": MAX_BYTES // (1024 * 1024),
        "errors": {},
        "form": {"name": collection.name, "description": collection.description, "public": collection.public},
        **extra,
    }


def collection_page(request, username: str, slug: str):
    collection = paper_filters.get_collection(username, slug, viewer=request.user)
    return render(request, "library/collection.html", _collection_context(request, collection))


def collection_export(request, username: str, slug: str, ext: str):
    collection = paper_filters.get_collection(username, slug, viewer=request.user)
    if ext not in exports.FORMATS:
        raise BadRequest(f"Unknown export {ext[:10]!r}; use bib, csv, json or ris.", code="invalid_format")
    is_owner = request.user.is_authenticated and request.user.pk == collection.owner_id
    items = collections.items(collection, sort=collections.parse_sort(request.GET.get("sort")))
    body = exports.render(collection, items, ext, include_notes=is_owner)
    response = HttpResponse(body, content_type=exports.FORMATS[ext])
    response["Content-Disposition"] = f'attachment; filename="{collection.slug}.{ext}"'
    return response


@require_POST
def collection_edit(request, username: str, slug: str):
    collection = collections.owned(_owner_or_404(request, username), slug)
    form = {k: request.POST.get(k, "") for k in ("name", "description", "public")}
    try:
        collections.update(collection, name=form["name"], description=form["description"], public=bool(form["public"]))
    except BadRequest as exc:
        collection.refresh_from_db()
        field = "name" if exc.code == "invalid_name" else "description"
        context = _collection_context(request, collection, errors={field: exc.message}, form=form)
        return render(request, "library/collection.html", context, status=400)
    messages.success(request, f"Saved the changes to {collection.name}.")
    return HttpResponseRedirect(reverse("collection", args=[username, collection.slug]))


def collection_delete(request, username: str, slug: str):
    """GET asks for confirmation; POST with confirm=yes deletes."""
    collection = collections.owned(_owner_or_404(request, username), slug)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        collections.delete(collection)
        messages.success(request, f"Deleted {collection.name}.")
        return HttpResponseRedirect(reverse("collections", args=[username]))
    return render(request, "library/confirm_delete.html", {"collection": collection})


@require_POST
def collection_move(request, username: str, slug: str):
    collection = collections.owned(_owner_or_404(request, username), slug)
    collections.move(collection, -1 if request.POST.get("direction") == "up" else 1)
    return HttpResponseRedirect(reverse("collections", args=[username]))


@require_POST
def collection_import(request, username: str, slug: str):
    """Import a library file; back on the collection page (a reload does not post the file again) with a message
    and what was not found. A script's upload (X-Requested-With: fetch) is answered in JSON with the page's URL."""
    collection = collections.owned(_owner_or_404(request, username), slug)
    upload = request.FILES.get("file")
    page = reverse("collection", args=[username, collection.slug])
    try:
        if upload is None:
            raise BadRequest("Choose a BibTeX, RIS or CSV file to import.", code="no_file")
        if upload.size > MAX_BYTES:
            raise BadRequest(f"This file is over {MAX_BYTES // (1024 * 1024)} MB; nothing was imported.")
        parsed = parse_library(upload.read(), upload.name or "")
        result = collections.import_into(collection, parsed)
    except BadRequest as exc:
        if _is_fetch(request):
            return JsonResponse(exc.as_json(), status=exc.status)
        messages.error(request, exc.message)
        return HttpResponseRedirect(page)
    missing = len(result.missing_ids) + len(result.not_found)
    text = (
        f"Imported {result.added} paper{'s' * (result.added != 1)} from {result.entries} {fmt_name(parsed.format)} "
        f"entries into {collection.name}"
        + (f"; {result.already} were there already" if result.already else "")
        + (f"; {missing} not found here" if missing else "")
        + "."
    )
    messages.success(request, text)
    not_found = result.not_found + [f"arXiv:{i} (not on this hub)" for i in result.missing_ids]
    request.session[IMPORT_RESULT] = {
        "entries": result.entries,
        "added": result.added,
        "already": result.already,
        "missing": missing,
        "not_found": not_found[:MAX_SHOWN_NOT_FOUND],
    }
    if _is_fetch(request):
        return JsonResponse({"url": page, "message": text, "added": result.added, "entries": result.entries})
    return HttpResponseRedirect(page)


def _item_action(request, username: str, slug: str, arxiv_id: str):
    collection = collections.owned(_owner_or_404(request, username), slug)
    return collection, collections.get_item(collection, arxiv_id)


@require_POST
def item_note(request, username: str, slug: str, arxiv_id: str):
    collection, item = _item_action(request, username, slug, arxiv_id)
    # Back to the page as it was (its sort and filter), at this paper.
    page = _next(request, reverse("collection", args=[username, slug])).split("#")[0] + f"#i-{item.paper.arxiv_id}"
    try:
        collections.set_note(item, request.POST.get("note", ""))
    except BadRequest as exc:
        if _is_fetch(request):
            return JsonResponse(exc.as_json(), status=exc.status)
        item.note = request.POST.get("note", "")
        context = _collection_context(
            request, collection, note_error={"arxiv_id": item.paper.arxiv_id, "message": exc.message, "text": item.note}
        )
        messages.error(request, exc.message)
        return render(request, "library/collection.html", context, status=400)
    if _is_fetch(request):
        html = str(collections.render_note(item.note))
        return JsonResponse({"note": item.note, "html": html, "message": "Note saved."})
    messages.success(request, "Note saved.")
    return HttpResponseRedirect(page)


@require_POST
def item_read(request, username: str, slug: str, arxiv_id: str):
    _, item = _item_action(request, username, slug, arxiv_id)
    read = request.POST.get("read") == "1"
    collections.set_read(item, read)
    text = f"Marked {'read' if read else 'unread'}: {item.paper.title[:80]}"
    if _is_fetch(request):
        return JsonResponse({"read": item.read, "message": text})
    messages.success(request, text)
    return HttpResponseRedirect(_next(request, reverse("collection", args=[username, slug])))


@require_POST
def item_move(request, username: str, slug: str, arxiv_id: str):
    """Up or down one place in the collection's own order; back to that order, on this paper."""
    _, item = _item_action(request, username, slug, arxiv_id)
    collections.move_item(item, -1 if request.POST.get("direction") == "up" else 1)
    if _is_fetch(request):
        return JsonResponse({"position": item.position})
    page = reverse("collection", args=[username, slug]) + f"?sort=position#i-{item.paper.arxiv_id}"
    return HttpResponseRedirect(page)


@require_POST
def item_remove(request, username: str, slug: str, arxiv_id: str):
    collection, item = _item_action(request, username, slug, arxiv_id)
    collections.remove_paper(collection, item.paper)
    messages.success(request, f"Removed from {collection.name}: {item.paper.title[:80]}")
    return HttpResponseRedirect(reverse("collection", args=[username, slug]))
