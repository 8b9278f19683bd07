"""Training products: who writes them, the lifecycle move by move, versions that sessions keep, the
curriculum's hours, retired competencies, sessions on activities and requests for a session."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import AssistanceRequest
from activities.tests.factories import ActivityFactory
from network.models import Member, Office
from topics.models import Topic
from training import services
from training.models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    ProductMove,
    ProductStatus,
    Session,
    SessionRequest,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def competencies(db):
    framework = CompetencyFramework.objects.create(code="test-ps", name="Test standards")
    area = CompetencyArea.objects.create(
        framework=framework, code="OP.1", level="operational", name="Revenue"
    )
    current = Competency.objects.create(area=area, code="OP.1.1", name="Classification")
    retired = Competency.objects.create(area=area, code="OP.1.9", name="Old skill", is_retired=True)
    return {"current": current, "retired": retired}


PRODUCT = {
    "title": "HS classification, intermediate",
    "title_fr": "Classement SH, niveau intermédiaire",
    "kind": "technical",
    "level": "intermediate",
    "duration_hours": 30,
    "delivery_modes": "in_person,virtual",
    "languages": "en,fr",
    "objectives": "Classify goods with the General Interpretative Rules.",
}


def draft(user_named, **data):
    return services.product_create(
        user=user_named("rtc.japan"),
        owner_office=Office.objects.get(code="rtc-japan"),
        data={**PRODUCT, **data},
    )


def offered(user_named, **data):
    product = draft(user_named, **data)
    rtc, rocb = user_named("rtc.japan"), user_named("rocb.ap")
    services.module_save(user=rtc, product=product, data={"title": "GIR 1 to 6", "hours": Decimal("12")})
    services.product_move(user=rtc, product=product, to_status=ProductStatus.PROPOSED)
    services.product_move(user=rocb, product=product, to_status=ProductStatus.ENDORSED)
    services.product_move(user=rtc, product=product, to_status=ProductStatus.OFFERED)
    return product


def test_the_centre_drafts_proposes_and_the_rocb_endorses(user_named, competencies):
    product = draft(user_named, competencies=[competencies["current"]])
    rtc, rocb = user_named("rtc.japan"), user_named("rocb.ap")
    assert product.status == ProductStatus.DRAFT and product.version == 0
    with pytest.raises(ValidationError, match="at least one module"):
        services.product_move(user=rtc, product=product, to_status=ProductStatus.PROPOSED)
    services.module_save(user=rtc, product=product, data={"title": "GIR", "hours": Decimal("10")})
    services.module_save(
        user=rtc, product=product, data={"title": "Explanatory notes", "hours": Decimal("8")}
    )
    services.product_move(user=rtc, product=product, to_status=ProductStatus.PROPOSED)
    with pytest.raises(PermissionDenied):
        services.product_move(user=rtc, product=product, to_status=ProductStatus.ENDORSED)
    services.product_move(user=rocb, product=product, to_status=ProductStatus.ENDORSED)
    services.product_move(user=rtc, product=product, to_status=ProductStatus.OFFERED)
    product.refresh_from_db()
    assert product.status == ProductStatus.OFFERED and product.version == 1
    assert list(ProductMove.objects.filter(product=product).values_list("to_status", flat=True)) == [
        "draft",
        "proposed",
        "endorsed",
        "offered",
    ]
    assert product.versions.get().content["modules"][1]["title"] == "Explanatory notes"


def test_a_return_needs_comments_and_goes_back_to_draft(user_named):
    product = draft(user_named)
    rtc, rocb = user_named("rtc.japan"), user_named("rocb.ap")
    services.module_save(user=rtc, product=product, data={"title": "GIR", "hours": Decimal("10")})
    services.product_move(user=rtc, product=product, to_status=ProductStatus.PROPOSED)
    with pytest.raises(ValidationError, match="Say what the centre should change"):
        services.product_move(user=rocb, product=product, to_status=ProductStatus.DRAFT)
    services.product_move(user=rocb, product=product, to_status=ProductStatus.DRAFT, comment="Add a test.")
    assert product.moves.last().comment == "Add a test."


def test_an_rocb_of_another_region_and_other_centres_cannot_move_or_edit(user_named):
    product = draft(user_named)
    services.module_save(user=user_named("rtc.japan"), product=product, data={"title": "GIR", "hours": 5})
    services.product_move(user=user_named("rtc.japan"), product=product, to_status=ProductStatus.PROPOSED)
    for name in ("focal.kenya", "expert", "donor", "researcher"):
        with pytest.raises((PermissionDenied, ValidationError)):
            services.product_move(user=user_named(name), product=product, to_status=ProductStatus.ENDORSED)
    with pytest.raises(PermissionDenied):
        services.product_update(
            user=user_named("rocb.ap"), product=product, data={"title": "Rewritten by the ROCB"}
        )


def test_editing_an_offered_product_makes_a_new_version_and_sessions_keep_theirs(user_named):
    product = offered(user_named)
    rtc = user_named("rtc.japan")
    activity = ActivityFactory(lead_office=product.owner_office, region=product.owner_office.region)
    first = services.session_link(user=rtc, activity=activity, product=product)
    assert first.version.number == 1
    services.product_update(user=rtc, product=product, data={"objectives": "Classify and explain rulings."})
    product.refresh_from_db()
    assert product.version == 2
    first.refresh_from_db()
    assert first.version.number == 1  # the session keeps what it taught
    assert first.version.content["objectives"].startswith("Classify goods")
    services.product_update(user=rtc, product=product, data={"objectives": "Classify and explain rulings."})
    assert product.versions.count() == 2  # no change, no version


def test_module_hours_cannot_exceed_the_product(user_named):
    product = draft(user_named, duration_hours=20)
    rtc = user_named("rtc.japan")
    services.module_save(user=rtc, product=product, data={"title": "One", "hours": Decimal("15")})
    with pytest.raises(ValidationError, match="more than the product's 20 hours"):
        services.module_save(user=rtc, product=product, data={"title": "Two", "hours": Decimal("6")})
    assert product.modules.count() == 1
    with pytest.raises(ValidationError, match="more than the product's"):
        services.product_update(user=rtc, product=product, data={"duration_hours": 10})
    product.refresh_from_db()
    assert product.duration_hours == 20


def test_a_retired_competency_is_refused(user_named, competencies):
    with pytest.raises(ValidationError, match="retired"):
        draft(user_named, competencies=[competencies["retired"]])
    product = draft(user_named)
    with pytest.raises(ValidationError, match="retired"):
        services.module_save(
            user=user_named("rtc.japan"),
            product=product,
            data={"title": "Old", "hours": 2, "competencies": [competencies["retired"]]},
        )
    assert not product.modules.exists()


def test_bad_codes_are_refused_with_the_choices(user_named):
    with pytest.raises(ValidationError, match="Choose from"):
        draft(user_named, languages="klingon")


def test_a_retired_or_draft_product_has_no_new_session(user_named):
    product = offered(user_named)
    rtc = user_named("rtc.japan")
    services.product_move(user=rtc, product=product, to_status=ProductStatus.RETIRED)
    activity = ActivityFactory(lead_office=product.owner_office)
    with pytest.raises(ValidationError, match="only endorsed and offered products have sessions"):
        services.session_link(user=rtc, activity=activity, product=product)
    with pytest.raises(ValidationError):
        services.session_link(user=rtc, activity=activity, product=draft(user_named))
    assert not Session.objects.filter(activity=activity).exists()


def test_a_centre_cannot_count_another_centres_activity(user_named):
    product = offered(user_named)
    other = ActivityFactory(lead_office=Office.objects.get(code="rocb-esa"))
    with pytest.raises((PermissionDenied, ValidationError)):
        services.session_link(user=user_named("rtc.japan"), activity=other, product=product)


def test_a_focal_point_requests_a_session_through_the_assistance_requests(user_named):
    product = offered(user_named, topics=list(Topic.objects.all()[:1]))
    focal = user_named("focal.kenya")
    request = services.session_request_submit(
        user=focal, product=product, member=focal.member, need_statement="Ten classifiers.", for_region=True
    )
    assert AssistanceRequest.objects.get(pk=request.pk).service.code == services.SESSION_SERVICE
    link = SessionRequest.objects.get(request=request)
    assert link.product == product and link.for_region
    assert product.title in request.need_statement
    with pytest.raises((PermissionDenied, ValidationError)):
        services.session_request_submit(
            user=focal, product=product, member=Member.objects.get(iso_alpha2="JP"), need_statement="x"
        )


def test_only_offered_products_can_be_requested(user_named):
    product = draft(user_named)
    focal = user_named("focal.kenya")
    with pytest.raises((ValidationError, Exception)):
        services.session_request_submit(user=focal, product=product, member=focal.member, need_statement="x")
    assert not SessionRequest.objects.exists()


def test_an_rocb_invites_a_centre_of_its_region(user_named):
    rocb = user_named("rocb.ap")
    product = services.product_invite(
        user=rocb,
        office=Office.objects.get(code="rtc-japan"),
        title="Risk management",
        needs="Five members asked.",
    )
    assert product.status == ProductStatus.DRAFT and product.invited_by.code == "rocb-ap"
    assert list(services.invitations_waiting(user_named("rtc.japan"))) == [product]
    with pytest.raises(ValidationError, match="the region's training centres"):
        services.product_invite(
            user=rocb, office=Office.objects.get(code="rocb-ap"), title="Wrong office", needs="x"
        )
    with pytest.raises(PermissionDenied):
        services.product_invite(
            user=user_named("rtc.japan"), office=Office.objects.get(code="rtc-japan"), title="x", needs="x"
        )


def test_dates_of_sessions_in_the_feed(client_for, user_named):
    product = offered(user_named)
    activity = ActivityFactory(
        lead_office=product.owner_office,
        status="scheduled",
        start_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    services.session_link(user=user_named("rtc.japan"), activity=activity, product=product)
    response = client_for(None).get(f"/training/products/{product.pk}/calendar.ics")
    assert response.status_code == 200
    assert f"activity-{activity.pk}@" in response.content.decode()


def test_only_an_offered_product_retires(user_named):
    """The public sees retired products: one that was never offered must not become public."""
    product = draft(user_named)
    rtc, rocb = user_named("rtc.japan"), user_named("rocb.ap")
    services.module_save(user=rtc, product=product, data={"title": "GIR", "hours": 5})
    services.product_move(user=rtc, product=product, to_status=ProductStatus.PROPOSED)
    services.product_move(user=rocb, product=product, to_status=ProductStatus.ENDORSED)
    with pytest.raises(ValidationError, match="cannot become"):
        services.product_move(user=rtc, product=product, to_status=ProductStatus.RETIRED)


def test_module_hours_and_assessment_are_the_services_rules(user_named):
    from surveys.models import Questionnaire

    product = draft(user_named)
    rtc = user_named("rtc.japan")
    with pytest.raises(ValidationError, match="more than zero hours"):
        services.module_save(user=rtc, product=product, data={"title": "Nothing", "hours": Decimal("0")})
    reaction = Questionnaire.objects.exclude(purpose="knowledge_test").first()
    with pytest.raises(ValidationError, match="knowledge-test"):
        services.product_update(user=rtc, product=product, data={"assessment": reaction})


def test_another_office_cannot_relink_or_unlink_a_session_it_may_not_change(user_named):
    product = offered(user_named)
    rtc = user_named("rtc.japan")
    activity = ActivityFactory(lead_office=product.owner_office, region=product.owner_office.region)
    session = services.session_link(user=rtc, activity=activity, product=product)
    rocb_product = services.product_create(
        user=user_named("secretariat"), owner_office=Office.objects.get(code="rocb-ap"), data=dict(PRODUCT)
    )
    services.module_save(
        user=user_named("secretariat"), product=rocb_product, data={"title": "M", "hours": 2}
    )
    for status in (ProductStatus.PROPOSED, ProductStatus.ENDORSED, ProductStatus.OFFERED):
        services.product_move(user=user_named("secretariat"), product=rocb_product, to_status=status)
    # The centre's activity, relinked to the ROCB's product by the centre: no right on that product.
    with pytest.raises((PermissionDenied, ValidationError)):
        services.session_link(user=rtc, activity=activity, product=rocb_product)
    session.refresh_from_db()
    assert session.product == product
