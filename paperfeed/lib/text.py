"""Small text helpers shared by ingest, pages and emails."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
_CODE_URL = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com)/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", re.IGNORECASE)


def collapse_ws(text: str | None) -> str:
    """One space for every run of whitespace, line breaks included; arXiv abstracts carry hard line breaks."""
    return _WS.sub(" ", text or "").strip()


def code_links(*texts: str | None) -> list[str]:
    """GitHub/GitLab repository URLs mentioned in the texts, in order of first mention, without duplicates."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in _CODE_URL.findall(text or ""):
            url = match.rstrip(".,;:)")
            if url.lower().endswith(".git"):
                url = url[:-4]
            url = "https://" + url.split("://", 1)[1].removeprefix("www.")
            seen.setdefault(url, None)
    return list(seen)
