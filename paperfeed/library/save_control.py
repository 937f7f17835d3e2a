"""The Save control of a listing entry, search result or paper page, as Python rather than a template (see
papers/entry_controls.py for why); library.js enhances the same markup."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from paperfeed.library import collections
from paperfeed.papers.entry_controls import csrf_input


def save_form(arxiv_id: str, saved: bool, collections: list, csrf_token: str, next_url: str) -> SafeString:
    """`collections`: the reader's own, in their order; with more than one, a menu says which to save to."""
    menu = mark_safe("")
    if len(collections) > 1:
        field = "save-to-" + slugify(arxiv_id)
        menu = format_html(
            '<label class="visually-hidden" for="{}">Save to</label>\n  <select name="collection" id="{}">{}</select>',
            field,
            field,
            format_html_join("", '<option value="{}">{}</option>', ((c.slug, c.name) for c in collections)),
        )
    return format_html(
        '<form class="save" method="post" action="{}">{}\n'
        '  <input type="hidden" name="arxiv_id" value="{}">\n'
        '  <input type="hidden" name="next" value="{}">\n'
        '  <input type="hidden" name="action" value="{}">\n'
        "  {}\n"
        '  <button type="submit" class="save-button{}" aria-pressed="{}" title="{}">{}</button>\n</form>',
        reverse("library_save"),
        csrf_input(csrf_token),
        arxiv_id,
        next_url,
        "remove" if saved else "save",
        menu,
        " saved" if saved else "",
        "true" if saved else "false",
        "Saved: click to remove" if saved else "Save to your reading list",
        "★ Saved" if saved else "☆ Save",
    )


def save_slots(request, rows) -> dict[int, SafeString]:
    """The "save" slots of a shared listing (papers/shared_listing.py): `rows` maps paper pk -> its Row."""
    user = request.user
    owned = collections.user_collections(user)
    saved = collections.saved_paper_ids(user, rows)
    token, next_url = get_token(request), request.get_full_path()
    return {pk: save_form(row.arxiv_id, pk in saved, owned, token, next_url) for pk, row in rows.items()}
