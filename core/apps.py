from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "cbhub core"

    def ready(self) -> None:
        from core import dbstats

        dbstats.register()
        # Once per migrate (sender is this app), after every app's migrations have run.
        post_migrate.connect(dbstats.after_migrate, sender=self, dispatch_uid="core.dbstats")
