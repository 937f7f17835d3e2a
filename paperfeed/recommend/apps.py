from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "paperfeed.recommend"
    label = "recommend"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from paperfeed.recommend import signals

        signals.connect()
