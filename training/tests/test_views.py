"""The training pages as each role uses them: the catalogue (public, filtered, exported), a product's
page with its curriculum and deliveries, the centre's forms and the ROCB's buttons, a focal point's
session request, the regional matrix with its gaps and invitations, and the frameworks."""

import datetime
from decimal import Decimal

import pytest

from activities.models import AssistanceRequest
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from network.models import Member, Office
from topics.models import Topic
from training import figures, services
from training.models import (
    Competency,
    CompetencyArea,
    CompetencyFramework,
    Product,
    ProductStatus,
    Session,
)
from training.tests.test_products import PRODUCT, offered

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]


@pytest.fixture
def product(user_named):
    return offered(user_named, topics=[Topic.objects.order_by("pk").first()])


@pytest.fixture
def delivered(product, user_named):
    activity = ActivityFactory(
        lead_office=product.owner_office,
        status="delivered",
        start_date=datetime.date.today() - datetime.timedelta(days=60),
        actual_cost=9000,
        actual_currency="EUR",
    )
    services.session_link(user=user_named("rtc.japan"), activity=activity, product=product)
    for gender in ("female", "female", "male"):
        ParticipationFactory(
            activity=activity,
            person=PersonFactory(gender=gender, member=Member.objects.get(iso_alpha2="TH")),
            attendance="attended",
        )
    return activity


@pytest.mark.parametrize("role", ROLES)
def test_the_catalogue_lists_offered_products_for_everyone(client_for, user_named, product, role):
    draft = services.product_create(
        user=user_named("rtc.japan"),
        owner_office=product.owner_office,
        data={**PRODUCT, "title": "A draft nobody outside sees"},
    )
    response = client_for(role).get("/training/")
    assert response.status_code == 200
    content = response.content.decode()
    assert product.title in content
    assert draft.title not in content  # the catalogue opens on offered products
    response = client_for(role).get("/training/?status=draft")
    assert (draft.title in response.content.decode()) == (role in ("secretariat", "rocb.ap", "rtc.japan"))


def test_the_catalogue_filters_and_exports(client_for, product):
    client = client_for(None)
    assert (
        product.title
        in client.get("/training/?language=fr&delivery_mode=virtual&level=intermediate").content.decode()
    )
    assert product.title not in client.get("/training/?language=ar").content.decode()
    assert product.title not in client.get("/training/?kind=management").content.decode()
    assert client.get("/training/?centre=rtc-japan").status_code == 200
    csv = client.get("/training/?export=csv")
    assert csv.status_code == 200 and product.title in b"".join(csv.streaming_content).decode()
    assert client.get("/training/?export=xlsx").status_code == 200
    assert client.get("/training/?level=nonsense").status_code == 400


def test_the_product_page_shows_sessions_participants_and_cost(client_for, product, delivered):
    content = client_for("rocb.ap").get(product.get_absolute_url()).content.decode()
    assert delivered.title in content
    assert 'id="sessions-held">1<' in content
    assert 'id="people-trained">3<' in content
    assert "3,000" in content or "3 000" in content or "3000" in content  # 9,000 EUR over 3 people
    assert "Thailand" in content
    public = client_for(None).get(product.get_absolute_url()).content.decode()
    assert delivered.title in public  # the session is announced
    assert "Thailand" not in public  # participants are personal data


def test_the_centre_adds_a_product_and_modules_through_the_forms(client_for):
    client = client_for("rtc.japan")
    assert client.get("/training/products/add/").status_code == 200
    response = client.post(
        "/training/products/add/",
        {**PRODUCT, "delivery_modes": ["in_person"], "languages": ["en"], "duration_hours": 12},
    )
    assert response.status_code == 302, response.context["form"].errors
    product = Product.objects.get(title=PRODUCT["title"])
    assert product.owner_office.code == "rtc-japan" and product.status == "draft"
    assert (
        client.post(
            f"/training/products/{product.pk}/modules/add/", {"title": "One", "hours": "8"}
        ).status_code
        == 302
    )
    response = client.post(
        f"/training/products/{product.pk}/modules/add/", {"title": "Two", "hours": "8"}, follow=True
    )
    assert "more than the product" in response.content.decode()
    assert product.modules.count() == 1
    assert client.post(f"/training/products/{product.pk}/move/", {"to_status": "proposed"}).status_code == 302
    product.refresh_from_db()
    assert product.status == ProductStatus.PROPOSED
    page = client_for("rocb.ap").get(product.get_absolute_url()).content.decode()
    assert 'id="move-endorsed"' in page and 'id="move-draft"' in page
    assert (
        client_for("rocb.ap")
        .post(f"/training/products/{product.pk}/move/", {"to_status": "endorsed"})
        .status_code
        == 302
    )
    product.refresh_from_db()
    assert product.status == ProductStatus.ENDORSED


def test_others_cannot_reach_the_forms(client_for, user_named, product):
    assert client_for("focal.kenya").get(f"/training/products/{product.pk}/edit/").status_code == 403
    assert client_for(None).get(f"/training/products/{product.pk}/edit/").status_code == 302
    assert (
        client_for("focal.kenya")
        .post(f"/training/products/{product.pk}/move/", {"to_status": "retired"})
        .status_code
        == 302
    )
    product.refresh_from_db()
    assert product.status == ProductStatus.OFFERED
    draft = services.product_create(
        user=user_named("rtc.japan"),
        owner_office=product.owner_office,
        data={**PRODUCT, "title": "Secret draft"},
    )
    assert client_for("focal.kenya").get(draft.get_absolute_url()).status_code == 404
    assert client_for(None).get("/training/products/99999999999999999999/").status_code == 404


def test_a_focal_point_requests_a_session_from_the_product_page(client_for, product):
    client = client_for("focal.kenya")
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'id="request-session"' in page
    kenya = Member.objects.get(iso_alpha2="KE")
    response = client.post(
        f"/training/products/{product.pk}/request/",
        {"member": kenya.pk, "urgency": "medium", "need_statement": "Twelve classifiers."},
    )
    assert response.status_code == 302
    request = AssistanceRequest.objects.get(member=kenya)
    assert request.training_request.product == product
    bad = client.post(f"/training/products/{product.pk}/request/", {"member": kenya.pk, "urgency": "medium"})
    assert bad.status_code == 400


def test_an_organiser_names_the_product_on_the_activity_page(client_for, product):
    activity = ActivityFactory(lead_office=product.owner_office)
    client = client_for("rtc.japan")
    page = client.get(activity.get_absolute_url()).content.decode()
    assert 'id="activity-session-form"' in page
    assert (
        client.post(f"/training/activities/{activity.pk}/session/", {"product": product.pk}).status_code
        == 302
    )
    assert Session.objects.get(activity=activity).product == product
    assert product.title in client.get(activity.get_absolute_url()).content.decode()
    assert (
        'id="activity-session-form"'
        not in client_for("focal.kenya").get(activity.get_absolute_url()).content.decode()
    )


def test_the_regional_matrix_shows_the_centre_column_and_gaps(client_for, product, user_named):
    response = client_for("rocb.ap").get("/training/regions/ap/matrix/")
    assert response.status_code == 200, response.status_code
    content = response.content.decode()
    assert 'id="centre-rtc-japan"' in content and product.title in content
    assert "was not delivered in 3 years" in content
    assert 'id="invitation-form"' in content
    assert client_for("rocb.ap").get("/training/regions/ap/matrix/?from=2030&to=2020").status_code == 400
    assert client_for("rocb.ap").get("/training/regions/ap/matrix/?from=abc").status_code == 400
    assert client_for("rocb.ap").get("/training/regions/ap/matrix/?from=1&to=99999999999").status_code == 400
    assert (
        'id="invitation-form"'
        not in client_for("rtc.japan").get("/training/regions/ap/matrix/").content.decode()
    )


def test_the_rocb_invites_a_centre_from_the_matrix(client_for, user_named):
    office = Office.objects.get(code="rtc-japan")
    response = client_for("rocb.ap").post(
        "/training/regions/ap/invite/",
        {"office": office.pk, "title": "AEO validation", "needs": "Four members' needs surveys."},
    )
    assert response.status_code == 302
    product = Product.objects.get(title="AEO validation")
    assert product.owner_office == office and product.invitation
    home = client_for("rtc.japan").get("/").content.decode()
    assert "develop" in home.lower()


def test_a_framework_page_lists_the_products_teaching_each_competency(client_for, user_named):
    framework = CompetencyFramework.objects.create(code="views-ps", name="Standards")
    area = CompetencyArea.objects.create(
        framework=framework, code="OP.2", level="operational", name="Valuation"
    )
    competency = Competency.objects.create(area=area, code="OP.2.1", name="Transaction value")
    product = offered(user_named, competencies=[competency])
    content = client_for(None).get(framework.get_absolute_url()).content.decode()
    assert product.title in content and "Transaction value" in content
    assert client_for(None).get(f"{framework.get_absolute_url()}?region=esa").status_code == 200
    assert client_for(None).get("/training/frameworks/").status_code == 200
    product_page = client_for(None).get(product.get_absolute_url()).content.decode()
    assert "Transaction value" in product_page


def test_completions_are_never_public(client_for):
    assert client_for(None).get("/training/completions/").status_code == 302
    assert client_for("focal.kenya").get("/training/completions/").status_code == 200


def test_module_hours_render_and_edit(client_for, product):
    module = product.modules.first()
    client = client_for("rtc.japan")
    assert client.get(f"/training/modules/{module.pk}/edit/").status_code == 200
    assert (
        client.post(f"/training/modules/{module.pk}/edit/", {"title": "GIR", "hours": "500"}).status_code
        == 400
    )
    module.refresh_from_db()
    assert module.hours == Decimal("12")


def test_elearning_completions_count_on_the_dashboard_apart_from_participants(
    client_for, user_named, product
):
    from activities.dashboards import headline_figures
    from network.models import Region
    from training.models import Completion

    thailand = Member.objects.get(iso_alpha2="TH")
    for status in ("completed", "passed"):  # one person passing after completing counts once
        Completion.objects.create(
            person=PersonFactory(member=thailand)
            if status == "completed"
            else Completion.objects.get().person,
            member=thailand,
            product=product,
            status=status,
            completed_on=datetime.date.today(),
            source="import",
        )
    region = Region.objects.get(code="A/P")
    rocb = user_named("rocb.ap")
    assert headline_figures(rocb, "region", region)["elearning"] == 1
    assert headline_figures(rocb, "region", region)["participants"] == 0  # face-to-face kept apart
    assert headline_figures(user_named("donor"), "region", region)["elearning"] is None
    content = client_for("rocb.ap").get("/activities/dashboard/").content.decode()
    assert 'id="figure-elearning">1<' in content


def test_a_product_whose_sessions_were_rated_low_is_named_as_weak(client_for, user_named, product):
    from surveys.models import Stage
    from surveys.tests.factories import attach, links, submit, workshop

    activity = workshop(participants=6, lead_office=product.owner_office)
    services.session_link(user=user_named("rtc.japan"), activity=activity, product=product)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    low = {
        "reaction_overall": "1",
        "reaction_relevance": "1",
        "reaction_intention_apply": "2",
        "reaction_aspects": {
            key: "1" for key in ("content", "facilitators", "materials", "organisation", "pace")
        },
        "reaction_recommend": "no",
    }
    for _invitation, token in links(wave):
        assert not submit(token, low)[1]
    weak = figures.weak_products(user_named("rocb.ap"), [product])
    assert [found for found, _score in weak] == [product] and weak[0][1] < figures.WEAK_REACTION
    content = client_for("rocb.ap").get("/training/regions/ap/matrix/").content.decode()
    assert "has weak evaluation results" in content


def test_the_matrix_refuses_years_before_1900_without_a_500(client_for):
    for query in ("?to=1", "?to=2", "?from=0&to=3", "?from=-5"):
        assert client_for("rocb.ap").get(f"/training/regions/ap/matrix/{query}").status_code == 400, query


def test_session_rows_count_only_the_participants_the_reader_may_see(client_for, product, delivered):
    public = client_for(None).get(product.get_absolute_url())
    rows = {activity.pk: activity.present for activity in public.context["sessions"]}
    assert rows[delivered.pk] == 0  # participants are personal data
    assert public.context["cost_per_participant"] is None
    own = client_for("rtc.japan").get(product.get_absolute_url()).context
    assert {activity.pk: activity.present for activity in own["sessions"]}[delivered.pk] == 3


def test_forms_and_history_need_the_right_to_change(client_for, product):
    module = product.modules.first()
    assert client_for("focal.kenya").get(f"/training/modules/{module.pk}/edit/").status_code == 403
    assert (
        client_for("rocb.ap").get(f"/training/modules/{module.pk}/edit/").status_code == 403
    )  # endorses only
    assert client_for(None).get(f"/training/products/{product.pk}/history/").status_code == 302
    assert client_for("focal.kenya").get(f"/training/products/{product.pk}/history/").status_code == 403
    assert client_for("rtc.japan").get(f"/training/products/{product.pk}/history/").status_code == 200


def test_api_filters_answer_the_same_for_hidden_and_missing_products(client_for, user_named):
    from training.tests.test_products import draft

    hidden = draft(user_named, title="Hidden draft")
    for url in ("/api/training/modules/?product={}", "/api/training/sessions/?product={}"):
        hidden_answer = client_for(None).get(url.format(hidden.pk))
        missing_answer = client_for(None).get(url.format(99999999))
        assert hidden_answer.status_code == missing_answer.status_code == 400, url
