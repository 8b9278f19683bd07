"""The demo data a visitor reads holds together: hosts, cities and venues agree, no two activities
or documents share a title, programmes hold only activities that fit them, and annual reports are
an office's, named after it and the year."""

import pytest

from activities.demo import AT_THE_OFFICE, Volume, demo_data_create
from activities.models import Activity, DeliveryMode, Programme
from network.models import Member, Office, OfficeKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_data_create(Volume(activities=400, participations=2000, years=6), progress=lambda _: None)
    return Activity.objects.select_related("host_member", "lead_office__host_member", "project__programme")


def test_every_member_has_a_capital_for_the_demo_to_use():
    assert not Member.objects.filter(capital="").exists()
    assert Member.objects.get(iso_alpha2="DO").capital == "Santo Domingo"


def test_hosts_cities_and_venues_agree(demo):
    office_cities = {office.pk: office.city.split(" (")[0].split(";")[0] for office in Office.objects.all()}
    for activity in demo:
        host = activity.host_member
        if activity.delivery_mode == DeliveryMode.VIRTUAL:
            assert activity.city == "" and activity.venue == "", activity.title
            continue
        held_at_office = activity.kind in AT_THE_OFFICE and activity.lead_office.host_member_id == host.pk
        if held_at_office:
            assert activity.city in (office_cities[activity.lead_office_id], host.capital), activity.title
        else:
            assert activity.city == host.capital, (activity.title, activity.city, host.name)
            assert activity.venue == f"Customs administration of {host.name}", activity.title
        assert host.name in activity.title
        assert host in activity.beneficiary_members.all()


def test_an_activity_at_an_office_is_hosted_by_the_office_s_country(demo):
    at_offices = [
        activity
        for activity in demo
        if activity.kind in AT_THE_OFFICE and activity.lead_office.host_member_id is not None
    ]
    assert at_offices
    for activity in at_offices:
        assert activity.host_member_id == activity.lead_office.host_member_id, activity.title
    santo_domingo = Activity.objects.filter(city="Santo Domingo").exclude(host_member__iso_alpha2="DO")
    assert not santo_domingo.exists()


def test_no_two_activities_share_a_title(demo):
    titles = list(demo.values_list("title", flat=True))
    assert len(titles) == len(set(titles))


def test_programmes_have_dates_and_only_activities_that_fit_them(demo):
    programmes = list(Programme.objects.select_related("lead_office"))
    assert programmes and all(p.start_date and p.end_date and p.start_date < p.end_date for p in programmes)
    in_programmes = demo.exclude(project=None).prefetch_related("topics")
    assert in_programmes.count() >= 20
    for activity in in_programmes:
        programme = activity.project.programme
        assert programme.start_date <= activity.start_date <= programme.end_date, activity.title
        if programme.lead_office.kind == OfficeKind.ROCB:
            assert activity.lead_office.region_id == programme.lead_office.region_id, activity.title
        topic = programme.title.split(" programme")[0]
        assert topic in {t.label_en for t in activity.topics.all()}, (activity.title, programme.title)
        assert activity.title.split(": ", 1)[1].startswith(topic), (activity.title, programme.title)
        if activity.funding_agreement_id:
            assert activity.funding_agreement.programme_id == programme.pk


def test_annual_reports_belong_to_their_office_and_name_it(settings, tmp_path):
    from knowledge.demo import demo_documents_create
    from knowledge.models import Document, DocumentKind

    settings.MEDIA_ROOT = tmp_path
    demo_documents_create(40)
    documents = list(Document.objects.filter(source_key__startswith="demo/").select_related("office"))
    assert len(documents) == 40
    titles = [document.title for document in documents]
    assert len(titles) == len(set(titles))
    reports = [document for document in documents if document.kind == DocumentKind.ANNUAL_REPORT]
    assert reports
    for report in reports:
        assert report.office is not None and report.office.kind == OfficeKind.ROCB
        assert report.member_id is None
        assert report.title == f"{report.office.name}, annual report {report.date.year - 1}"
