import functools
import zoneinfo

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from paperfeed.lib.mathtext import render_math
from paperfeed.papers import entry_controls, shared_listing

register = template.Library()


@register.filter(name="math")
def math_filter(text):
    """Title or abstract with its LaTeX math rendered as MathML (escaped otherwise)."""
    return render_math(text or "")


def _author_link(name: str) -> str:
    if not name.strip() or "/" in name:  # a path segment cannot hold a slash: the name stays plain text
        return conditional_escape(name)
    return format_html('<a class="author" href="{}">{}</a>', reverse("author", args=[name]), name)


@register.filter
def author_list(authors, limit=8):
    """'A, B, C and 5 others' for a listing entry, each name linking to its author page."""
    authors = list(authors or [])
    links = mark_safe(", ".join(_author_link(a) for a in authors[:limit]))
    if len(authors) <= limit:
        return links
    rest = len(authors) - limit
    return format_html("{} and {} other{}", links, rest, "s" if rest > 1 else "")


@functools.cache
def _zone_groups() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        region, _, place = name.partition("/")
        # Only the Area/Location names: the old aliases (US/Eastern, Etc/GMT+5, EST5EDT) would double the list.
        if place and region not in {"Etc", "SystemV", "US", "Brazil", "Canada", "Chile", "Mexico"}:
            groups.setdefault(region, []).append((name, place.replace("_", " ").replace("/", " / ")))
    return (("", (("UTC", "UTC"),)), *((region, tuple(zones)) for region, zones in sorted(groups.items())))


@register.simple_tag
def timezone_groups(current: str = ""):
    """The time zones for a <select>: (region, ((value, label), ...)) sorted, UTC first; a current value not
    in the list (an old alias) is kept as its own first group so that saving does not change it."""
    groups = _zone_groups()
    if current and all(current != value for _, zones in groups for value, _ in zones):
        return (("", ((current, current),)), *groups)
    return groups


@register.filter
def author_links(authors):
    """Every author, each linking to its author page (the paper page)."""
    return author_list(authors, limit=10_000)


@register.filter
def category_link(category):
    """A category chip that links to the category's page."""
    if not category or "/" in category:
        return category or ""
    return format_html('<a class="cat" href="{}">{}</a>', reverse("category", args=[category]), category)


@register.simple_tag(takes_context=True)
def vote_button(context, paper, *, is_voted=None, voted_ids=()):
    """The upvote control; `is_voted`, or whether the paper is among `voted_ids` (a listing's votes)."""
    voted = bool(is_voted) if is_voted is not None else paper.pk in (voted_ids or ())
    csrf = entry_controls.csrf_input(str(context.get("csrf_token") or ""))
    return entry_controls.vote_form(paper.arxiv_id, paper.upvotes, voted, csrf)


@register.simple_tag
def entry_slot(kind, paper_pk):
    """Where a shared listing (papers/shared_listing.py) puts the reader's own control of this kind."""
    return shared_listing.slot(kind, paper_pk)
