from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "paperfeed.library"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # here: these use models, which are not loaded before ready()
        from paperfeed.library import intents, save_control
        from paperfeed.papers import shared_listing

        user_logged_in.connect(intents.carry_out_on_login, dispatch_uid="library-intents")
        shared_listing.register_slot("save", save_control.save_slots)
