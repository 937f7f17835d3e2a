"""RSS 2.0 and Atom feeds of a Source, with Django's syndication framework."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

# Characters XML 1.0 cannot carry at all; arXiv text occasionally has them and one would make the feed unparsable.
_BAD_XML = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def clean(text: str) -> str:
    return (text or "").translate(_BAD_XML)


class SourceFeed(Feed):
    """Renders the Source passed as `source` to __call__; the view builds it, so no query happens here."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, source):
        return source

    def title(self, source):
        return clean(source.title)

    def link(self, source):
        return source.link

    def description(self, source):
        return clean(source.description)

    def subtitle(self, source):
        return clean(source.description)

    def items(self, source):
        return source.items

    def item_title(self, item):
        return clean(item.paper.title)

    def item_description(self, item):
        return clean(item.paper.abstract)

    def item_link(self, item):
        return item.paper.get_absolute_url()

    def item_guid(self, item):
        return item.paper.abs_url

    def item_guid_is_permalink(self, item):
        return False

    def item_author_name(self, item):
        return clean(", ".join(item.paper.authors)) or None

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.paper.modified_at

    def item_categories(self, item):
        return [clean(c) for c in item.paper.categories]


class AtomSourceFeed(SourceFeed):
    feed_type = Atom1Feed


FEEDS = {"rss": SourceFeed(), "atom": AtomSourceFeed()}


def render(request, source, fmt: str):
    return FEEDS[fmt](request, source=source)
