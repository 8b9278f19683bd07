"""Who views and changes each training row, for every demo role: RTC Japan's products are its own and
its ROCB's (rocb.ap); the public sees offered products, their announced sessions and recognised
programmes; applications are their applicant's and their reviewers'; completions are never public.
Then writes naming a row of another scope are refused and store nothing."""

import datetime
import hashlib
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from activities.tests.factories import ActivityFactory, PersonFactory
from core.permissions import Action
from knowledge.models import Document, Visibility
from network.models import Member, Office
from training import services
from training.models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    Completion,
    CoverageScore,
    Institution,
    LearningPlatform,
    Module,
    Product,
    ProductMove,
    ProductVersion,
    ProgrammeCourse,
    RecognitionApplication,
    RecognitionReviewer,
    Session,
    SessionRequest,
    XapiStatement,
)
from training.tests.test_products import PRODUCT, draft, offered

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]
EVERYONE = set(ROLES)
OWNERS = {"secretariat", "rocb.ap", "rtc.japan"}
SECRETARIAT = {"secretariat"}


def user(username):
    from django.contrib.auth.models import AnonymousUser

    return User.objects.get(username=username) if username else AnonymousUser()


def who(model, pk, action):
    return {name for name in ROLES if model.objects.restrict(user(name), action).filter(pk=pk).exists()}


@pytest.fixture
def rows(user_named):
    framework = CompetencyFramework.objects.create(code="matrix-ps", name="Standards")
    area = CompetencyArea.objects.create(
        framework=framework, code="OP.1", level="operational", name="Revenue"
    )
    competency = Competency.objects.create(area=area, code="OP.1.1", name="Classification")
    hidden_draft = draft(user_named, title="Draft")
    product = offered(user_named)
    rtc = user_named("rtc.japan")
    activity = ActivityFactory(lead_office=product.owner_office, status="scheduled")
    session = services.session_link(user=rtc, activity=activity, product=product)
    focal = user_named("focal.kenya")
    request = services.session_request_submit(
        user=focal, product=product, member=focal.member, need_statement="Ten"
    )
    kenya = Member.objects.get(iso_alpha2="KE")
    institution = Institution.objects.create(name="University of Nairobi", kind="university", country=kenya)
    researcher = user_named("researcher")
    submitted = RecognitionApplication.objects.create(
        institution=institution,
        framework=framework,
        programme="MSc Customs",
        curriculum="…",
        applicant=researcher,
    )
    recognised = RecognitionApplication.objects.create(
        institution=institution,
        framework=framework,
        programme="BA Customs",
        curriculum="…",
        applicant=researcher,
        status="recognised",
        reasons="Covers the standards.",
        decided_on=datetime.date(2025, 1, 1),
        expires_on=datetime.date(2030, 1, 1),
    )
    course = ProgrammeCourse.objects.create(application=submitted, title="Valuation")
    expert_person = PersonFactory(user=user_named("expert"), member=Member.objects.get(iso_alpha2="ES"))
    reviewer = RecognitionReviewer.objects.create(application=submitted, person=expert_person)
    score = CoverageScore.objects.create(reviewer=reviewer, competency=competency, score=2)
    platform = LearningPlatform.objects.create(
        name="RTC Japan LMS",
        office=Office.objects.get(code="rtc-japan"),
        token_hash=hashlib.sha256(b"t").hexdigest(),
    )
    learner = PersonFactory(member=kenya)
    completion = Completion.objects.create(
        person=learner, member=kenya, product=product, status="completed", source="xapi", platform=platform
    )
    statement = XapiStatement.objects.create(
        statement_id=uuid.uuid4(), platform=platform, body={}, verb="completed", outcome="recorded"
    )
    return {
        "framework": framework,
        "area": area,
        "competency": competency,
        "draft product": hidden_draft,
        "offered product": product,
        "module of a draft": Module.objects.create(product=hidden_draft, title="M", hours=1),
        "module of an offered product": product.modules.first(),
        "version": ProductVersion.objects.get(product=product),
        "move": ProductMove.objects.filter(product=hidden_draft).first(),
        "session": session,
        "session request": SessionRequest.objects.get(request=request),
        "institution": institution,
        "submitted application": submitted,
        "recognised application": recognised,
        "course of a submitted application": course,
        "reviewer": reviewer,
        "score": score,
        "platform": platform,
        "completion": completion,
        "statement": statement,
    }


MATRIX = {
    "framework": (CompetencyFramework, EVERYONE, SECRETARIAT),
    "area": (CompetencyArea, EVERYONE, SECRETARIAT),
    "competency": (Competency, EVERYONE, SECRETARIAT),
    "draft product": (Product, OWNERS, OWNERS),
    "offered product": (Product, EVERYONE, OWNERS),
    "module of a draft": (Module, OWNERS, OWNERS),
    "module of an offered product": (Module, EVERYONE, OWNERS),
    "version": (ProductVersion, EVERYONE, SECRETARIAT),
    "move": (ProductMove, OWNERS, SECRETARIAT),
    "session": (Session, EVERYONE, OWNERS),
    "session request": (SessionRequest, {"secretariat", "focal.kenya", "rtc.japan"}, SECRETARIAT),
    "institution": (Institution, EVERYONE, SECRETARIAT),
    "submitted application": (
        RecognitionApplication,
        {"secretariat", "researcher", "expert"},
        {"secretariat", "researcher"},
    ),
    "recognised application": (RecognitionApplication, EVERYONE, {"secretariat", "researcher"}),
    "course of a submitted application": (
        ProgrammeCourse,
        {"secretariat", "researcher", "expert"},
        {"secretariat", "researcher"},
    ),
    "reviewer": (RecognitionReviewer, {"secretariat", "expert"}, {"secretariat", "expert"}),
    "score": (CoverageScore, {"secretariat", "expert"}, {"secretariat", "expert"}),
    "platform": (LearningPlatform, OWNERS, SECRETARIAT),
    "completion": (Completion, {"secretariat", "focal.kenya", "rtc.japan"}, {"secretariat", "rtc.japan"}),
    "statement": (XapiStatement, {"secretariat", "rtc.japan"}, SECRETARIAT),
}


@pytest.mark.parametrize("row", list(MATRIX))
def test_who_views_and_changes_each_row(rows, row):
    model, viewers, changers = MATRIX[row]
    instance = rows[row]
    assert isinstance(instance, model)
    assert (who(model, instance.pk, Action.VIEW), who(model, instance.pk, Action.CHANGE)) == (
        viewers,
        changers,
    )


def test_every_training_model_is_in_the_matrix():
    from django.apps import apps

    models = {
        model
        for model in apps.get_app_config("training").get_models()
        if not model.__name__.startswith("Historical")
    }
    assert {model for model, _v, _c in MATRIX.values()} == models


# --- writes naming rows of another scope --------------------------------------------------------------


def test_a_product_naming_a_document_the_writer_cannot_see_is_refused(user_named):
    hidden = Document.objects.create(
        title="Restricted syllabus", visibility=Visibility.RESTRICTED, uploaded_by=user_named("secretariat")
    )
    with pytest.raises(ValidationError):
        draft(user_named, title="With a hidden document", materials=[hidden])
    assert not Product.objects.filter(title="With a hidden document").exists()
    product = draft(user_named)
    with pytest.raises(ValidationError):
        services.product_update(user=user_named("rtc.japan"), product=product, data={"materials": [hidden]})
    assert not product.materials.exists()


def test_a_session_on_an_activity_the_writer_cannot_see_is_refused(user_named):
    product = offered(user_named)
    hidden = ActivityFactory(
        lead_office=Office.objects.get(code="rocb-esa"), region=Office.objects.get(code="rocb-esa").region
    )
    with pytest.raises((ValidationError, PermissionDenied)):
        services.session_link(user=user_named("rtc.japan"), activity=hidden, product=product)
    assert not Session.objects.filter(activity=hidden).exists()


def test_a_product_of_another_centre_cannot_be_written(user_named):
    other = Office.objects.filter(kind="rtc").exclude(code="rtc-japan").exclude(region__code="A/P").first()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.product_create(user=user_named("rtc.japan"), owner_office=other, data=dict(PRODUCT))
    with pytest.raises((ValidationError, PermissionDenied)):
        services.product_create(user=user_named("rocb.ap"), owner_office=other, data=dict(PRODUCT))
    assert not Product.objects.exists()


def test_the_api_refuses_foreign_rows_like_missing_ones(client_for, user_named):
    hidden = Document.objects.create(
        title="Restricted", visibility=Visibility.RESTRICTED, uploaded_by=user_named("secretariat")
    )
    body = {**PRODUCT, "owner_office": Office.objects.get(code="rtc-japan").pk, "materials": [hidden.pk]}
    response = client_for("rtc.japan").post("/api/training/products/", body, content_type="application/json")
    missing = client_for("rtc.japan").post(
        "/api/training/products/", {**body, "materials": [999999]}, content_type="application/json"
    )
    assert response.status_code == missing.status_code == 400
    assert str(response.json()).replace(str(hidden.pk), "N") == str(missing.json()).replace("999999", "N")
    ok = client_for("rtc.japan").post(
        "/api/training/products/", {**body, "materials": []}, content_type="application/json"
    )
    assert ok.status_code == 201, ok.json()
    product = Product.objects.get(pk=ok.json()["id"])
    assert product.status == "draft"
    patch = client_for("focal.kenya").patch(
        f"/api/training/products/{product.pk}/", {"title": "Taken over"}, content_type="application/json"
    )
    assert patch.status_code == 404
