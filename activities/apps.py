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
        _stamp_the_public_list()


def _stamp_the_public_list() -> None:
    """The anonymous activity list is kept (core.page_cache) under a stamp that any change of what
    it shows replaces: activities, their offices, regions, members and topics."""
    from activities.models import Activity
    from core.page_cache import register_stamp_signals
    from network.models import Member, Office, Region
    from topics.models import Topic

    register_stamp_signals(
        "activities",
        [Activity, Office, Region, Member, Topic],
        [Activity.topics.through, Activity.beneficiary_members.through, Activity.organising_offices.through],
    )
