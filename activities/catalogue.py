"""The capacity-building service catalogue that new installations start with; the Secretariat edits it."""

CATALOGUE = [
    (
        "strategic-development-consultancy",
        "Strategic development consultancy",
        "Conseil en développement stratégique",
        "Strategic development",
    ),
    (
        "strategic-planning-development",
        "Strategic planning development",
        "Élaboration de la planification stratégique",
        "Strategic development",
    ),
    (
        "development-programming",
        "Development programming",
        "Programmation du développement",
        "Strategic development",
    ),
    ("project-development", "Project development", "Élaboration de projets", "Strategic development"),
    (
        "business-case-development",
        "Business case development",
        "Élaboration d'analyses de rentabilité",
        "Strategic development",
    ),
    (
        "management-development",
        "Management development",
        "Développement des compétences de gestion",
        "People development",
    ),
    ("train-the-trainers", "Train the trainers", "Formation de formateurs", "People development"),
    (
        "nii-procurement-support",
        "NII procurement support",
        "Appui à l'acquisition d'équipements d'INI",
        "Procurement and recruitment",
    ),
    (
        "it-procurement-support",
        "IT procurement support",
        "Appui à l'acquisition informatique",
        "Procurement and recruitment",
    ),
    (
        "specialist-recruitment-support",
        "Specialist recruitment support",
        "Appui au recrutement de spécialistes",
        "Procurement and recruitment",
    ),
]


def service_catalogue_seed(service_model) -> None:
    """Create or refresh the seeded services (takes the model, so migrations can pass theirs)."""
    for position, (code, name_en, name_fr, category) in enumerate(CATALOGUE):
        service_model.objects.update_or_create(
            code=code,
            defaults={"name_en": name_en, "name_fr": name_fr, "category": category, "position": position},
        )
