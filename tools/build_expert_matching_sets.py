# ruff: noqa: E501  (a data table: CV phrasings and terms of reference are kept one per line)
"""Write experts/data/matching_roster.jsonl and the two labelled slot sets.

    .venv/bin/python tools/build_expert_matching_sets.py

The roster (220 experts) comes from experts.roster_style.make_roster. The slots are missions of 2027
written from two sets of terms of reference: the labelled set (TOR_A: full sentences, the way a
programme officer drafts a mission) and the held-out set (TOR_B: other wording, terse bullet style,
a few in French, other hosts and dates), so that a matcher tuned on one can be checked on the other.

How the gold is chosen (a careful curator's reasoning, not the matcher's score): the curator knows
what each expert really does (the roster record's "areas", which the matcher never sees: it sees tags
that are missing or wrong for a third of the roster, and the CV text), and picks, among the experts
who may go at all, those whose real expertise is the mission's area:

1. may go: not from the beneficiary administration on a diagnostic or advisory mission, no
   declared conflict with it, not booked or away on the dates, under their yearly limit, no "not to
   be deployed again" evaluation, speaks the slot's language; a lead must hold a valid
   accreditation in a pool of the slot pool's kind (any pool if the slot names none);
2. relevant: the mission's area is one of the expert's areas;
3. order: the area is their main one; accredited (valid) in the slot's own pool; fluent or native
   rather than working level; any valid accreditation; better past ratings; fewer missions this year.

The gold is the first four in that order. A slot with no relevant expert who may go is not kept.
"""

from __future__ import annotations

import csv
import datetime
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experts.roster_style import ARABIC, AREAS, FRENCH, MEMBERS_BY_REGION, SPANISH, make_roster  # noqa: E402

YEAR = 2027
DATA = ROOT / "experts" / "data"
NAMES = {
    row["iso_alpha2"]: row["member_name"]
    for row in csv.DictReader(
        (ROOT / "network" / "data" / "reference" / "members.csv").open(encoding="utf-8")
    )
}
POOL_KIND = {
    "diagnostic": "diagnostic",
    "trainers": "trainer",
    **{
        code: "advisor"
        for code in (
            "advisor-risk",
            "advisor-aeo",
            "advisor-valuation",
            "advisor-post-clearance",
            "advisor-hr",
            "advisor-trade-facilitation",
        )
    },
}
LEVEL = {"working": 1, "fluent": 2, "native": 3}

# (title, objectives, terms of reference): the labelled set's wording.
TOR_A = {
    "risk": (
        "Advisory mission on risk management",
        "Review the national risk management framework and the selectivity system, and propose a roadmap towards intelligence-led, risk-based controls.",
        "The advisor will assess the risk management unit, the targeting criteria and profiles used for cargo selectivity, the feedback loop from inspection results, and recommend how to reduce physical inspection rates while improving detection.",
    ),
    "aeo": (
        "Support to the AEO programme",
        "Help the administration launch its Authorized Economic Operator programme in line with the SAFE Framework of Standards.",
        "Review the draft AEO criteria and validation procedures, train the validation team, and advise on preparing a mutual recognition arrangement with a main trading partner.",
    ),
    "valuation": (
        "Customs valuation advisory mission",
        "Strengthen valuation control and the use of the WTO Valuation Agreement.",
        "Assess how transaction value is verified, the handling of related-party transactions, the valuation database and price references, and draft a valuation control action plan.",
    ),
    "pca": (
        "Post-clearance audit advisory mission",
        "Establish a post-clearance audit function able to audit traders after release.",
        "Design the PCA unit, its audit manual and its risk-based selection of companies for audit; coach auditors through a first desk and field audit.",
    ),
    "hs": (
        "Technical assistance on HS 2022 implementation",
        "Implement the HS 2022 amendments and improve classification decisions.",
        "Review the transposition of HS 2022 into the national tariff, the advance ruling procedure and the training of classification officers on the General Interpretative Rules.",
    ),
    "origin": (
        "Technical mission on rules of origin",
        "Improve the verification of preferential origin under the regional free trade agreement.",
        "Assess origin verification procedures, the issuing of certificates and advance origin rulings, and train the origin unit on product-specific rules and cumulation.",
    ),
    "rkc": (
        "Advisory mission on the Revised Kyoto Convention",
        "Prepare accession to the Revised Kyoto Convention.",
        "Carry out a gap analysis of the customs code and procedures against the General Annex of the RKC and propose the legal and procedural changes needed.",
    ),
    "trs": (
        "Time Release Study mission",
        "Measure the time needed to release goods and find the bottlenecks.",
        "Guide the national working group through the WCO Time Release Study methodology: scope, data collection at the main port and land border, analysis and action plan.",
    ),
    "single_window": (
        "Advisory mission on the Single Window",
        "Design the national Single Window for trade documents.",
        "Map the business processes of the border agencies, harmonise the data with the WCO Data Model and propose a governance model and phasing for the Single Window.",
    ),
    "integrity": (
        "Integrity development mission",
        "Strengthen integrity following the Revised Arusha Declaration.",
        "Facilitate the integrity self-assessment, review the code of conduct and the internal affairs function, and draft an anti-corruption action plan.",
    ),
    "strategy": (
        "Diagnostic mission for the strategic plan",
        "Carry out an organisational diagnostic and help draft the next five-year strategic plan.",
        "Lead the Mercator diagnostic of the administration, facilitate the needs assessment with senior management, and prepare the strategic plan's priorities and results framework.",
    ),
    "hr": (
        "Advisory mission on human resource management",
        "Introduce competency-based human resource management.",
        "Review job profiles, recruitment, career paths and appraisal against the WCO competency framework and the People Development Diagnostic Tool, and propose an HR strategy.",
    ),
    "leadership": (
        "Leadership and management development workshop",
        "Develop the leadership skills of senior and middle managers.",
        "Facilitate the WCO Leadership and Management Development workshop for senior managers and coach participants on their change projects.",
    ),
    "gender": (
        "Gender equality assessment mission",
        "Assess gender equality and diversity in the administration.",
        "Facilitate the Gender Equality Organizational Assessment Tool, review HR policies for inclusion, and draft a diversity action plan.",
    ),
    "data": (
        "Technical mission on data analytics",
        "Build a customs data analytics capability.",
        "Assess the data available, set up analytics for fraud detection and risk scoring, and train the analysts on the tools.",
    ),
    "enforcement": (
        "Enforcement technical mission",
        "Strengthen enforcement against smuggling and counterfeit goods.",
        "Review the investigation and enforcement units, joint operations with other agencies and border measures for intellectual property rights.",
    ),
    "environment": (
        "Green Customs technical mission",
        "Strengthen customs controls on environmentally sensitive goods.",
        "Train officers on CITES controls, wildlife trafficking, illegal waste shipments and ozone-depleting substances, and review the inter-agency cooperation.",
    ),
    "transit": (
        "Technical mission on transit",
        "Improve the regional transit regime.",
        "Review the transit procedure, the guarantee system and electronic cargo tracking along the corridor, and propose improvements.",
    ),
    "ecommerce": (
        "Technical mission on cross-border e-commerce",
        "Control and facilitate low-value e-commerce shipments.",
        "Review the treatment of postal and express consignments, advance electronic data from operators and the risk assessment of parcels, following the E-Commerce Package.",
    ),
    "nii": (
        "Technical mission on non-intrusive inspection",
        "Use scanners effectively.",
        "Advise on scanner deployment at the port, image analysis training and the integration of scanning results with risk management.",
    ),
}
# The held-out set's wording: other words, terse, some in French.
TOR_B = {
    "risk": (
        "Selectivity and targeting review",
        "Move from blanket inspections to targeting.",
        "- evaluate how consignments are selected for control\n- review profiles and hit rates\n- recommend an intelligence-driven approach",
    ),
    "aeo": (
        "Trusted trader scheme support",
        "Launch a trusted trader scheme with security criteria.",
        "- check the criteria for trusted traders and supply chain security\n- train validators\n- prepare mutual recognition with a partner",
    ),
    "valuation": (
        "Mission sur la valeur en douane",
        "Renforcer le contrôle de la valeur.",
        "- évaluer le contrôle de la valeur transactionnelle\n- bases de données de prix\n- transactions entre parties liées",
    ),
    "pca": (
        "Audit after release",
        "Control traders through audits after goods are released.",
        "- set up a company audit unit\n- write the audit manual\n- select traders for audit on risk",
    ),
    "hs": (
        "Tariff nomenclature support",
        "Get goods classified correctly under the new nomenclature.",
        "- review tariff transposition\n- binding classification decisions\n- train officers on interpretative rules",
    ),
    "origin": (
        "Preferential origin checks",
        "Check that preferential claims are genuine.",
        "- verification of certificates of origin\n- product-specific rules\n- cumulation and advance rulings",
    ),
    "rkc": (
        "Customs law modernisation",
        "Simplify procedures and modernise the customs code.",
        "- compare the law with international standards for simplified procedures\n- draft amendments to the customs code",
    ),
    "trs": (
        "Measuring clearance times",
        "Find out how long clearance takes and why.",
        "- study release times at the port and border posts\n- identify delays\n- agree an action plan with agencies",
    ),
    "single_window": (
        "One-stop shop for trade documents",
        "Let traders submit documents once to all agencies.",
        "- business process analysis of border agencies\n- data harmonisation\n- governance of the platform",
    ),
    "integrity": (
        "Mission intégrité",
        "Lutter contre la corruption.",
        "- auto-évaluation de l'intégrité\n- code de conduite et déontologie\n- plan d'action contre la corruption",
    ),
    "strategy": (
        "Organisational assessment and planning",
        "Assess the organisation and plan its reform.",
        "- assess the whole administration\n- run the needs assessment with management\n- draft reform priorities and indicators",
    ),
    "hr": (
        "People management reform",
        "Modernise how staff are recruited, developed and assessed.",
        "- competencies and job descriptions\n- careers and appraisal\n- staff development plan",
    ),
    "leadership": (
        "Senior managers' development programme",
        "Coach senior managers.",
        "- run a management development workshop\n- coach managers on their projects",
    ),
    "gender": (
        "Diversity and inclusion review",
        "Make the administration more inclusive.",
        "- organisational assessment of equality between women and men\n- inclusive policies",
    ),
    "data": (
        "Using customs data",
        "Exploit declarations data.",
        "- analytics and dashboards\n- fraud detection models\n- train analysts",
    ),
    "enforcement": (
        "Fighting illicit trade",
        "Better results against smuggling.",
        "- investigations and joint operations\n- counterfeit goods at the border",
    ),
    "environment": (
        "Environmental crime at the border",
        "Stop illegal trade in wildlife and waste.",
        "- endangered species controls\n- hazardous waste\n- cooperation with environment agencies",
    ),
    "transit": (
        "Corridor transit",
        "Smoother transit along the corridor.",
        "- guarantees\n- cargo tracking\n- transit procedure",
    ),
    "ecommerce": (
        "Parcels and online trade",
        "Handle the growth of small parcels.",
        "- postal and express flows\n- advance data\n- parcel risk assessment",
    ),
    "nii": (
        "Scanning programme",
        "Get value from the scanners.",
        "- deployment of scanners\n- image analysts' training\n- link with targeting",
    ),
}


def language_of(iso: str, rng: random.Random) -> str:
    if iso in FRENCH and iso not in ARABIC:
        return "fr"
    if iso in SPANISH:
        return "es"
    if iso in ARABIC:
        return rng.choice(["ar", "fr", "en"]) if iso in FRENCH else rng.choice(["ar", "en"])
    return "en"


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= b_end and b_start <= a_end


def valid_accreditations(expert: dict, on: datetime.date) -> list[str]:
    return [
        item["pool"]
        for item in expert["accreditations"]
        if item["status"] == "accredited"
        and (not item["expires_on"] or datetime.date.fromisoformat(item["expires_on"]) >= on)
    ]


def may_go(expert: dict, slot: dict) -> bool:
    start, end = datetime.date.fromisoformat(slot["start"]), datetime.date.fromisoformat(slot["end"])
    receiving = {slot["host"], *slot.get("beneficiaries", [])}
    if slot["kind"] in ("diagnostic_mission", "advisory_mission") and expert["member"] in receiving:
        return False
    if receiving & set(expert["conflicts"]):
        return False
    booked = [item for item in expert["history"] if item["status"] == "confirmed"]
    for item in booked:
        if overlaps(
            start, end, datetime.date.fromisoformat(item["start"]), datetime.date.fromisoformat(item["end"])
        ):
            return False
    for item in expert["unavailable"]:
        if overlaps(
            start, end, datetime.date.fromisoformat(item["start"]), datetime.date.fromisoformat(item["end"])
        ):
            return False
    this_year = sum(1 for item in booked if item["start"].startswith(str(YEAR)))
    if this_year >= (expert["max_per_year"] or 4):
        return False
    if any(item.get("recommendation") == "not_again" for item in expert["history"]):
        return False
    if slot["language"] not in expert["languages"]:
        return False
    if slot["role"] == "lead":
        pools = valid_accreditations(expert, start)
        if slot.get("pool"):
            if not any(POOL_KIND[pool] == POOL_KIND[slot["pool"]] for pool in pools):
                return False
        elif not pools:
            return False
    return True


def curator_order(expert: dict, slot: dict):
    start = datetime.date.fromisoformat(slot["start"])
    pools = valid_accreditations(expert, start)
    ratings = [item["rating"] for item in expert["history"] if item.get("rating")]
    this_year = sum(
        1
        for item in expert["history"]
        if item["status"] == "confirmed" and item["start"].startswith(str(YEAR))
    )
    return (
        expert["areas"][0] == slot["area"],
        bool(slot.get("pool")) and slot["pool"] in pools,
        LEVEL[expert["languages"][slot["language"]]] >= 2,
        bool(pools),
        sum(ratings) / len(ratings) if ratings else 3.0,
        -this_year,
    )


def gold_for(roster: list[dict], slot: dict) -> tuple[list[str], str]:
    fitting = [expert for expert in roster if slot["area"] in expert["areas"] and may_go(expert, slot)]
    fitting.sort(key=lambda expert: curator_order(expert, slot), reverse=True)
    gold = [expert["key"] for expert in fitting[:4]]
    why = f"{len(fitting)} experts know {AREAS[slot['area']]['label']} and may go; the first four by main area, pool, language, rating, workload."
    return gold, why


def make_slots(roster, wording: dict, *, seed: int, count: int, prefix: str) -> list[dict]:
    rng = random.Random(seed)
    hosts = [iso for isos in MEMBERS_BY_REGION.values() for iso in isos]
    areas = list(AREAS)
    slots = []
    attempt = 0
    while len(slots) < count:
        area = areas[attempt % len(areas)]
        attempt += 1
        title, objectives, terms = wording[area]
        host = rng.choice(hosts)
        french = "é" in terms or "à" in terms
        if french:
            host = rng.choice([iso for iso in hosts if iso in FRENCH and iso not in ARABIC])
        language = "fr" if french else language_of(host, rng)
        kind = (
            "diagnostic_mission"
            if area == "strategy" or rng.random() < 0.25
            else rng.choice(["advisory_mission", "technical_mission"])
        )
        role = rng.choice(["lead", "lead", "advisor", "co_facilitator"])
        pool = "diagnostic" if kind == "diagnostic_mission" else AREAS[area]["pool"]
        start = datetime.date(YEAR, 1, 11) + datetime.timedelta(days=rng.randint(0, 320))
        neighbours = [
            iso
            for iso in MEMBERS_BY_REGION[next(r for r, isos in MEMBERS_BY_REGION.items() if host in isos)]
            if iso != host
        ]
        slot = {
            "id": f"{prefix}{len(slots) + 1:02d}",
            "area": area,
            "title": f"{title} — {NAMES.get(host, host)}",
            "kind": kind,
            "host": host,
            "beneficiaries": rng.sample(neighbours, 1) if rng.random() < 0.15 else [],
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(days=rng.randint(3, 9))).isoformat(),
            "language": language,
            "role": role,
            "pool": pool,
            "topics": [AREAS[area]["topic"]] if rng.random() < 0.85 else [],
            "objectives": objectives,
            "terms_of_reference": terms,
        }
        gold, why = gold_for(roster, slot)
        if not gold:
            continue
        slot["gold"], slot["why"] = gold, why
        slots.append(slot)
    return slots


def write(path: Path, records: list[dict]) -> None:
    path.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8"
    )


def main() -> None:
    roster = make_roster(220, seed=2027, year=YEAR, key_prefix="x")
    write(DATA / "matching_roster.jsonl", roster)
    labelled = make_slots(roster, TOR_A, seed=41, count=44, prefix="a")
    heldout = make_slots(roster, TOR_B, seed=97, count=42, prefix="b")
    write(DATA / "matching_labelled.jsonl", labelled)
    write(DATA / "matching_heldout.jsonl", heldout)
    print(f"roster: {len(roster)}, labelled: {len(labelled)}, held-out: {len(heldout)}")


if __name__ == "__main__":
    main()
