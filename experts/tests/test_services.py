"""Every lifecycle move of accreditations and deployments, and each rule that refuses one."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities.models import ActivityKind, Attendance, Participation, Status
from activities.tests.factories import ActivityFactory, PersonFactory
from experts import services
from experts.models import (
    AccreditationStatus,
    DeploymentStatus,
    EvaluatorKind,
    Recommendation,
    SlotRole,
)
from experts.tests.factories import (
    ExpertProfileFactory,
    MissionFactory,
    PoolFactory,
    SlotFactory,
    expert_user,
)
from network.models import Member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
GOOD = {"technical": 5, "communication": 4, "preparation": 4, "fit": 4, "recommendation": Recommendation.SAME}


@pytest.fixture
def japanese_expert():
    return ExpertProfileFactory(person=PersonFactory(member=Member.objects.get(iso_alpha2="JP")))


@pytest.fixture
def pool():
    return PoolFactory(code="diagnostic", name="Diagnostic facilitators")


def accredited(profile, pool, user, on=None):
    """Walk an accreditation through every stage on real evidence: workshop attendance, then a
    trainee slot beside an accredited lead (or the Secretariat's say), rated by the supervisor."""
    accreditation = services.accreditation_nominate(user=user, profile=profile, pool=pool)
    services.accreditation_prescreen(
        user=user, accreditation=accreditation, evidence="CV and English checked"
    )
    workshop = ActivityFactory(kind=ActivityKind.TRAIN_THE_TRAINERS, status=Status.DELIVERED)
    participation = Participation.objects.create(
        activity=workshop, person=profile.person, member=profile.home_member, attendance=Attendance.ATTENDED
    )
    services.accreditation_record_training(
        user=user, accreditation=accreditation, participation=participation
    )
    mission = MissionFactory(start_date=TODAY - datetime.timedelta(days=20))
    lead = ExpertProfileFactory()
    lead_accreditation = services.accreditation_nominate(
        user=user, profile=lead, pool=PoolFactory(code="seed")
    )
    # The seed lead: accredited by hand through the database, as the first experts of a new pool are.
    lead_accreditation.status, lead_accreditation.expires_on = AccreditationStatus.ACCREDITED, None
    lead_accreditation.save()
    lead_deployment = delivered(SlotFactory(activity=mission, role=SlotRole.LEAD), lead, user)
    trainee = delivered(SlotFactory(activity=mission, role=SlotRole.TRAINEE), profile, user)
    services.evaluation_submit(user=user, deployment=trainee, kind=EvaluatorKind.SUPERVISOR, **GOOD)
    services.accreditation_record_supervision(user=user, accreditation=accreditation, deployment=trainee)
    assert lead_deployment.status == DeploymentStatus.DELIVERED
    return services.accreditation_accredit(user=user, accreditation=accreditation, on=on)


def delivered(slot, profile, user):
    """A deployment moved through every step by the people each step belongs to."""
    deployment = services.deployment_propose(user=user, slot=slot, profile=profile, override_reason="test")
    services.deployment_invite(user=user, deployment=deployment)
    expert = expert_user(profile, username=f"expert-{profile.pk}")
    services.deployment_respond(user=expert, deployment=deployment, accept=True)
    services.deployment_release(user=user, deployment=deployment, agree=True)
    services.deployment_confirm(user=user, deployment=deployment)
    services.deployment_deliver(user=user, deployment=deployment)
    deployment.refresh_from_db()
    return deployment


def test_the_full_accreditation_path_is_recorded_move_by_move(user_named, japanese_expert, pool):
    accreditation = accredited(japanese_expert, pool, user_named("secretariat"), on=TODAY)
    assert accreditation.status == AccreditationStatus.ACCREDITED
    assert accreditation.expires_on == TODAY.replace(year=TODAY.year + 3)
    assert [step.to_status for step in accreditation.steps.all()] == [
        AccreditationStatus.NOMINATED,
        AccreditationStatus.PRESCREENED,
        AccreditationStatus.TRAINED,
        AccreditationStatus.SUPERVISED,
        AccreditationStatus.ACCREDITED,
    ]
    assert services.is_accredited(accreditation)
    assert not services.is_accredited(accreditation, on=accreditation.expires_on + datetime.timedelta(days=1))


def test_no_training_without_attendance(user_named, japanese_expert, pool):
    secretariat = user_named("secretariat")
    accreditation = services.accreditation_nominate(user=secretariat, profile=japanese_expert, pool=pool)
    services.accreditation_prescreen(user=secretariat, accreditation=accreditation, evidence="ok")
    workshop = ActivityFactory(kind=ActivityKind.TRAIN_THE_TRAINERS)
    registered = Participation.objects.create(activity=workshop, person=japanese_expert.person)
    with pytest.raises(ValidationError, match="attendance"):
        services.accreditation_record_training(
            user=secretariat, accreditation=accreditation, participation=registered
        )


def test_no_accreditation_without_the_supervised_mission(user_named, japanese_expert, pool):
    secretariat = user_named("secretariat")
    accreditation = services.accreditation_nominate(user=secretariat, profile=japanese_expert, pool=pool)
    with pytest.raises(ValidationError):
        services.accreditation_accredit(user=secretariat, accreditation=accreditation)
    with pytest.raises(ValidationError, match="Say what"):
        services.accreditation_prescreen(user=secretariat, accreditation=accreditation, evidence=" ")


def test_a_negative_supervision_does_not_count(user_named, japanese_expert, pool):
    secretariat = user_named("secretariat")
    accreditation = services.accreditation_nominate(user=secretariat, profile=japanese_expert, pool=pool)
    services.accreditation_prescreen(user=secretariat, accreditation=accreditation, evidence="ok")
    workshop = ActivityFactory(kind=ActivityKind.TRAIN_THE_TRAINERS)
    participation = Participation.objects.create(
        activity=workshop, person=japanese_expert.person, attendance=Attendance.ATTENDED
    )
    services.accreditation_record_training(
        user=secretariat, accreditation=accreditation, participation=participation
    )
    mission = MissionFactory(start_date=TODAY - datetime.timedelta(days=5))
    trainee = delivered(SlotFactory(activity=mission, role=SlotRole.TRAINEE), japanese_expert, secretariat)
    with pytest.raises(ValidationError, match="accredited lead"):
        services.accreditation_record_supervision(
            user=secretariat, accreditation=accreditation, deployment=trainee
        )


def test_who_may_nominate_and_curate(user_named, japanese_expert, pool):
    with pytest.raises((PermissionDenied, ValidationError)):  # Kenya's focal point cannot even see them
        services.accreditation_nominate(user=user_named("focal.kenya"), profile=japanese_expert, pool=pool)
    accreditation = services.accreditation_nominate(
        user=user_named("rocb.ap"), profile=japanese_expert, pool=pool
    )
    with pytest.raises(PermissionDenied):
        services.accreditation_prescreen(user=user_named("expert"), accreditation=accreditation, evidence="x")


def test_suspension_and_withdrawal_need_a_reason(user_named, japanese_expert, pool):
    secretariat = user_named("secretariat")
    accreditation = accredited(japanese_expert, pool, secretariat)
    with pytest.raises(ValidationError):
        services.accreditation_suspend(user=secretariat, accreditation=accreditation, reason="")
    services.accreditation_suspend(
        user=secretariat, accreditation=accreditation, reason="Complaint under review"
    )
    assert not services.is_accredited(accreditation)
    services.accreditation_withdraw(user=secretariat, accreditation=accreditation, reason="Left the service")
    with pytest.raises(ValidationError):
        services.accreditation_reinstate(user=secretariat, accreditation=accreditation, reason="x")


def test_derive_advances_on_the_evidence_cbhub_holds(user_named, japanese_expert, pool):
    secretariat = user_named("secretariat")
    accreditation = services.accreditation_nominate(user=secretariat, profile=japanese_expert, pool=pool)
    services.accreditation_prescreen(user=secretariat, accreditation=accreditation, evidence="ok")
    Participation.objects.create(
        activity=ActivityFactory(kind=ActivityKind.TRAIN_THE_TRAINERS),
        person=japanese_expert.person,
        attendance=Attendance.ATTENDED,
    )
    accreditation = services.accreditation_derive(user=secretariat, accreditation=accreditation)
    assert accreditation.status == AccreditationStatus.TRAINED


def test_expiry_notices_are_sent_once(user_named, japanese_expert, pool):
    secretariat = user_named("secretariat")
    accreditation = accredited(japanese_expert, pool, secretariat, on=TODAY.replace(year=TODAY.year - 3))
    expert = expert_user(japanese_expert, "expert.notice")
    expert.email = "notice@example.org"
    expert.save()
    mail.outbox.clear()
    with django_capture_commits():
        assert services.accreditation_send_expiry_notices(within_days=60, on=accreditation.expires_on) == 1
    assert any("notice@example.org" in message.to for message in mail.outbox)
    assert services.accreditation_send_expiry_notices(within_days=60, on=accreditation.expires_on) == 0


def django_capture_commits():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_deployment_path_notifies_each_next_person(user_named, japanese_expert):
    secretariat = user_named("secretariat")
    slot = SlotFactory(role=SlotRole.CO_FACILITATOR)
    deployment = services.deployment_propose(
        user=secretariat, slot=slot, profile=japanese_expert, override_reason="x"
    )
    expert = expert_user(japanese_expert, "expert.path")
    expert.email = "path@example.org"
    expert.save()
    with django_capture_commits():
        services.deployment_invite(user=secretariat, deployment=deployment)
    assert any("path@example.org" in message.to for message in mail.outbox)
    assert [item.url for item in services.waiting_for(expert)] == [deployment.get_absolute_url()]
    with pytest.raises(PermissionDenied):
        services.deployment_respond(user=secretariat, deployment=deployment, accept=True)
    services.deployment_respond(user=expert, deployment=deployment, accept=True)
    with pytest.raises(PermissionDenied):
        services.deployment_release(user=user_named("focal.kenya"), deployment=deployment, agree=True)
    with pytest.raises(ValidationError):
        services.deployment_confirm(user=secretariat, deployment=deployment)
    services.deployment_release(user=secretariat, deployment=deployment, agree=True)
    services.deployment_confirm(user=secretariat, deployment=deployment)
    services.deployment_deliver(user=secretariat, deployment=deployment)
    evaluation = services.evaluation_submit(
        user=secretariat, deployment=deployment, kind=EvaluatorKind.ORGANISER, **GOOD
    )
    deployment.refresh_from_db()
    assert deployment.status == DeploymentStatus.EVALUATED
    with pytest.raises(ValidationError):
        services.evaluation_submit(
            user=secretariat, deployment=deployment, kind=EvaluatorKind.ORGANISER, **GOOD
        )
    services.evaluation_disagree(user=expert, evaluation=evaluation, comment="The scope changed on arrival.")
    evaluation.refresh_from_db()
    assert evaluation.expert_disagrees
    assert [event.status for event in deployment.events.all()] == [
        DeploymentStatus.PROPOSED,
        DeploymentStatus.INVITED,
        DeploymentStatus.ACCEPTED,
        DeploymentStatus.RELEASED,
        DeploymentStatus.CONFIRMED,
        DeploymentStatus.DELIVERED,
        DeploymentStatus.EVALUATED,
    ]


def test_a_future_activity_cannot_be_delivered(user_named, japanese_expert):
    secretariat = user_named("secretariat")
    slot = SlotFactory(
        activity=MissionFactory(start_date=TODAY + datetime.timedelta(days=30)), role=SlotRole.CO_FACILITATOR
    )
    deployment = services.deployment_propose(
        user=secretariat, slot=slot, profile=japanese_expert, override_reason="x"
    )
    for step in (services.deployment_invite,):
        step(user=secretariat, deployment=deployment)
    expert = expert_user(japanese_expert, "expert.future")
    services.deployment_respond(user=expert, deployment=deployment, accept=True)
    services.deployment_release(user=secretariat, deployment=deployment, agree=True)
    services.deployment_confirm(user=secretariat, deployment=deployment)
    with pytest.raises(ValidationError, match="not started"):
        services.deployment_deliver(user=secretariat, deployment=deployment)


def test_a_refused_release_needs_a_reason_and_frees_the_slot(user_named, japanese_expert):
    secretariat = user_named("secretariat")
    slot = SlotFactory(role=SlotRole.ADVISOR)
    deployment = services.deployment_propose(
        user=secretariat, slot=slot, profile=japanese_expert, override_reason="x"
    )
    services.deployment_invite(user=secretariat, deployment=deployment)
    services.deployment_respond(
        user=expert_user(japanese_expert, "expert.r"), deployment=deployment, accept=True
    )
    with pytest.raises(ValidationError):
        services.deployment_release(user=secretariat, deployment=deployment, agree=False)
    services.deployment_release(user=secretariat, deployment=deployment, agree=False, comment="Busy season")
    other = ExpertProfileFactory()
    assert services.deployment_propose(user=secretariat, slot=slot, profile=other, override_reason="x")


def test_the_beneficiary_rates_only_what_it_received(user_named, japanese_expert):
    secretariat = user_named("secretariat")
    kenya = Member.objects.get(iso_alpha2="KE")
    slot = SlotFactory(activity=MissionFactory(host_member=kenya, start_date=TODAY), role=SlotRole.ADVISOR)
    deployment = delivered(slot, japanese_expert, secretariat)
    services.evaluation_submit(
        user=user_named("focal.kenya"), deployment=deployment, kind=EvaluatorKind.BENEFICIARY, **GOOD
    )
    with pytest.raises(PermissionDenied):
        services.evaluation_submit(
            user=user_named("focal.kenya"), deployment=deployment, kind=EvaluatorKind.ORGANISER, **GOOD
        )


def test_unavailability_and_conflicts_are_declared_by_the_expert_or_their_administration(
    user_named, japanese_expert
):
    expert = expert_user(japanese_expert, "expert.own")
    period = services.unavailability_declare(
        user=expert, profile=japanese_expert, start_date=TODAY, end_date=TODAY + datetime.timedelta(days=9)
    )
    assert period.declared_by == expert
    with pytest.raises(ValidationError):
        services.unavailability_declare(
            user=expert,
            profile=japanese_expert,
            start_date=TODAY,
            end_date=TODAY - datetime.timedelta(days=1),
        )
    services.conflict_declare(
        user=expert, profile=japanese_expert, member=Member.objects.get(iso_alpha2="KR")
    )
    with pytest.raises(PermissionDenied):
        services.unavailability_declare(
            user=user_named("focal.kenya"), profile=japanese_expert, start_date=TODAY, end_date=TODAY
        )


def test_profiles_are_created_in_scope_and_confirmed_by_the_home_administration(user_named):
    kenyan = PersonFactory(member=Member.objects.get(iso_alpha2="KE"))
    with pytest.raises((PermissionDenied, ValidationError)):  # Kenya is not Asia/Pacific's
        services.profile_create(user=user_named("rocb.ap"), person=kenyan, home_member=kenyan.member)
    profile = services.profile_create(
        user=user_named("focal.kenya"),
        person=kenyan,
        home_member=kenyan.member,
        data={"years_experience": 8, "expertise": "Tariff classification and origin."},
    )
    assert profile.region == kenyan.member.region and profile.embedding
    services.profile_confirm(user=user_named("focal.kenya"), profile=profile)
    profile.refresh_from_db()
    assert profile.confirmed_at is not None


def test_the_shortlist_acceptance_rate_is_measured_from_the_picks(user_named, japanese_expert):
    secretariat = user_named("secretariat")
    for rank in (1, 1, 3, None):
        slot = SlotFactory(role=SlotRole.ADVISOR)
        services.deployment_propose(
            user=secretariat,
            slot=slot,
            profile=ExpertProfileFactory(),
            override_reason="x",
            rank=rank,
            shortlist_size=10,
        )
    figures = services.shortlist_acceptance()
    assert figures == {"picks": 4, "first": 0.5, "top5": 0.75, "off_list": 0.25}
