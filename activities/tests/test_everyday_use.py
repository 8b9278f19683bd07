"""What a new user meets in the first minutes: menus that lead to the catalogue and programmes,
one highlighted menu item, actions only for roles that can use them, lists and dashboards that
open on the user's own work, and figures that read well in English and French."""

import datetime
import re

import pytest
from django.utils.html import escape

from activities.models import Programme, Project, ServiceItem, Status
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from core.context_processors import current_item
from funding.models import Donor, FundingAgreement
from network.models import Member, Office

pytestmark = pytest.mark.django_db


def nav_items(body: str) -> list[tuple[str, bool]]:
    nav = body.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return [(label, "aria-current" in attrs) for attrs, label in re.findall(r"<a ([^>]*)>([^<]+)</a>", nav)]


@pytest.mark.parametrize(
    "path", ["/activities/", "/activities/calendar/", "/activities/services/", "/activities/programmes/"]
)
def test_exactly_one_menu_item_is_highlighted(client, path):
    items = nav_items(client.get(path).content.decode())
    current = [label for label, is_current in items if is_current]
    assert len(current) == 1, current


def test_the_longest_matching_menu_entry_wins():
    urls = ["/activities/", "/activities/calendar/", "/network/map/"]
    assert current_item("/activities/calendar/?month=2026-01", urls) == "/activities/calendar/"
    assert current_item("/activities/12/", urls) == "/activities/"
    assert current_item("/search/", urls) is None


def test_catalogue_and_programmes_are_in_the_menu(client_for):
    labels = [label for label, _current in nav_items(client_for("researcher").get("/").content.decode())]
    assert "Services" in labels and "Programmes" in labels
    anonymous = [label for label, _current in nav_items(client_for(None).get("/").content.decode())]
    assert "Services" in anonymous and "Programmes" not in anonymous  # programmes are for the network


@pytest.mark.parametrize(
    ("username", "requests", "participants"),
    [
        ("secretariat", True, True),
        ("rocb.ap", True, True),
        ("focal.kenya", True, True),
        ("donor", False, True),
        ("researcher", False, False),
    ],
)
def test_the_menu_shows_each_role_the_pages_it_can_use(client_for, username, requests, participants):
    labels = [label for label, _c in nav_items(client_for(username).get("/").content.decode())]
    assert ("Requests" in labels) is requests
    assert ("Participants" in labels) is participants


def test_a_service_has_a_page_with_a_description_and_a_request_action_for_focal_points(client_for):
    service = ServiceItem.objects.get(code="train-the-trainers")
    listing = client_for(None).get("/activities/services/").content.decode()
    assert f'href="{service.get_absolute_url()}"' in listing
    assert service.get_absolute_url() != "/activities/services/"
    focal = client_for("focal.kenya").get(service.get_absolute_url()).content.decode()
    assert escape(service.description_en) in focal
    assert f'href="/activities/requests/new/?service={service.pk}"' in focal
    for username in (None, "rocb.ap", "donor", "expert"):
        body = client_for(username).get(service.get_absolute_url()).content.decode()
        assert "Request this service" not in body, username
    form = client_for("focal.kenya").get(f"/activities/requests/new/?service={service.pk}")
    assert form.context["form"]["service"].value() == service.pk
    assert client_for("focal.kenya").get("/activities/requests/new/?service=x'1").status_code == 200


def test_a_service_reads_in_french(client):
    service = ServiceItem.objects.get(code="nii-procurement-support")
    client.cookies["django_language"] = "fr"
    body = client.get("/activities/services/").content.decode()
    assert "Acquisitions et recrutement" in body and "Procurement and recruitment" not in body
    assert escape(service.description_fr) in client.get(service.get_absolute_url()).content.decode()


def test_a_programme_shows_its_dates_projects_and_activities(client_for):
    client = client_for("researcher")
    programme = Programme.objects.create(
        code="p-test",
        title="Risk management programme",
        lead_office=Office.objects.get(code="rocb-ap"),
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    project = Project.objects.create(programme=programme, code="p-test-1", title="Phase one")
    ActivityFactory(title="Workshop in the programme", project=project, status=Status.SCHEDULED)
    body = client.get(programme.get_absolute_url()).content.decode()
    dates = body.split('id="programme-dates">', 1)[1].split("</dd>", 1)[0]
    assert "2024" in dates and "2027" in dates and "Dec" in dates
    assert "Phase one" in body and "Workshop in the programme" in body
    listing = client.get("/activities/programmes/").content.decode()
    assert programme.get_absolute_url() in listing


def test_nominate_is_offered_only_to_focal_points_while_nominations_are_open(client_for):
    open_activity = ActivityFactory(status=Status.SCHEDULED)
    closed = ActivityFactory(status=Status.CLOSED)
    assert (
        "Nominate someone" not in client_for("rocb.ap").get(open_activity.get_absolute_url()).content.decode()
    )
    assert (
        "Nominate someone" not in client_for("donor").get(open_activity.get_absolute_url()).content.decode()
    )
    assert (
        "Nominate someone" in client_for("focal.kenya").get(open_activity.get_absolute_url()).content.decode()
    )
    assert "Nominate someone" not in client_for("focal.kenya").get(closed.get_absolute_url()).content.decode()


def test_the_activity_list_opens_on_the_current_and_coming_months(client):
    today = datetime.date.today()
    past = ActivityFactory(
        title="Long past workshop",
        status=Status.CLOSED,
        start_date=today.replace(day=1) - datetime.timedelta(days=40),
    )
    soon = ActivityFactory(
        title="Coming workshop", status=Status.SCHEDULED, start_date=today + datetime.timedelta(days=10)
    )
    later = ActivityFactory(
        title="Later workshop", status=Status.SCHEDULED, start_date=today + datetime.timedelta(days=90)
    )
    response = client.get("/activities/")
    shown = [activity.pk for activity in response.context["object_list"]]
    assert soon.pk in shown and later.pk in shown and past.pk not in shown
    assert shown.index(soon.pk) < shown.index(later.pk)  # soonest first
    assert f"start_after={today.replace(day=1).isoformat()}" in response.context["query_string"]
    # The next pages keep the same filter and the same order.
    following = client.get(f"/activities/?{response.context['query_string']}").context["object_list"]
    assert [activity.pk for activity in following] == shown
    # Choosing any filter, even none at all, shows everything that matches.
    everything = client.get("/activities/", {"start_after": ""}).context["object_list"]
    assert past.pk in [activity.pk for activity in everything]
    exported = client.get("/activities/", {"export": "iati"}).content.decode()
    assert "Coming workshop" in exported and "Long past workshop" not in exported


@pytest.fixture
def funded(user_named):
    donor = Donor.objects.create(name="Test Fund", kind="government")
    agreement = FundingAgreement.objects.create(
        donor=donor,
        title="Support",
        currency="EUR",
        signed_on=datetime.date(2024, 1, 1),
        amount_committed=1_234_567,
        amount_disbursed=10,
    )
    user = user_named("donor")
    user.donor = donor
    user.save(update_fields=["donor"])
    delivered = ActivityFactory(status=Status.DELIVERED, funding_agreement=agreement)
    delivered.beneficiary_members.set(Member.objects.filter(iso_alpha2__in=["JP", "KR"]))
    ActivityFactory(status=Status.DELIVERED)  # not this donor's
    women = PersonFactory.create_batch(3, gender="female")
    men = PersonFactory.create_batch(1, gender="male")
    for person in women + men:
        ParticipationFactory(activity=delivered, person=person, gender=person.gender, attendance="attended")
    return donor, delivered


def test_a_donor_s_dashboard_opens_on_what_the_donor_funds(client_for, funded):
    donor, _delivered = funded
    response = client_for("donor").get("/activities/dashboard/")
    assert response.context["current_scope"] == f"donor:{donor.pk}"
    assert response.context["headline"] == {
        "delivered": 1,
        "participants": 4,
        "administrations": 2,
        "women": 75,
        "elearning": None,  # a donor sees no e-learning completions
    }
    body = response.content.decode()
    assert 'id="figure-women">75%<' in body
    assert (
        client_for("rocb.ap").get("/activities/dashboard/", {"scope": f"donor:{donor.pk}"}).status_code == 404
    )


def test_an_rocb_officer_s_dashboard_opens_on_the_region_with_headline_figures(client_for, funded):
    response = client_for("rocb.ap").get("/activities/dashboard/")
    assert response.context["current_scope"] == "region:ap"
    assert response.context["headline"]["delivered"] == 2
    researcher = client_for("researcher").get("/activities/dashboard/")
    assert researcher.context["headline"]["participants"] is None  # personal data: not shown
    assert 'id="figure-participants">—<' in researcher.content.decode()


def test_amounts_have_thousands_separators_in_the_user_s_language(client_for, funded):
    donor, delivered = funded
    client = client_for("secretariat")
    body = client.get(f"/funding/donors/{donor.pk}/").content.decode()
    assert "1,234,567 EUR" in body
    client.cookies["django_language"] = "fr"
    body = client.get(f"/funding/donors/{donor.pk}/").content.decode()
    assert "1\xa0234\xa0567 EUR" in body
    body = client.get(delivered.get_absolute_url()).content.decode()
    assert "25\xa0000 EUR" in body


def test_languages_show_their_names(client):
    activity = ActivityFactory(status=Status.SCHEDULED, languages="en,fr,es")
    assert "English, French, Spanish" in client.get(activity.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "fr"
    assert "anglais, français, espagnol" in client.get(activity.get_absolute_url()).content.decode().lower()


def test_the_status_column_is_a_status_in_french(client):
    client.cookies["django_language"] = "fr"
    body = client.get("/activities/").content.decode()
    assert '<th scope="col">Statut</th>' in body
    assert "État du service" in body.split("<footer", 1)[1]  # the link to the health check


def test_a_programme_page_runs_a_fixed_number_of_queries(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = Programme.objects.create(
        code="p-count", title="Counted programme", lead_office=Office.objects.get(code="rocb-ap")
    )
    projects = [
        Project.objects.create(programme=programme, code=f"p-count-{n}", title=f"Phase {n}") for n in (1, 2)
    ]
    client = client_for("secretariat")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(programme.get_absolute_url()).status_code == 200
        return len(captured)

    ActivityFactory(project=projects[0])
    before = queries()
    for project in projects:
        ActivityFactory.create_batch(5, project=project, host_member=Member.objects.get(iso_alpha2="KR"))
    assert queries() == before


def test_dashboard_labels_are_in_french(client_for):
    from topics.models import Topic

    topic = Topic.objects.get(slug="pca")
    assert topic.label_fr
    activity = ActivityFactory(status=Status.DELIVERED)
    activity.topics.add(topic)
    ParticipationFactory(activity=activity)  # from Japan
    client = client_for("secretariat")
    client.cookies["django_language"] = "fr"
    charts = client.get("/activities/dashboard/", {"scope": "all"}).context["charts"]
    assert topic.label_fr in charts["topic"]["labels"]
    assert "Japon" in charts["member"]["labels"]
    assert "Réalisée" in charts["status"]["labels"] or "Réalisé" in " ".join(charts["status"]["labels"])


def test_counts_and_amounts_are_grouped_in_the_reader_s_language():
    from django.utils import translation

    from core.templatetags.cbhub import amount, figure

    with translation.override("fr"):
        assert figure(1651) == "1\xa0651"
        assert amount("1234567.5") == "1\xa0234\xa0567,50"
    with translation.override("en"):
        assert figure(30000) == "30,000"
        assert amount(25000) == "25,000" and amount(None) == ""
