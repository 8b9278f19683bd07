from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training products")

    def ready(self) -> None:
        from training import policies, recognition, search

        policies.register()
        search.register()
        recognition.register()  # the daily expiry notices of recognitions
