"""Add the catalogue service under which members request a session of a training product."""

from django.db import migrations

from activities.catalogue import service_catalogue_seed


def seed(apps, schema_editor):
    service_catalogue_seed(apps.get_model("activities", "ServiceItem"))


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("activities", "0005_service_french_category_and_description")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
