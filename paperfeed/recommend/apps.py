from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "paperfeed.recommend"
    label = "recommend"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from paperfeed.digests import sections
        from paperfeed.recommend import digest_section, signals

        signals.connect()
        sections.register("for-you", digest_section.for_you_section)
        sections.register_hider("for-you", digest_section.hidden_papers)
