"""Seed the capacity-building service catalogue; the Secretariat edits it afterwards."""

from django.db import migrations

from activities.catalogue import service_catalogue_seed


def seed(apps, schema_editor):
    service_catalogue_seed(apps.get_model("activities", "ServiceItem"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
