"""Writes with related objects of another scope, for every endpoint, form and role.

The mechanism under test: every foreign key or many-to-many value a serializer or form accepts is
narrowed to what the caller may view (core.api / core.forms), and the services refuse the rest
(core.permissions.require_related_visible). So an id outside the caller's scope gets exactly the
answer an id that does not exist gets, and nothing is written. The tests discover the endpoints and
forms themselves, so a new app is held to this from its first commit.
"""

import datetime
import importlib
import re

import pytest
from django import forms as django_forms
from django.apps import apps
from django.utils import timezone
from rest_framework import relations
from rest_framework.test import APIClient

from accounts.models import User
from activities.models import Activity, AssistanceRequest, ServiceItem, Status
from activities.tests.factories import ActivityFactory, PersonFactory
from core.api import ScopedModelViewSet
from core.forms import ScopedFormMixin
from core.permissions import Action, has_policy, permission_filter
from funding.models import Donor, FundingAgreement
from knowledge.models import Document, Visibility
from network.models import Member, Office

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor"]
OUR_APPS = [
    config.name for config in apps.get_app_configs() if not config.name.startswith(("django", "rest_"))
]


@pytest.fixture
def other_scopes(db):
    """Rows that most roles may not see: people of two administrations, a donor's agreement, an
    unannounced activity, a restricted document and a request of Japan."""
    japan, kenya = Member.objects.get(iso_alpha2="JP"), Member.objects.get(iso_alpha2="KE")
    PersonFactory(member=japan, first_name="Hidden", last_name="Japanese", email="hidden.jp@example.org")
    PersonFactory(member=kenya, first_name="Hidden", last_name="Kenyan", email="hidden.ke@example.org")
    donor = Donor.objects.create(name="Scope Test Donor", kind="government")
    FundingAgreement.objects.create(
        donor=donor,
        title="Confidential agreement",
        currency="EUR",
        amount_committed=1000,
        signed_on=datetime.date(2024, 1, 1),
    )
    ActivityFactory(status=Status.PROPOSED, title="Unannounced workshop")
    Document.objects.create(
        title="Restricted mission report",
        kind="mission_report",
        visibility=Visibility.RESTRICTED,
        member=kenya,
        text="restricted",
        uploaded_by=User.objects.get(username="focal.kenya"),
    )
    AssistanceRequest.objects.create(
        member=japan,
        region=japan.region,
        service=ServiceItem.objects.create(code="scope-svc", name_en="Scope service", category="other"),
        need_statement="Hidden need",
        requested_by=User.objects.get(username="secretariat"),
    )


def invisible_row(model, user):
    """A row of `model` that `user` may not view, or None."""
    condition = permission_filter(user, model, Action.VIEW)
    rows = model._default_manager.all()
    if condition is None:
        return rows.first()
    return rows.exclude(condition).first() if condition else None  # an empty Q: every row is visible


def scoped_viewsets():
    found = []
    for app in OUR_APPS:
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError:
            continue
        router = getattr(module, "router", None)
        for prefix, viewset, _basename in router.registry if router else []:
            if issubclass(viewset, ScopedModelViewSet):
                found.append((f"/api/{app}/{prefix}/", viewset))
    return found


def related_fields(viewset):
    serializer = viewset.serializer_class()
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        related = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
        if isinstance(related, relations.RelatedField) and related.queryset is not None:
            yield name, field, related


def as_value(related, obj):
    return getattr(obj, related.slug_field) if isinstance(related, relations.SlugRelatedField) else obj.pk


def missing_value(related):
    return "zz-no-such-row" if isinstance(related, relations.SlugRelatedField) else 2_000_000_000


def normalised(messages, value) -> list[str]:
    return [re.sub(re.escape(str(value)), "<value>", str(message)) for message in messages]


def write_cases():
    return [
        pytest.param(url, viewset, role, id=f"{url}:{role}")
        for url, viewset in scoped_viewsets()
        for role in ROLES
    ]


@pytest.mark.parametrize("url,viewset,role", write_cases())
def test_a_foreign_id_outside_the_scope_is_answered_like_a_missing_one(other_scopes, url, viewset, role):
    user = User.objects.get(username=role)
    client = APIClient()
    client.force_authenticate(user)
    methods = set(viewset.http_method_names)
    target = viewset.queryset.model.objects.restrict(user, Action.CHANGE).first()
    for name, field, related in related_fields(viewset):
        hidden = invisible_row(related.queryset.model, user)
        if hidden is None:
            continue
        answers = []
        for value in (as_value(related, hidden), missing_value(related)):
            payload = {name: [value] if isinstance(field, relations.ManyRelatedField) else value}
            if "post" in methods:
                response = client.post(url, payload, format="json")
            elif "patch" in methods and target is not None:
                response = client.patch(f"{url}{target.pk}/", payload, format="json")
            else:
                break
            assert response.status_code < 500
            body = response.json() if response.status_code == 400 else {}
            answers.append((response.status_code, normalised(body.get(name, []), value)))
        if len(answers) == 2:
            assert answers[0] == answers[1], f"{name}: {answers}"
            assert answers[0][0] in (400, 403), f"{name} accepted a row outside the scope"


def form_modules():
    """Every app's `forms` module and the named ones beside it (`recognition_forms`)."""
    import pkgutil

    modules = []
    for app in OUR_APPS:
        try:
            package = importlib.import_module(app)
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if info.name == "forms" or info.name.endswith("_forms"):
                modules.append(importlib.import_module(f"{app}.{info.name}"))
    return modules


def form_classes():
    found = []
    for module in form_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_forms.BaseForm)
                and value.__module__ == module.__name__
                and any(isinstance(f, django_forms.ModelChoiceField) for f in value.base_fields.values())
            ):
                found.append(value)
    return found


@pytest.mark.parametrize("form_class", form_classes(), ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_every_form_with_related_choices_is_scoped(form_class):
    assert issubclass(form_class, ScopedFormMixin), "derive it from core.forms.ScopedForm/ScopedModelForm"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("form_class", form_classes(), ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_forms_offer_only_rows_the_user_may_view(other_scopes, form_class, role):
    user = User.objects.get(username=role)
    form = form_class(user=user)
    for name, field in form.fields.items():
        if isinstance(field, django_forms.ModelChoiceField) and has_policy(field.queryset.model):
            hidden = invisible_row(field.queryset.model, user)
            if hidden is not None:
                assert not field.queryset.filter(pk=hidden.pk).exists(), f"{name} offers {hidden}"


# --- the findings, one by one --------------------------------------------------------------------


def api_as(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def test_an_rocb_officer_cannot_edit_or_replace_a_restricted_document_of_their_region(
    client_for, other_scopes
):
    document = Document.objects.get(title="Restricted mission report")
    client = client_for("rocb.ap")
    assert client.get(f"/knowledge/documents/{document.pk}/").status_code == 404
    assert client.get(f"/knowledge/documents/{document.pk}/edit/").status_code == 404
    response = client.post(
        f"/knowledge/documents/{document.pk}/edit/",
        {"title": "Published", "kind": document.kind, "visibility": "region"},
    )
    assert response.status_code == 404
    assert client.get(f"/knowledge/documents/{document.pk}/version/").status_code == 404
    document.refresh_from_db()
    assert document.visibility == Visibility.RESTRICTED and document.title == "Restricted mission report"


def test_a_focal_point_cannot_nominate_or_read_a_person_of_another_administration(other_scopes):
    hidden = PersonFactory(
        member=Member.objects.get(iso_alpha2="JP"), first_name="Zanele", last_name="Offscope"
    )
    activity = ActivityFactory()
    response = api_as("focal.kenya").post(
        "/api/activities/nominations/", {"activity": activity.pk, "person": hidden.pk}, format="json"
    )
    assert response.status_code == 400 and "Offscope" not in response.content.decode()
    assert not activity.nominations.exists()


def test_an_rtc_cannot_attach_an_agreement_it_cannot_see(other_scopes):
    agreement = FundingAgreement.objects.get(title="Confidential agreement")
    activity = ActivityFactory(lead_office=Office.objects.get(code="rtc-japan"))
    response = api_as("rtc.japan").patch(
        f"/api/activities/activities/{activity.pk}/", {"funding_agreement": agreement.pk}, format="json"
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert activity.funding_agreement_id is None


def test_the_activity_form_lists_no_agreement_titles_to_an_rtc(client_for, other_scopes):
    activity = ActivityFactory(lead_office=Office.objects.get(code="rtc-japan"))
    page = client_for("rtc.japan").get(f"/activities/{activity.pk}/edit/").content.decode()
    assert "Confidential agreement" not in page


def test_nominating_by_the_email_of_someone_out_of_scope_names_nobody(client_for, other_scopes):
    activity = ActivityFactory()
    response = client_for("focal.kenya").post(
        f"/activities/{activity.pk}/nominate/",
        {"first_name": "A", "last_name": "B", "email": "hidden.jp@example.org", "gender": "female"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Japanese" not in page and "Hidden" not in page
    assert not activity.nominations.exists()


def test_a_refused_nomination_changes_no_one(client_for, other_scopes):
    hidden = PersonFactory(member=Member.objects.get(iso_alpha2="JP"), job_title="")
    activity = ActivityFactory()
    client_for("expert").post(
        f"/activities/{activity.pk}/nominate/",
        {
            "first_name": hidden.first_name,
            "last_name": hidden.last_name,
            "email": hidden.email,
            "gender": "female",
            "job_title": "Rewritten",
        },
    )
    hidden.refresh_from_db()
    assert hidden.job_title == ""


def test_an_rtc_may_add_people_of_its_region_and_no_other(user_named):
    from core.permissions import can
    from people.models import Person

    rtc = user_named("rtc.japan")
    assert can(
        rtc, Action.ADD, Person(first_name="A", last_name="B", member=Member.objects.get(iso_alpha2="JP"))
    )
    assert not can(
        rtc, Action.ADD, Person(first_name="A", last_name="B", member=Member.objects.get(iso_alpha2="KE"))
    )


def test_an_objects_own_action_checks_change_not_add(rf, user_named):
    from activities.api import ActivityViewSet

    view = ActivityViewSet(detail=True, action="transition")
    view.request = rf.post("/")
    assert view.permission_action() == Action.CHANGE
    listing = ActivityViewSet(detail=False, action="create")
    listing.request = rf.post("/")
    assert listing.permission_action() == Action.ADD


def test_change_implies_view_for_every_model(user_named):
    """No policy can grant a change on a row the user cannot see."""
    from core.permissions import registered_models

    for role in ROLES:
        user = user_named(role)
        for model in registered_models():
            for action in (Action.CHANGE, Action.DELETE):
                may_act = model._default_manager.all()
                condition = permission_filter(user, model, action)
                if condition is None:
                    continue
                visible = permission_filter(user, model, Action.VIEW)
                outside = may_act.filter(condition)
                if visible is not None and not visible:  # an empty Q: every row is visible
                    continue
                if visible is not None:
                    outside = outside.exclude(visible)
                assert not outside.exists(), f"{role} may {action} {model.__name__} rows they cannot see"


def test_anonymous_visitors_see_the_donor_but_not_the_agreement(client_for, other_scopes):
    agreement = FundingAgreement.objects.get(title="Confidential agreement")
    activity = ActivityFactory(status=Status.SCHEDULED, funding_agreement=agreement)
    page = client_for(None).get(f"/activities/{activity.pk}/").content.decode()
    assert "Scope Test Donor" in page and "Confidential agreement" not in page
    assert (
        "Confidential agreement"
        in client_for("secretariat").get(f"/activities/{activity.pk}/").content.decode()
    )


def test_public_pages_show_the_office_that_acted_not_the_account(client_for, other_scopes):
    from activities.services import activity_transition

    officer = User.objects.create_user(
        username="officer.zq7",
        password="x",
        role="rocb_officer",
        region=Member.objects.get(iso_alpha2="JP").region,
        office=Office.objects.get(code="rocb-ap"),
    )
    activity = ActivityFactory(status=Status.FUNDED, venue="Hall", start_date=timezone.localdate())
    activity_transition(user=officer, activity=activity, to_status=Status.SCHEDULED)
    for url in (f"/activities/{activity.pk}/", f"/activities/{activity.pk}/history/"):
        response = client_for(None).get(url)
        assert response.status_code == 200
        assert "officer.zq7" not in response.content.decode()


def test_unannounced_and_missing_activities_answer_alike(client_for, other_scopes):
    hidden = Activity.objects.get(title="Unannounced workshop")
    for url in ("/activities/{}/", "/api/activities/activities/{}/"):
        unannounced_url, missing_url = url.format(hidden.pk), url.format(2_000_000_000)
        unannounced, missing = client_for(None).get(unannounced_url), client_for(None).get(missing_url)
        assert unannounced.status_code == missing.status_code == 404
        assert _comparable(unannounced, unannounced_url) == _comparable(missing, missing_url)


def _comparable(response, url) -> str:
    """The page without what differs on every request (the CSRF token, a CSP nonce) or the URL."""
    page = response.content.decode().replace(url, "")
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value="|nonce=")[^"]+', r"\1", page)
