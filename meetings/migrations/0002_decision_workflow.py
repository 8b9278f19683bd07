"""The decisions' default workflow (meetings.workflow)."""

from django.db import migrations

from meetings.workflow import workflow_seed


def create_states(apps, schema_editor):
    workflow_seed(apps.get_model("meetings", "DecisionState"))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(create_states, migrations.RunPython.noop)]
