from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """What an office sees of its part of the network: its home, the topic map, and the documents it
    compiles from the other apps' rows (the annual report). Every row it reads comes through the
    other apps' restricted querysets; the one model it owns, the annual report, has its policy."""

    name = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        # annual_report and jobs (the study-paper compiler) register their jobs
        from insights import annual_report, jobs, policies  # noqa: F401

        policies.register()
