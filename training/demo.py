"""Demo training products (`manage.py demo_training`, run by `make run` after the other demo
commands): every RTC offers 6–15 products that fit its speciality (RTC Japan classification,
valuation and post-clearance audit; others enforcement, AEO, risk management, leadership...), with
French titles, topics, 2–5 modules within the product's hours and their competencies of the WCO
PICARD Professional Standards. Most products go through proposed → endorsed → offered as the
centre's coordinator and the region's ROCB would (the Secretariat stands in where the demo has no
such user); a few stay draft, proposed or retired. Past activities of the centre or its region on
the product's topics become its sessions. Five recognised university programmes, two applications
under review, the WCO CLiKC! platform and a few hundred e-learning completions complete the picture.

Products, modules, moves and sessions are written through `training.services`; the recognition
rows and the completions directly (completions with bulk_create). Every choice comes from a
`random.Random` seeded on the office's code, and a second run creates nothing new."""

from __future__ import annotations

import datetime
import hashlib
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, ActivityKind, Status
from network.models import Member, Office, OfficeKind
from people.models import Person
from topics.models import Topic
from training import services
from training.models import (
    SCHEDULABLE_STATUSES,
    Competency,
    CompetencyFramework,
    Completion,
    CompletionSource,
    CompletionStatus,
    Institution,
    InstitutionKind,
    LearningPlatform,
    Product,
    ProductKind,
    ProductLevel,
    ProductStatus,
    ProgrammeCourse,
    RecognitionApplication,
    RecognitionReviewer,
    RecognitionStatus,
    Session,
)
from training.reference import competencies_load

SEED = 2019
FRAMEWORK = "wco-ps-2019"
PAST = [Status.DELIVERED, Status.EVALUATED, Status.CLOSED]
PLATFORM = "WCO CLiKC!"
COMPLETION_PEOPLE = 400


@dataclass(frozen=True)
class Template:
    key: str
    kind: str
    topics: tuple[str, ...]
    title: str
    title_fr: str
    objective: str
    modules: tuple[tuple[str, str, str], ...]  # title, French title, competency codes


def _t(key, kind, topics, title, title_fr, objective, *modules) -> Template:
    return Template(key, kind, tuple(topics.split()), title, title_fr, objective, tuple(modules))


TECH, ENF, MAN, BIZ, TTT, EL = (
    ProductKind.TECHNICAL,
    ProductKind.ENFORCEMENT,
    ProductKind.MANAGEMENT,
    ProductKind.BUSINESS_SKILLS,
    ProductKind.TRAIN_THE_TRAINERS,
    ProductKind.ELEARNING,
)

CATALOGUE = [
    # --- revenue: classification, valuation, origin, audit -------------------------------------
    _t(
        "hs-foundation",
        TECH,
        "hs-classification",
        "Harmonized System classification: foundation course",
        "Classement dans le Système harmonisé : cours de base",
        "Classify common goods under the HS with the General Interpretative Rules and explain the result.",
        (
            "Structure of the HS nomenclature and its legal notes",
            "Structure de la nomenclature du SH et ses notes légales",
            "OP.2.1",
        ),
        (
            "The General Interpretative Rules in practice",
            "Les règles générales interprétatives en pratique",
            "OP.2.1",
        ),
        (
            "Classifying machinery and electrical goods",
            "Classement des machines et appareils électriques",
            "OP.2.1",
        ),
        (
            "Classifying chemicals and plastics",
            "Classement des produits chimiques et des matières plastiques",
            "OP.2.1",
        ),
        ("Advance rulings on classification", "Renseignements tarifaires contraignants", "OP.2.1 OP.2.4"),
    ),
    _t(
        "hs-advanced",
        TECH,
        "hs-classification",
        "HS 2022 amendments and classification disputes",
        "Amendements du SH 2022 et litiges de classement",
        "Apply the HS 2022 amendments to the national tariff and settle classification disputes.",
        ("What changed in HS 2022", "Les changements du SH 2022", "OP.2.1"),
        (
            "Correlation tables and national tariff updates",
            "Tables de concordance et mise à jour du tarif national",
            "OP.2.1 OP.1.4",
        ),
        (
            "Using the Explanatory Notes and classification opinions",
            "Utiliser les notes explicatives et les avis de classement",
            "OP.2.1",
        ),
        ("Settling classification disputes", "Règlement des litiges de classement", "OP.2.1 OP.3.6"),
    ),
    _t(
        "valuation",
        TECH,
        "valuation",
        "Customs valuation: the transaction value method",
        "Valeur en douane : la méthode de la valeur transactionnelle",
        "Determine the customs value of imported goods under the WTO Valuation Agreement.",
        (
            "The WTO Valuation Agreement and its interpretative notes",
            "L'Accord de l'OMC sur l'évaluation en douane et ses notes interprétatives",
            "OP.2.2",
        ),
        (
            "Adjustments to the price actually paid or payable",
            "Ajustements du prix effectivement payé ou à payer",
            "OP.2.2",
        ),
        ("Royalties, licence fees and assists", "Redevances, droits de licence et apports", "OP.2.2"),
        ("The fallback methods", "Les méthodes de substitution", "OP.2.2"),
    ),
    _t(
        "valuation-control",
        TECH,
        "valuation pca",
        "Valuation control and transfer pricing",
        "Contrôle de la valeur et prix de transfert",
        "Target and verify declared values, including transactions between related parties.",
        (
            "Valuation risk indicators and databases",
            "Indicateurs de risque et bases de données sur la valeur",
            "OP.2.2 OP.3.1",
        ),
        (
            "Related-party transactions and transfer pricing",
            "Transactions entre parties liées et prix de transfert",
            "OP.2.2",
        ),
        ("Verifying values after release", "Vérifier la valeur après la mainlevée", "OP.2.2 OP.3.2"),
        (
            "Cooperation with the tax administration",
            "Coopération avec l'administration fiscale",
            "OP.2.5 OP.5.2",
        ),
    ),
    _t(
        "origin",
        TECH,
        "origin",
        "Rules of origin and preferential trade agreements",
        "Règles d'origine et accords commerciaux préférentiels",
        "Determine the origin of goods and verify proofs of origin under the region's trade agreements.",
        (
            "Wholly obtained goods and substantial transformation",
            "Produits entièrement obtenus et transformation substantielle",
            "OP.2.3",
        ),
        ("Product-specific rules and cumulation", "Règles spécifiques par produit et cumul", "OP.2.3"),
        (
            "Proofs of origin and self-certification",
            "Preuves de l'origine et autocertification",
            "OP.2.3 OP.1.4",
        ),
        ("Verification of origin", "Contrôle de l'origine", "OP.2.3 OP.3.2"),
    ),
    _t(
        "pca",
        TECH,
        "pca",
        "Post-clearance audit: planning and conducting audits",
        "Contrôle a posteriori : planifier et conduire les contrôles",
        "Select, plan and conduct a post-clearance audit and report its findings.",
        ("Selecting companies for audit", "Sélectionner les entreprises à contrôler", "OP.3.1 OP.3.2"),
        (
            "Reading company accounts and records",
            "Lire la comptabilité et les registres des entreprises",
            "OP.3.2",
        ),
        ("Audit techniques on site", "Techniques de contrôle sur place", "OP.3.2"),
        (
            "Audit reports and recovery of duties",
            "Rapports de contrôle et recouvrement des droits",
            "OP.3.2 OP.2.4",
        ),
    ),
    _t(
        "revenue",
        TECH,
        "revenue",
        "Revenue collection and duty assessment",
        "Perception des recettes et liquidation des droits",
        "Assess and collect duties and taxes correctly and forecast the revenue of the border.",
        ("Duties, taxes and fees at importation", "Droits, taxes et redevances à l'importation", "OP.2.4"),
        ("Excise and VAT at the border", "Accises et TVA à la frontière", "OP.2.5"),
        (
            "Guarantees, deferred payment and refunds",
            "Garanties, paiement différé et remboursements",
            "OP.2.4 OP.1.3",
        ),
        ("Revenue forecasting and analysis", "Prévision et analyse des recettes", "ST.6.3 OP.7.1"),
    ),
    _t(
        "el-hs",
        EL,
        "hs-classification e-learning",
        "E-learning: introduction to the Harmonized System",
        "Apprentissage en ligne : introduction au Système harmonisé",
        "Find one's way in the HS nomenclature and apply the first General Interpretative Rules.",
        ("The HS and why it matters", "Le SH et son importance", "OP.2.1"),
        ("Reading a tariff heading", "Lire une position tarifaire", "OP.2.1"),
        ("Rules 1 to 6 in short", "Les règles 1 à 6 en bref", "OP.2.1"),
    ),
    _t(
        "el-valuation",
        EL,
        "valuation e-learning",
        "E-learning: customs valuation essentials",
        "Apprentissage en ligne : l'essentiel de la valeur en douane",
        "Explain the transaction value and its adjustments.",
        ("Why a customs value", "Pourquoi une valeur en douane", "OP.2.2"),
        ("The transaction value", "La valeur transactionnelle", "OP.2.2"),
        ("Adjustments and deductions", "Ajustements et déductions", "OP.2.2"),
    ),
    # --- trade facilitation and border procedures ----------------------------------------------
    _t(
        "tfa",
        TECH,
        "trade-facilitation",
        "Implementing the WTO Trade Facilitation Agreement",
        "Mettre en œuvre l'Accord de l'OMC sur la facilitation des échanges",
        "Plan the implementation of the TFA measures and notify their categories.",
        ("The TFA measures and categories", "Les mesures de l'AFE et leurs catégories", "OP.4.1"),
        (
            "National trade facilitation committees",
            "Comités nationaux de la facilitation des échanges",
            "OP.4.1 ST.3.3",
        ),
        ("Pre-arrival processing and release", "Traitement avant l'arrivée et mainlevée", "OP.4.1 OP.1.2"),
        ("Monitoring implementation", "Suivre la mise en œuvre", "OP.4.1 ST.1.2"),
    ),
    _t(
        "rkc",
        TECH,
        "rkc",
        "Revised Kyoto Convention: simplified and harmonised procedures",
        "Convention de Kyoto révisée : procédures simplifiées et harmonisées",
        "Review national procedures against the General Annex of the Revised Kyoto Convention.",
        ("Structure of the Convention", "Structure de la Convention", "OP.1.1"),
        (
            "The General Annex: clearance and control",
            "L'annexe générale : dédouanement et contrôle",
            "OP.1.1 OP.1.2",
        ),
        ("Specific Annexes: transit and warehousing", "Annexes spécifiques : transit et entrepôt", "OP.1.3"),
        (
            "Gap analysis of national legislation",
            "Analyse des écarts de la législation nationale",
            "OP.1.1 ST.1.3",
        ),
    ),
    _t(
        "trs",
        TECH,
        "trs trade-facilitation",
        "Time Release Study: measuring and reducing release times",
        "Étude sur le temps nécessaire pour la mainlevée : mesurer et réduire les délais",
        "Plan and run a Time Release Study and turn its findings into reforms.",
        (
            "Planning a Time Release Study",
            "Préparer une étude sur le temps nécessaire pour la mainlevée",
            "OP.4.4",
        ),
        ("Collecting and checking data", "Collecter et vérifier les données", "OP.4.4 OP.7.1"),
        ("Analysing bottlenecks", "Analyser les goulets d'étranglement", "OP.4.4"),
        ("From findings to reform", "Des constats à la réforme", "OP.4.4 ST.5.1"),
    ),
    _t(
        "single-window",
        TECH,
        "single-window new-technologies",
        "Designing a national Single Window",
        "Concevoir un guichet unique national",
        "Design a Single Window with the border agencies, from data model to governance.",
        ("Single Window models", "Modèles de guichet unique", "OP.4.3"),
        ("The WCO Data Model", "Le modèle de données de l'OMD", "OP.4.3 OP.1.4"),
        ("Governance and partner agencies", "Gouvernance et administrations partenaires", "OP.4.3 OP.5.1"),
        ("Project plan and funding", "Plan de projet et financement", "ST.5.2"),
    ),
    _t(
        "cbm",
        TECH,
        "cbm",
        "Coordinated border management in practice",
        "La gestion coordonnée des frontières en pratique",
        "Organise joint controls with the other border agencies and neighbouring administrations.",
        (
            "Agencies at the border and their mandates",
            "Les services à la frontière et leurs mandats",
            "OP.5.1",
        ),
        (
            "Joint inspections and one-stop border posts",
            "Inspections conjointes et postes frontières à guichet unique",
            "OP.5.1",
        ),
        ("Sharing information across agencies", "Partager l'information entre services", "OP.5.2"),
    ),
    _t(
        "transit",
        TECH,
        "transit",
        "Transit procedures and regional transit systems",
        "Procédures de transit et systèmes de transit régionaux",
        "Run transit procedures with guarantees and electronic tracking of goods.",
        (
            "Transit under the Revised Kyoto Convention",
            "Le transit dans la Convention de Kyoto révisée",
            "OP.1.3",
        ),
        ("Guarantees and seals", "Garanties et scellements", "OP.1.3 OP.2.4"),
        ("Electronic cargo tracking", "Suivi électronique des marchandises", "OP.1.5 OP.7.2"),
        ("Regional transit agreements", "Accords régionaux de transit", "OP.1.3 ST.3.4"),
    ),
    _t(
        "e-commerce",
        TECH,
        "e-commerce",
        "Cross-border e-commerce: clearance and control of low-value shipments",
        "Commerce électronique transfrontalier : dédouanement et contrôle des envois de faible valeur",
        "Clear and control the flow of small consignments with advance electronic data.",
        (
            "The WCO E-Commerce Framework of Standards",
            "Le cadre de normes de l'OMD sur le commerce électronique",
            "OP.4.5",
        ),
        (
            "Advance electronic data from postal operators and couriers",
            "Données électroniques préalables des opérateurs postaux et des messageries",
            "OP.4.5 OP.1.4",
        ),
        (
            "Revenue on low-value consignments",
            "Les recettes sur les envois de faible valeur",
            "OP.2.4 OP.4.5",
        ),
        ("Risk management of small parcels", "Gestion des risques des petits colis", "OP.3.1 OP.4.5"),
    ),
    _t(
        "free-zones",
        TECH,
        "sez",
        "Free zones: control without hindering trade",
        "Zones franches : contrôler sans entraver les échanges",
        "Supervise free zones and their operators with controls proportionate to the risk.",
        (
            "Free zones in the Revised Kyoto Convention",
            "Les zones franches dans la Convention de Kyoto révisée",
            "OP.1.3",
        ),
        (
            "Authorising and auditing zone operators",
            "Autoriser et contrôler les opérateurs des zones",
            "OP.3.2",
        ),
        (
            "Illicit trade risks in free zones",
            "Risques de commerce illicite dans les zones franches",
            "OP.3.1",
        ),
    ),
    # --- security, enforcement and compliance --------------------------------------------------
    _t(
        "aeo",
        ENF,
        "safe-aeo",
        "Authorized Economic Operator programmes: validation and mutual recognition",
        "Programmes d'opérateur économique agréé : validation et reconnaissance mutuelle",
        "Validate AEO applicants against the SAFE Framework and prepare mutual recognition.",
        ("The SAFE Framework of Standards", "Le cadre de normes SAFE", "OP.4.2"),
        ("Validating an applicant", "Valider un candidat", "OP.4.2 OP.3.2"),
        ("Benefits and monitoring of AEOs", "Avantages et suivi des OEA", "OP.4.2 ST.3.3"),
        ("Mutual recognition arrangements", "Arrangements de reconnaissance mutuelle", "OP.4.2 ST.3.4"),
    ),
    _t(
        "risk",
        ENF,
        "risk-management",
        "Risk management and targeting",
        "Gestion des risques et ciblage",
        "Build risk profiles and target consignments for control.",
        ("The risk management cycle", "Le cycle de gestion des risques", "OP.3.1"),
        ("Risk indicators and profiles", "Indicateurs et profils de risque", "OP.3.1"),
        (
            "Selectivity in the clearance system",
            "La sélectivité dans le système de dédouanement",
            "OP.3.1 OP.1.5",
        ),
        ("Evaluating the results of controls", "Évaluer les résultats des contrôles", "OP.3.1 OP.7.1"),
        (
            "Risk management at the level of the organisation",
            "La gestion des risques à l'échelle de l'organisation",
            "ST.1.4",
        ),
    ),
    _t(
        "intelligence",
        ENF,
        "risk-management enforcement-compliance",
        "Intelligence analysis for customs",
        "Analyse du renseignement pour la douane",
        "Collect, evaluate and analyse information and disseminate intelligence products.",
        ("The intelligence cycle", "Le cycle du renseignement", "OP.3.3"),
        ("Sources and evaluation of information", "Sources et évaluation de l'information", "OP.3.3"),
        ("Analytical techniques", "Techniques d'analyse", "OP.3.3 OP.7.1"),
        (
            "Exchanging intelligence with partners",
            "Échanger le renseignement avec les partenaires",
            "OP.5.2 OP.6.3",
        ),
    ),
    _t(
        "drugs",
        ENF,
        "enforcement-compliance",
        "Combating the trafficking of drugs and precursors",
        "Lutte contre le trafic de stupéfiants et de précurseurs",
        "Detect and seize drugs and precursors at the border and build the case.",
        ("Trafficking routes and methods", "Routes et méthodes de trafic", "OP.3.4"),
        (
            "Searching passengers, baggage and cargo",
            "Fouille des voyageurs, des bagages et du fret",
            "OP.3.5 OP.5.3",
        ),
        ("Controlled deliveries", "Livraisons surveillées", "OP.3.3 OP.5.2"),
        ("Evidence and case files", "Preuves et dossiers de procédure", "OP.3.3 OP.3.6"),
    ),
    _t(
        "ipr",
        ENF,
        "ipr",
        "Intellectual property rights at the border",
        "Droits de propriété intellectuelle à la frontière",
        "Detain counterfeit and pirated goods with right holders' applications.",
        (
            "Border measures under the TRIPS Agreement",
            "Les mesures à la frontière de l'Accord sur les ADPIC",
            "OP.3.4",
        ),
        ("Working with right holders", "Travailler avec les titulaires de droits", "OP.3.4 ST.3.3"),
        ("Identifying counterfeits", "Identifier les contrefaçons", "OP.3.4 OP.3.5"),
    ),
    _t(
        "nii",
        ENF,
        "nii",
        "Non-intrusive inspection: image interpretation",
        "Inspection non intrusive : interprétation des images",
        "Read scanner images of containers and vehicles and decide on physical examination.",
        ("Scanning technologies", "Technologies de scanographie", "OP.3.5 OP.7.2"),
        ("Reading images of containers", "Lire les images de conteneurs", "OP.3.5"),
        ("Concealment methods", "Méthodes de dissimulation", "OP.3.5 OP.3.4"),
        ("Radiation safety", "Radioprotection", "OP.3.5"),
    ),
    _t(
        "green-customs",
        ENF,
        "environment-green-customs",
        "Green Customs: waste, wildlife and ozone-depleting substances",
        "Douane verte : déchets, faune sauvage et substances appauvrissant la couche d'ozone",
        "Enforce the multilateral environmental agreements at the border.",
        ("Multilateral environmental agreements", "Accords multilatéraux sur l'environnement", "OP.3.4"),
        ("CITES permits and species identification", "Permis CITES et identification des espèces", "OP.3.4"),
        ("Hazardous waste and the Basel Convention", "Déchets dangereux et Convention de Bâle", "OP.3.4"),
    ),
    _t(
        "fragile-borders",
        ENF,
        "security-fragile-borders cbm",
        "Border security in fragile and conflict-affected areas",
        "Sécurité des frontières dans les zones fragiles et touchées par les conflits",
        "Keep border posts working and safe in fragile areas, with the communities around them.",
        ("Customs in fragile areas", "La douane dans les zones fragiles", "OP.5.1"),
        ("Small arms and explosive precursors", "Armes légères et précurseurs d'explosifs", "OP.3.4"),
        ("Working with border communities", "Travailler avec les communautés frontalières", "OP.6.2 OP.5.1"),
    ),
    _t(
        "el-risk",
        EL,
        "risk-management e-learning",
        "E-learning: introduction to risk management",
        "Apprentissage en ligne : introduction à la gestion des risques",
        "Explain the risk management cycle and the use of risk indicators.",
        ("What is risk?", "Qu'est-ce que le risque ?", "OP.3.1"),
        ("The risk management cycle", "Le cycle de gestion des risques", "OP.3.1"),
        ("Risk indicators", "Indicateurs de risque", "OP.3.1"),
    ),
    # --- data and technology -------------------------------------------------------------------
    _t(
        "data-analytics",
        TECH,
        "data-analytics",
        "Data analytics for customs officers",
        "Analyse de données pour les agents des douanes",
        "Clean, explore and visualise customs declarations data to support controls.",
        ("Customs data and its quality", "Les données douanières et leur qualité", "OP.7.1"),
        (
            "Exploring declarations with spreadsheets and Python",
            "Explorer les déclarations avec un tableur et Python",
            "OP.7.1",
        ),
        ("Detecting anomalies", "Détecter les anomalies", "OP.7.1 OP.3.1"),
        ("Dashboards for managers", "Tableaux de bord pour l'encadrement", "OP.7.1 ST.1.2"),
    ),
    _t(
        "digital-customs",
        TECH,
        "new-technologies",
        "Digital customs: new technologies for border agencies",
        "Douane numérique : les nouvelles technologies au service des administrations frontalières",
        "Assess where new technologies can help customs and plan their introduction.",
        ("Blockchain, AI and the Internet of Things", "Chaîne de blocs, IA et internet des objets", "OP.7.2"),
        ("Paperless clearance", "Dédouanement sans papier", "OP.1.5"),
        ("Leading digital transformation", "Conduire la transformation numérique", "ST.5.3"),
    ),
    # --- organisational development and people --------------------------------------------------
    _t(
        "leadership",
        MAN,
        "leadership",
        "Leadership and management development",
        "Développement du leadership et de l'encadrement",
        "Lead teams through change and take decisions with the administration's strategy in mind.",
        ("Leading people and teams", "Diriger des personnes et des équipes", "ST.2.1"),
        ("Leading change", "Conduire le changement", "ST.5.1"),
        ("Communication and decision-making", "Communication et prise de décision", "ST.2.4"),
        ("Governance and accountability", "Gouvernance et obligation de rendre compte", "ST.2.2"),
        ("Personal action plan", "Plan d'action personnel", "ST.2.1"),
    ),
    _t(
        "middle-management",
        MAN,
        "leadership hrm-professionalism",
        "Middle management development",
        "Perfectionnement des cadres intermédiaires",
        "Plan the work of a unit, coach its staff and report on its performance.",
        ("The role of the middle manager", "Le rôle du cadre intermédiaire", "ST.2.1"),
        ("Coaching and appraising staff", "Accompagner et évaluer le personnel", "ST.4.1"),
        ("Planning and reporting", "Planifier et rendre compte", "ST.1.2"),
    ),
    _t(
        "integrity",
        MAN,
        "integrity",
        "Integrity and anti-corruption in customs",
        "Éthique et lutte contre la corruption dans la douane",
        "Assess corruption risks and build an integrity plan on the Revised Arusha Declaration.",
        ("The Revised Arusha Declaration", "La Déclaration d'Arusha révisée", "ST.2.3"),
        ("Mapping corruption risks", "Cartographier les risques de corruption", "ST.2.3 ST.1.4"),
        ("Codes of conduct", "Codes de conduite", "OP.6.1"),
        ("Integrity action plans", "Plans d'action en matière d'éthique", "ST.2.3"),
    ),
    _t(
        "strategic-planning",
        MAN,
        "strategic-management performance-measurement",
        "Strategic planning and performance measurement",
        "Planification stratégique et mesure de la performance",
        "Write a strategic plan with measurable objectives and monitor it.",
        ("Organisational diagnostics", "Diagnostic organisationnel", "ST.1.1"),
        ("From vision to objectives", "De la vision aux objectifs", "ST.1.1 ST.1.3"),
        ("Performance indicators", "Indicateurs de performance", "ST.1.2"),
        ("Budgeting the plan", "Budgétiser le plan", "ST.6.1"),
    ),
    _t(
        "hrm",
        MAN,
        "hrm-professionalism",
        "Competency-based human resource management",
        "Gestion des ressources humaines fondée sur les compétences",
        "Build competency profiles and use them for recruitment, training and careers.",
        ("The WCO competency framework", "Le référentiel de compétences de l'OMD", "ST.4.1"),
        ("Job profiles and recruitment", "Profils de poste et recrutement", "ST.4.1"),
        ("Training needs analysis", "Analyse des besoins de formation", "ST.4.2"),
        ("Career paths", "Parcours professionnels", "ST.4.1"),
    ),
    _t(
        "gender",
        MAN,
        "gender-diversity",
        "Gender equality and diversity in customs",
        "Égalité des genres et diversité dans la douane",
        "Assess the administration with the Gender Equality Organizational Assessment Tool.",
        (
            "Why gender equality matters in customs",
            "Pourquoi l'égalité des genres compte dans la douane",
            "ST.4.3",
        ),
        (
            "The Gender Equality Organizational Assessment Tool",
            "L'outil d'évaluation organisationnelle de l'égalité des genres",
            "ST.4.3",
        ),
        ("Action plans and networks", "Plans d'action et réseaux", "ST.4.3 ST.5.1"),
    ),
    _t(
        "ttt",
        TTT,
        "training-evaluation",
        "Train-the-trainers: designing and delivering adult learning",
        "Formation de formateurs : concevoir et animer une formation pour adultes",
        "Design, deliver and evaluate a training session for customs officers.",
        ("How adults learn", "Comment les adultes apprennent", "ST.4.2"),
        ("Designing a session", "Concevoir une séance", "ST.4.2"),
        ("Facilitation techniques", "Techniques d'animation", "ST.4.2 ST.2.4"),
        ("Evaluating learning", "Évaluer les apprentissages", "ST.4.2"),
    ),
    _t(
        "partnership",
        BIZ,
        "stakeholder-partnership",
        "Customs-business partnership and stakeholder engagement",
        "Partenariat douane-entreprises et dialogue avec les parties prenantes",
        "Set up and run a structured dialogue with traders and their associations.",
        ("Why partner with business", "Pourquoi s'associer aux entreprises", "ST.3.3"),
        ("Consultation mechanisms", "Mécanismes de consultation", "ST.3.3 OP.6.2"),
        ("Memoranda of understanding", "Protocoles d'accord", "ST.3.3"),
    ),
    _t(
        "project-management",
        BIZ,
        "strategic-management",
        "Project management for customs modernisation",
        "Gestion de projets pour la modernisation douanière",
        "Plan, run and close a modernisation project on time and within budget.",
        ("The project life cycle", "Le cycle de vie d'un projet", "ST.5.2"),
        ("Planning and budgeting", "Planification et budgétisation", "ST.5.2 ST.6.1"),
        ("Risks and stakeholders", "Risques et parties prenantes", "ST.5.2 ST.1.4"),
    ),
    _t(
        "el-integrity",
        EL,
        "integrity e-learning",
        "E-learning: integrity awareness",
        "Apprentissage en ligne : sensibilisation à l'éthique",
        "Recognise integrity risks in daily work and know how to report them.",
        ("Integrity in customs", "L'éthique dans la douane", "OP.6.1"),
        ("Conflicts of interest and gifts", "Conflits d'intérêts et cadeaux", "OP.6.1"),
        ("Reporting misconduct", "Signaler les manquements", "OP.6.1 ST.2.3"),
    ),
]
BY_KEY = {template.key: template for template in CATALOGUE}
ELEARNING = [template.key for template in CATALOGUE if template.kind == EL]

# What each centre is known for (by topic); a centre not named here gets three topics by lot.
SPECIALITIES = {
    "rtc-japan": "hs-classification valuation pca origin",
    "rtc-china": "e-commerce hs-classification risk-management",
    "rtc-hong-kong-china": "ipr enforcement-compliance risk-management",
    "rtc-india": "valuation hs-classification revenue integrity",
    "rtc-indonesia": "enforcement-compliance nii revenue",
    "rtc-korea-republic-of": "data-analytics new-technologies single-window e-commerce",
    "rtc-malaysia": "safe-aeo risk-management trade-facilitation",
    "rtc-thailand": "transit cbm trs",
    "rtc-fiji": "leadership integrity security-fragile-borders",
    "rtc-iran-islamic-republic-of": "transit nii hs-classification",
    "rtc-brazil": "risk-management data-analytics safe-aeo",
    "rtc-dominican-republic": "trade-facilitation rkc safe-aeo leadership",
    "rtc-kenya": "trade-facilitation transit cbm leadership",
    "rtc-mauritius": "safe-aeo e-commerce revenue",
    "rtc-south-africa": "leadership integrity training-evaluation trs",
    "rtc-zimbabwe": "transit revenue valuation",
    "rtc-azerbaijan": "cbm single-window risk-management",
    "rtc-kazakhstan": "transit hs-classification origin",
    "rtc-kyrgyzstan": "transit integrity cbm",
    "rtc-russian-federation": "valuation hs-classification leadership e-learning",
    "rtc-ukraine": "ipr risk-management cbm",
    "rtc-egypt": "hs-classification origin transit",
    "rtc-jordan": "safe-aeo risk-management strategic-management",
    "rtc-kuwait": "nii enforcement-compliance",
    "rtc-lebanon": "integrity valuation hrm-professionalism",
    "rtc-saudi-arabia": "safe-aeo data-analytics leadership",
    "rtc-tunisia": "origin valuation rkc",
    "rtc-burkina-faso": "transit revenue valuation",
    "rtc-congo-republic-of-the": "cbm security-fragile-borders integrity",
    "rtc-nigeria": "revenue enforcement-compliance leadership",
}
REGION_LANGUAGES = {
    "A/P": ["en", "en", "en,zh"],
    "AMS": ["es,en", "es", "pt,es", "en,es"],
    "EUR": ["ru,en", "en", "ru"],
    "MENA": ["ar,en", "ar", "ar,fr"],
    "ESA": ["en", "en,fr", "en,pt"],
    "WCA": ["fr", "fr,en", "en,fr"],
}
LEVEL_FR = {"foundation": "de base", "intermediate": "intermédiaire", "advanced": "avancé"}
AUDIENCE = {
    TECH: "Customs officers and supervisors working on {topic}",
    ENF: "Enforcement, intelligence and control officers",
    MAN: "Senior and middle managers of customs administrations",
    BIZ: "Managers and project leads of customs administrations",
    TTT: "Experienced officers selected to become national trainers",
    EL: "All customs officers; no prerequisites",
}
# The product's lifecycle in the demo: most offered, a few elsewhere.
STATUS_WEIGHTS = {
    ProductStatus.OFFERED: 70,
    ProductStatus.ENDORSED: 8,
    ProductStatus.PROPOSED: 8,
    ProductStatus.DRAFT: 7,
    ProductStatus.RETIRED: 7,
}
SPECIALITY_STATUS_WEIGHTS = {
    ProductStatus.OFFERED: 82,
    ProductStatus.ENDORSED: 6,
    ProductStatus.PROPOSED: 4,
    ProductStatus.DRAFT: 3,
    ProductStatus.RETIRED: 5,
}
RETURN_COMMENT = (
    "Please add a module on the practical exercises and say which administrations of the region asked "
    "for the course."
)
# Activities that can be a session of a product of this kind.
SESSION_KINDS = {
    EL: {ActivityKind.ELEARNING},
    TTT: {ActivityKind.TRAIN_THE_TRAINERS, ActivityKind.REGIONAL_WORKSHOP, ActivityKind.SUBREGIONAL_WORKSHOP},
}
WORKSHOPS = {
    ActivityKind.REGIONAL_WORKSHOP,
    ActivityKind.SUBREGIONAL_WORKSHOP,
    ActivityKind.NATIONAL_WORKSHOP,
    ActivityKind.TRAIN_THE_TRAINERS,
}

# --- recognition of programmes ---------------------------------------------------------------------

# name, kind, country (ISO alpha-2), website, programme, status, years since decided, courses
RECOGNISED = [
    (
        "Pacific Coast University (demo)",
        InstitutionKind.UNIVERSITY,
        "AU",
        "https://pcu.example.edu",
        "Master of Customs Administration",
        RecognitionStatus.RECOGNISED,
        1,
        [
            ("International trade and customs law", 48, "OP.1.1 ST.3.2"),
            ("Revenue and tariff", 48, "OP.2.1 OP.2.2 OP.2.3"),
            ("Risk management and compliance", 36, "OP.3.1 OP.3.2"),
            ("Strategic management in customs", 36, "ST.1.1 ST.1.2"),
            ("Leadership and integrity", 24, "ST.2.1 ST.2.3"),
            ("Research project", 60, "ST.1.3"),
        ],
    ),
    (
        "University of the Rhine Valley (demo)",
        InstitutionKind.UNIVERSITY,
        "DE",
        "https://urv.example.edu",
        "Master of Arts in Customs Administration",
        RecognitionStatus.RECOGNISED,
        3,
        [
            ("European and international customs law", 60, "OP.1.1 ST.3.2"),
            ("Origin and preferential trade", 30, "OP.2.3 ST.3.1"),
            ("Customs valuation and taxation", 30, "OP.2.2 OP.2.5"),
            ("Supply chain security", 30, "OP.4.2 OP.3.1"),
            ("Management of customs administrations", 45, "ST.1.1 ST.5.1"),
        ],
    ),
    (
        "Baltic Technical University (demo)",
        InstitutionKind.UNIVERSITY,
        "LV",
        "https://btu.example.edu",
        "Professional Bachelor in Customs and Tax Administration",
        RecognitionStatus.CONDITIONAL,
        2,
        [
            ("Customs procedures", 64, "OP.1.2 OP.1.3"),
            ("Tariff classification", 48, "OP.2.1"),
            ("Customs control and audit", 48, "OP.3.2 OP.3.5"),
            ("Logistics and transport", 32, "OP.5.4"),
            ("Information systems in customs", 32, "OP.1.5 OP.7.1"),
        ],
    ),
    (
        "Universidad Central del Caribe (demo)",
        InstitutionKind.UNIVERSITY,
        "CR",
        "https://ucc.example.edu",
        "Licenciatura en Administración Aduanera",
        RecognitionStatus.RECOGNISED,
        4,
        [
            ("Derecho aduanero", 64, "OP.1.1"),
            ("Clasificación arancelaria", 48, "OP.2.1"),
            ("Valoración aduanera", 48, "OP.2.2"),
            ("Facilitación del comercio", 32, "OP.4.1 OP.4.3"),
            ("Ética y función pública", 16, "OP.6.1 ST.2.3"),
        ],
    ),
    (
        "West African School of Customs Studies (demo)",
        InstitutionKind.ACADEMY,
        "SN",
        "https://wascs.example.org",
        "Diplôme supérieur d'études douanières",
        RecognitionStatus.CONDITIONAL,
        0,
        [
            ("Procédures douanières", 60, "OP.1.2 OP.1.4"),
            ("Fiscalité de porte", 40, "OP.2.4 OP.2.5"),
            ("Lutte contre la fraude", 40, "OP.3.3 OP.3.4"),
            ("Gestion coordonnée des frontières", 20, "OP.5.1"),
            ("Management public", 30, "ST.1.1 ST.6.1"),
        ],
    ),
]
UNDER_REVIEW = [
    (
        "East African Institute of Revenue Administration (demo)",
        InstitutionKind.ACADEMY,
        "KE",
        "https://eaira.example.org",
        "Postgraduate Diploma in Customs Administration",
        "focal.kenya",
        [
            ("Customs law and procedures", 45, "OP.1.1 OP.1.2"),
            ("Revenue collection", 45, "OP.2.4 OP.2.5"),
            ("Trade facilitation and the TFA", 30, "OP.4.1"),
            ("Regional integration", 30, "ST.3.4"),
        ],
    ),
    (
        None,
        InstitutionKind.RTC,
        "JP",
        "",
        "Advanced Diploma in Customs Technique (HS, valuation, origin)",
        "rtc.japan",
        [
            ("HS classification, advanced", 40, "OP.2.1"),
            ("Valuation and transfer pricing", 40, "OP.2.2"),
            ("Rules of origin", 30, "OP.2.3"),
            ("Post-clearance audit", 40, "OP.3.2"),
        ],
    ),
]
VALIDITY_YEARS = 5


@dataclass
class Planned:
    office: Office
    template: Template
    plan: dict
    product: Product
    created: bool
    owner: User
    endorser: User


def demo_training_create(*, seed: int = SEED, progress=print) -> dict[str, int]:
    """Build the demo on top of the reference data, the demo users and the demo activities."""
    secretariat = User.objects.filter(username="secretariat").first()
    if secretariat is None:
        raise RuntimeError("Run `manage.py demo_users` first.")
    offices = list(Office.objects.filter(kind=OfficeKind.RTC).select_related("region").order_by("code"))
    if not offices:
        raise RuntimeError("Run `manage.py load_reference` first.")
    competencies_load()
    competencies = {
        competency.code: competency
        for competency in Competency.objects.filter(area__framework__code=FRAMEWORK, is_retired=False)
    }
    topics = {topic.slug: topic for topic in Topic.objects.filter(parent__isnull=False)}
    counts = {"products": 0, "modules": 0, "sessions": 0}
    planned: list[Planned] = []
    for index, office in enumerate(offices):
        owner = _user(Role.RTC_COORDINATOR, office=office) or secretariat
        endorser = _user(Role.ROCB_OFFICER, region=office.region_id) or secretariat
        with transaction.atomic():
            planned += _centre(
                random.Random(f"{seed}:{office.code}"),
                office,
                index,
                owner,
                endorser,
                competencies,
                topics,
                counts,
            )
    by_region: dict[int | None, list[Planned]] = {}
    for entry in planned:
        by_region.setdefault(entry.office.region_id, []).append(entry)
    for region_id, entries in by_region.items():
        with transaction.atomic():
            counts["sessions"] += _region_sessions(seed, region_id, entries)
    with transaction.atomic():
        for entry in planned:  # retired after their sessions were held
            if entry.created and entry.plan["status"] == ProductStatus.RETIRED:
                services.product_move(
                    user=entry.endorser,
                    product=entry.product,
                    to_status=ProductStatus.RETIRED,
                    comment="Replaced by the centre's newer courses.",
                )
    progress(f"training: {counts['products']} products, {counts['sessions']} sessions")
    with transaction.atomic():
        counts.update(_recognition(random.Random(f"{seed}:recognition"), competencies, secretariat))
    with transaction.atomic():
        counts["completions"] = _completions(random.Random(f"{seed}:completions"))
    return counts


def _user(role: str, **scope) -> User | None:
    return User.objects.filter(role=role, is_active=True, **scope).order_by("pk").first()


# --- one centre's products ------------------------------------------------------------------------


def _speciality(rng: random.Random, office: Office) -> set[str]:
    named = SPECIALITIES.get(office.code)
    if named:
        return set(named.split())
    return set(rng.sample(sorted({slug for template in CATALOGUE for slug in template.topics}), 3))


def _choose_templates(rng: random.Random, office: Office, index: int) -> list[tuple[Template, bool]]:
    """6–15 products: the centre's speciality first, then others; every third centre also offers one
    of the e-learning courses of the WCO's platform. Each with whether it is of the speciality."""
    speciality = _speciality(rng, office)
    count = rng.randint(6, 15)
    chosen: list[tuple[Template, bool]] = []
    if index % 3 == 0:
        fitting = [key for key in ELEARNING if speciality & set(BY_KEY[key].topics)] or ELEARNING
        chosen.append((BY_KEY[rng.choice(fitting)], True))
    own = [template for template in CATALOGUE if template.kind != EL and speciality & set(template.topics)]
    others = [template for template in CATALOGUE if template.kind != EL and template not in own]
    rng.shuffle(own)
    rng.shuffle(others)
    chosen += [(template, True) for template in own]
    chosen += [(template, False) for template in others]
    return chosen[:count]


def _centre(rng, office, index, owner, endorser, competencies, topics, counts) -> list[Planned]:
    region = office.region.code if office.region else ""
    existing = {product.title: product for product in Product.objects.filter(owner_office=office)}
    planned = []
    for position, (template, speciality) in enumerate(_choose_templates(rng, office, index)):
        plan = _plan(rng, template, region, first=position < 3, speciality=speciality)
        product = existing.get(template.title)
        created = product is None
        if created:
            product = _product_create(plan, template, office, owner, endorser, competencies, topics, counts)
        planned.append(Planned(office, template, plan, product, created, owner, endorser))
    return planned


def _plan(rng: random.Random, template: Template, region: str, *, first: bool, speciality: bool) -> dict:
    """Every random choice for one product, made whether or not the product exists already, so a
    second run draws the same numbers."""
    if template.kind == EL:
        level, duration, modes, status = (
            ProductLevel.FOUNDATION,
            rng.choice([3, 4, 6, 8]),
            "virtual",
            "offered",
        )
        languages = rng.choice(["en", "en,fr", "en,fr,es"])
    else:
        level = rng.choices(list(ProductLevel.values), [4, 4, 2])[0]
        base = {MAN: (24, 40), TTT: (30, 40), BIZ: (16, 24)}.get(template.kind, (16, 40))
        duration = rng.randint(*base)
        modes = rng.choices(["in_person", "in_person,virtual", "hybrid", "virtual"], [6, 2, 2, 1])[0]
        languages = rng.choice(REGION_LANGUAGES.get(region, ["en"]))
        weights = SPECIALITY_STATUS_WEIGHTS if speciality else STATUS_WEIGHTS
        drawn = rng.choices(list(weights), list(weights.values()))[0]
        status = ProductStatus.OFFERED if first else drawn
    count = rng.randint(2, min(5, len(template.modules)))
    modules = sorted(rng.sample(range(len(template.modules)), count))
    weights = [rng.randint(2, 4) for _ in modules]
    hours = [_half_hours(Decimal(duration) * weight / sum(weights)) for weight in weights]
    return {
        "status": status,
        "returned": status == ProductStatus.DRAFT and rng.random() < 0.5,
        "level": level,
        "duration": duration,
        "modes": modes,
        "languages": languages,
        "modules": list(zip(modules, hours, strict=True)),
    }


def _half_hours(value: Decimal) -> Decimal:
    return max(Decimal("0.5"), (value * 2).to_integral_value(rounding="ROUND_FLOOR") / 2)


def _product_create(plan, template, office, owner, endorser, competencies, topics, counts) -> Product:
    chosen_topics = [topics[slug] for slug in template.topics if slug in topics]
    main = chosen_topics[0] if chosen_topics else None
    modules = [template.modules[index] for index, _hours in plan["modules"]]
    codes = sorted({code for _title, _fr, module_codes in modules for code in module_codes.split()})
    level_en, level_fr = plan["level"], LEVEL_FR[plan["level"]]
    office_fr = office.name_fr or office.name
    product = services.product_create(
        user=owner,
        owner_office=office,
        data={
            "title": template.title,
            "title_fr": template.title_fr,
            "description": (
                f"{'An' if level_en[0] in 'aeiou' else 'A'} {level_en} course of {office.name}: "
                f"{len(modules)} modules over {plan['duration']} hours"
                + (f". Topic: {main.label_en}." if main else ".")
            ),
            "description_fr": (
                f"Cours de niveau {level_fr} du {office_fr} : {len(modules)} modules, "
                f"{plan['duration']} heures" + (f". Thème : {main.label_fr}." if main else ".")
            ),
            "kind": template.kind,
            "level": plan["level"],
            "audience": AUDIENCE[template.kind].format(topic=main.label_en if main else "the subject"),
            "duration_hours": plan["duration"],
            "delivery_modes": plan["modes"],
            "languages": plan["languages"],
            "objectives": template.objective,
            "prerequisites": ""
            if plan["level"] == ProductLevel.FOUNDATION
            else "The centre's foundation course, or two years of experience in the field.",
            "topics": chosen_topics,
            "competencies": [competencies[code] for code in codes if code in competencies],
        },
    )
    for (title, title_fr, module_codes), (_index, hours) in zip(modules, plan["modules"], strict=True):
        services.module_save(
            user=owner,
            product=product,
            data={
                "title": title,
                "title_fr": title_fr,
                "hours": hours,
                "competencies": [competencies[code] for code in module_codes.split() if code in competencies],
            },
        )
    counts["products"] += 1
    counts["modules"] += len(modules)
    status = plan["status"]
    if status == ProductStatus.DRAFT and not plan["returned"]:
        return product
    services.product_move(user=owner, product=product, to_status=ProductStatus.PROPOSED)
    if status == ProductStatus.DRAFT:  # returned by the ROCB with its comments
        return services.product_move(
            user=endorser, product=product, to_status=ProductStatus.DRAFT, comment=RETURN_COMMENT
        )
    if status == ProductStatus.PROPOSED:
        return product
    services.product_move(
        user=endorser, product=product, to_status=ProductStatus.ENDORSED, comment="Fits the region's needs."
    )
    if status == ProductStatus.ENDORSED:
        return product
    return services.product_move(user=owner, product=product, to_status=ProductStatus.OFFERED)


def _past_activities(region_id) -> list[tuple[int, int, str, str, frozenset[int]]]:
    """The region's past activities no product claims yet: (id, lead office, kind, title, topic ids)."""
    past = Activity.objects.filter(region=region_id, status__in=PAST, training_session__isnull=True)
    topics: dict[int, set[int]] = {}
    through = Activity.topics.through.objects.filter(activity__in=past.values("pk"))
    for activity_id, topic_id in through.values_list("activity_id", "topic_id").iterator(chunk_size=5000):
        topics.setdefault(activity_id, set()).add(topic_id)
    return [
        (pk, office, kind, title, frozenset(topics.get(pk, ())))
        for pk, office, kind, title in past.order_by("pk").values_list(
            "pk", "lead_office_id", "kind", "title"
        )
    ]


def _region_sessions(seed: int, region_id, entries: list[Planned]) -> int:
    """Past activities of the region become sessions of its schedulable products that have none yet:
    two each first, round the region's centres, then up to the 2–5 each wants. An activity goes to a
    product whose topic its title names before one it only shares a topic with, and to its own
    centre's products before the others'."""
    with_sessions = set(
        Session.objects.filter(product__in=[entry.product for entry in entries]).values_list(
            "product", flat=True
        )
    )
    waiting = [
        entry
        for entry in entries
        if entry.product.status in SCHEDULABLE_STATUSES and entry.product.pk not in with_sessions
    ]
    if not waiting:
        return 0
    labels = {topic.pk: topic.label_en for topic in Topic.objects.all()}
    candidates = _past_activities(region_id)
    queues, wanted = {}, {}
    for entry in waiting:
        rng = random.Random(f"{seed}:{entry.office.code}:{entry.template.key}")
        topic_ids = {topic.pk for topic in entry.product.topics.all()}
        kinds = SESSION_KINDS.get(entry.product.kind, WORKSHOPS)
        ranked = []
        for pk, lead, kind, title, topics in candidates:
            if kind in kinds and topics & topic_ids:
                named = any(labels[topic] in title for topic in topic_ids)
                ranked.append((not named, lead != entry.office.pk, rng.random(), pk, lead))
        queues[entry.product.pk] = [(pk, lead) for *_order, pk, lead in sorted(ranked)]
        wanted[entry.product.pk] = rng.randint(2, 5)
    taken: set[int] = set()
    linked = {entry.product.pk: 0 for entry in waiting}
    for limit in (2, 5):
        for entry in waiting:
            queue = queues[entry.product.pk]
            while linked[entry.product.pk] < min(limit, wanted[entry.product.pk]) and queue:
                pk, lead = queue.pop(0)
                if pk in taken:
                    continue
                user = entry.owner if lead == entry.office.pk else entry.endorser
                services.session_link(user=user, activity=Activity.objects.get(pk=pk), product=entry.product)
                taken.add(pk)
                linked[entry.product.pk] += 1
    return len(taken)


# --- recognised programmes -----------------------------------------------------------------------


def _recognition(rng: random.Random, competencies: dict, secretariat: User) -> dict[str, int]:
    framework = CompetencyFramework.objects.get(code=FRAMEWORK)
    today = timezone.localdate()
    members = {member.iso_alpha2: member for member in Member.objects.all()}
    applicant = User.objects.filter(username="researcher").first() or secretariat
    created = {"recognised programmes": 0, "applications under review": 0}
    for name, kind, country, website, programme, status, years, courses in RECOGNISED:
        if country not in members:
            continue
        institution = Institution.objects.get_or_create(
            name=name, defaults={"kind": kind, "country": members[country], "website": website}
        )[0]
        decided = today - datetime.timedelta(days=365 * years + rng.randint(20, 300))
        application, made = RecognitionApplication.objects.get_or_create(
            institution=institution,
            programme=programme,
            defaults={
                "framework": framework,
                "curriculum": _curriculum(courses),
                "applicant": applicant,
                "status": status,
                "reasons": (
                    "The programme covers the operational and strategic levels of the Professional "
                    "Standards, with assessed courses for each area the application claims."
                ),
                "conditions": (
                    "Add a course on integrity and professional conduct (OP.6) before the next intake, and "
                    "report on it within one year."
                    if status == RecognitionStatus.CONDITIONAL
                    else ""
                ),
                "decided_on": decided,
                "expires_on": _years_later(decided, VALIDITY_YEARS),
            },
        )
        if made:
            _courses(application, courses, competencies)
            created["recognised programmes"] += 1
    reviewers = _reviewers()
    for name, kind, country, website, programme, username, courses in UNDER_REVIEW:
        user = User.objects.filter(username=username).first()
        if country not in members or user is None:
            continue
        if kind == InstitutionKind.RTC:
            office = user.office
            if office is None:
                continue
            institution = Institution.objects.filter(office=office).first() or Institution.objects.create(
                name=office.name, kind=kind, country=members[country], office=office
            )
        else:
            institution = Institution.objects.get_or_create(
                name=name, defaults={"kind": kind, "country": members[country], "website": website}
            )[0]
        application, made = RecognitionApplication.objects.get_or_create(
            institution=institution,
            programme=programme,
            defaults={
                "framework": framework,
                "curriculum": _curriculum(courses),
                "applicant": user,
                "status": RecognitionStatus.UNDER_REVIEW,
            },
        )
        if made:
            _courses(application, courses, competencies)
            RecognitionReviewer.objects.bulk_create(
                [RecognitionReviewer(application=application, person=person) for person in reviewers]
            )
            created["applications under review"] += 1
    return created


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _curriculum(courses) -> str:
    return "\n".join(f"{title} ({hours} hours)" for title, hours, _codes in courses)


def _courses(application, courses, competencies) -> None:
    for title, hours, codes in courses:
        course = ProgrammeCourse.objects.create(application=application, title=title, hours=Decimal(hours))
        course.competencies.set([competencies[code] for code in codes.split() if code in competencies])


def _reviewers() -> list[Person]:
    """Two reviewers: the demo expert's and researcher's own people when they exist (so their sign-ins
    show what they review, and `demo_data`, which replaces people without an account, keeps them),
    else the first demo people."""
    people = list(
        Person.objects.filter(user__username__in=["expert", "researcher"]).order_by("user__username")
    )
    if len(people) < 2:
        people += list(
            Person.objects.filter(member__isnull=False)
            .exclude(pk__in=[p.pk for p in people])
            .order_by("pk")[: 2 - len(people)]
        )
    return people


# --- e-learning ----------------------------------------------------------------------------------


def _completions(rng: random.Random) -> int:
    secretariat_office = Office.objects.filter(kind=OfficeKind.SECRETARIAT).order_by("pk").first()
    if secretariat_office is None:
        return 0
    platform = LearningPlatform.objects.filter(name=PLATFORM).first()
    if platform is None:
        platform = LearningPlatform.objects.create(
            name=PLATFORM,
            office=secretariat_office,
            token_hash=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
        )
    products = list(
        Product.objects.filter(kind=EL, status=ProductStatus.OFFERED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    people = list(
        Person.objects.filter(member__isnull=False).order_by("pk").values_list("pk", "member_id")[:20_000]
    )
    if not products or not people:
        return 0
    chosen = rng.sample(people, min(COMPLETION_PEOPLE, len(people)))
    existing = set(
        Completion.objects.filter(
            product__in=products, person__in=[pk for pk, _member in chosen]
        ).values_list("person_id", "product_id", "status")
    )
    today = timezone.localdate()
    rows = []
    for person_id, member_id in chosen:
        for product_id in rng.sample(products, min(len(products), rng.choice([1, 1, 2, 3]))):
            completed = today - datetime.timedelta(days=rng.randint(1, 3 * 365))
            passed = rng.random() < 0.6
            status = CompletionStatus.PASSED if passed else CompletionStatus.COMPLETED
            score = Decimal(rng.randint(70, 100)) if passed else Decimal(rng.randint(40, 69))
            enrolled = completed - datetime.timedelta(days=rng.randint(1, 60))
            if (person_id, product_id, status) in existing:
                continue
            rows.append(
                Completion(
                    person_id=person_id,
                    member_id=member_id,
                    product_id=product_id,
                    status=status,
                    enrolled_on=enrolled,
                    completed_on=completed,
                    score=score,
                    source=CompletionSource.IMPORT,
                    platform=platform,
                )
            )
    Completion.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
