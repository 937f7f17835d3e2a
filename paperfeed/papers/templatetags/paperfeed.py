from django import template

from paperfeed.lib.mathtext import render_math

register = template.Library()


@register.filter(name="math")
def math_filter(text):
    """Title or abstract with its LaTeX math rendered as MathML (escaped otherwise)."""
    return render_math(text or "")


@register.filter
def author_list(authors, limit=8):
    """'A, B, C and 5 others' for a listing entry."""
    authors = list(authors or [])
    if len(authors) <= limit:
        return ", ".join(authors)
    rest = len(authors) - limit
    return f"{', '.join(authors[:limit])} and {rest} other{'s' if rest > 1 else ''}"
