from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from results import policies, search

        policies.register()
        search.register()
        from results import reports  # noqa: F401 - registers the progress report's job handler
