"""Vendor-specific full-text index: FTS5 on SQLite, a generated tsvector with GIN on PostgreSQL."""

from django.db import migrations

from knowledge.lexical import setup_statements


def create(apps, schema_editor):
    for statement in setup_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in setup_statements(schema_editor.connection.vendor, reverse=True):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
