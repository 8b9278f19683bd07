"""The capacity-building service catalogue that new installations start with; the Secretariat edits it."""

CATEGORIES_FR = {
    "Strategic development": "Développement stratégique",
    "People development": "Développement des ressources humaines",
    "Procurement and recruitment": "Acquisitions et recrutement",
}

# code, English name, French name, category, English description, French description
CATALOGUE = [
    (
        "strategic-development-consultancy",
        "Strategic development consultancy",
        "Conseil en développement stratégique",
        "Strategic development",
        "Experts help the leadership of an administration assess where it stands and set the "
        "direction of its reform, using the WCO Capacity Building Development Compendium.",
        "Des experts aident la direction d'une administration à faire le point et à fixer "
        "l'orientation de sa réforme, à l'aide du Recueil de l'OMD sur le renforcement des capacités.",
    ),
    (
        "strategic-planning-development",
        "Strategic planning development",
        "Élaboration de la planification stratégique",
        "Strategic development",
        "Facilitated workshops to draft or renew the administration's strategic plan: vision, "
        "objectives, indicators and the plan's follow-up.",
        "Ateliers animés pour rédiger ou renouveler le plan stratégique de l'administration : "
        "vision, objectifs, indicateurs et suivi du plan.",
    ),
    (
        "development-programming",
        "Development programming",
        "Programmation du développement",
        "Strategic development",
        "Turning a strategic plan into a sequenced programme of reform projects, with their "
        "resources, risks and milestones.",
        "Traduire un plan stratégique en un programme ordonné de projets de réforme, avec leurs "
        "ressources, leurs risques et leurs jalons.",
    ),
    (
        "project-development",
        "Project development",
        "Élaboration de projets",
        "Strategic development",
        "Support to design one reform project: scope, logical framework, budget and the case "
        "to put to donors.",
        "Appui à la conception d'un projet de réforme : périmètre, cadre logique, budget et "
        "dossier à présenter aux donateurs.",
    ),
    (
        "business-case-development",
        "Business case development",
        "Élaboration d'analyses de rentabilité",
        "Strategic development",
        "Help to build the business case for an investment (a single window, risk management, "
        "new equipment): options, costs, benefits and risks.",
        "Aide à l'élaboration de l'analyse de rentabilité d'un investissement (guichet unique, "
        "gestion des risques, nouvel équipement) : options, coûts, avantages et risques.",
    ),
    (
        "management-development",
        "Management development",
        "Développement des compétences de gestion",
        "People development",
        "Leadership and management development for senior and middle managers, based on the "
        "WCO Leadership and Management Development programme.",
        "Développement du leadership et des compétences de gestion des cadres supérieurs et "
        "intermédiaires, d'après le programme de l'OMD sur le leadership et le développement "
        "des compétences de gestion.",
    ),
    (
        "train-the-trainers",
        "Train the trainers",
        "Formation de formateurs",
        "People development",
        "A course that prepares the administration's own trainers to teach a subject and to "
        "design and evaluate their courses.",
        "Un cours qui prépare les formateurs de l'administration à enseigner une matière, à "
        "concevoir et à évaluer leurs cours.",
    ),
    (
        "nii-procurement-support",
        "NII procurement support",
        "Appui à l'acquisition d'équipements d'INI",
        "Procurement and recruitment",
        "Advice on buying non-intrusive inspection equipment: requirements, tender "
        "specifications, evaluation of bids and operating costs.",
        "Conseils pour l'achat d'équipements d'inspection non intrusive : besoins, cahier des "
        "charges, évaluation des offres et coûts d'exploitation.",
    ),
    (
        "it-procurement-support",
        "IT procurement support",
        "Appui à l'acquisition informatique",
        "Procurement and recruitment",
        "Advice on buying customs IT systems: requirements, tender specifications and the "
        "evaluation of bids.",
        "Conseils pour l'achat de systèmes informatiques douaniers : besoins, cahier des "
        "charges et évaluation des offres.",
    ),
    (
        "specialist-recruitment-support",
        "Specialist recruitment support",
        "Appui au recrutement de spécialistes",
        "Procurement and recruitment",
        "Help to define and recruit specialist profiles (auditors, data analysts, laboratory "
        "staff): job descriptions, selection and induction.",
        "Aide à la définition et au recrutement de profils spécialisés (auditeurs, analystes de "
        "données, personnel de laboratoire) : fiches de poste, sélection et intégration.",
    ),
    (
        "rtc-training-course",
        "Training course from a centre's catalogue",
        "Cours du catalogue d'un centre de formation",
        "People development",
        "A session of a training product a Regional Training Centre offers (the request names the "
        "product), for the administration or for the region.",
        "Une session d'un produit de formation qu'offre un centre régional de formation (la demande "
        "nomme le produit), pour l'administration ou pour la région.",
    ),
]


def service_catalogue_seed(service_model) -> None:
    """Create or refresh the seeded services (takes the model, so migrations can pass theirs).

    Only the fields the given model has are written: an early migration passes a model without
    the French categories and descriptions, which a later migration fills."""
    names = {field.name for field in service_model._meta.get_fields()}
    for position, (code, name_en, name_fr, category, description_en, description_fr) in enumerate(CATALOGUE):
        values = {
            "name_en": name_en,
            "name_fr": name_fr,
            "category": category,
            "category_fr": CATEGORIES_FR[category],
            "description_en": description_en,
            "description_fr": description_fr,
            "position": position,
        }
        service_model.objects.update_or_create(
            code=code, defaults={key: value for key, value in values.items() if key in names}
        )
