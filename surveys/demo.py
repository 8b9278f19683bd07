"""Demo answers: the demo activities get their questionnaires answered as they would be.

For delivered activities with participants: needs before (topic picks leaning on the activity's own
topics), a pre-test and a post-test (the post-test higher for most people, a few lower), the
reaction at the end, and for those that ended four months ago or more a follow-up. Upcoming
activities get a needs questionnaire half answered. Each region gets its yearly needs survey of the
last three years from most of its administrations. `scale=True` (for bench/pages.py) adds needs
questionnaires of earlier activities, about 50,000 responses over ten years.

Rows are written in bulk, with what `surveys.services.response_save` would derive (scores, needs),
since tens of thousands of responses go through no form.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.db import transaction
from django.utils import timezone

from surveys import definition as spec
from surveys.models import (
    Answer,
    Audience,
    Invitation,
    Need,
    Questionnaire,
    RespondentRole,
    Response,
    ResponseStatus,
    Stage,
    Wave,
)
from surveys.services import _token, answer_rows, current_version, need_rows, token_hash

DEMO_ACTIVITIES = 40
SCALE_NEEDS_RESPONSES = 50_000
BATCH = 2_000


def fake_answers(
    definition: dict,
    rng: random.Random,
    *,
    topics: list[str],
    members: list[str],
    skill: float | None = None,
    lean: list[str] | None = None,
) -> dict:
    """Plausible answers to every question that applies; `skill` is the chance of a right answer
    to a scored question, `lean` the topics a needs answer favours."""
    answers: dict = {}
    for question in spec.questions(definition):
        if not spec.is_shown(question, answers) or (not question.get("required") and rng.random() < 0.15):
            continue
        answers[question["code"]] = _one(question, rng, topics, members, skill, lean or [])
    return {code: value for code, value in answers.items() if value not in (None, [], {})}


def _one(question, rng, topics, members, skill, lean):
    kind = question["kind"]
    if kind in spec.CHOICE_KINDS:
        values = [choice["value"] for choice in question["choices"]]
        if spec.is_scored(question) and skill is not None:
            correct = [c["value"] for c in question["choices"] if c.get("correct")]
            wrong = [v for v in values if v not in correct] or values
            if kind == "single":
                return correct[0] if rng.random() < skill else rng.choice(wrong)
            return correct if rng.random() < skill else rng.sample(values, k=min(2, len(values)))
        if kind == "single":
            return rng.choice(values)
        return rng.sample(values, k=rng.randint(1, min(3, len(values))))
    if kind in spec.SCALE_KINDS:
        low, high = question["scale"]["min"], question["scale"]["max"]
        point = lambda: max(low, min(high, round(rng.triangular(low, high, high - 0.8))))  # noqa: E731
        if kind == "rating":
            return point()
        return {row["value"]: point() for row in question["rows"]}
    if kind == "topic":
        pool = (lean * 3 + topics) if lean else topics
        if question.get("many"):
            return list(dict.fromkeys(rng.choice(pool) for _ in range(rng.randint(2, 4))))
        return rng.choice(pool)
    if kind == "member":
        return rng.choice(members)
    if kind == "number":
        low, high = question.get("min", 0), question.get("max", 200)
        return rng.randint(int(max(low, 0)), int(min(high, 200)))
    if kind == "date":
        return (timezone.localdate() - datetime.timedelta(days=rng.randint(30, 400))).isoformat()
    if kind == "long_text":
        return rng.choice(TEXTS)
    return rng.choice(TEXTS)[:60]


TEXTS = [
    "More practical exercises on real declarations would help.",
    "Les études de cas régionales étaient très utiles.",
    "We started reviewing our risk profiles with the method shown.",
    "Nous manquons de personnel formé pour appliquer la méthode.",
    "The IT system does not yet support the new procedure.",
    "Sharing the national experiences was the most valuable part.",
]


class Writer:
    """Responses written in bulk: the response, its answers and, for a needs wave, its needs."""

    def __init__(self, topic_ids: dict[str, int]):
        self.topic_ids = topic_ids
        self.pending: list[tuple[Response, dict, dict]] = []
        self.written = 0

    def add(
        self,
        wave: Wave,
        version,
        *,
        person=None,
        member=None,
        role=RespondentRole.PARTICIPANT,
        answers: dict,
        invitation=None,
        submitted_at=None,
    ) -> None:
        response = Response(
            wave=wave,
            version=version,
            invitation=invitation,
            person=None if wave.anonymous else person,
            role=role,
            member=member,
            region_id=member.region_id if member else wave.region_id,
            gender=person.gender if person else "undisclosed",
            language=rng_language(member),
            status=ResponseStatus.SUBMITTED,
            submitted_at=submitted_at or timezone.now(),
            score=spec.score(version.definition, answers),
            resume_key=secrets.token_hex(32) if wave.anonymous else None,
        )
        self.pending.append((response, answers, version.definition))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        Response.objects.bulk_create([response for response, _a, _d in self.pending])
        answers, needs = [], []
        for response, given, definition in self.pending:
            answers += answer_rows(response, definition, given)
            needs += need_rows(response, definition, given, self.topic_ids)
        Answer.objects.bulk_create(answers, batch_size=5_000)
        Need.objects.bulk_create(needs, batch_size=5_000)
        self.written += len(self.pending)
        self.pending = []


def rng_language(member) -> str:
    french = {"WCA", "ESA", "MENA"}
    return (
        "fr"
        if member is not None and getattr(member.region, "code", "") in french and member.pk % 2
        else "en"
    )


def _wave(
    questionnaire,
    stage,
    activity=None,
    region=None,
    year=None,
    opens=None,
    closes=None,
    audience=Audience.PARTICIPANTS,
    anonymous=False,
):
    opens = opens or timezone.localdate()
    return Wave.objects.create(
        questionnaire=questionnaire,
        stage=stage,
        activity=activity,
        region=region or activity.region,
        year=year or (activity.start_date.year if activity else opens.year),
        audience=audience,
        anonymous=anonymous,
        opens_on=opens,
        closes_on=closes or opens + datetime.timedelta(days=21),
        sent_at=timezone.now(),
    )


def _invite(wave, person, member, role) -> Invitation:
    salt = secrets.token_hex(16)
    return Invitation(
        wave=wave,
        person=person,
        recipient_key=f"person:{person.pk}",
        role=role,
        member=member,
        email=person.email or f"person{person.pk}@example.org",
        name=str(person)[:210],
        language="en",
        token_salt=salt,
        token_hash=token_hash(_token(salt)),
        valid_from=wave.opens_on,
        valid_until=wave.closes_on,
        sent_at=timezone.now(),
        completed_at=timezone.now(),
        uses=1,
    )


@transaction.atomic
def demo_surveys_create(*, scale: bool = False, seed: int = 2026, progress=print) -> dict[str, int]:
    from activities.models import Activity, Attendance, Participation, Status
    from network.models import Member, Region
    from topics.models import Topic

    rng = random.Random(seed)
    Wave.objects.filter(questionnaire__is_template=True).delete()
    templates = {q.purpose: q for q in Questionnaire.objects.filter(is_template=True)}
    versions = {purpose: current_version(q) for purpose, q in templates.items()}
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    slugs = list(Topic.objects.filter(parent__isnull=False).values_list("slug", flat=True)) or list(topic_ids)
    members = list(Member.objects.select_related("region"))
    codes = [member.iso_alpha2 for member in members]
    writer = Writer(topic_ids)
    today = timezone.localdate()

    delivered = list(
        Activity.objects.filter(
            status__in=[Status.DELIVERED, Status.EVALUATED, Status.CLOSED],
            region__isnull=False,
            end_date__lt=today,
            participations__isnull=False,
        )
        .distinct()
        .order_by("-end_date")[:DEMO_ACTIVITIES]
    )
    progress(f"Answering the questionnaires of {len(delivered)} delivered activities")
    for activity in delivered:
        _activity_waves(activity, rng, writer, templates, versions, slugs, codes, today)
    upcoming = list(
        Activity.objects.filter(
            status__in=[Status.SCHEDULED, Status.FUNDED, Status.APPROVED],
            region__isnull=False,
            start_date__gt=today,
            participations__isnull=False,
        )
        .distinct()
        .order_by("start_date")[:10]
    )
    for activity in upcoming:
        wave = _wave(
            templates["needs"],
            Stage.NEEDS,
            activity,
            opens=today - datetime.timedelta(days=5),
            closes=activity.start_date,
            audience=Audience.NOMINEES,
        )
        _answer_by_participants(
            wave,
            versions["needs"],
            activity,
            rng,
            writer,
            slugs,
            codes,
            share=0.5,
            role=RespondentRole.NOMINEE,
            lean=_lean(activity),
        )
    progress("Answering the regions' yearly needs surveys")
    for region in Region.objects.all():
        region_members = [m for m in members if m.region_id == region.pk]
        for year in range(today.year - 2, today.year + 1):
            wave = _wave(
                templates["yearly_needs"],
                Stage.YEARLY_NEEDS,
                region=region,
                year=year,
                opens=datetime.date(year, 1, 15),
                closes=datetime.date(year, 3, 31),
                audience=Audience.REGION_FOCAL_POINTS,
            )
            favoured = rng.sample(slugs, k=min(6, len(slugs)))
            for member in region_members:
                if rng.random() < 0.7:
                    answers = fake_answers(
                        versions["yearly_needs"].definition, rng, topics=slugs, members=codes, lean=favoured
                    )
                    writer.add(
                        wave,
                        versions["yearly_needs"],
                        member=member,
                        role=RespondentRole.FOCAL_POINT,
                        answers=answers,
                        submitted_at=timezone.make_aware(datetime.datetime(year, 2, 1)),
                    )
    if scale:
        _scale_needs(
            rng, writer, templates, versions, slugs, codes, today, Activity, Participation, Attendance
        )
    writer.flush()
    return {
        "waves": Wave.objects.count(),
        "responses": Response.objects.count(),
        "needs": Need.objects.count(),
    }


def _lean(activity) -> list[str]:
    return list(activity.topics.values_list("slug", flat=True))


def _activity_waves(activity, rng, writer, templates, versions, slugs, codes, today):
    start, end = activity.start_date, activity.end_date
    needs = _wave(
        templates["needs"],
        Stage.NEEDS,
        activity,
        opens=start - datetime.timedelta(days=30),
        closes=start,
        audience=Audience.NOMINEES,
    )
    _answer_by_participants(
        needs,
        versions["needs"],
        activity,
        rng,
        writer,
        slugs,
        codes,
        share=0.8,
        role=RespondentRole.NOMINEE,
        lean=_lean(activity),
    )
    pre = _wave(templates["knowledge_test"], Stage.PRE_TEST, activity, opens=start, closes=start)
    post = _wave(
        templates["knowledge_test"],
        Stage.POST_TEST,
        activity,
        opens=end,
        closes=end + datetime.timedelta(days=7),
    )
    reaction = _wave(
        templates["reaction"],
        Stage.REACTION,
        activity,
        opens=end,
        closes=end + datetime.timedelta(days=14),
        anonymous=True,
    )
    follow = None
    if (today - end).days >= 120:
        opens = end + datetime.timedelta(days=120)
        follow = _wave(
            templates["follow_up"],
            Stage.FOLLOW_UP,
            activity,
            opens=opens,
            closes=opens + datetime.timedelta(days=30),
        )
    for participation in _participants(activity):
        person, member = participation.person, participation.member
        skill = rng.uniform(0.3, 0.7)
        for wave, level in ((pre, skill), (post, min(0.98, skill + rng.uniform(-0.05, 0.35)))):
            if rng.random() < 0.9:
                answers = fake_answers(
                    versions["knowledge_test"].definition, rng, topics=slugs, members=codes, skill=level
                )
                writer.add(
                    wave,
                    versions["knowledge_test"],
                    person=person,
                    member=member,
                    answers=answers,
                    invitation=_saved_invitation(wave, person, member),
                )
        if rng.random() < 0.85:
            writer.add(
                reaction,
                versions["reaction"],
                person=person,
                member=member,
                answers=fake_answers(versions["reaction"].definition, rng, topics=slugs, members=codes),
            )
        if follow is not None and rng.random() < 0.55:
            writer.add(
                follow,
                versions["follow_up"],
                person=person,
                member=member,
                answers=fake_answers(versions["follow_up"].definition, rng, topics=slugs, members=codes),
                invitation=_saved_invitation(follow, person, member),
            )


def _participants(activity):
    from activities.models import Attendance, ParticipationRole

    return list(
        activity.participations.filter(role=ParticipationRole.PARTICIPANT)
        .exclude(attendance=Attendance.ABSENT)
        .select_related("person", "member__region")[:60]
    )


def _saved_invitation(wave, person, member):
    invitation = _invite(wave, person, member, RespondentRole.PARTICIPANT)
    invitation.save()
    return invitation


def _answer_by_participants(wave, version, activity, rng, writer, slugs, codes, *, share, role, lean):
    for participation in _participants(activity):
        if rng.random() < share:
            writer.add(
                wave,
                version,
                person=participation.person,
                member=participation.member,
                role=role,
                answers=fake_answers(version.definition, rng, topics=slugs, members=codes, lean=lean),
            )


def _scale_needs(rng, writer, templates, versions, slugs, codes, today, Activity, Participation, Attendance):
    """About 50,000 needs responses over ten years: earlier activities' needs questionnaires."""
    first_year = today.year - 9
    activities = list(
        Activity.objects.filter(region__isnull=False, start_date__year__gte=first_year, start_date__lt=today)
        .order_by("pk")
        .values_list("pk", "region", "start_date")
    )
    rng.shuffle(activities)
    people = list(
        Participation.objects.filter(activity__in=[a[0] for a in activities[:4000]]).values_list(
            "activity", "person", "member"
        )
    )
    by_activity: dict[int, list] = {}
    for activity, person, member in people:
        by_activity.setdefault(activity, []).append((person, member))
    from network.models import Member

    member_objects = {member.pk: member for member in Member.objects.select_related("region")}
    version = versions["needs"]
    for pk, region, start in activities:
        if writer.written + len(writer.pending) >= SCALE_NEEDS_RESPONSES:
            break
        entries = by_activity.get(pk, [])
        if not entries:
            continue
        wave = Wave.objects.create(
            questionnaire=templates["needs"],
            stage=Stage.NEEDS,
            activity_id=pk,
            region_id=region,
            year=start.year,
            audience=Audience.NOMINEES,
            opens_on=start - datetime.timedelta(days=30),
            closes_on=start,
            sent_at=timezone.now(),
        )
        for _person, member in entries[:25]:
            writer.add(
                wave,
                version,
                member=member_objects.get(member),
                role=RespondentRole.NOMINEE,
                answers=fake_answers(version.definition, rng, topics=slugs, members=codes),
                person=None,
            )
    writer.flush()


# --- for bench/pages.py ------------------------------------------------------------------------

BENCH_QUESTIONNAIRE = "bench-forty-questions"
BENCH_RESPONSES = 500
BENCH_KINDS = (
    "single",
    "multiple",
    "rating",
    "number",
    "date",
    "text",
    "long_text",
    "matrix",
    "topic",
    "member",
)


def forty_questions() -> dict:
    """A 40-question questionnaire in four sections, every type four times, in English and French."""
    scale = {"min": 1, "max": 5}
    options = [
        {"value": f"option_{n}", "label": {"en": f"Option {n}", "fr": f"Choix {n}"}} for n in range(1, 6)
    ]
    sections = []
    for part in range(4):
        questions = []
        for index, kind in enumerate(BENCH_KINDS):
            question = {
                "code": f"bench_{part}_{index}",
                "kind": kind,
                "label": {
                    "en": f"Question {part * 10 + index + 1} ({kind})",
                    "fr": f"Question {part * 10 + index + 1}",
                },
                "help": {
                    "en": "Answer as your administration works today.",
                    "fr": "Répondez selon la pratique actuelle.",
                },
                "required": index % 3 == 0,
            }
            if kind in spec.CHOICE_KINDS:
                question["choices"] = options
            if kind in spec.SCALE_KINDS:
                question["scale"] = scale
            if kind == "matrix":
                question["rows"] = [
                    {"value": f"row_{n}", "label": {"en": f"Aspect {n}", "fr": f"Aspect {n}"}}
                    for n in range(1, 6)
                ]
            if kind == "topic":
                question["many"] = True
            questions.append(question)
        sections.append(
            {
                "code": f"part_{part}",
                "title": {"en": f"Part {part + 1}", "fr": f"Partie {part + 1}"},
                "questions": questions,
            }
        )
    return {"languages": ["en", "fr"], "sections": sections}


@transaction.atomic
def bench_waves(activity) -> tuple[str, Wave]:
    """(a respondent's token for the 40-question questionnaire, a reaction wave of 500 responses)
    on `activity`; built once, found again after."""
    from accounts.models import User
    from people.models import Person
    from surveys.services import invitation_token, questionnaire_create

    secretariat = User.objects.get(username="secretariat")
    questionnaire = Questionnaire.objects.filter(code=BENCH_QUESTIONNAIRE).first() or questionnaire_create(
        user=secretariat,
        code=BENCH_QUESTIONNAIRE,
        purpose="other",
        titles={"en": "Forty questions", "fr": "Quarante questions"},
        definition=forty_questions(),
    )
    today = timezone.localdate()
    wave = Wave.objects.filter(questionnaire=questionnaire).first() or _wave(
        questionnaire,
        Stage.OTHER,
        activity,
        opens=today - datetime.timedelta(days=1),
        closes=today + datetime.timedelta(days=3650),
    )
    invitation = wave.invitations.first()
    if invitation is None:
        person = Person.objects.filter(member__region__code="A/P").order_by("pk").first()
        invitation = _invite(wave, person, person.member, RespondentRole.PARTICIPANT)
        invitation.completed_at, invitation.uses = None, 0
        invitation.save()
    reaction = Wave.objects.filter(activity=activity, stage=Stage.REACTION, responses__isnull=False).first()
    if reaction is None or reaction.responses.count() < BENCH_RESPONSES:
        reaction = _wave(Questionnaire.objects.get(code="workshop_reaction"), Stage.REACTION, activity)
        version = current_version(reaction.questionnaire)
        rng = random.Random(500)
        writer = Writer(dict(_topic_ids()))
        people = Person.objects.filter(member__region__code="A/P").select_related("member__region")[
            :BENCH_RESPONSES
        ]
        for person in people:
            writer.add(
                reaction,
                version,
                person=person,
                member=person.member,
                answers=fake_answers(version.definition, rng, topics=[], members=[]),
            )
        writer.flush()
    return invitation_token(invitation), reaction


def _topic_ids():
    from topics.models import Topic

    return Topic.objects.values_list("slug", "pk")
