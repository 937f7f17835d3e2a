"""Usernames that cannot pass for someone else's: one script only, and not confusable with a name already taken.

Django's username field already applies NFKC (so full-width and ligature forms fold) and the sign-up form
refuses a name equal to a taken one ignoring case. What neither catches is a homoglyph: "sеcadmin" with a
Cyrillic е beside "secadmin". The Unicode confusables data comes from confusable_homoglyphs (the library
django-registration uses for the same purpose), not from a table of our own.
"""

from __future__ import annotations

import unicodedata

from confusable_homoglyphs import confusables
from django.contrib.auth.models import User


def skeleton(name: str) -> str:
    """`name` with every character that looks like a Latin one replaced by it, NFKC-normalised and case-folded:
    two names with the same skeleton look alike."""
    name = unicodedata.normalize("NFKC", name)
    found = confusables.is_confusable(name, greedy=True, preferred_aliases=["latin"]) or []
    table = {f["character"]: f["homoglyphs"][0]["c"] for f in found if f["homoglyphs"]}
    return "".join(table.get(ch, ch) for ch in name).casefold()


def problem(name: str) -> str | None:
    """Why `name` cannot be registered, or None."""
    if confusables.is_mixed_script(name):
        return "Use letters of one alphabet only; a name that mixes scripts can pass for someone else's."
    target = skeleton(name)
    if User.objects.filter(username__iexact=target).exists():
        return "That username is taken, or looks the same as one that is."
    # Most names are ASCII and are their own skeleton, so the query above found them; the rest are compared here.
    for other in User.objects.exclude(username__regex=r"^[\x20-\x7e]*$").values_list("username", flat=True):
        if skeleton(other) == target:
            return "That username is taken, or looks the same as one that is."
    return None
