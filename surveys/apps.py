from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_templates(sender, **kwargs) -> None:
    """The shipped questionnaire templates are loaded (or brought up to date) after every migrate,
    so a fresh clone, a test database and a production upgrade all have them."""
    from surveys.services import templates_load

    templates_load()


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        from surveys import jobs, policies, search  # noqa: F401 (jobs register their kinds)

        policies.register()
        search.register()
        jobs.register()
        post_migrate.connect(load_templates, sender=self)
