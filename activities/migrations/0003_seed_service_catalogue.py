"""Seed the capacity-building service catalogue; the Secretariat edits it afterwards."""

from django.db import migrations

CATALOGUE = [
    ("strategic-development-consultancy", "Strategic development consultancy", "Conseil en développement stratégique",
     "Strategic development"),
    ("strategic-planning-development", "Strategic planning development", "Élaboration de la planification stratégique",
     "Strategic development"),
    ("development-programming", "Development programming", "Programmation du développement", "Strategic development"),
    ("project-development", "Project development", "Élaboration de projets", "Strategic development"),
    ("business-case-development", "Business case development", "Élaboration d'analyses de rentabilité",
     "Strategic development"),
    ("management-development", "Management development", "Développement des compétences de gestion",
     "People development"),
    ("train-the-trainers", "Train the trainers", "Formation de formateurs", "People development"),
    ("nii-procurement-support", "NII procurement support", "Appui à l'acquisition d'équipements d'INI",
     "Procurement and recruitment"),
    ("it-procurement-support", "IT procurement support", "Appui à l'acquisition informatique",
     "Procurement and recruitment"),
    ("specialist-recruitment-support", "Specialist recruitment support", "Appui au recrutement de spécialistes",
     "Procurement and recruitment"),
]


def seed(apps, schema_editor):
    ServiceItem = apps.get_model("activities", "ServiceItem")
    for position, (code, name_en, name_fr, category) in enumerate(CATALOGUE):
        ServiceItem.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_fr": name_fr, "category": category, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
