"""Every experts page and HTML action through the test client, as the role that owns it, with the
outcome read back from the database; and each action refused (a message, nothing changed) for the
wrong actor."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from accounts.services import user_create
from activities.models import ImportBatch
from activities.tests.factories import PersonFactory
from activities.tests.test_imports import csv_bytes
from experts.models import (
    AccreditationStatus,
    ConflictDeclaration,
    Deployment,
    DeploymentEvent,
    DeploymentStatus,
    Evaluation,
    EvaluatorKind,
    ExpertLanguage,
    ExpertProfile,
    PoolKind,
    ShortlistPick,
    Slot,
    SlotRole,
    Unavailability,
)
from experts.tests.factories import (
    ExpertProfileFactory,
    MissionFactory,
    PoolFactory,
    SlotFactory,
    expert_user,
)
from jobs.models import Job, JobStatus
from jobs.services import job_run
from knowledge.tests import files
from network.models import Member

pytestmark = pytest.mark.django_db

RATING = {
    "technical": "5",
    "communication": "4",
    "preparation": "4",
    "fit": "5",
    "recommendation": "same",
    "comments": "Clear findings.",
}


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def world(user_named):
    """A diagnostic mission of the ROCB Asia/Pacific to the Philippines (started ten days ago), with
    a lead slot in a diagnostic pool; an accredited Kenyan expert with an account (focal.kenya is
    their home focal point); the Philippines' focal point (the beneficiary)."""
    kenya, philippines = Member.objects.get(iso_alpha2="KE"), Member.objects.get(iso_alpha2="PH")
    beneficiary = user_create(username="focal.ph", password="x", role=Role.FOCAL_POINT, member=philippines)
    pool = PoolFactory(code="views-diagnostic", kind=PoolKind.DIAGNOSTIC)
    profile = ExpertProfileFactory(person=PersonFactory(member=kenya, last_name="Otieno"))
    ExpertLanguage.objects.create(profile=profile, language="en", level="fluent")
    profile.accreditations.create(
        pool=pool, status=AccreditationStatus.ACCREDITED, nominated_by=user_named("secretariat")
    )
    expert = expert_user(profile, "expert.kenya")
    mission = MissionFactory(languages="en")
    slot = SlotFactory(activity=mission, role=SlotRole.LEAD, pool=pool, language="en")
    return {
        "pool": pool,
        "profile": profile,
        "expert": expert,
        "mission": mission,
        "slot": slot,
        "beneficiary": beneficiary,
    }


@pytest.fixture
def as_user(client_for):
    from django.test import Client

    def make(user):
        if isinstance(user, str) or user is None:
            return client_for(user)
        client = Client()
        client.force_login(user)
        return client

    return make


def propose(as_user, world, **extra):
    response = as_user("rocb.ap").post(
        f"/experts/slots/{world['slot'].pk}/propose/",
        {"profile": world["profile"].pk, "rank": 1, "shortlist_size": 5, **extra},
    )
    return response


def step(client, deployment, name, comment=""):
    return client.post(f"/experts/deployments/{deployment.pk}/{name}/", {"comment": comment})


def status_of(deployment):
    deployment.refresh_from_db()
    return deployment.status


def refused(client, deployment, name, message, comment=""):
    """A wrong actor: refused with the service's message (or not even shown), and nothing moves."""
    deployment.refresh_from_db()
    before = (deployment.status, deployment.events.count())
    response = step(client, deployment, name, comment)
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 302:
        assert any(message in text for text in texts(response)), texts(response)
    deployment.refresh_from_db()
    assert (deployment.status, deployment.events.count()) == before


# --- the pages, as their owners -----------------------------------------------------------------


def test_every_page_answers_its_owner(as_user, world):
    deployment = propose(as_user, world) and Deployment.objects.get()
    rocb, expert = as_user("rocb.ap"), as_user(world["expert"])
    pages = [
        (rocb, "/experts/"),
        (rocb, f"/experts/?region={world['mission'].region.slug}&accredited=true&language=en"),
        (rocb, f"/experts/{world['profile'].pk}/"),
        (rocb, "/experts/pools/"),
        (rocb, f"/experts/pools/{world['pool'].pk}/"),
        (rocb, f"/experts/slots/{world['slot'].pk}/"),
        (rocb, f"/experts/deployments/{deployment.pk}/"),
        (rocb, "/experts/waiting/"),
        (rocb, "/experts/import/"),
        (rocb, "/experts/plan/"),
        (expert, "/experts/waiting/"),
        (expert, f"/experts/{world['profile'].pk}/"),
        (as_user("secretariat"), f"/experts/{world['profile'].pk}/edit/"),
    ]
    for client, url in pages:
        assert client.get(url).status_code == 200, url
    assert expert.get("/experts/me/")["Location"] == world["profile"].get_absolute_url()
    assert as_user("donor").get("/experts/me/")["Location"] == "/experts/waiting/"


def test_the_profile_edit_form_saves_through_the_service(as_user, world):
    url = f"/experts/{world['profile'].pk}/edit/"
    response = as_user(world["expert"]).post(
        url, {"current_post": "Director of audit", "expertise": "Audit.", "years_experience": 15}
    )
    assert response.status_code == 302
    world["profile"].refresh_from_db()
    assert (world["profile"].current_post, world["profile"].years_experience) == ("Director of audit", 15)


# --- proposing from the slot page ---------------------------------------------------------------


def test_propose_from_the_slot_page(as_user, world):
    slot_page = as_user("rocb.ap").get(f"/experts/slots/{world['slot'].pk}/")
    assert "Otieno" in slot_page.content.decode()
    response = propose(as_user, world)
    deployment = Deployment.objects.get()
    assert response["Location"] == deployment.get_absolute_url()
    assert (deployment.status, deployment.profile, deployment.override_reason) == (
        DeploymentStatus.PROPOSED,
        world["profile"],
        "",
    )
    pick = ShortlistPick.objects.get()
    assert (pick.rank, pick.shortlist_size, pick.profile) == (1, 5, world["profile"])
    # A second expert for a slot that has one: refused, nothing stored.
    again = propose(as_user, world)
    assert any("already has an expert" in text for text in texts(again))
    assert Deployment.objects.count() == 1


def test_a_soft_rule_needs_a_recorded_reason(as_user, world):
    # A Japanese co-facilitator (of the ROCB's region) who is not accredited anywhere: a soft rule the curator may override.
    newcomer = ExpertProfileFactory(person=PersonFactory(member=Member.objects.get(iso_alpha2="JP")))
    ExpertLanguage.objects.create(profile=newcomer, language="en", level="native")
    slot = SlotFactory(activity=world["mission"], role=SlotRole.CO_FACILITATOR, language="en")
    url = f"/experts/slots/{slot.pk}/propose/"
    response = as_user("rocb.ap").post(url, {"profile": newcomer.pk})
    assert response["Location"] == slot.get_absolute_url()
    assert any("Give a reason to override" in text for text in texts(response))
    assert not Deployment.objects.exists() and not ShortlistPick.objects.exists()

    response = as_user("rocb.ap").post(
        url, {"profile": newcomer.pk, "override_reason": "Only AEO specialist"}
    )
    deployment = Deployment.objects.get()
    assert deployment.override_reason == "Only AEO specialist"
    assert deployment.events.get().comment == "Only AEO specialist"


def test_a_hard_rule_is_never_overridden(as_user, world):
    # A Philippine expert on a diagnostic mission to the Philippines.
    own = ExpertProfileFactory(person=PersonFactory(member=Member.objects.get(iso_alpha2="PH")))
    ExpertLanguage.objects.create(profile=own, language="en", level="native")
    own.accreditations.create(
        pool=world["pool"], status=AccreditationStatus.ACCREDITED, nominated_by=world["beneficiary"]
    )
    response = as_user("rocb.ap").post(
        f"/experts/slots/{world['slot'].pk}/propose/", {"profile": own.pk, "override_reason": "Please"}
    )
    assert response.status_code == 302
    assert "the administration this diagnostic mission serves" in " ".join(texts(response))
    assert not Deployment.objects.exists()


def test_only_organisers_propose(as_user, world):
    for user in ("focal.kenya", "rtc.japan", world["expert"]):
        response = as_user(user).post(
            f"/experts/slots/{world['slot'].pk}/propose/",
            {"profile": world["profile"].pk, "override_reason": "x"},
        )
        assert response.status_code in (403, 404)
    assert not Deployment.objects.exists()


# --- the deployment steps, each by its actor ----------------------------------------------------


def test_the_deployment_steps_by_their_actors(as_user, world, mailoutbox, django_capture_on_commit_callbacks):
    rocb, expert, focal = as_user("rocb.ap"), as_user(world["expert"]), as_user("focal.kenya")
    propose(as_user, world)
    deployment = Deployment.objects.get()

    refused(expert, deployment, "invite", "The organisers invite the expert.")
    refused(focal, deployment, "invite", "The organisers invite the expert.")
    refused(as_user("researcher"), deployment, "invite", "")
    world["expert"].email = "otieno@kra.go.ke"
    world["expert"].save()
    with django_capture_on_commit_callbacks(execute=True):
        assert step(rocb, deployment, "invite").status_code == 302
    assert status_of(deployment) == DeploymentStatus.INVITED
    # One invitation, to the expert's account address (and their person record's, when it differs).
    assert len(mailoutbox) == 1 and "otieno@kra.go.ke" in mailoutbox[0].to

    refused(rocb, deployment, "accept", "Only the invited expert answers the invitation.")
    refused(focal, deployment, "accept", "Only the invited expert answers the invitation.")
    response = step(expert, deployment, "accept")
    assert any("Done" in text for text in texts(response))
    assert status_of(deployment) == DeploymentStatus.ACCEPTED

    release = "The focal point of the expert's administration releases them."
    refused(expert, deployment, "release", release)
    refused(rocb, deployment, "release", release)
    refused(as_user("focal.ph"), deployment, "release", release)
    refused(focal, deployment, "refuse", "Tell the organisers why")  # no reason given
    step(focal, deployment, "release")
    assert status_of(deployment) == DeploymentStatus.RELEASED

    refused(focal, deployment, "confirm", "The organisers confirm the deployment.")
    refused(expert, deployment, "confirm", "The organisers confirm the deployment.")
    step(rocb, deployment, "confirm")
    assert status_of(deployment) == DeploymentStatus.CONFIRMED

    refused(expert, deployment, "deliver", "The organisers record the delivery.")
    refused(focal, deployment, "deliver", "The organisers record the delivery.")
    refused(rocb, deployment, "accept", "Only the invited expert")  # a step out of turn
    step(rocb, deployment, "deliver")
    assert status_of(deployment) == DeploymentStatus.DELIVERED
    refused(rocb, deployment, "cancel", "that step is not possible now", comment="Too late")
    assert list(deployment.events.values_list("status", "user__username")) == [
        (DeploymentStatus.PROPOSED, "rocb.ap"),
        (DeploymentStatus.INVITED, "rocb.ap"),
        (DeploymentStatus.ACCEPTED, "expert.kenya"),
        (DeploymentStatus.RELEASED, "focal.kenya"),
        (DeploymentStatus.CONFIRMED, "rocb.ap"),
        (DeploymentStatus.DELIVERED, "rocb.ap"),
    ]


def test_decline_with_a_reason(as_user, world):
    propose(as_user, world)
    deployment = Deployment.objects.get()
    step(as_user("rocb.ap"), deployment, "invite")
    step(as_user(world["expert"]), deployment, "decline", "On leave that week")
    assert status_of(deployment) == DeploymentStatus.DECLINED
    assert deployment.events.get(status=DeploymentStatus.DECLINED).comment == "On leave that week"


def test_refuse_the_release_with_a_reason(as_user, world):
    propose(as_user, world)
    deployment = Deployment.objects.get()
    step(as_user("rocb.ap"), deployment, "invite")
    step(as_user(world["expert"]), deployment, "accept")
    refused(as_user(world["expert"]), deployment, "refuse", "releases them", comment="No")
    step(as_user("focal.kenya"), deployment, "refuse", "Needed for the audit campaign")
    assert status_of(deployment) == DeploymentStatus.REFUSED
    event = deployment.events.get(status=DeploymentStatus.REFUSED)
    assert (event.comment, event.user.username) == ("Needed for the audit campaign", "focal.kenya")


def test_cancel_needs_the_organiser_and_a_reason(as_user, world):
    propose(as_user, world)
    deployment = Deployment.objects.get()
    step(as_user("rocb.ap"), deployment, "invite")
    refused(as_user(world["expert"]), deployment, "cancel", "The organisers cancel a deployment.", "x")
    refused(as_user("rocb.ap"), deployment, "cancel", "Give the reason.")
    step(as_user("rocb.ap"), deployment, "cancel", "The mission moved to next year")
    assert status_of(deployment) == DeploymentStatus.CANCELLED
    assert (
        deployment.events.get(status=DeploymentStatus.CANCELLED).comment == "The mission moved to next year"
    )
    # The slot is open again: the page shows a shortlist.
    page = as_user("rocb.ap").get(f"/experts/slots/{world['slot'].pk}/")
    assert page.context["shortlist"] is not None


def delivered(as_user, world):
    propose(as_user, world)
    deployment = Deployment.objects.get()
    step(as_user("rocb.ap"), deployment, "invite")
    step(as_user(world["expert"]), deployment, "accept")
    step(as_user("focal.kenya"), deployment, "release")
    step(as_user("rocb.ap"), deployment, "confirm")
    step(as_user("rocb.ap"), deployment, "deliver")
    assert status_of(deployment) == DeploymentStatus.DELIVERED
    return deployment


# --- ratings and disagreement -------------------------------------------------------------------


def test_rating_by_the_beneficiary_and_the_organiser(as_user, world):
    deployment = delivered(as_user, world)
    url = f"/experts/deployments/{deployment.pk}/rate/"
    page = as_user("focal.ph").get(deployment.get_absolute_url())
    assert page.context["may_rate"] and page.context["evaluation_form"].initial["kind"] == "beneficiary"

    # Wrong actors: the expert, and the organiser claiming to be the beneficiary.
    for user, kind in (
        (world["expert"], "organiser"),
        ("rocb.ap", "beneficiary"),
        ("focal.kenya", "beneficiary"),
    ):
        response = as_user(user).post(url, {**RATING, "kind": kind})
        assert response.status_code in (302, 404)
        assert any("does not rate" in text for text in texts(response)) or response.status_code == 404
    assert not Evaluation.objects.exists()

    as_user("focal.ph").post(url, {**RATING, "kind": "beneficiary"})
    evaluation = Evaluation.objects.get()
    assert (evaluation.kind, evaluation.technical, evaluation.fit, evaluation.evaluator.username) == (
        EvaluatorKind.BENEFICIARY,
        5,
        5,
        "focal.ph",
    )
    assert status_of(deployment) == DeploymentStatus.EVALUATED
    twice = as_user("focal.ph").post(url, {**RATING, "kind": "beneficiary"})
    assert any("already rated" in text for text in texts(twice))
    as_user("rocb.ap").post(url, {**RATING, "kind": "organiser", "technical": "3"})
    assert Evaluation.objects.get(kind=EvaluatorKind.ORGANISER).technical == 3
    # The expert's profile shows the mission and the rating.
    page = as_user(world["expert"]).get(world["profile"].get_absolute_url()).content.decode()
    assert world["mission"].title in page
    assert page.count("4.") or "4,5" in page or "4.5" in page


def test_the_expert_records_a_disagreement(as_user, world):
    deployment = delivered(as_user, world)
    as_user("focal.ph").post(f"/experts/deployments/{deployment.pk}/rate/", {**RATING, "kind": "beneficiary"})
    evaluation = Evaluation.objects.get()
    url = f"/experts/evaluations/{evaluation.pk}/disagree/"
    for user in ("focal.ph", "rocb.ap", "focal.kenya"):
        response = as_user(user).post(url, {"comment": "Not fair"})
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert any("Only the evaluated expert" in text for text in texts(response))
    empty = as_user(world["expert"]).post(url, {"comment": "  "})
    assert any("Say what you disagree with" in text for text in texts(empty))
    evaluation.refresh_from_db()
    assert not evaluation.expert_disagrees
    as_user(world["expert"]).post(url, {"comment": "The delay was the host's."})
    evaluation.refresh_from_db()
    assert (evaluation.expert_disagrees, evaluation.expert_comment) == (True, "The delay was the host's.")


# --- the profile's parts ------------------------------------------------------------------------


def part(client, profile, name, data=None, **kwargs):
    return client.post(f"/experts/{profile.pk}/{name}/", data or {}, **kwargs)


def test_confirm_by_the_focal_point_not_the_expert(as_user, world):
    profile = world["profile"]
    response = part(as_user(world["expert"]), profile, "confirm")
    assert any("cannot confirm their own" in text for text in texts(response))
    profile.refresh_from_db()
    assert profile.confirmed_at is None
    assert part(as_user("rtc.japan"), profile, "confirm").status_code == 404
    part(as_user("focal.kenya"), profile, "confirm")
    profile.refresh_from_db()
    assert profile.confirmed_at is not None and profile.confirmed_by.username == "focal.kenya"


def test_language_unavailability_and_conflict(as_user, world):
    profile, expert = world["profile"], as_user(world["expert"])
    part(expert, profile, "language", {"language": "fr", "level": "working"})
    part(expert, profile, "language", {"language": "en", "level": "native"})
    assert dict(profile.languages.values_list("language", "level")) == {"en": "native", "fr": "working"}

    start = datetime.date.today() + datetime.timedelta(days=40)
    part(
        expert,
        profile,
        "unavailability",
        {"start_date": start, "end_date": start + datetime.timedelta(days=9), "reason": "Leave"},
    )
    period = Unavailability.objects.get()
    assert (period.profile, period.reason, period.declared_by) == (profile, "Leave", world["expert"])
    backwards = part(
        expert,
        profile,
        "unavailability",
        {"start_date": start, "end_date": start - datetime.timedelta(days=1)},
    )
    assert any("before the start date" in text for text in texts(backwards))
    assert Unavailability.objects.count() == 1

    uganda = Member.objects.get(iso_alpha2="UG")
    part(expert, profile, "conflict", {"member": uganda.pk, "reason": "Spouse works there"})
    assert ConflictDeclaration.objects.get(profile=profile).member == uganda
    twice = part(expert, profile, "conflict", {"member": uganda.pk})
    assert any("already declared" in text for text in texts(twice))
    assert ConflictDeclaration.objects.count() == 1

    # Someone outside the profile's scope changes none of it.
    assert (
        part(as_user("rtc.japan"), profile, "language", {"language": "es", "level": "native"}).status_code
        == 404
    )
    assert not profile.languages.filter(language="es").exists()


@pytest.mark.parametrize(
    ("name", "build"),
    [("cv.pdf", files.pdf), ("cv.docx", files.docx)],
)
def test_a_cv_is_read_and_kept(as_user, world, settings, tmp_path, name, build):
    settings.MEDIA_ROOT = tmp_path
    profile = world["profile"]
    upload = SimpleUploadedFile(name, build("Twenty years of post-clearance audit in Nairobi."))
    response = part(as_user(world["expert"]), profile, "cv", {"cv": upload})
    assert any("Saved" in text for text in texts(response))
    profile.refresh_from_db()
    assert "post-clearance audit" in profile.cv_text
    assert profile.cv.name.endswith(name.rsplit(".", 1)[1]) and profile.embedding


def test_a_cv_that_is_not_pdf_or_docx_is_refused(as_user, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("cv.pdf", b"just some text pretending")
    response = part(as_user(world["expert"]), world["profile"], "cv", {"cv": upload})
    assert texts(response) and "Saved." not in texts(response)
    world["profile"].refresh_from_db()
    assert not world["profile"].cv and world["profile"].cv_text == ""


# --- the slot form on the activity page ---------------------------------------------------------


def test_the_slot_form_on_the_activity_page(as_user, world):
    mission = world["mission"]
    page = as_user("rocb.ap").get(mission.get_absolute_url()).content.decode()
    assert 'id="slot-form"' in page
    assert 'id="slot-form"' not in as_user("focal.kenya").get(mission.get_absolute_url()).content.decode()
    response = as_user("rocb.ap").post(
        f"/experts/activities/{mission.pk}/slots/",
        {
            "role": SlotRole.ADVISOR,
            "pool": world["pool"].pk,
            "language": "en",
            "terms_of_reference": "Review AEO.",
        },
    )
    slot = Slot.objects.get(role=SlotRole.ADVISOR)
    assert response["Location"] == slot.get_absolute_url()
    assert (slot.activity, slot.pool, slot.terms_of_reference) == (mission, world["pool"], "Review AEO.")
    # Not the organiser: nothing added.
    denied = as_user("focal.kenya").post(
        f"/experts/activities/{mission.pk}/slots/", {"role": SlotRole.TRAINER}
    )
    assert denied.status_code in (403, 404)
    assert not Slot.objects.filter(role=SlotRole.TRAINER).exists()


# --- the roster import --------------------------------------------------------------------------


def test_the_roster_import_page_leads_to_preview_and_confirm(as_user, world):
    rocb = as_user("rocb.ap")
    assert rocb.get("/experts/import/").status_code == 200
    content = csv_bytes(
        [["Aiko", "Tanaka", "aiko@customs.go.jp", "JP", "en:fluent", "views-diagnostic"]],
        ["first_name", "last_name", "email", "member", "languages", "pools"],
    )
    response = rocb.post("/experts/import/", {"file": SimpleUploadedFile("roster.csv", content)})
    batch = ImportBatch.objects.get(kind=ImportBatch.Kind.EXPERTS)
    assert response["Location"] == f"/activities/imports/{batch.pk}/"
    assert rocb.get(response["Location"]).status_code == 200
    assert not ExpertProfile.objects.filter(person__email="aiko@customs.go.jp").exists()
    confirmed = rocb.post(response["Location"])
    assert confirmed["Location"] == "/experts/"
    aiko = ExpertProfile.objects.get(person__email="aiko@customs.go.jp")
    assert aiko.accreditations.get().pool == world["pool"]
    assert as_user("researcher").get("/experts/import/").status_code == 403
    assert (
        as_user("researcher")
        .post("/experts/import/", {"file": SimpleUploadedFile("r.csv", content)})
        .status_code
        == 403
    )


# --- the year's plan ----------------------------------------------------------------------------


def test_the_years_plan_runs_as_a_job_and_its_picks_are_proposed(as_user, world):
    today = datetime.date.today()
    world["mission"].start_date = today
    world["mission"].end_date = today
    world["mission"].save()
    rocb = as_user("rocb.ap")
    response = rocb.post("/experts/plan/", {"year": today.year})
    job = Job.objects.get()
    assert response["Location"] == f"/experts/plan/{job.pk}/"
    assert job.payload["region"] == world["mission"].region_id
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["assignments"][str(world["slot"].pk)][0] == world["profile"].pk
    page = rocb.get(f"/experts/plan/{job.pk}/")
    assert page.status_code == 200
    assert f'name="slot-{world["slot"].pk}" value="{world["profile"].pk}"' in page.content.decode()
    done = rocb.post(f"/experts/plan/{job.pk}/", {f"slot-{world['slot'].pk}": world["profile"].pk})
    assert done["Location"] == "/experts/waiting/"
    deployment = Deployment.objects.get()
    assert (deployment.slot, deployment.profile, deployment.status) == (
        world["slot"],
        world["profile"],
        DeploymentStatus.PROPOSED,
    )
    assert DeploymentEvent.objects.filter(deployment=deployment).count() == 1
    # Roles that do not staff missions neither start a plan nor read one.
    for user in ("focal.kenya", "researcher", world["expert"]):
        assert as_user(user).post("/experts/plan/", {"year": today.year}).status_code == 403
        assert as_user(user).get(f"/experts/plan/{job.pk}/").status_code == 403
    assert Job.objects.count() == 1
