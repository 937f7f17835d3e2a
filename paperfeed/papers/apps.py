from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "paperfeed.papers"

    def ready(self):
        # In ready(), once the models are loaded: signals imports them. Importing connects the tombstone receiver.
        from paperfeed.papers import signals  # noqa: F401
