from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training products")

    def ready(self) -> None:
        # completions and xapi register their import kind and their jobs.
        from training import completions, policies, recognition, search, xapi  # noqa: F401

        policies.register()
        search.register()
        recognition.register()  # the daily expiry notices of recognitions
