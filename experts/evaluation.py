"""Measuring the matcher: load a roster and labelled slots into the database, run the shortlist on
each slot and score it against the gold experts (hit@5, nDCG@5, success@1).

Used by bench/expert_matching.py and by the hit@5 floor test. The roster and the two labelled sets
are in experts/data/ (written by tools/build_expert_matching_sets.py, which documents how the gold
was chosen); `synthetic_roster` makes rosters of any size in the same style for the scale figures.

A roster record: key, first_name, last_name, member (ISO alpha-2), post, years, languages {code:
level}, topics [slugs], expertise, instruments, cv_text, accreditations [{pool, status,
accredited_on, expires_on}], history [{kind, host, start, end, topics, status, rating,
recommendation}], unavailable [{start, end}], conflicts [ISO alpha-2], max_per_year; "areas" is the
generator's intent (what the expert really knows) and is never loaded.

A labelled slot: id, title, kind, host, beneficiaries, start, end, language, languages, role, pool,
topics, objectives, terms_of_reference, gold [roster keys], why (the curator's reasoning).
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

from django.db import transaction

from activities.models import Activity, ActivityKind, Status
from core.metrics import dcg
from experts.models import (
    Accreditation,
    ConflictDeclaration,
    Deployment,
    DeploymentStatus,
    Evaluation,
    EvaluatorKind,
    ExpertLanguage,
    ExpertProfile,
    Pool,
    PoolKind,
    Slot,
    Unavailability,
)
from experts.snapshot import roster_changed
from network.models import Member, Office
from people.models import Person
from people.services import name_key
from topics.models import Topic

DATA = Path(__file__).resolve().parent / "data"
ROSTER = DATA / "matching_roster.jsonl"
LABELLED = DATA / "matching_labelled.jsonl"
HELD_OUT = DATA / "matching_heldout.jsonl"
EMAIL_DOMAIN = "roster.example"

POOLS = [
    ("diagnostic", "Diagnostic facilitators", "Facilitateurs du diagnostic", PoolKind.DIAGNOSTIC, None),
    ("trainers", "Accredited trainers", "Formateurs accrédités", PoolKind.TRAINER, None),
    (
        "advisor-risk",
        "Development advisors — risk management",
        "Conseillers — gestion des risques",
        PoolKind.ADVISOR,
        "risk-management",
    ),
    ("advisor-aeo", "Development advisors — AEO", "Conseillers — OEA", PoolKind.ADVISOR, "safe-aeo"),
    (
        "advisor-valuation",
        "Development advisors — valuation",
        "Conseillers — valeur en douane",
        PoolKind.ADVISOR,
        "valuation",
    ),
    (
        "advisor-post-clearance",
        "Development advisors — post-clearance audit",
        "Conseillers — contrôle a posteriori",
        PoolKind.ADVISOR,
        "pca",
    ),
    (
        "advisor-hr",
        "Development advisors — human resources",
        "Conseillers — ressources humaines",
        PoolKind.ADVISOR,
        "hrm-professionalism",
    ),
    (
        "advisor-trade-facilitation",
        "Development advisors — trade facilitation",
        "Conseillers — facilitation des échanges",
        PoolKind.ADVISOR,
        "trade-facilitation",
    ),
]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def ensure_pools() -> dict[str, Pool]:
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    pools = {}
    for code, name, name_fr, kind, specialty in POOLS:
        pools[code], _created = Pool.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_fr": name_fr,
                "kind": kind,
                "specialty": topics.get(specialty or ""),
            },
        )
    return pools


def _curator():
    from accounts.models import User
    from accounts.roles import Role

    return User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()


@transaction.atomic
def load_roster(source, *, embed_batch: int = 256, progress=None) -> dict[str, int]:
    """Create the roster's people, profiles (embedded as experts.services does), languages,
    accreditations, past missions with evaluations, unavailability and conflicts. Returns
    {key: profile id}. Past missions are activities of their own, hosted where the record says."""
    from experts.services import matching_text
    from knowledge.embeddings import embed, to_bytes

    records = read_jsonl(source) if isinstance(source, (str, Path)) else list(source)
    pools = ensure_pools()
    curator = _curator()
    members = {member.iso_alpha2: member for member in Member.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    office = Office.objects.order_by("pk").first()
    people = Person.objects.bulk_create(
        [
            Person(
                first_name=record["first_name"],
                last_name=record["last_name"],
                email=f"{record['key']}@{EMAIL_DOMAIN}",
                member=members[record["member"]],
                name_key=name_key(record["first_name"], record["last_name"]),
                job_title=record.get("post", ""),
            )
            for record in records
        ]
    )
    profiles = ExpertProfile.objects.bulk_create(
        [
            ExpertProfile(
                person=person,
                home_member=members[record["member"]],
                region_id=members[record["member"]].region_id,
                current_post=record.get("post", ""),
                expertise=record.get("expertise", ""),
                instruments=record.get("instruments", ""),
                years_experience=record.get("years", 0),
                cv_text=record.get("cv_text", ""),
                max_deployments_per_year=record.get("max_per_year"),
            )
            for person, record in zip(people, records, strict=True)
        ]
    )
    keys = {record["key"]: profile.pk for record, profile in zip(records, profiles, strict=True)}
    through = ExpertProfile.topics.through
    through.objects.bulk_create(
        [
            through(expertprofile_id=profile.pk, topic_id=topics[slug].pk)
            for profile, record in zip(profiles, records, strict=True)
            for slug in record.get("topics", [])
            if slug in topics
        ]
    )
    ExpertLanguage.objects.bulk_create(
        [
            ExpertLanguage(profile=profile, language=code, level=level)
            for profile, record in zip(profiles, records, strict=True)
            for code, level in record.get("languages", {}).items()
        ]
    )
    Accreditation.objects.bulk_create(
        [
            Accreditation(
                profile=profile,
                pool=pools[item["pool"]],
                status=item["status"],
                nominated_by=curator,
                accredited_on=_date(item.get("accredited_on")),
                expires_on=_date(item.get("expires_on")),
            )
            for profile, record in zip(profiles, records, strict=True)
            for item in record.get("accreditations", [])
        ]
    )
    Unavailability.objects.bulk_create(
        [
            Unavailability(
                profile=profile,
                start_date=_date(item["start"]),
                end_date=_date(item["end"]),
                declared_by=curator,
            )
            for profile, record in zip(profiles, records, strict=True)
            for item in record.get("unavailable", [])
        ]
    )
    ConflictDeclaration.objects.bulk_create(
        [
            ConflictDeclaration(profile=profile, member=members[iso], reason="declared")
            for profile, record in zip(profiles, records, strict=True)
            for iso in record.get("conflicts", [])
        ]
    )
    # Past and booked missions.
    history = [
        (profile, item)
        for profile, record in zip(profiles, records, strict=True)
        for item in record.get("history", [])
    ]
    activities = Activity.objects.bulk_create(
        [
            Activity(
                title=f"{ActivityKind(item['kind']).label} — {members[item['host']].name} "
                f"({item['start'][:7]})",
                kind=item["kind"],
                status=Status.DELIVERED if item["status"] in ("delivered", "evaluated") else Status.SCHEDULED,
                lead_office=office,
                region_id=members[item["host"]].region_id,
                host_member=members[item["host"]],
                start_date=_date(item["start"]),
                end_date=_date(item["end"]),
            )
            for _profile, item in history
        ]
    )
    Activity.topics.through.objects.bulk_create(
        [
            Activity.topics.through(activity_id=activity.pk, topic_id=topics[slug].pk)
            for activity, (_profile, item) in zip(activities, history, strict=True)
            for slug in item.get("topics", [])
            if slug in topics
        ]
    )
    slots = Slot.objects.bulk_create([Slot(activity=activity, role="advisor") for activity in activities])
    deployments = Deployment.objects.bulk_create(
        [
            Deployment(
                slot=slot,
                profile=profile,
                status=item["status"],
                start_date=activity.start_date,
                end_date=activity.end_date,
                proposed_by=curator,
            )
            for slot, activity, (profile, item) in zip(slots, activities, history, strict=True)
        ]
    )
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                deployment=deployment,
                kind=EvaluatorKind.ORGANISER,
                evaluator=curator,
                technical=_rating(item["rating"]),
                communication=_rating(item["rating"]),
                preparation=_rating(item["rating"] - 0.3),
                fit=_rating(item["rating"] + 0.3),
                recommendation=item.get("recommendation", "same"),
            )
            for deployment, (_profile, item) in zip(deployments, history, strict=True)
            if item["status"] == DeploymentStatus.EVALUATED and item.get("rating")
        ]
    )
    # Embeddings, as experts.services embeds a profile.
    for start in range(0, len(profiles), embed_batch):
        batch = profiles[start : start + embed_batch]
        texts = [matching_text(profile) for profile in batch]
        for profile, vector in zip(batch, embed(texts), strict=True):
            profile.embedding = to_bytes(vector)
        ExpertProfile.objects.bulk_update(batch, ["embedding"])
        if progress:
            progress(f"embedded {start + len(batch)} of {len(profiles)} profiles")
    roster_changed()  # bulk_create sends no signals
    return keys


def _rating(value: float) -> int:
    return max(1, min(5, round(value)))


@transaction.atomic
def load_slots(records: list[dict]) -> list[tuple[Slot, dict]]:
    """One activity per labelled slot (a mission to its host, with its objectives and topics)."""
    pools = ensure_pools()
    members = {member.iso_alpha2: member for member in Member.objects.all()}
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    office = Office.objects.order_by("pk").first()
    made = []
    for record in records:
        host = members[record["host"]]
        activity = Activity.objects.create(
            title=record["title"],
            kind=record["kind"],
            status=Status.APPROVED,
            lead_office=office,
            region_id=host.region_id,
            host_member=host,
            start_date=_date(record["start"]),
            end_date=_date(record["end"]),
            languages=",".join(record.get("languages") or [record["language"]]),
            objectives=record.get("objectives", ""),
        )
        activity.topics.set([topics[slug] for slug in record.get("topics", []) if slug in topics])
        activity.beneficiary_members.set([members[iso] for iso in record.get("beneficiaries", [])])
        slot = Slot.objects.create(
            activity=activity,
            role=record["role"],
            pool=pools.get(record.get("pool") or ""),
            language=record.get("language", ""),
            terms_of_reference=record.get("terms_of_reference", ""),
        )
        made.append((slot, record))
    return made


def evaluate(path, *, user, k: int = 5, slots=None) -> dict:
    """Shortlist every labelled slot and compare with its gold: hit@k, nDCG@k, success@1."""
    from experts.matching import shortlist

    made = slots if slots is not None else load_slots(read_jsonl(path))
    key_of = {
        pk: email.split("@")[0]
        for pk, email in ExpertProfile.objects.filter(person__email__endswith=f"@{EMAIL_DOMAIN}").values_list(
            "pk", "person__email"
        )
    }
    hits, ndcgs, firsts, misses = [], [], [], []
    for slot, record in made:
        ranked = [key_of.get(candidate.profile.pk) for candidate in shortlist(user, slot, limit=k).candidates]
        gold = set(record["gold"])
        relevances = [1 if key in gold else 0 for key in ranked]
        hits.append(1.0 if any(relevances) else 0.0)
        ideal = dcg([1] * min(len(gold), k))
        ndcgs.append(dcg(relevances) / ideal if ideal else 0.0)
        firsts.append(1.0 if relevances[:1] == [1] else 0.0)
        if not any(relevances):
            misses.append(record["id"])
    count = len(made)
    return {
        "slots": count,
        "hit@5": round(sum(hits) / count, 3) if count else 0.0,
        "ndcg@5": round(sum(ndcgs) / count, 3) if count else 0.0,
        "success@1": round(sum(firsts) / count, 3) if count else 0.0,
        "misses": misses,
    }


def synthetic_roster(count: int, *, seed: int = 7, year: int = 2027) -> list[dict]:
    """A roster of any size in the shipped roster's style (for the scale figures)."""
    from experts.roster_style import make_roster

    return make_roster(count, seed=seed, year=year, key_prefix="s")


def scale_slots(count: int, *, seed: int = 11, year: int = 2027) -> list[dict]:
    """`count` slots over count/2 missions of `year` (a lead and a co-facilitator each)."""
    from experts.roster_style import AREAS, MEMBERS_BY_REGION

    rng = random.Random(seed)
    hosts = [iso for isos in MEMBERS_BY_REGION.values() for iso in isos]
    records = []
    for index in range(count // 2):
        area = rng.choice(list(AREAS))
        spec = AREAS[area]
        start = datetime.date(year, 1, 10) + datetime.timedelta(days=rng.randint(0, 330))
        kind = rng.choice(
            [ActivityKind.DIAGNOSTIC_MISSION, ActivityKind.ADVISORY_MISSION, ActivityKind.TECHNICAL_MISSION]
        )
        host = rng.choice(hosts)
        language = rng.choice(["en", "en", "fr", "es", "ar"])
        base = {
            "title": f"{ActivityKind(kind).label}: {spec['label']} ({host}, {index})",
            "kind": kind,
            "host": host,
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(days=rng.randint(2, 6))).isoformat(),
            "language": language,
            "topics": [spec["topic"]],
            "objectives": spec["need"],
            "gold": [],
        }
        pool = "diagnostic" if kind == ActivityKind.DIAGNOSTIC_MISSION else spec.get("pool") or "diagnostic"
        records.append(
            {
                **base,
                "id": f"scale-{index}-lead",
                "role": "lead",
                "pool": pool,
                "terms_of_reference": spec["need"],
            }
        )
        records.append(
            {
                **base,
                "id": f"scale-{index}-co",
                "role": "co_facilitator",
                "pool": pool,
                "terms_of_reference": spec["need"],
            }
        )
    return records
