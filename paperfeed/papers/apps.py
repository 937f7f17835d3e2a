from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "paperfeed.papers"

    def ready(self):
        from paperfeed.papers import signals  # noqa: F401  (connects the tombstone receiver)
