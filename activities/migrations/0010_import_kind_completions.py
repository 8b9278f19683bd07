from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0009_public_index_covers_count'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importbatch',
            name='kind',
            field=models.CharField(choices=[('activities', 'Activities'), ('nominations', 'Nominations and participants'), ('experts', 'Expert roster'), ('completions', 'E-learning completions')], max_length=12),
        ),
    ]
