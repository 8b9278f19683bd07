"""The recognition of university programmes as its users go through it: an institution applies with its
courses mapped to competencies, the Secretariat assigns reviewers (refusing conflicted ones with the
cause), reviewers score coverage and submit, the Secretariat decides with reasons, the recognised
programme appears on the public list, and its renewal and expiry notice follow. Each refusal and each
role's view of the pages is checked."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from activities.tests.factories import PersonFactory
from conferences.models import Conference, ConferenceKind, Reviewer, StandingConflict
from core.permissions import Action
from jobs.registry import handler_for
from knowledge.models import Document, Visibility
from network.models import Member, Office
from training import recognition
from training.models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    CoverageScore,
    Institution,
    InstitutionKind,
    RecognitionApplication,
    RecognitionReviewer,
    RecognitionStatus,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def framework(db):
    framework = CompetencyFramework.objects.create(code="ps-test", name="Professional Standards (test)")
    area = CompetencyArea.objects.create(
        framework=framework, code="OP.1", level="operational", name="Revenue"
    )
    for position, (code, retired) in enumerate([("OP.1.1", False), ("OP.1.2", False), ("OP.1.9", True)]):
        Competency.objects.create(
            area=area, code=code, name=f"Competency {code}", is_retired=retired, position=position
        )
    return framework


def competency(code: str) -> Competency:
    return Competency.objects.get(code=code)


@pytest.fixture
def other_framework(db):
    framework = CompetencyFramework.objects.create(code="national-test", name="National framework (test)")
    area = CompetencyArea.objects.create(
        framework=framework, code="N.1", level="operational", name="National"
    )
    Competency.objects.create(area=area, code="N.1.1", name="National competency")
    return framework


@pytest.fixture
def kenya():
    return Member.objects.get(iso_alpha2="KE")


@pytest.fixture
def institution(kenya):
    return Institution.objects.create(
        name="University of Nairobi", kind=InstitutionKind.UNIVERSITY, country=kenya
    )


def reviewer_person(username: str, member: str = "JP") -> object:
    """A person with an account, who may review."""
    user = User.objects.create_user(username=username, email=f"{username}@example.org", role=Role.EXPERT)
    return PersonFactory(
        user=user, member=Member.objects.get(iso_alpha2=member), first_name="Rev", last_name=username
    )


@pytest.fixture
def application(user_named, framework, institution):
    """The researcher's application: two courses mapping OP.1.1 and OP.1.2."""
    return recognition.application_submit(
        user=user_named("researcher"),
        institution=institution,
        framework=framework,
        programme="Master in Customs Administration",
        curriculum="Two years, four semesters.",
        courses=[
            {"title": "Customs law", "hours": Decimal("40"), "competencies": [competency("OP.1.1")]},
            {
                "title": "Valuation",
                "hours": None,
                "competencies": [competency("OP.1.1"), competency("OP.1.2")],
            },
        ],
    )


@pytest.fixture
def reviewers(db):
    return reviewer_person("rev.one", "JP"), reviewer_person("rev.two", "FR")


def under_review(application, reviewers, secretariat):
    for person in reviewers:
        recognition.reviewer_assign(user=secretariat, application=application, person=person)
    application.refresh_from_db()
    return application


def submitted_review(application, person, scores=(2, 3), comment="Solid."):
    reviewer = RecognitionReviewer.objects.get(application=application, person=person)
    pairs = dict(
        zip([competency("OP.1.1"), competency("OP.1.2")], [(s, comment) for s in scores], strict=True)
    )
    return recognition.review_submit(
        user=person.user, reviewer=reviewer, scores=pairs, comments="Overall fine."
    )


def decided(application, secretariat, outcome=RecognitionStatus.RECOGNISED, **extra):
    return recognition.application_decide(
        user=secretariat,
        application=application,
        outcome=outcome,
        reasons=extra.pop("reasons", "Meets the standards."),
        **extra,
    )


@pytest.fixture
def recognised(application, reviewers, user_named):
    secretariat = user_named("secretariat")
    under_review(application, reviewers, secretariat)
    submitted_review(application, reviewers[0])
    return decided(application, secretariat)


def messages_of(error: ValidationError, key: str) -> str:
    return " ".join(error.message_dict[key])


# --- the whole path, through the pages ---------------------------------------------------------------


def test_the_whole_path_from_application_to_the_public_list(
    client_for, user_named, framework, reviewers, kenya
):
    researcher = client_for("researcher")
    answer = researcher.get(reverse("training:application_add"))
    assert answer.status_code == 200
    assert "OP.1.9" not in answer.content.decode()  # a retired competency is not offered
    post = {
        "institution_name": "Strathmore University",
        "institution_kind": "university",
        "institution_country": kenya.pk,
        "framework": framework.pk,
        "programme": "Bachelor of Customs and Trade",
        "curriculum": "Eight semesters.",
        "courses-TOTAL_FORMS": "2",
        "courses-INITIAL_FORMS": "0",
        "courses-MIN_NUM_FORMS": "0",
        "courses-MAX_NUM_FORMS": "60",
        "courses-0-title": "Tariff classification",
        "courses-0-hours": "30",
        "courses-0-competencies": [competency("OP.1.1").pk, competency("OP.1.2").pk],
        "courses-1-title": "",
    }
    answer = researcher.post(reverse("training:application_add"), post)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    application = RecognitionApplication.objects.get(programme="Bachelor of Customs and Trade")
    assert application.institution.name == "Strathmore University"
    assert application.courses.count() == 1
    assert application.status == RecognitionStatus.SUBMITTED

    secretariat = client_for("secretariat")
    queue = secretariat.get(reverse("training:application_list"))
    assert "Bachelor of Customs and Trade" in queue.content.decode()
    for person in reviewers:
        answer = secretariat.post(
            reverse("training:application_reviewer_assign", args=[application.pk]), {"person": person.pk}
        )
        assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == RecognitionStatus.UNDER_REVIEW

    reviewer = client_for(None)
    reviewer.force_login(reviewers[0].user)
    url = reverse("training:application_review", args=[application.pk])
    assert reviewer.get(url).status_code == 200
    one, two = competency("OP.1.1"), competency("OP.1.2")
    scores = {
        f"score_{one.pk}": "3",
        f"comment_{one.pk}": "Well taught",
        f"score_{two.pk}": "",
        "comments": "",
    }
    assert reviewer.post(url, {**scores, "save": "1"}).status_code == 302
    refused = reviewer.post(url, {**scores, "submit": "1"})  # OP.1.2 is not scored yet
    assert refused.status_code == 400
    assert "Score every competency" in refused.content.decode()
    answer = reviewer.post(
        url, {**scores, f"score_{two.pk}": "1", "comments": "Thin on valuation.", "submit": "1"}
    )
    assert answer.status_code == 302
    assert (
        RecognitionReviewer.objects.get(application=application, person=reviewers[0]).submitted_at is not None
    )

    decide = reverse("training:application_decide", args=[application.pk])
    assert secretariat.get(decide).status_code == 200
    answer = secretariat.post(decide, {"outcome": "recognised", "reasons": "Covers the standards it claims."})
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == RecognitionStatus.RECOGNISED
    assert application.decided_on == TODAY
    assert application.expires_on == recognition._years_after(TODAY, 5)

    public = client_for(None)
    listing = public.get(reverse("training:recognition_list")).content.decode()
    assert "Bachelor of Customs and Trade" in listing and "Strathmore University" in listing
    page = public.get(application.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Covers the standards it claims." in text
    assert "2.0" in text and "3.0" in text  # overall and OP.1.1 averages
    assert "rev.one" not in text and "Well taught" not in text  # never who scored what


# --- applying --------------------------------------------------------------------------------------


def test_a_retired_competency_is_refused_with_a_clear_message(application, user_named):
    with pytest.raises(ValidationError) as refused:
        recognition.course_add(
            user=user_named("researcher"),
            application=application,
            title="Old course",
            competencies=[competency("OP.1.9")],
        )
    assert "OP.1.9" in messages_of(refused.value, "competencies")
    assert "retired" in messages_of(refused.value, "competencies")
    assert application.courses.count() == 2


def test_a_retired_competency_in_the_apply_form_gets_the_same_message(client_for, framework, institution):
    post = {
        "institution": institution.pk,
        "framework": framework.pk,
        "programme": "Diploma",
        "curriculum": "One year.",
        "courses-TOTAL_FORMS": "1",
        "courses-INITIAL_FORMS": "0",
        "courses-0-title": "Old course",
        "courses-0-competencies": [competency("OP.1.9").pk],
    }
    answer = client_for("researcher").post(reverse("training:application_add"), post)
    assert answer.status_code == 400
    assert "is retired" in answer.content.decode()
    assert not RecognitionApplication.objects.filter(programme="Diploma").exists()


def test_a_competency_of_another_framework_is_refused(application, user_named, other_framework):
    with pytest.raises(ValidationError) as refused:
        recognition.course_add(
            user=user_named("researcher"),
            application=application,
            title="National law",
            competencies=[Competency.objects.get(code="N.1.1")],
        )
    assert "is not a competency of" in messages_of(refused.value, "competencies")


def test_an_invisible_document_is_refused_like_a_missing_one(user_named, framework, institution):
    hidden = Document.objects.create(
        title="Someone's restricted report",
        visibility=Visibility.RESTRICTED,
        text="x",
        uploaded_by=user_named("focal.kenya"),
    )
    missing = Document(pk=10**9)
    answers = []
    for document in (hidden, missing):
        with pytest.raises(ValidationError) as refused:
            recognition.application_submit(
                user=user_named("researcher"),
                institution=institution,
                framework=framework,
                programme="With documents",
                curriculum="c",
                documents=[document],
            )
        answers.append(refused.value.message_dict)
    assert answers[0] == answers[1] and "documents" in answers[0]
    assert not RecognitionApplication.objects.filter(programme="With documents").exists()
    mine = Document.objects.create(title="Our syllabus", visibility=Visibility.NETWORK, text="x")
    application = recognition.application_submit(
        user=user_named("researcher"),
        institution=institution,
        framework=framework,
        programme="With documents",
        curriculum="c",
        documents=[mine],
    )
    assert list(application.documents.all()) == [mine]


def test_a_donor_may_not_apply(user_named, client_for, framework, institution):
    with pytest.raises(PermissionDenied):
        recognition.application_submit(
            user=user_named("donor"),
            institution=institution,
            framework=framework,
            programme="p",
            curriculum="c",
        )
    assert client_for("donor").get(reverse("training:application_add")).status_code == 403
    assert client_for("donor").post(reverse("training:application_add"), {}).status_code == 403
    assert client_for(None).get(reverse("training:application_add")).status_code == 302  # to sign in


def test_who_registers_which_institution(user_named, kenya, framework):
    data = {"name": "Kenya School of Revenue Administration", "kind": "academy"}
    with pytest.raises(PermissionDenied):  # an ROCB officer picks an institution
        recognition.institution_create(user=user_named("rocb.ap"), data={**data, "country": kenya})
    with pytest.raises(PermissionDenied):  # a focal point registers their own country's
        recognition.institution_create(
            user=user_named("focal.kenya"), data={**data, "country": Member.objects.get(iso_alpha2="JP")}
        )
    academy = recognition.institution_create(user=user_named("focal.kenya"), data=data)
    assert academy.country == kenya
    with pytest.raises(ValidationError) as twin:
        recognition.institution_create(
            user=user_named("researcher"),
            data={"name": " kenya school of REVENUE administration", "kind": "academy", "country": kenya},
        )
    assert "already registered" in messages_of(twin.value, "institution_name")
    centre = recognition.institution_create(
        user=user_named("rtc.japan"), data={"name": "RTC Japan", "kind": "rtc"}
    )
    assert centre.office == Office.objects.get(code="rtc-japan")
    assert centre.country == centre.office.host_member
    with pytest.raises(ValidationError) as both:
        recognition.application_submit(
            user=user_named("researcher"),
            institution=academy,
            new_institution={"name": "Another"},
            framework=framework,
            programme="p",
            curriculum="c",
        )
    assert "not both" in messages_of(both.value, "institution")


def test_the_applicant_edits_while_submitted_and_not_once_under_review(
    application, reviewers, user_named, client_for
):
    researcher = user_named("researcher")
    recognition.application_update(
        user=researcher, application=application, data={"programme": "MCA (revised)"}
    )
    course = recognition.course_add(user=researcher, application=application, title="Ethics", competencies=[])
    recognition.course_delete(user=researcher, course=course)
    with pytest.raises(PermissionDenied):  # someone else's application
        recognition.application_update(
            user=user_named("expert"), application=application, data={"programme": "x"}
        )
    under_review(application, reviewers[:1], user_named("secretariat"))
    with pytest.raises(ValidationError) as frozen:
        recognition.application_update(
            user=researcher, application=application, data={"programme": "Changed"}
        )
    assert "“Under review”" in " ".join(frozen.value.messages)
    with pytest.raises(ValidationError):
        recognition.course_add(user=researcher, application=application, title="Late course")
    with pytest.raises(ValidationError):
        recognition.course_delete(user=researcher, course=application.courses.first())
    application.refresh_from_db()
    assert application.programme == "MCA (revised)" and application.courses.count() == 2
    client = client_for("researcher")
    answer = client.get(reverse("training:application_edit", args=[application.pk]))
    assert answer.status_code == 302  # back to the page, saying why
    answer = client.post(
        reverse("training:application_edit", args=[application.pk]), {"programme": "x"}, follow=True
    )
    assert "no longer changes" in answer.content.decode()
    assert client.get(application.get_absolute_url()).status_code == 200


def test_an_rtc_coordinator_works_on_their_centres_applications(user_named, client_for, framework):
    coordinator = user_named("rtc.japan")
    centre = recognition.institution_create(user=coordinator, data={"name": "RTC Japan", "kind": "rtc"})
    application = recognition.application_submit(
        user=user_named("secretariat"),
        institution=centre,
        framework=framework,
        programme="Centre diploma",
        curriculum="c",
    )
    recognition.application_update(user=coordinator, application=application, data={"curriculum": "Revised"})
    assert (
        "Centre diploma" in client_for("rtc.japan").get(reverse("training:application_list")).content.decode()
    )
    assert client_for("rocb.ap").get(application.get_absolute_url()).status_code == 404


def test_withdrawing(application, user_named):
    researcher = user_named("researcher")
    recognition.application_withdraw(user=researcher, application=application, reason="Programme redesigned.")
    application.refresh_from_db()
    assert application.status == RecognitionStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        recognition.application_withdraw(user=researcher, application=application)


# --- reviewers and their conflicts ----------------------------------------------------------------------


def test_conflicted_reviewers_are_refused_with_the_cause(application, user_named):
    secretariat = user_named("secretariat")

    def refusal(person) -> str:
        with pytest.raises(ValidationError) as refused:
            recognition.reviewer_assign(user=secretariat, application=application, person=person)
        return messages_of(refused.value, "person")

    applicant = PersonFactory(user=user_named("researcher"), member=Member.objects.get(iso_alpha2="FR"))
    assert "the applicant themselves" in refusal(applicant)

    kenyan = reviewer_person("rev.kenya", "KE")
    assert "from the applying institution's country (Kenya)" in refusal(kenyan)

    colleague = reviewer_person("rev.colleague", "JP")
    conference = Conference.objects.create(
        kind=ConferenceKind.PICARD, number=91, title="91st PICARD", year=2027
    )
    Reviewer.objects.create(
        conference=conference, person=colleague, kind="academic", institution="  university OF   Nairobi "
    )
    assert "works at the applying institution (University of Nairobi)" in refusal(colleague)

    standing = reviewer_person("rev.standing", "JP")
    StandingConflict.objects.create(person=standing, other_person=applicant, kind="collaborator")
    assert "a standing conflict with the applicant" in refusal(standing)

    named = reviewer_person("rev.named", "JP")
    StandingConflict.objects.create(person=applicant, other_person=named, kind="collaborator")
    assert "a standing conflict on the applicant's profile" in refusal(named)

    no_account = PersonFactory(member=Member.objects.get(iso_alpha2="JP"))
    assert "has no account" in refusal(no_account)

    assert not application.reviewers.exists()
    application.refresh_from_db()
    assert application.status == RecognitionStatus.SUBMITTED


def test_the_assign_form_shows_the_cause(application, client_for, user_named):
    kenyan = reviewer_person("rev.kenya", "KE")
    answer = client_for("secretariat").post(
        reverse("training:application_reviewer_assign", args=[application.pk]), {"person": kenyan.pk}
    )
    assert answer.status_code == 400
    assert "applying institution&#x27;s country" in answer.content.decode()


def test_only_the_secretariat_assigns_and_a_reviewer_needs_courses_to_score(
    application, reviewers, user_named, framework, institution
):
    with pytest.raises(PermissionDenied):
        recognition.reviewer_assign(
            user=user_named("researcher"), application=application, person=reviewers[0]
        )
    empty = recognition.application_submit(
        user=user_named("researcher"),
        institution=institution,
        framework=framework,
        programme="Empty",
        curriculum="c",
    )
    with pytest.raises(ValidationError) as refused:
        recognition.reviewer_assign(user=user_named("secretariat"), application=empty, person=reviewers[0])
    assert "nothing to review" in " ".join(refused.value.messages)


def test_reviewers_see_only_the_applications_assigned_to_them(
    application, reviewers, user_named, client_for, framework, institution
):
    secretariat = user_named("secretariat")
    under_review(application, reviewers[:1], secretariat)
    other = recognition.application_submit(
        user=user_named("expert"),
        institution=institution,
        framework=framework,
        programme="Other programme",
        curriculum="c",
        courses=[{"title": "Law", "competencies": [competency("OP.1.1")]}],
    )
    recognition.reviewer_assign(user=secretariat, application=other, person=reviewers[1])
    one = client_for(None)
    one.force_login(reviewers[0].user)
    listing = one.get(reverse("training:application_list")).content.decode()
    assert application.programme in listing and "Other programme" not in listing
    assert one.get(application.get_absolute_url()).status_code == 200
    assert one.get(other.get_absolute_url()).status_code == 404
    assert one.get(reverse("training:application_review", args=[other.pk])).status_code == 404
    assert set(RecognitionApplication.objects.restrict(reviewers[0].user).distinct()) == {application}


def test_scores_stay_private_until_submitted_and_the_applicant_never_sees_who_scored(
    application, reviewers, user_named, client_for
):
    secretariat, applicant = user_named("secretariat"), user_named("researcher")
    under_review(application, reviewers, secretariat)
    submitted_review(application, reviewers[0], scores=(1, 1), comment="First reviewer's remark")
    second = RecognitionReviewer.objects.get(application=application, person=reviewers[1])
    recognition.score_record(
        user=reviewers[1].user,
        reviewer=second,
        competency=competency("OP.1.1"),
        score=3,
        comment="Second's draft",
    )

    # The second reviewer, not submitted yet, sees neither the first's scores nor the averages.
    assert set(CoverageScore.objects.restrict(reviewers[1].user)) == set(second.scores.all())
    assert not recognition.summary_visible(reviewers[1].user, application)
    page = client_for(None)
    page.force_login(reviewers[1].user)
    text = page.get(application.get_absolute_url()).content.decode()
    assert "First reviewer&#x27;s remark" not in text and "Second&#x27;s draft" in text
    assert "coverage-table" not in text
    # The first, submitted, sees the averages but not the second's rows.
    assert recognition.summary_visible(reviewers[0].user, application)
    with pytest.raises(PermissionDenied):  # no one scores for another
        recognition.score_record(
            user=reviewers[0].user, reviewer=second, competency=competency("OP.1.2"), score=0
        )
    with pytest.raises(ValidationError):  # a submitted review is final
        recognition.score_record(
            user=reviewers[0].user,
            reviewer=RecognitionReviewer.objects.get(application=application, person=reviewers[0]),
            competency=competency("OP.1.2"),
            score=3,
        )

    # The applicant: nothing before the decision, averages after, never a reviewer.
    assert not recognition.summary_visible(applicant, application)
    assert not RecognitionReviewer.objects.restrict(applicant).exists()
    assert not CoverageScore.objects.restrict(applicant).exists()
    mine = client_for("researcher")
    text = mine.get(application.get_absolute_url()).content.decode()
    assert "coverage-table" not in text and "Rev" not in text
    decided(application, secretariat)
    text = mine.get(application.get_absolute_url()).content.decode()
    assert "coverage-table" in text
    assert "rev.one" not in text and "First reviewer&#x27;s remark" not in text
    summary = recognition.coverage_summary(application)
    assert [row.average for row in summary["rows"]] == [
        Decimal("1.0"),
        Decimal("1.0"),
    ]  # the draft does not count
    assert summary["reviews"] == 1 and summary["mapped"] == 2 and summary["framework_total"] == 2
    # The Secretariat sees each reviewer.
    text = client_for("secretariat").get(application.get_absolute_url()).content.decode()
    assert "First reviewer&#x27;s remark" in text


def test_scores_are_zero_to_three_on_mapped_competencies(application, reviewers, user_named, other_framework):
    under_review(application, reviewers[:1], user_named("secretariat"))
    reviewer = RecognitionReviewer.objects.get(application=application, person=reviewers[0])
    user = reviewers[0].user
    with pytest.raises(ValidationError):
        recognition.score_record(user=user, reviewer=reviewer, competency=competency("OP.1.1"), score=4)
    with pytest.raises(ValidationError):
        recognition.score_record(
            user=user, reviewer=reviewer, competency=Competency.objects.get(code="N.1.1"), score=2
        )
    recognition.score_record(
        user=user, reviewer=reviewer, competency=competency("OP.1.1"), score=0, comment="Absent"
    )
    recognition.score_record(user=user, reviewer=reviewer, competency=competency("OP.1.1"), score=2)
    assert reviewer.scores.get().score == 2


# --- decisions --------------------------------------------------------------------------------------


def test_a_decision_needs_reasons_conditions_and_a_submitted_review(
    application, reviewers, user_named, client_for
):
    secretariat = user_named("secretariat")
    under_review(application, reviewers, secretariat)
    with pytest.raises(ValidationError) as no_review:
        decided(application, secretariat)
    assert "at least one" in " ".join(no_review.value.messages)
    submitted_review(application, reviewers[0])

    with pytest.raises(ValidationError) as no_reasons:
        decided(application, secretariat, reasons="  ")
    assert "a recognition decision without reasons" in messages_of(no_reasons.value, "reasons")
    with pytest.raises(ValidationError) as no_conditions:
        decided(application, secretariat, outcome=RecognitionStatus.CONDITIONAL)
    assert "conditions" in messages_of(no_conditions.value, "conditions")
    with pytest.raises(ValidationError):
        decided(application, secretariat, expires_on=TODAY)
    with pytest.raises(PermissionDenied):
        decided(application, reviewers[0].user)

    answer = client_for("secretariat").post(
        reverse("training:application_decide", args=[application.pk]),
        {"outcome": "not_recognised", "reasons": ""},
    )
    assert answer.status_code == 400
    assert "a recognition decision without reasons" in answer.content.decode()
    application.refresh_from_db()
    assert application.status == RecognitionStatus.UNDER_REVIEW and application.decided_on is None
    assert application.reasons == ""

    decided(
        application,
        secretariat,
        outcome=RecognitionStatus.CONDITIONAL,
        conditions="Add a course on valuation within a year.",
        decided_on=datetime.date(2024, 2, 29),
    )
    application.refresh_from_db()
    assert application.status == RecognitionStatus.CONDITIONAL
    assert application.expires_on == datetime.date(2029, 2, 28)
    with pytest.raises(ValidationError):  # decided once
        decided(application, secretariat)


def test_not_recognised_has_no_expiry_and_is_not_public(application, reviewers, user_named, client_for):
    secretariat = user_named("secretariat")
    under_review(application, reviewers[:1], secretariat)
    submitted_review(application, reviewers[0], scores=(0, 1))
    decided(
        application,
        secretariat,
        outcome=RecognitionStatus.NOT_RECOGNISED,
        reasons="Too thin.",
        expires_on=TODAY,
    )
    application.refresh_from_db()
    assert application.expires_on is None
    assert client_for(None).get(application.get_absolute_url()).status_code == 404
    mine = client_for("researcher").get(application.get_absolute_url())
    assert mine.status_code == 200 and "Too thin." in mine.content.decode()


# --- the public list ---------------------------------------------------------------------------------------


def test_the_public_list_filters_and_hides_the_expired(
    recognised, client_for, kenya, framework, other_framework
):
    client = client_for(None)
    url = reverse("training:recognition_list")
    assert recognised.programme in client.get(url, {"country": kenya.pk}).content.decode()
    japan = Member.objects.get(iso_alpha2="JP")
    Institution.objects.create(name="Japanese academy", kind="academy", country=japan)
    assert recognised.programme not in client.get(url, {"country": japan.pk}).content.decode()
    assert recognised.programme in client.get(url, {"framework": framework.pk}).content.decode()
    assert recognised.programme not in client.get(url, {"framework": other_framework.pk}).content.decode()
    assert recognised.programme in client.get(url, {"q": "nairobi"}).content.decode()
    assert client.get(url, {"country": "100000000000000000000"}).status_code == 400
    assert client.get(url, {"page": "x"}).status_code == 200
    RecognitionApplication.objects.filter(pk=recognised.pk).update(
        expires_on=TODAY - datetime.timedelta(days=1)
    )
    assert recognised.programme not in client.get(url).content.decode()
    page = client.get(recognised.get_absolute_url())
    assert page.status_code == 200 and "expired" in page.content.decode()


def test_the_public_list_is_paginated(recognised, client_for):
    rows = [
        RecognitionApplication(
            institution=recognised.institution,
            framework=recognised.framework,
            programme=f"Programme {n:02d}",
            curriculum="c",
            applicant=recognised.applicant,
            status=RecognitionStatus.RECOGNISED,
            decided_on=TODAY,
            expires_on=TODAY + datetime.timedelta(days=400),
        )
        for n in range(30)
    ]
    RecognitionApplication.objects.bulk_create(rows)
    client = client_for(None)
    first = client.get(reverse("training:recognition_list"))
    assert first.context["page_obj"].paginator.count == 31
    assert len(first.context["applications"]) == 25
    assert len(client.get(reverse("training:recognition_list"), {"page": 2}).context["applications"]) == 6


# --- renewal and expiry -----------------------------------------------------------------------------------


def test_a_renewal_is_a_new_application_prefilled_from_the_recognised_one(recognised, user_named, client_for):
    document = Document.objects.create(title="Syllabus", visibility=Visibility.NETWORK, text="x")
    recognised.documents.add(document)
    Competency.objects.filter(code="OP.1.2").update(is_retired=True)
    answer = client_for("researcher").post(reverse("training:application_renew", args=[recognised.pk]))
    renewal = RecognitionApplication.objects.get(renews=recognised)
    assert answer.status_code == 302 and answer.url == renewal.get_absolute_url()
    assert renewal.status == RecognitionStatus.SUBMITTED
    assert (renewal.institution, renewal.framework, renewal.programme, renewal.curriculum) == (
        recognised.institution,
        recognised.framework,
        recognised.programme,
        recognised.curriculum,
    )
    assert list(renewal.documents.all()) == [document]
    courses = {
        course.title: sorted(c.code for c in course.competencies.all()) for course in renewal.courses.all()
    }
    assert courses == {"Customs law": ["OP.1.1"], "Valuation": ["OP.1.1"]}  # the retired one left out
    with pytest.raises(ValidationError):  # one renewal at a time
        recognition.application_renew(user=user_named("researcher"), application=recognised)
    with pytest.raises(PermissionDenied):
        recognition.application_renew(user=user_named("expert"), application=recognised)
    with pytest.raises(ValidationError):  # only a recognised programme is renewed
        recognition.application_renew(user=user_named("researcher"), application=renewal)


def test_the_expiry_notice_is_sent_once(recognised, user_named, django_capture_on_commit_callbacks):
    recognised.expires_on = TODAY + datetime.timedelta(days=60)
    recognised.save()
    mail.outbox.clear()
    assert (
        recognition.expiry_notices_send(on=TODAY - datetime.timedelta(days=40)) == 0
    )  # not within 90 days yet
    with django_capture_on_commit_callbacks(execute=True):
        assert recognition.expiry_notices_send() == 1
    assert [message.to for message in mail.outbox] == [["researcher@example.org"]]
    assert recognised.programme in mail.outbox[0].body
    recognised.refresh_from_db()
    assert recognised.expiry_notice_sent_on == TODAY
    with django_capture_on_commit_callbacks(execute=True):
        assert recognition.expiry_notices_send() == 0
    assert len(mail.outbox) == 1


def test_no_notice_for_a_recognition_being_renewed(recognised, user_named):
    recognised.expires_on = TODAY + datetime.timedelta(days=10)
    recognised.save()
    recognition.application_renew(user=user_named("researcher"), application=recognised)
    assert recognition.expiry_notices_send() == 0


def test_the_daily_job_sends_the_notices(recognised):
    class Progress:
        items = []

        def item(self, name, status, reason=""):
            self.items.append((name, status, reason))

    recognised.expires_on = TODAY + datetime.timedelta(days=5)
    recognised.save()
    progress = Progress()
    handler_for(recognition.EXPIRY_NOTICES)(None, progress)
    assert progress.items == [("recognition expiry notices", "created", "1 sent")]


# --- pages by role, and bad ids -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (None, 404),
        ("donor", 404),
        ("expert", 404),
        ("rocb.ap", 404),
        ("researcher", 200),
        ("secretariat", 200),
    ],
)
def test_a_submitted_application_is_seen_by_its_applicant_and_the_secretariat(
    application, client_for, username, expected
):
    assert client_for(username).get(application.get_absolute_url()).status_code == expected


@pytest.mark.parametrize("username", [None, "donor", "expert", "focal.kenya"])
def test_a_recognised_programme_is_public(recognised, client_for, username):
    answer = client_for(username).get(recognised.get_absolute_url())
    assert answer.status_code == 200
    assert "rev.one" not in answer.content.decode()


def test_forms_answer_403_to_roles_that_may_see_but_not_act(application, reviewers, client_for, user_named):
    researcher = client_for("researcher")
    for name in ("application_reviewer_assign", "application_decide", "application_review"):
        assert researcher.get(reverse(f"training:{name}", args=[application.pk])).status_code == 403
    assert (
        researcher.post(reverse("training:application_decide", args=[application.pk]), {}).status_code == 403
    )
    under_review(application, reviewers[:1], user_named("secretariat"))
    reviewer = client_for(None)
    reviewer.force_login(reviewers[0].user)
    assert reviewer.get(reverse("training:application_decide", args=[application.pk])).status_code == 403
    assert reviewer.get(reverse("training:application_edit", args=[application.pk])).status_code == 403
    assert reviewer.post(reverse("training:application_withdraw", args=[application.pk])).status_code == 302
    application.refresh_from_db()
    assert application.status == RecognitionStatus.UNDER_REVIEW  # refused, with a message


def test_list_pages_by_role(application, client_for):
    assert client_for(None).get(reverse("training:recognition_list")).status_code == 200
    assert client_for(None).get(reverse("training:application_list")).status_code == 302
    for username in ("secretariat", "researcher", "donor", "rtc.japan"):
        assert client_for(username).get(reverse("training:application_list")).status_code == 200
    donor = client_for("donor").get(reverse("training:application_list")).content.decode()
    assert application.programme not in donor
    assert (
        client_for("secretariat").get(reverse("training:application_list"), {"status": "bogus"}).status_code
        == 400
    )
    queue = client_for("secretariat").get(reverse("training:application_list"), {"status": "recognised"})
    assert application.programme not in queue.content.decode()


@pytest.mark.parametrize("bad", ["0", "100000000000000000000", "999999999"])
def test_bad_ids_are_404(client_for, bad, application):
    client = client_for("secretariat")
    for name in (
        "application_detail",
        "application_edit",
        "application_course_add",
        "application_reviewer_assign",
        "application_review",
        "application_decide",
    ):
        assert (
            client.get(f"{reverse(f'training:{name}', args=[1]).replace('/1/', f'/{bad}/')}").status_code
            == 404
        )
    for name in ("application_withdraw", "application_renew", "application_course_delete"):
        assert (
            client.post(reverse(f"training:{name}", args=[1]).replace("/1/", f"/{bad}/")).status_code == 404
        )
    assert client.get("/training/recognition/applications/null,null/").status_code == 404


def test_hostile_form_values_are_form_errors(application, client_for, reviewers, user_named):
    client = client_for("secretariat")
    url = reverse("training:application_reviewer_assign", args=[application.pk])
    assert client.post(url, {"person": "100000000000000000000"}).status_code == 400
    answer = client_for("researcher").post(
        reverse("training:application_add"),
        {"documents": ["100000000000000000000"], "courses-TOTAL_FORMS": "x"},
    )
    assert answer.status_code == 400
    course_url = reverse("training:application_course_add", args=[application.pk])
    answer = client_for("researcher").post(
        course_url, {"title": "T", "competencies": ["100000000000000000000"]}
    )
    assert answer.status_code == 400


def test_the_detail_page_offers_each_role_its_actions(application, reviewers, client_for, user_named):
    mine = client_for("researcher").get(application.get_absolute_url()).content.decode()
    assert (
        'id="edit-application"' in mine and 'id="course-form"' in mine and 'id="assign-reviewer"' not in mine
    )
    secretariat = client_for("secretariat").get(application.get_absolute_url()).content.decode()
    assert 'id="assign-reviewer"' in secretariat and 'id="decide"' not in secretariat
    under_review(application, reviewers[:1], user_named("secretariat"))
    reviewer = client_for(None)
    reviewer.force_login(reviewers[0].user)
    text = reviewer.get(application.get_absolute_url()).content.decode()
    assert 'id="review"' in text and 'id="edit-application"' not in text
    assert 'id="decide"' in client_for("secretariat").get(application.get_absolute_url()).content.decode()
    assert recognition.actions_for(user_named("researcher"), application) == {
        "edit": False,
        "withdraw": True,
        "assign": False,
        "review": False,
        "decide": False,
        "renew": False,
    }


def test_pages_render_in_french(recognised, client_for):
    client = client_for("researcher")
    client.cookies["django_language"] = "fr"
    for url in (
        reverse("training:recognition_list"),
        reverse("training:application_list"),
        reverse("training:application_add"),
        recognised.get_absolute_url(),
    ):
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_policy_sanity(application, user_named):
    """The applicant may view and change their application; a stranger neither."""
    from core.permissions import can

    assert can(user_named("researcher"), Action.VIEW, application)
    assert not can(user_named("expert"), Action.VIEW, application)


def test_course_pages_and_withdrawing_through_the_pages(application, client_for):
    client = client_for("researcher")
    url = reverse("training:application_course_add", args=[application.pk])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"title": "Ethics", "hours": "12", "competencies": [competency("OP.1.2").pk]})
    assert answer.status_code == 302
    course = application.courses.get(title="Ethics")
    assert (
        client_for("expert").post(reverse("training:application_course_delete", args=[course.pk])).status_code
        == 404
    )
    assert client.post(reverse("training:application_course_delete", args=[course.pk])).status_code == 302
    assert not application.courses.filter(title="Ethics").exists()
    answer = client.post(
        reverse("training:application_withdraw", args=[application.pk]), {"reason": "Redesign."}
    )
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == RecognitionStatus.WITHDRAWN and application.reasons == "Redesign."


def scoped_form_classes():
    from django import forms as django_forms

    from training import recognition_forms

    return [
        value
        for value in vars(recognition_forms).values()
        if isinstance(value, type)
        and issubclass(value, django_forms.BaseForm)
        and value.__module__ == recognition_forms.__name__
        and any(isinstance(field, django_forms.ModelChoiceField) for field in value.base_fields.values())
    ]


@pytest.mark.parametrize(
    "role", ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor"]
)
def test_the_forms_offer_only_rows_the_user_may_view(role, user_named):
    """What accounts/tests/test_write_scope.py checks for `<app>.forms`, for these forms."""
    from django import forms as django_forms

    from core.forms import ScopedFormMixin
    from core.permissions import has_policy, permission_filter

    hidden = Document.objects.create(
        title="Restricted", visibility=Visibility.RESTRICTED, text="x", uploaded_by=user_named("secretariat")
    )
    PersonFactory(
        member=Member.objects.get(iso_alpha2="KE"), user=User.objects.create_user(username="hidden.person")
    )
    user = user_named(role)
    classes = scoped_form_classes()
    assert len(classes) == 3  # application, course, reviewer (the lists filter with FilterSets)
    for form_class in classes:
        assert issubclass(form_class, ScopedFormMixin)
        form = form_class(user=user)
        for name, field in form.fields.items():
            if isinstance(field, django_forms.ModelChoiceField) and has_policy(field.queryset.model):
                condition = permission_filter(user, field.queryset.model, Action.VIEW)
                rows = field.queryset.model._default_manager.all()
                invisible = (
                    rows if condition is None else (rows.exclude(condition) if condition else rows.none())
                )
                offered = set(field.queryset.values_list("pk", flat=True))
                assert not offered & set(invisible.values_list("pk", flat=True)), (
                    f"{form_class.__name__}.{name}"
                )
    from training.recognition_forms import ApplicationForm

    documents = set(ApplicationForm(user=user).fields["documents"].queryset.values_list("pk", flat=True))
    assert (hidden.pk in documents) == (role == "secretariat")


def test_the_secretariat_renews_on_the_applicants_behalf(recognised, user_named, client_for):
    page = client_for("secretariat").get(recognised.get_absolute_url()).content.decode()
    assert 'id="renew-form"' not in page  # the button is the applicant's
    assert 'id="renew-form"' in client_for("researcher").get(recognised.get_absolute_url()).content.decode()
    renewal = recognition.application_renew(user=user_named("secretariat"), application=recognised)
    assert renewal.applicant == recognised.applicant
    assert recognition.actions_for(user_named("researcher"), renewal)["edit"]


def test_only_the_centre_itself_registers_an_rtc_as_an_institution(user_named):
    japan = Office.objects.get(code="rtc-japan")
    with pytest.raises(ValidationError, match="centre's own coordinators"):
        recognition.institution_create(
            user=user_named("researcher"),
            data={"name": "Not RTC Japan", "kind": "rtc", "office": japan, "country": japan.host_member},
        )
    assert not Institution.objects.filter(office=japan).exists()


def test_the_default_expiry_past_9999_is_a_clear_error():
    with pytest.raises(ValidationError, match="past the year 9999"):
        recognition._years_after(datetime.date(9998, 1, 1), 5)
