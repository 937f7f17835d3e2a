"""Feeds: /feeds/<list>.rss|.atom (and .bib/.csv/.json). Listing pages also answer ?format=rss|atom|... themselves."""

from django.urls import re_path

from paperfeed.feeds import views

EXT = r"(?P<ext>rss|atom|bib|csv|json)"

urlpatterns = [
    re_path(rf"^feeds/new\.{EXT}$", views.new, name="feed_new"),
    re_path(rf"^feeds/trending\.{EXT}$", views.trending, name="feed_trending"),
    re_path(rf"^feeds/search\.{EXT}$", views.search, name="feed_search"),
    re_path(rf"^feeds/category/(?P<category>[^/]+)\.{EXT}$", views.category, name="feed_category"),
    re_path(rf"^feeds/author/(?P<name>[^/]+)\.{EXT}$", views.author, name="feed_author"),
    re_path(rf"^feeds/collection/(?P<owner>[^/]+)/(?P<slug>[^/]+)\.{EXT}$", views.collection, name="feed_collection"),
]
