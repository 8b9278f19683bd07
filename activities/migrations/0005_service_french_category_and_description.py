"""French categories and descriptions for the service catalogue, filled from the seeded catalogue."""

from django.db import migrations, models

from activities.catalogue import service_catalogue_seed


def seed(apps, schema_editor):
    service_catalogue_seed(apps.get_model("activities", "ServiceItem"))


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_participation_gender_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="serviceitem",
            name="category_fr",
            field=models.CharField(blank=True, max_length=80, verbose_name="category (French)"),
        ),
        migrations.AddField(
            model_name="serviceitem",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description (English)"),
        ),
        migrations.AddField(
            model_name="serviceitem",
            name="description_fr",
            field=models.TextField(blank=True, verbose_name="description (French)"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
