"""The Save control of a listing entry, search result or paper page, as Python rather than a template (see
papers/entry_controls.py for why); library.js enhances the same markup."""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from paperfeed.library import collections
from paperfeed.papers.entry_controls import csrf_input

_SAVE = """<form class="save" method="post" action="{action}">{csrf}
  <input type="hidden" name="arxiv_id" value="{arxiv_id}">
  <input type="hidden" name="next" value="{next}">
  <input type="hidden" name="action" value="{value}">
  {menu}
  <button type="submit" class="save-button{css}" aria-pressed="{pressed}" title="{title}">{label}</button>
</form>"""


def menu_options(owned: list) -> str:
    """The reader's collections as the options of a Save menu ("" for one collection or none: no menu)."""
    if len(owned) < 2:
        return ""
    return "".join(f'<option value="{escape(c.slug)}">{escape(c.name)}</option>' for c in owned)


def save_form(arxiv_id: str, saved: bool, options: str, csrf: SafeString, next_url: str) -> SafeString:
    """`options`: menu_options of the reader's collections; `csrf`: the request's csrf_input (both made once
    for all the entries of a page)."""
    menu = ""
    if options:
        field = escape("save-to-" + slugify(arxiv_id))
        menu = (
            f'<label class="visually-hidden" for="{field}">Save to</label>\n'
            f'  <select name="collection" id="{field}">{options}</select>'
        )
    return mark_safe(
        _SAVE.format(
            action=reverse("library_save"),
            csrf=csrf,
            arxiv_id=escape(arxiv_id),
            next=escape(next_url),
            value="remove" if saved else "save",
            menu=menu,
            css=" saved" if saved else "",
            pressed="true" if saved else "false",
            title="Saved: click to remove" if saved else "Save to your reading list",
            label="★ Saved" if saved else "☆ Save",
        )
    )


def save_slots(request, rows) -> dict[int, SafeString]:
    """The "save" slots of a shared listing (papers/shared_listing.py): `rows` maps paper pk -> its Row."""
    user = request.user
    options = menu_options(collections.user_collections(user))
    saved = collections.saved_paper_ids(user, rows)
    csrf, next_url = csrf_input(get_token(request)), request.get_full_path()
    return {pk: save_form(row.arxiv_id, pk in saved, options, csrf, next_url) for pk, row in rows.items()}
