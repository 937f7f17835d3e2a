from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "paperfeed.library"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from paperfeed.library import intents  # here: intents uses models, which are not loaded before ready()

        user_logged_in.connect(intents.carry_out_on_login, dispatch_uid="library-intents")
