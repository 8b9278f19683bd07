"""A believable expert roster on the demo activities: pools, ~400 experts across every region with
languages, expertise and embeddings, accreditation histories with their steps, and deployments
(with evaluations) on the demo missions, so that shortlists mean something. `--scale`: 5,000.

Written with bulk_create for speed; the data keeps the rules the services enforce (no expert on a
mission to their own administration, no double booking, evaluations only after delivery).
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from activities.demo import FIRST_NAMES, LAST_NAMES
from activities.models import Activity, ActivityKind, Status
from experts.models import (
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    Deployment,
    DeploymentEvent,
    DeploymentStatus,
    Evaluation,
    EvaluatorKind,
    ExpertLanguage,
    ExpertProfile,
    LanguageLevel,
    Pool,
    PoolKind,
    Recommendation,
    Slot,
    SlotRole,
)
from experts.snapshot import roster_changed
from network.models import Member, Region
from people.models import Gender, Person
from people.services import name_key
from topics.models import Topic

DEFAULT_EXPERTS, SCALE_EXPERTS = 400, 5000
REGION_LANGUAGES = {
    "A/P": ["en", "zh", "fr"],
    "AMS": ["es", "en", "pt", "fr"],
    "EUR": ["en", "ru", "fr"],
    "MENA": ["ar", "fr", "en"],
    "ESA": ["en", "fr", "pt"],
    "WCA": ["fr", "en", "pt"],
}
INSTRUMENTS = [
    "Revised Kyoto Convention",
    "SAFE Framework",
    "Time Release Study",
    "HS Convention",
    "Valuation Agreement",
    "AEO",
    "Mercator Programme",
    "CLiKC!",
    "Data Model",
    "PCA guidelines",
]
POSTS = [
    "Head of risk management",
    "Director of tariff and valuation",
    "Senior post-clearance auditor",
    "Chief of the training academy",
    "AEO programme manager",
    "Head of intelligence",
    "Deputy Commissioner, modernisation",
    "Trade facilitation adviser",
    "Head of human resources",
    "Single window project lead",
]
MISSION_KINDS = [
    ActivityKind.DIAGNOSTIC_MISSION,
    ActivityKind.ADVISORY_MISSION,
    ActivityKind.TECHNICAL_MISSION,
]
SPECIALTY_POOLS = ["risk", "aeo", "valuation", "post-clearance", "hr", "trade-facilitation"]


def _pools(regions: list[Region]) -> list[Pool]:
    topics = list(Topic.objects.filter(parent__isnull=False).order_by("slug"))
    pools = [
        Pool(
            code="diagnostic",
            name="Diagnostic facilitators",
            name_fr="Facilitateurs du diagnostic",
            kind=PoolKind.DIAGNOSTIC,
            description="Mercator diagnostic missions and organisational assessments.",
        ),
        Pool(
            code="trainers",
            name="Accredited trainers",
            name_fr="Formateurs accrédités",
            kind=PoolKind.TRAINER,
            description="Graduates of the train-the-trainers programme.",
        ),
    ]
    for index, key in enumerate(SPECIALTY_POOLS):
        topic = next(
            (topic for topic in topics if key in topic.slug), topics[index % len(topics)] if topics else None
        )
        label = topic.label_en if topic else key
        pools.append(
            Pool(
                code=f"advisor-{key}",
                name=f"Development advisors — {label}",
                name_fr=f"Conseillers en développement — {topic.label_fr if topic else key}",
                kind=PoolKind.ADVISOR,
                specialty=topic,
            )
        )
    for region in regions:
        pools.append(
            Pool(
                code=f"regional-{region.slug}",
                name=f"{region.name} regional trainers",
                name_fr=f"Formateurs régionaux — {region.name}",
                kind=PoolKind.TRAINER,
                region=region,
            )
        )
    for pool in pools:
        Pool.objects.update_or_create(
            code=pool.code,
            defaults={
                field: getattr(pool, field)
                for field in ("name", "name_fr", "kind", "specialty", "region", "description")
            },
        )
    return list(Pool.objects.order_by("pk"))


def _expertise_text(rng: random.Random, topics: list[Topic], instruments: list[str]) -> str:
    areas = ", ".join(topic.label_en.lower() for topic in topics)
    return (
        f"{rng.randint(6, 25)} years in customs; led reforms in {areas}. "
        f"Facilitated workshops on {', '.join(instruments)} and assessed administrations against them."
    )


@transaction.atomic
def demo_experts_create(count: int = DEFAULT_EXPERTS, *, seed: int = 2026, progress=print) -> dict[str, int]:
    from knowledge.embeddings import embed, to_bytes

    rng = random.Random(seed)
    today = timezone.localdate()
    regions = list(Region.objects.order_by("pk"))
    pools = _pools(regions)
    members = list(Member.objects.select_related("region").order_by("pk"))
    topics = list(Topic.objects.filter(parent__isnull=False)) or list(Topic.objects.all())
    curator = (
        User.objects.filter(role="secretariat").order_by("pk").first() or User.objects.order_by("pk").first()
    )
    existing = ExpertProfile.objects.count()
    if existing >= count:
        return {"experts": existing}

    people, texts, facts = [], [], []
    taken = set(Person.objects.values_list("email", flat=True))
    for index in range(existing, count):
        member = members[rng.randrange(len(members))]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{index}@customs.example".lower()
        if email in taken:
            continue
        chosen_topics = rng.sample(topics, k=min(len(topics), rng.randint(2, 4)))
        chosen_instruments = rng.sample(INSTRUMENTS, k=rng.randint(1, 3))
        expertise = _expertise_text(rng, chosen_topics, chosen_instruments)
        people.append(
            Person(
                first_name=first,
                last_name=last,
                email=email,
                member=member,
                gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                job_title=rng.choice(POSTS),
                name_key=name_key(first, last),
            )
        )
        texts.append(expertise)
        facts.append((member, chosen_topics, chosen_instruments, expertise))
    Person.objects.bulk_create(people, batch_size=1000)
    people = list(Person.objects.filter(email__in=[person.email for person in people]).order_by("pk"))
    by_email = {person.email: person for person in people}
    progress(f"experts: embedding {len(texts)} profiles")
    vectors = embed(texts) if texts else []

    profiles = []
    for person_data, (member, _topics, instruments, expertise), vector in zip(
        [by_email[p.email] for p in people], facts, vectors, strict=True
    ):
        profiles.append(
            ExpertProfile(
                person=person_data,
                home_member=member,
                region=member.region,
                current_post=person_data.job_title,
                expertise=expertise,
                instruments=", ".join(instruments),
                years_experience=rng.randint(5, 30),
                embedding=to_bytes(vector),
                confirmed_at=timezone.now() if rng.random() < 0.8 else None,
            )
        )
    ExpertProfile.objects.bulk_create(profiles, batch_size=1000)
    profiles = list(ExpertProfile.objects.filter(person__in=people).select_related("home_member__region"))
    topic_links = []
    through = ExpertProfile.topics.through
    fact_by_person = {by_email[p.email].pk: fact for p, fact in zip(people, facts, strict=True)}
    languages = []
    for profile in profiles:
        member, chosen_topics, _instruments, _text = fact_by_person[profile.person_id]
        topic_links += [through(expertprofile_id=profile.pk, topic_id=topic.pk) for topic in chosen_topics]
        region_languages = REGION_LANGUAGES.get(member.region.code, ["en", "fr"])
        spoken = [
            region_languages[0],
            *rng.sample(region_languages[1:], k=rng.randint(0, len(region_languages) - 1)),
        ]
        if "en" not in spoken and rng.random() < 0.7:
            spoken.append("en")
        for position, code in enumerate(dict.fromkeys(spoken)):
            level = (
                LanguageLevel.NATIVE
                if position == 0
                else rng.choice([LanguageLevel.FLUENT, LanguageLevel.WORKING])
            )
            languages.append(ExpertLanguage(profile=profile, language=code, level=level))
    through.objects.bulk_create(topic_links, batch_size=2000)
    ExpertLanguage.objects.bulk_create(languages, batch_size=2000)

    _demo_expert_account(profiles)
    accreditations, steps = _accreditations(rng, profiles, pools, curator, today)
    deployments = _deployments(rng, profiles, accreditations, curator, today)
    roster_changed()  # bulk_create sends no signals
    return {
        "pools": len(pools),
        "experts": len(profiles),
        "accreditations": len(accreditations),
        "accreditation steps": steps,
        "deployments": deployments,
    }


def _demo_expert_account(profiles) -> None:
    """The demo `expert` sign-in is one of the roster's experts, so its own pages are not empty."""
    account = User.objects.filter(username="expert").first()
    if account is None or Person.objects.filter(user=account).exists() or not profiles:
        return
    home = account.member or profiles[0].home_member
    profile = next((profile for profile in profiles if profile.home_member_id == home.pk), profiles[0])
    Person.objects.filter(pk=profile.person_id).update(
        user=account, first_name=account.first_name or "Elena", last_name=account.last_name or "Expert"
    )


LADDER = [
    AccreditationStatus.NOMINATED,
    AccreditationStatus.PRESCREENED,
    AccreditationStatus.TRAINED,
    AccreditationStatus.SUPERVISED,
    AccreditationStatus.ACCREDITED,
]


def _accreditations(rng, profiles, pools, curator, today):
    global_pools = [pool for pool in pools if pool.region_id is None]
    rows = []
    for profile in profiles:
        eligible = global_pools + [pool for pool in pools if pool.region_id == profile.region_id]
        for pool in rng.sample(eligible, k=rng.choice([0, 1, 1, 1, 2])):
            reach = rng.choices(range(len(LADDER)), weights=[1, 1, 1, 1, 6])[0]
            status = LADDER[reach]
            accredited_on = expires_on = None
            if status == AccreditationStatus.ACCREDITED:
                accredited_on = today - datetime.timedelta(days=rng.randint(30, 5 * 365))
                expires_on = (
                    accredited_on.replace(year=accredited_on.year + pool.accreditation_years)
                    if not (accredited_on.month == 2 and accredited_on.day == 29)
                    else accredited_on + datetime.timedelta(days=3 * 365)
                )
            if rng.random() < 0.03:
                status = AccreditationStatus.SUSPENDED
            rows.append(
                Accreditation(
                    profile=profile,
                    pool=pool,
                    status=status,
                    nominated_by=curator,
                    accredited_on=accredited_on,
                    expires_on=expires_on,
                    reason="Complaint under review" if status == AccreditationStatus.SUSPENDED else "",
                )
            )
    Accreditation.objects.bulk_create(rows, batch_size=2000)
    saved = list(Accreditation.objects.filter(profile__in=profiles))
    step_rows = []
    for accreditation in saved:
        last = LADDER.index(accreditation.status) if accreditation.status in LADDER else len(LADDER) - 1
        previous = ""
        for status in LADDER[: last + 1]:
            step_rows.append(
                AccreditationStep(
                    accreditation=accreditation,
                    from_status=previous,
                    to_status=status,
                    user=curator,
                    evidence="Demo history",
                )
            )
            previous = status
        if accreditation.status == AccreditationStatus.SUSPENDED:
            step_rows.append(
                AccreditationStep(
                    accreditation=accreditation,
                    from_status=previous,
                    to_status=AccreditationStatus.SUSPENDED,
                    user=curator,
                    evidence=accreditation.reason,
                )
            )
    AccreditationStep.objects.bulk_create(step_rows, batch_size=5000)
    return saved, len(step_rows)


def _deployments(rng, profiles, accreditations, curator, today) -> int:
    accredited = {a.profile_id for a in accreditations if a.status == AccreditationStatus.ACCREDITED}
    leads = [profile for profile in profiles if profile.pk in accredited]
    if not leads:
        return 0
    missions = list(
        Activity.objects.filter(kind__in=MISSION_KINDS, start_date__isnull=False)
        .exclude(status__in=[Status.CANCELLED])
        .order_by("start_date")[: max(60, len(profiles) // 2)]
    )
    busy: dict[int, list[tuple]] = {}
    slots, deployments, events, evaluations = [], [], [], []

    def free(profile, mission):
        end = mission.end_date or mission.start_date
        return profile.home_member_id != mission.host_member_id and all(
            end < start or mission.start_date > stop for start, stop in busy.get(profile.pk, [])
        )

    for mission in missions:
        for role, pool_needed in ((SlotRole.LEAD, True), (SlotRole.CO_FACILITATOR, False)):
            slot = Slot(
                activity=mission,
                role=role,
                language=(mission.language_list or ["en"])[0],
                terms_of_reference=mission.objectives[:500],
            )
            slots.append(slot)
            candidates = [
                p
                for p in rng.sample(leads if pool_needed else profiles, k=min(30, len(profiles)))
                if free(p, mission)
            ]
            if not candidates:
                continue
            expert = candidates[0]
            busy.setdefault(expert.pk, []).append(
                (mission.start_date, mission.end_date or mission.start_date)
            )
            delivered = (
                mission.end_date
                and mission.end_date < today
                and mission.status in (Status.DELIVERED, Status.EVALUATED, Status.CLOSED)
            )
            status = DeploymentStatus.EVALUATED if delivered else DeploymentStatus.CONFIRMED
            deployments.append(
                (
                    slot,
                    Deployment(
                        profile=expert,
                        status=status,
                        start_date=mission.start_date,
                        end_date=mission.end_date,
                        proposed_by=curator,
                    ),
                )
            )
    Slot.objects.bulk_create(slots, batch_size=2000)
    for slot, deployment in deployments:
        deployment.slot = slot
    Deployment.objects.bulk_create([deployment for _slot, deployment in deployments], batch_size=2000)
    for _slot, deployment in deployments:
        path = [
            DeploymentStatus.PROPOSED,
            DeploymentStatus.INVITED,
            DeploymentStatus.ACCEPTED,
            DeploymentStatus.RELEASED,
            DeploymentStatus.CONFIRMED,
        ]
        if deployment.status == DeploymentStatus.EVALUATED:
            path += [DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED]
            scores = [rng.choice([3, 4, 4, 5, 5]) for _ in range(4)]
            evaluations.append(
                Evaluation(
                    deployment=deployment,
                    kind=EvaluatorKind.ORGANISER,
                    evaluator=curator,
                    technical=scores[0],
                    communication=scores[1],
                    preparation=scores[2],
                    fit=scores[3],
                    recommendation=rng.choice(
                        [Recommendation.SAME, Recommendation.SAME, Recommendation.MORE_COMPLEX]
                    ),
                    comments="Well prepared; the administration asked for a follow-up.",
                )
            )
        events += [DeploymentEvent(deployment=deployment, status=status, user=curator) for status in path]
    DeploymentEvent.objects.bulk_create(events, batch_size=5000)
    Evaluation.objects.bulk_create(evaluations, batch_size=2000)
    return len(deployments)
