from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Read-only views across the other apps: an office's home and the topic map. It owns no model,
    so it registers no policy: every row it shows comes through the other apps' restricted querysets."""

    name = "insights"
    verbose_name = _("Insights")
