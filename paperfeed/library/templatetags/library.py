"""`{% save_button paper %}`: the Save control of a listing entry, search result or paper page.

The reader's collections (as the Save menu's options) and saved papers are looked up once per request, not once
per entry."""

from django import template

from paperfeed.library import collections, save_control
from paperfeed.papers import export
from paperfeed.papers.entry_controls import csrf_input

register = template.Library()


def _state(request):
    state = getattr(request, "_library_state", None)
    if state is None:
        user = request.user
        state = (save_control.menu_options(collections.user_collections(user)), collections.saved_paper_ids(user))
        request._library_state = state
    return state


@register.simple_tag(takes_context=True)
def save_button(context, paper):
    request = context.get("request")
    options, saved = _state(request) if request is not None else ("", set())
    next_url = request.get_full_path() if request is not None else ""
    csrf = csrf_input(str(context.get("csrf_token") or ""))
    return save_control.save_form(paper.arxiv_id, paper.pk in saved, options, csrf, next_url)


@register.simple_tag
def bibtex_of(paper):
    """The paper's BibTeX entry as the exports write it (escaped by the template engine)."""
    return export.bibtex_entry(paper)
