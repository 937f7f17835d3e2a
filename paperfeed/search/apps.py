from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "paperfeed.search"
