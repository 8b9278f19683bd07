from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "conferences"
    verbose_name = _("Research conferences")

    def ready(self) -> None:
        from conferences import jobs, policies, search  # noqa: F401 (jobs register their kinds)

        policies.register()
        search.register()
        jobs.register()
