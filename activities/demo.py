"""A realistic multi-year demo of the network's work: programmes, donors, activities, people.

Rows are written with bulk_create for speed (the scale run writes 400,000 participations); the data
respects the same rules the services enforce (dates in order, currencies with amounts, one
participation per person and activity, statuses consistent with the dates).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from activities.models import (
    Activity,
    ActivityKind,
    ActivityTransition,
    Attendance,
    DeliveryMode,
    Participation,
    ParticipationRole,
    Programme,
    Project,
    Status,
)
from funding.models import Donor, DonorKind, ExchangeRate, FundingAgreement
from network.models import Member, Office, OfficeKind
from people.models import Gender, Person
from people.services import name_key
from topics.models import Topic

FIRST_NAMES = [
    "Amina",
    "Kofi",
    "Mei",
    "Ravi",
    "Olga",
    "Carlos",
    "Fatima",
    "Jean",
    "Aiko",
    "Sipho",
    "Laila",
    "Omar",
    "Ana",
    "Tariq",
    "Nadia",
    "Pierre",
    "Hana",
    "Juan",
    "Grace",
    "Yusuf",
    "Elena",
    "Kenji",
    "Zainab",
    "Ivan",
    "Marie",
    "Chen",
    "Priya",
    "Samuel",
    "Leila",
    "Tomas",
    "Aisha",
    "Diego",
    "Sofia",
    "Ahmed",
    "Nkechi",
]
LAST_NAMES = [
    "Mensah",
    "Wang",
    "Patel",
    "Ivanova",
    "Garcia",
    "Haddad",
    "Dubois",
    "Sato",
    "Dlamini",
    "Rahman",
    "Silva",
    "Khan",
    "Petrov",
    "Nguyen",
    "Kim",
    "Okafor",
    "Martin",
    "Rossi",
    "Santos",
    "Ali",
    "Cohen",
    "Mwangi",
    "Tanaka",
    "Lopez",
    "Traore",
    "Diallo",
    "Hassan",
    "Novak",
    "Singh",
    "Ahmed",
    "Moreau",
]
DONORS = [
    ("Nordic Customs Development Fund (demo)", DonorKind.GOVERNMENT, "SEK"),
    ("Asia-Pacific Cooperation Fund (demo)", DonorKind.MEMBER, "JPY"),
    ("Trade Facilitation Trust (demo)", DonorKind.MULTILATERAL, "USD"),
    ("European Partnership Programme (demo)", DonorKind.MULTILATERAL, "EUR"),
    ("Korea Customs Cooperation Fund (demo)", DonorKind.MEMBER, "KRW"),
    ("Border Modernisation Foundation (demo)", DonorKind.PRIVATE, "GBP"),
]
RATES = {"USD": "0.92", "JPY": "0.0062", "SEK": "0.087", "KRW": "0.00068", "GBP": "1.16", "CHF": "1.04"}
KIND_WEIGHTS = {
    ActivityKind.REGIONAL_WORKSHOP: 18,
    ActivityKind.SUBREGIONAL_WORKSHOP: 10,
    ActivityKind.NATIONAL_WORKSHOP: 25,
    ActivityKind.DIAGNOSTIC_MISSION: 8,
    ActivityKind.ADVISORY_MISSION: 8,
    ActivityKind.TECHNICAL_MISSION: 6,
    ActivityKind.TRAIN_THE_TRAINERS: 8,
    ActivityKind.ELEARNING: 7,
    ActivityKind.STUDY_VISIT: 4,
    ActivityKind.RESEARCH_STUDY: 2,
    ActivityKind.CONFERENCE: 4,
}
# Kinds held where the organising office is; the others are held in the host administration.
AT_THE_OFFICE = {
    ActivityKind.REGIONAL_WORKSHOP,
    ActivityKind.SUBREGIONAL_WORKSHOP,
    ActivityKind.TRAIN_THE_TRAINERS,
    ActivityKind.CONFERENCE,
}
MISSIONS = {ActivityKind.DIAGNOSTIC_MISSION, ActivityKind.ADVISORY_MISSION, ActivityKind.TECHNICAL_MISSION}


@dataclass
class Volume:
    activities: int
    participations: int
    years: int


DEFAULT = Volume(activities=2_000, participations=30_000, years=8)
SCALE = Volume(activities=20_000, participations=400_000, years=10)


def _rates() -> None:
    today = timezone.localdate()
    for currency, rate in RATES.items():
        for years_ago in range(10, -1, -1):
            drift = Decimal(1) + Decimal(random.Random(f"{currency}{years_ago}").uniform(-0.08, 0.08))
            ExchangeRate.objects.update_or_create(
                currency=currency,
                valid_from=datetime.date(today.year - years_ago, 1, 1),
                defaults={"eur_per_unit": (Decimal(rate) * drift).quantize(Decimal("0.00000001"))},
            )


@dataclass
class DemoProgramme:
    """A programme with what an activity must match to belong to it."""

    programme: Programme
    topic: Topic
    phases: tuple[Project, Project]

    def fits(self, office: Office, topics: list[Topic], start: datetime.date) -> bool:
        """Same topic, inside the programme's dates, and in the lead ROCB's region (the
        Secretariat's programmes are global)."""
        lead = self.programme.lead_office
        return (
            self.topic in topics
            and self.programme.start_date <= start <= self.programme.end_date
            and (lead.kind == OfficeKind.SECRETARIAT or office.region_id == lead.region_id)
        )

    def phase_for(self, start: datetime.date) -> Project:
        middle = self.programme.start_date + (self.programme.end_date - self.programme.start_date) / 2
        return self.phases[0] if start <= middle else self.phases[1]


def _funding(
    rng: random.Random, offices: list[Office], first_year: int
) -> tuple[list[DemoProgramme], list[FundingAgreement]]:
    donors = [
        Donor.objects.update_or_create(name=name, defaults={"kind": kind})[0] for name, kind, _c in DONORS
    ]
    leads = [office for office in offices if office.kind != OfficeKind.RTC]
    programmes, agreements = [], []
    this_year = timezone.localdate().year
    for index, topic in enumerate(Topic.objects.filter(parent__isnull=False).order_by("position")[:12]):
        lead = leads[index % len(leads)]
        # Four-year programmes, started in turn, the latest still running.
        start = datetime.date(min(first_year + index % 5, this_year - 1), 1, 1)
        end = datetime.date(start.year + 3, 12, 31)
        where = lead.region.name if lead.region else "the whole network"
        programme, _created = Programme.objects.update_or_create(
            code=f"demo-prog-{index + 1}",
            defaults={
                "title": f"{topic.label_en} programme, {where} {start.year}–{end.year}",
                "lead_office": lead,
                "start_date": start,
                "end_date": end,
                "description": f"Demo programme on {topic.label_en.lower()} for {where}: workshops, "
                f"missions and courses from {start.year} to {end.year}, led by {lead.name}.",
            },
        )
        phases = tuple(
            Project.objects.update_or_create(
                code=f"demo-proj-{index + 1}-{part}",
                defaults={
                    "programme": programme,
                    "title": f"{topic.label_en}: phase {part} ({years})",
                    "description": description,
                },
            )[0]
            for part, years, description in (
                (1, f"{start.year}–{start.year + 1}", "Diagnostics, regional workshops and plans."),
                (2, f"{start.year + 2}–{end.year}", "National follow-up, trainers and evaluation."),
            )
        )
        programmes.append(DemoProgramme(programme, topic, phases))
        donor_index = index % len(DONORS)
        currency = DONORS[donor_index][2]
        scale = {"JPY": 150, "KRW": 1400, "SEK": 11}.get(currency, 1)
        agreements.append(
            FundingAgreement.objects.update_or_create(
                donor=donors[donor_index],
                title=f"Support to the {topic.label_en.lower()} programme",
                defaults={
                    "programme": programme,
                    "currency": currency,
                    "signed_on": datetime.date(2018 + index % 7, 3, 1),
                    "amount_committed": Decimal(rng.randrange(200, 3000) * 1000 * scale),
                    "amount_disbursed": Decimal(rng.randrange(50, 200) * 1000 * scale),
                },
            )[0]
        )
    return programmes, agreements


def _city(office: Office) -> str:
    return office.city.split(" (")[0].split(";")[0][:120]


def _venue(kind: str, mode: str, office: Office, host: Member) -> str:
    if mode == DeliveryMode.VIRTUAL:
        return ""
    if kind in AT_THE_OFFICE and office.host_member_id == host.pk:
        return (office.name if office.institution.startswith(office.country) else office.institution)[:250]
    return f"Customs administration of {host.name}"[:250]


def _place(
    rng: random.Random, kind: str, mode: str, office: Office, region_members: list[Member]
) -> tuple[Member, str]:
    """The host administration and the city, which always agree: an activity held at the office is
    hosted by the office's country in the office's city; any other is held in the host's capital."""
    if kind in AT_THE_OFFICE and office.host_member is not None:
        host = office.host_member
        city = _city(office) or host.capital
    else:
        host = rng.choice(region_members)
        city = host.capital
    return host, ("" if mode == DeliveryMode.VIRTUAL else city[:120])


def _index_of(programmes: list[DemoProgramme], project: Project) -> int:
    return next(index for index, entry in enumerate(programmes) if project in entry.phases)


def _unique(title: str, taken: set[str]) -> str:
    """The title, or the title with its session number when the same one was already used."""
    candidate, session = title, 1
    while candidate in taken:
        session += 1
        candidate = f"{title}, session {session}"
    taken.add(candidate)
    return candidate[:250]


def _status_for(start: datetime.date, today: datetime.date, rng: random.Random) -> str:
    if rng.random() < 0.04:
        return Status.CANCELLED
    if rng.random() < 0.03:
        return Status.POSTPONED
    if start > today + datetime.timedelta(days=120):
        return rng.choice([Status.PROPOSED, Status.APPROVED, Status.FUNDED])
    if start > today:
        return rng.choice([Status.FUNDED, Status.SCHEDULED, Status.SCHEDULED])
    if start > today - datetime.timedelta(days=60):
        return Status.DELIVERED
    return rng.choice([Status.EVALUATED, Status.CLOSED, Status.CLOSED])


@transaction.atomic
def demo_data_create(volume: Volume = DEFAULT, *, seed: int = 2026, progress=print) -> dict[str, int]:
    """Build the demo on top of the reference data; replaces an earlier demo."""
    rng = random.Random(seed)
    Participation.objects.all().delete()
    ActivityTransition.objects.all().delete()
    Activity.objects.all().delete()
    Person.objects.filter(user__isnull=True).delete()
    _rates()
    offices = list(Office.objects.select_related("region", "host_member"))
    today = timezone.localdate()
    first_day = datetime.date(today.year - volume.years + 2, 1, 1)
    programmes, agreements = _funding(rng, offices, first_day.year)
    members_by_region: dict[int, list[Member]] = {}
    for member in Member.objects.all():
        members_by_region.setdefault(member.region_id, []).append(member)
    all_members = [member for members in members_by_region.values() for member in members]
    topics = list(Topic.objects.filter(parent__isnull=False))
    secretariat = User.objects.filter(role="secretariat").first()
    titles: set[str] = set()
    span = (datetime.date(today.year + 1, 12, 31) - first_day).days
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())

    progress(f"Creating {volume.activities} activities")
    activities, topic_links, beneficiary_links = [], [], []
    for _ in range(volume.activities):
        office = rng.choice(offices)
        region_members = members_by_region.get(office.region_id) or all_members
        kind = rng.choices(kinds, weights)[0]
        start = first_day + datetime.timedelta(days=rng.randrange(span))
        length = 0 if kind == ActivityKind.ELEARNING else rng.randint(1, 5)
        mode = (
            DeliveryMode.VIRTUAL
            if kind == ActivityKind.ELEARNING
            else rng.choices(
                [DeliveryMode.IN_PERSON, DeliveryMode.VIRTUAL, DeliveryMode.HYBRID], [80, 12, 8]
            )[0]
        )
        host, city = _place(rng, kind, mode, office, region_members)
        chosen_topics = rng.sample(topics, rng.randint(1, 3))
        # Half the activities belong to a programme, and only to one they fit.
        fitting = [entry for entry in programmes if entry.fits(office, chosen_topics, start)]
        chosen = rng.choice(fitting) if fitting and rng.random() < 0.7 else None
        project = chosen.phase_for(start) if chosen else None
        if chosen:  # the programme's topic is the activity's main one, and its title says so
            chosen_topics = [chosen.topic] + [topic for topic in chosen_topics if topic != chosen.topic]
        if project is not None:  # a programme's activities are paid by the programme's agreement
            agreement = agreements[_index_of(programmes, project)]
        else:
            agreement = rng.choice(agreements) if rng.random() < 0.4 else None
        currency = agreement.currency if agreement else "EUR"
        scale = {"JPY": 150, "KRW": 1400, "SEK": 11}.get(currency, 1)
        budget = Decimal(rng.randrange(5, 120) * 1000 * scale)
        status = _status_for(start, today, rng)
        activities.append(
            Activity(
                title=_unique(
                    f"{ActivityKind(kind).label}: {chosen_topics[0].label_en} "
                    f"({host.name}, {start:%B} {start.year})",
                    titles,
                ),
                kind=kind,
                status=status,
                lead_office=office,
                region_id=office.region_id or host.region_id,
                host_member=host,
                start_date=start,
                end_date=start + datetime.timedelta(days=length),
                venue=_venue(kind, mode, office, host),
                city=city,
                delivery_mode=mode,
                languages=rng.choice(["en", "en,fr", "fr", "en,es", "ar,en", "ru,en"]),
                objectives=f"Strengthen {chosen_topics[0].label_en.lower()} in the administrations "
                "taking part.",
                project=project,
                funding_agreement=agreement,
                budget_amount=budget,
                budget_currency=currency,
                actual_cost=(budget * Decimal("0.9")).quantize(Decimal("1"))
                if status in (Status.EVALUATED, Status.CLOSED)
                else None,
                actual_currency=currency if status in (Status.EVALUATED, Status.CLOSED) else "",
            )
        )
        beneficiary_count = (
            1 if kind in MISSIONS or kind == ActivityKind.NATIONAL_WORKSHOP else rng.randint(2, 8)
        )
        topic_links.append(chosen_topics)
        others = rng.sample(region_members, min(beneficiary_count - 1, len(region_members)))
        beneficiary_links.append(list({member.pk: member for member in [host, *others]}.values()))
    Activity.objects.bulk_create(activities, batch_size=2000)
    Through = Activity.topics.through
    Through.objects.bulk_create(
        [
            Through(activity_id=a.pk, topic_id=t.pk)
            for a, ts in zip(activities, topic_links, strict=True)
            for t in ts
        ],
        batch_size=5000,
    )
    Beneficiaries = Activity.beneficiary_members.through
    Beneficiaries.objects.bulk_create(
        [
            Beneficiaries(activity_id=a.pk, member_id=m.pk)
            for a, ms in zip(activities, beneficiary_links, strict=True)
            for m in ms
        ],
        batch_size=5000,
    )
    if secretariat:
        ActivityTransition.objects.bulk_create(
            [
                ActivityTransition(
                    activity=a,
                    from_status=Status.PROPOSED,
                    to_status=a.status,
                    user=secretariat,
                    comment="Recorded from the demo data.",
                )
                for a in activities
                if a.status != Status.PROPOSED
            ],
            batch_size=5000,
        )

    progress(f"Creating people and {volume.participations} participations")
    per_activity = volume.participations / volume.activities
    people_per_member = max(int(per_activity * 3), volume.participations // (len(all_members) * 5))
    people_by_member: dict[int, list[Person]] = {}
    people = []
    for member in all_members:
        for index in range(people_per_member):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            gender = rng.choices([Gender.FEMALE, Gender.MALE, Gender.UNDISCLOSED], [42, 55, 3])[0]
            person = Person(
                first_name=first,
                last_name=last,
                member=member,
                gender=gender,
                email=f"{first}.{last}.{member.iso_alpha2}{index}@demo.invalid".lower(),
                name_key=name_key(first, last),
                job_title="Customs officer",
            )
            people.append(person)
            people_by_member.setdefault(member.pk, []).append(person)
    Person.objects.bulk_create(people, batch_size=5000)

    participations, remaining = [], volume.participations
    for index, (activity, beneficiaries) in enumerate(zip(activities, beneficiary_links, strict=True)):
        left = len(activities) - index
        # Aim at what is left per activity, so a small pool early on is made up for later.
        target = remaining / left
        count = remaining if left == 1 else max(1, min(remaining - (left - 1), round(rng.gauss(target, 3))))
        pool = [person for member in beneficiaries for person in people_by_member[member.pk]]
        chosen = rng.sample(pool, min(count, len(pool)))
        remaining -= len(chosen)
        past = activity.status in (Status.DELIVERED, Status.EVALUATED, Status.CLOSED)
        for position, person in enumerate(chosen):
            role = (
                ParticipationRole.TRAINER
                if position == 0
                else (
                    ParticipationRole.EXPERT
                    if position == 1 and activity.kind in MISSIONS
                    else ParticipationRole.PARTICIPANT
                )
            )
            attendance = (
                rng.choices([Attendance.ATTENDED, Attendance.PARTIAL, Attendance.ABSENT], [88, 7, 5])[0]
                if past
                else Attendance.REGISTERED
            )
            participations.append(
                Participation(
                    activity=activity,
                    person=person,
                    member_id=person.member_id,
                    gender=person.gender,
                    role=role,
                    attendance=attendance,
                )
            )
        if len(participations) >= 20_000:
            Participation.objects.bulk_create(participations, batch_size=5000)
            participations = []
    Participation.objects.bulk_create(participations, batch_size=5000)
    donor_user = User.objects.filter(username="donor").first()
    if donor_user:
        donor_user.donor = agreements[0].donor
        donor_user.save(update_fields=["donor"])
    return {
        "activities": Activity.objects.count(),
        "participations": Participation.objects.count(),
        "people": Person.objects.count(),
        "programmes": len(programmes),
    }
