from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Experts")

    def ready(self) -> None:
        from experts import imports, jobs, policies, reminders, search  # noqa: F401 (imports, jobs register their kinds)
        from experts.snapshot import connect_signals

        connect_signals()
        policies.register()
        search.register()
        reminders.register()
