"""RSS 2.0 and Atom feeds of a Source, with Django's syndication framework.

Paper text reaches feed readers as text, never as markup: arXiv metadata is written by anyone, and a reader
that does not sanitize would run whatever HTML it decodes. Atom says so (`type="text"`, and titles and names
are text by definition). RSS has no way to say it and readers decode its fields as HTML, so every RSS text is
HTML-escaped once before the XML writer escapes it again. Math is turned into readable Unicode with
plain_math, as in digest mails: a reader shows LaTeX source otherwise.
"""

from __future__ import annotations

from html import escape

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from paperfeed.lib.mathtext import plain_math

# Characters XML 1.0 cannot carry at all; arXiv text occasionally has them and one would make the feed unparsable.
_BAD_XML = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def clean(text: str) -> str:
    return (text or "").translate(_BAD_XML)


def plain(text: str) -> str:
    """Paper text (title, abstract, author, comment) as one clean line of readable text."""
    return " ".join(plain_math(clean(text)).split())


class TextAtomFeed(Atom1Feed):
    """Atom1Feed, but an entry's summary is declared text: Django's own says type="html"."""

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


class SourceFeed(Feed):
    """Renders the Source passed as `source` to __call__; the view builds it, so no query happens here."""

    feed_type = Rss201rev2Feed

    def text(self, value: str) -> str:
        return escape(value, quote=False)

    def get_object(self, request, source):
        return source

    def title(self, source):
        return self.text(clean(source.title))

    def link(self, source):
        return source.link

    def feed_url(self, source):
        return source.feed_url or None

    def description(self, source):
        return self.text(clean(source.description))

    def subtitle(self, source):
        return self.text(clean(source.description))

    def items(self, source):
        return source.items

    def item_title(self, item):
        return self.text(plain(item.paper.title))

    def item_description(self, item):
        paper = item.paper
        parts = [plain(paper.abstract)]
        if paper.comment:
            parts.append("Comments: " + plain(paper.comment))
        return self.text("\n\n".join(p for p in parts if p))

    def item_link(self, item):
        return item.paper.get_absolute_url()

    def item_guid(self, item):
        return item.paper.abs_url

    def item_guid_is_permalink(self, item):
        return False

    def item_author_name(self, item):
        return self.text(", ".join(plain(a) for a in item.paper.authors)) or None

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.paper.modified_at

    def item_categories(self, item):
        return [self.text(clean(c)) for c in item.paper.categories]


class AtomSourceFeed(SourceFeed):
    feed_type = TextAtomFeed

    def text(self, value: str) -> str:
        return value


FEEDS = {"rss": SourceFeed(), "atom": AtomSourceFeed()}


def render(request, source, fmt: str):
    # The feed's own address with its query (?format=rss, ?q=), for rel="self": Django's default drops the query.
    source.feed_url = request.get_full_path()
    return FEEDS[fmt](request, source=source)
