"""Test data for questionnaires: an Asia/Pacific workshop with participants, and helpers to attach a
template, issue the links and answer them through the services, as respondents would."""

import datetime

from django.utils import timezone

from activities.models import Status
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from network.models import Member
from surveys import services
from surveys.models import Audience, Questionnaire, Wave

TODAY = datetime.date(2026, 12, 2)


def template(code: str) -> Questionnaire:
    return Questionnaire.objects.get(code=code)


def workshop(participants: int = 4, status=Status.DELIVERED, members=("JP", "KR", "KE", "TH"), **fields):
    """A delivered Asia/Pacific workshop; its participants come from `members` in turn."""
    today = timezone.localdate()
    activity = ActivityFactory(
        status=status,
        start_date=fields.pop("start_date", today - datetime.timedelta(days=10)),
        end_date=fields.pop("end_date", today - datetime.timedelta(days=7)),
        languages="en,fr",
        **fields,
    )
    administrations = [Member.objects.get(iso_alpha2=code) for code in members]
    for index in range(participants):
        member = administrations[index % len(administrations)]
        person = PersonFactory(member=member, gender="female" if index % 2 else "male")
        ParticipationFactory(activity=activity, person=person, attendance="attended")
    activity.beneficiary_members.set(administrations)
    return activity


def attach(user, activity, code: str, stage: str, audience=Audience.PARTICIPANTS, **fields) -> Wave:
    today = timezone.localdate()
    return services.wave_create(
        user=user,
        questionnaire=template(code),
        stage=stage,
        audience=audience,
        activity=activity,
        opens_on=fields.pop("opens_on", today - datetime.timedelta(days=1)),
        closes_on=fields.pop("closes_on", today + datetime.timedelta(days=20)),
        **fields,
    )


def links(wave: Wave) -> list[tuple]:
    """(invitation, token) for every recipient, issued as the sending job does."""
    services.wave_issue_invitations(wave)
    return [
        (invitation, services.invitation_token(invitation)) for invitation in wave.invitations.order_by("pk")
    ]


def scored_answers(definition: dict, right: int) -> dict:
    """A knowledge test with the first `right` scored questions right and the others wrong."""
    from surveys import definition as spec

    answers = {}
    for index, question in enumerate(q for q in spec.questions(definition) if spec.is_scored(q)):
        correct = [c["value"] for c in question["choices"] if c.get("correct")]
        wrong = [c["value"] for c in question["choices"] if not c.get("correct")]
        if index < right:
            answers[question["code"]] = correct if question["kind"] == "multiple" else correct[0]
        else:
            answers[question["code"]] = wrong[:1] if question["kind"] == "multiple" else wrong[0]
    return answers


def submit(token: str, raw: dict, **options):
    return services.response_save(token=token, raw=raw, submit=True, **options)


def reaction_answers(overall: str = "4", **extra) -> dict:
    """A complete end-of-workshop reaction (the template's required questions), as posted."""
    return {
        "reaction_overall": overall,
        "reaction_relevance": "5",
        "reaction_intention_apply": "4",
        "reaction_aspects": {
            "content": "4",
            "facilitators": "5",
            "materials": "3",
            "organisation": "4",
            "pace": "4",
        },
        "reaction_recommend": "yes",
        **extra,
    }
