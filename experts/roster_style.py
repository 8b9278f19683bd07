# ruff: noqa: E501  (a data table: CV phrasings and terms of reference are kept one per line)
"""How the synthetic rosters are written: areas of expertise (each with its topic, its pool and
several CV phrasings), languages by region, accreditation and mission histories.

The shipped roster (experts/data/matching_roster.jsonl) and the scale rosters of the benchmark
come from `make_roster`; the record's "areas" is what the expert really knows. Profiles are
deliberately imperfect, as real rosters are: about a quarter carry no topic tags (the CV says it),
some tag a neighbouring topic, accreditations expire or are suspended, some experts are booked or
away, a few have a "not to be deployed again" evaluation.
"""

from __future__ import annotations

import datetime
import random

AREAS: dict[str, dict] = {
    "risk": {
        "topic": "risk-management",
        "pool": "advisor-risk",
        "label": "risk management",
        "need": "Review the risk management framework, selectivity and targeting.",
        "cv": [
            "Built the national risk management unit: selectivity criteria, targeting profiles and a risk register for cargo and passengers.",
            "Intelligence analyst turned trainer; designed risk profiling and targeting of high-risk consignments and an automated selectivity module.",
            "Led compliance risk assessment and the move from systematic physical inspection to risk-based controls.",
        ],
    },
    "aeo": {
        "topic": "safe-aeo",
        "pool": "advisor-aeo",
        "label": "AEO",
        "need": "Support the Authorized Economic Operator programme and SAFE implementation.",
        "cv": [
            "Designed and validated the Authorized Economic Operator programme, including mutual recognition arrangements under the SAFE Framework.",
            "Supply chain security specialist: AEO validation audits, trusted trader criteria and MRA negotiations.",
            "Managed the trusted trader scheme and its security requirements; trained AEO validators.",
        ],
    },
    "valuation": {
        "topic": "valuation",
        "pool": "advisor-valuation",
        "label": "customs valuation",
        "need": "Strengthen customs valuation control under the WTO Valuation Agreement.",
        "cv": [
            "Customs valuation specialist: WTO Valuation Agreement, transaction value, related-party transactions and valuation databases.",
            "Headed the valuation directorate; set up price reference controls and trained officers on the six valuation methods.",
            "Expert on transfer pricing and customs value, royalty and licence fee adjustments.",
        ],
    },
    "pca": {
        "topic": "pca",
        "pool": "advisor-post-clearance",
        "label": "post-clearance audit",
        "need": "Set up or strengthen post-clearance audit.",
        "cv": [
            "Post-clearance audit manager: audit planning, company audits, record keeping and audit-based controls.",
            "Built the PCA unit and its audit manual; trained auditors in risk-based selection of traders for audit.",
            "Audit after the release of goods: desk and field audits of importers, voluntary disclosure programmes.",
        ],
    },
    "hs": {
        "topic": "hs-classification",
        "pool": None,
        "label": "tariff classification",
        "need": "Implement the HS amendments and classification rulings.",
        "cv": [
            "Tariff classification expert: Harmonized System, HS 2022 amendments, binding tariff information and classification rulings.",
            "Head of the nomenclature and classification laboratory; trained officers on the General Interpretative Rules.",
            "Transposed HS amendments into the national tariff and ran the advance classification ruling service.",
        ],
    },
    "origin": {
        "topic": "origin",
        "pool": None,
        "label": "rules of origin",
        "need": "Verify preferential origin and advance origin rulings.",
        "cv": [
            "Rules of origin specialist: preferential origin verification, certificates and cumulation under free trade agreements.",
            "Origin verification and advance origin rulings; trained the origin unit on product-specific rules.",
            "Negotiated and implemented the origin protocols of regional trade agreements.",
        ],
    },
    "rkc": {
        "topic": "rkc",
        "pool": "advisor-trade-facilitation",
        "label": "the Revised Kyoto Convention",
        "need": "Align procedures and law with the Revised Kyoto Convention.",
        "cv": [
            "Led the accession to the Revised Kyoto Convention and the gap analysis of customs law against its General Annex.",
            "Customs procedures and legislation: simplified procedures and drafting of an RKC-compliant customs code.",
            "Modernised the customs code and procedures in line with the Revised Kyoto Convention.",
        ],
    },
    "trs": {
        "topic": "trs",
        "pool": "advisor-trade-facilitation",
        "label": "Time Release Study",
        "need": "Run a Time Release Study.",
        "cv": [
            "Ran three Time Release Studies, measured release times and identified bottlenecks at border posts.",
            "Trade facilitation measurement: TRS methodology, clearance time indicators and follow-up action plans.",
            "Facilitated the national time release study and the dwell-time reduction plan at the port.",
        ],
    },
    "single_window": {
        "topic": "single-window",
        "pool": "advisor-trade-facilitation",
        "label": "Single Window",
        "need": "Design the national Single Window.",
        "cv": [
            "Project lead for the national Single Window: business process analysis and data harmonisation with the WCO Data Model.",
            "IT and procedures specialist on the Single Window interconnection of border agencies.",
            "Designed the electronic one-stop shop for trade documents and its governance.",
        ],
    },
    "integrity": {
        "topic": "integrity",
        "pool": None,
        "label": "integrity",
        "need": "Integrity self-assessment and anti-corruption plan.",
        "cv": [
            "Integrity adviser: Revised Arusha Declaration, integrity self-assessment, codes of conduct and anti-corruption strategies.",
            "Head of internal affairs; built the integrity action plan and the asset declaration system for staff.",
            "Anti-corruption and professional ethics programmes, integrity risk mapping.",
        ],
    },
    "strategy": {
        "topic": "strategic-management",
        "pool": "diagnostic",
        "label": "strategic planning",
        "need": "Organisational diagnostic and strategic plan.",
        "cv": [
            "Organisational diagnostics and strategic planning: led Mercator diagnostic missions and drafted five-year strategic plans.",
            "Change management and strategic planning; facilitated needs assessments and modernisation roadmaps.",
            "Programme management of customs reform, results frameworks and performance indicators.",
        ],
    },
    "hr": {
        "topic": "hrm-professionalism",
        "pool": "advisor-hr",
        "label": "human resource management",
        "need": "Competency-based human resource management.",
        "cv": [
            "Strategic human resource management: competency frameworks, job profiles and the People Development Diagnostic Tool.",
            "Head of HR; introduced competency-based recruitment, career paths and performance appraisal.",
            "Training academy director: training needs analysis and professional standards for customs officers.",
        ],
    },
    "leadership": {
        "topic": "leadership",
        "pool": None,
        "label": "leadership development",
        "need": "Leadership and management development for senior managers.",
        "cv": [
            "Leadership and management development facilitator: LMD workshops for senior managers and executive coaching.",
            "Coach of senior managers and trainer in the middle management development programme.",
        ],
    },
    "gender": {
        "topic": "gender-diversity",
        "pool": None,
        "label": "gender equality",
        "need": "Gender equality organisational assessment.",
        "cv": [
            "Gender equality and diversity adviser: GEOAT assessments and inclusive HR policies.",
            "Led the gender equality organisational assessment and the diversity action plan.",
        ],
    },
    "data": {
        "topic": "data-analytics",
        "pool": None,
        "label": "data analytics",
        "need": "Customs data analytics capability.",
        "cv": [
            "Data scientist: customs data analytics, fraud detection models and dashboards built with BACUDA.",
            "Head of the analytics unit: machine learning for valuation fraud and risk scoring.",
        ],
    },
    "enforcement": {
        "topic": "enforcement-compliance",
        "pool": None,
        "label": "enforcement",
        "need": "Enforcement against illicit trade.",
        "cv": [
            "Enforcement officer: drug seizures, counterfeit goods, border measures for intellectual property and joint operations.",
            "Investigations and joint customs operations against smuggling networks.",
        ],
    },
    "environment": {
        "topic": "environment-green-customs",
        "pool": None,
        "label": "Green Customs",
        "need": "Environmental enforcement.",
        "cv": [
            "CITES controls, wildlife trafficking, illegal waste shipments and the Green Customs Initiative.",
            "Environmental crime at the border: ozone-depleting substances, hazardous waste and timber.",
        ],
    },
    "transit": {
        "topic": "transit",
        "pool": None,
        "label": "transit",
        "need": "Regional transit regime.",
        "cv": [
            "Transit regimes, guarantees, electronic cargo tracking and regional transit corridors.",
            "Managed the transit guarantee system and the interconnection of transit IT systems along the corridor.",
        ],
    },
    "ecommerce": {
        "topic": "e-commerce",
        "pool": None,
        "label": "e-commerce",
        "need": "Cross-border e-commerce controls.",
        "cv": [
            "Cross-border e-commerce: low-value shipments, postal traffic and advance electronic data.",
            "Express and postal consignments: de minimis, advance data from operators and risk assessment of parcels.",
        ],
    },
    "nii": {
        "topic": "nii",
        "pool": None,
        "label": "non-intrusive inspection",
        "need": "Scanners and image analysis.",
        "cv": [
            "Non-intrusive inspection: scanner procurement, image analysis training and NII deployment at ports.",
            "Container scanning programme manager; trained image analysts.",
        ],
    },
}
# Neighbouring areas (a tag a real profile might carry instead).
NEIGHBOURS = {
    "risk": "data",
    "aeo": "risk",
    "valuation": "pca",
    "pca": "valuation",
    "hs": "origin",
    "origin": "hs",
    "rkc": "trs",
    "trs": "rkc",
    "single_window": "rkc",
    "integrity": "hr",
    "strategy": "leadership",
    "hr": "leadership",
    "leadership": "hr",
    "gender": "hr",
    "data": "risk",
    "enforcement": "risk",
    "environment": "enforcement",
    "transit": "rkc",
    "ecommerce": "risk",
    "nii": "enforcement",
}
MEMBERS_BY_REGION = {
    "A/P": "AU BD BT KH CN FJ IN ID JP KR LA MY MV MN NP NZ PK PG PH SG LK TH TL VN".split(),
    "AMS": "AR BS BB BO BR CA CL CO CR DO EC SV GT HN JM MX PA PY PE TT US UY".split(),
    "EUR": "AL AM AT AZ BE BG HR CZ DK EE FI FR GE DE GR HU IE IT KZ LV LT MD ME NL MK NO PL PT RO RS SK SI ES SE CH TR UA GB UZ".split(),
    "ESA": "AO BW BI KE LS MG MW MU MZ NA RW ZA TZ UG ZM ZW".split(),
    "MENA": "DZ BH EG JO KW LB MA OM QA SA TN AE".split(),
    "WCA": "BJ BF CV CM TD CD CG CI GA GH GN ML MR NE NG SN TG".split(),
}
FRENCH = {
    "BJ",
    "BF",
    "CM",
    "TD",
    "CD",
    "CG",
    "CI",
    "GA",
    "GN",
    "ML",
    "MR",
    "NE",
    "SN",
    "TG",
    "FR",
    "BE",
    "CH",
    "MG",
    "BI",
    "DZ",
    "MA",
    "TN",
    "LB",
}
PORTUGUESE = {"AO", "MZ", "CV", "BR", "PT"}
SPANISH = {"AR", "BO", "CL", "CO", "CR", "DO", "EC", "SV", "GT", "HN", "MX", "PA", "PY", "PE", "UY", "ES"}
ARABIC = {"DZ", "BH", "EG", "JO", "KW", "LB", "MA", "OM", "QA", "SA", "TN", "AE", "MR"}
RUSSIAN = {"AM", "AZ", "GE", "KZ", "MD", "UA", "UZ"}
FIRST = "Amina Kofi Ana Lucia Chen Wei Priya Rahul Fatima Omar Sofia Mateo Ingrid Lars Aiko Kenji Grace Peter Nadia Youssef Elena Ivan Marie Jean Aisha Musa Carmen Diego Hana Tariq Olga Pierre Zara Ravi Noor Samuel Lina Kwame Mei Tomas".split()
LAST = "Mensah Silva Zhang Sharma Haddad Garcia Johansson Tanaka Okoye Petrov Dubois Diallo Rossi Nguyen Kowalski Ochieng Mahmoud Santos Kim Fernandes Traore Novak Bakr Lopez Andersen Banda Moreau Suzuki Ivanova Camara Reyes Rahman Sato Cohen Mwangi Popescu Ahmed Keita Costa Yilmaz".split()
POSTS = [
    "Director of {label}",
    "Head of {label}",
    "Senior officer, {label}",
    "Adviser on {label}",
    "Deputy Commissioner, modernisation",
    "Chief of the training academy",
    "Programme manager, {label}",
]
KINDS = ["diagnostic_mission", "advisory_mission", "technical_mission"]


def _languages(rng: random.Random, iso: str) -> dict[str, str]:
    languages = {}
    native = (
        "fr"
        if iso in FRENCH
        else "pt"
        if iso in PORTUGUESE
        else "es"
        if iso in SPANISH
        else "ar"
        if iso in ARABIC
        else "ru"
        if iso in RUSSIAN
        else "en"
    )
    if iso in ARABIC and iso in FRENCH:
        languages["fr"] = "fluent"
    languages[native] = "native"
    if native != "en":
        languages["en"] = (
            rng.choices(["fluent", "working", "native"], [0.55, 0.35, 0.1])[0]
            if rng.random() < 0.85
            else None
        )
    if rng.random() < 0.25:
        extra = rng.choice(["fr", "es", "en", "pt", "ar"])
        languages.setdefault(extra, rng.choice(["working", "fluent"]))
    return {code: level for code, level in languages.items() if level}


def make_roster(count: int, *, seed: int, year: int, key_prefix: str = "x") -> list[dict]:
    rng = random.Random(seed)
    regions = list(MEMBERS_BY_REGION)
    all_members = [iso for isos in MEMBERS_BY_REGION.values() for iso in isos]
    area_names = list(AREAS)
    records = []
    for index in range(count):
        region = regions[index % len(regions)] if index < 60 else rng.choice(regions)
        iso = rng.choice(MEMBERS_BY_REGION[region])
        areas = [
            area_names[index % len(area_names)] if index < 2 * len(area_names) else rng.choice(area_names)
        ]
        if rng.random() < 0.45:
            second = rng.choice([a for a in area_names if a != areas[0]])
            areas.append(second)
        years = rng.randint(6, 30)
        label = AREAS[areas[0]]["label"]
        cv_parts = [rng.choice(AREAS[area]["cv"]) for area in areas]
        cv_text = (
            f"{years} years in customs. "
            + " ".join(cv_parts)
            + rng.choice(
                [
                    " Trainer for the regional training centre.",
                    " Facilitated regional workshops and national training courses.",
                    " Author of internal guidelines and manuals.",
                    "",
                ]
            )
        )
        # Tags: usually the areas' topics; a quarter carry none, some a neighbouring topic.
        draw = rng.random()
        if draw < 0.25:
            tags = []
        elif draw < 0.35:
            tags = [AREAS[NEIGHBOURS[areas[0]]]["topic"]]
        else:
            tags = [AREAS[area]["topic"] for area in areas]
        expertise = rng.choice(
            ["", f"Expertise in {label}.", f"{label.capitalize()} and related procedures."]
        )
        accreditations = []
        pools_for = {"diagnostic"} if "strategy" in areas or rng.random() < 0.3 else set()
        for area in areas:
            if AREAS[area]["pool"] and rng.random() < 0.65:
                pools_for.add(AREAS[area]["pool"])
        if rng.random() < 0.2:
            pools_for.add("trainers")
        for pool in sorted(pools_for):
            since = rng.randint(year - 8, year - 1)
            state = rng.random()
            if state < 0.74:
                status, expires = "accredited", datetime.date(year + rng.randint(1, 3), rng.randint(1, 12), 1)
            elif state < 0.82:
                status, expires = "accredited", datetime.date(year - 1, rng.randint(1, 12), 1)  # expired
            elif state < 0.86:
                status, expires = "suspended", None
            else:
                status, expires, since = rng.choice(["nominated", "prescreened", "trained"]), None, None
            accreditations.append(
                {
                    "pool": pool,
                    "status": status,
                    "accredited_on": f"{since}-03-01" if since else None,
                    "expires_on": expires.isoformat() if expires else None,
                }
            )
        history = []
        for _mission in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 5])):
            start = datetime.date(year - rng.randint(1, 5), rng.randint(1, 12), rng.randint(1, 25))
            host = rng.choice([member for member in all_members if member != iso])
            rating = round(rng.uniform(2.5, 5.0), 1)
            recommendation = rng.choices(
                ["same", "more_complex", "less_demanding", "other_area", "not_again"],
                [0.5, 0.3, 0.08, 0.08, 0.04],
            )[0]
            history.append(
                {
                    "kind": rng.choice(KINDS),
                    "host": host,
                    "start": start.isoformat(),
                    "end": (start + datetime.timedelta(days=4)).isoformat(),
                    "topics": [AREAS[rng.choice(areas)]["topic"]],
                    "status": "evaluated" if rng.random() < 0.8 else "delivered",
                    "rating": rating,
                    "recommendation": recommendation,
                }
            )
        # Booked this year.
        if rng.random() < 0.15:
            for _booking in range(rng.randint(1, 4)):
                start = datetime.date(year, rng.randint(1, 12), rng.randint(1, 24))
                history.append(
                    {
                        "kind": rng.choice(KINDS),
                        "host": rng.choice([member for member in all_members if member != iso]),
                        "start": start.isoformat(),
                        "end": (start + datetime.timedelta(days=4)).isoformat(),
                        "topics": [AREAS[areas[0]]["topic"]],
                        "status": "confirmed",
                    }
                )
        unavailable = []
        if rng.random() < 0.08:
            start = datetime.date(year, rng.randint(1, 11), 1)
            unavailable.append(
                {"start": start.isoformat(), "end": (start + datetime.timedelta(days=45)).isoformat()}
            )
        conflicts = [rng.choice(MEMBERS_BY_REGION[region])] if rng.random() < 0.05 else []
        records.append(
            {
                "key": f"{key_prefix}{index + 1:04d}",
                "first_name": rng.choice(FIRST),
                "last_name": rng.choice(LAST),
                "member": iso,
                "region": region,
                "post": rng.choice(POSTS).format(label=label),
                "years": years,
                "languages": _languages(rng, iso),
                "topics": tags,
                "expertise": expertise,
                "instruments": "",
                "cv_text": cv_text,
                "accreditations": accreditations,
                "history": history,
                "unavailable": unavailable,
                "conflicts": [c for c in conflicts if c != iso],
                "max_per_year": rng.choice([None] * 9 + [2]),
                "areas": areas,
            }
        )
    return records
