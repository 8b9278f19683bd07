from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from activities import policies, search
        from activities.calendar import forget_longest_activity
        from activities.models import Activity

        post_save.connect(forget_longest_activity, sender=Activity, dispatch_uid="longest-activity-save")
        post_delete.connect(forget_longest_activity, sender=Activity, dispatch_uid="longest-activity-delete")
        policies.register()
        search.register()
