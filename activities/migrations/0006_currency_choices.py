# Currencies are chosen from the shipped ISO 4217 list (funding.currencies).

import django.core.validators
from django.db import migrations, models

import funding.currencies


def currency(verbose_name):
    return models.CharField(
        blank=True,
        choices=funding.currencies.currency_choices,
        max_length=3,
        validators=[
            django.core.validators.RegexValidator("^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. EUR.")
        ],
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_service_french_category_and_description"),
    ]

    operations = [
        migrations.AlterField("activity", "budget_currency", currency("budget currency")),
        migrations.AlterField("activity", "actual_currency", currency("actual cost currency")),
        migrations.AlterField("historicalactivity", "budget_currency", currency("budget currency")),
        migrations.AlterField("historicalactivity", "actual_currency", currency("actual cost currency")),
    ]
