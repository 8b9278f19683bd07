"""The registry reads in French: regions, members and offices carry French names, and the French
interface uses the WCO's French acronyms (BRRC, CRF) in office names as in labels."""

import pytest

from network.models import Member, Office, OfficeKind, Region

pytestmark = pytest.mark.django_db


def french(client, url, **params):
    client.cookies["django_language"] = "fr"
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="fr")


def test_every_region_member_and_office_has_a_french_name():
    assert not Region.objects.filter(name_fr="").exists()
    assert not Member.objects.filter(name_fr="").exists()
    assert not Office.objects.filter(name_fr="").exists()
    assert Region.objects.get(code="A/P").name_fr == "Asie/Pacifique"
    assert Office.objects.get(code="rocb-ap").name_fr == "BRRC Asie/Pacifique"
    assert Office.objects.get(code="rtc-japan").name_fr == "CRF Japon"


def test_french_office_names_use_the_french_acronyms():
    for office in Office.objects.exclude(kind=OfficeKind.SECRETARIAT):
        acronym = "BRRC " if office.kind == OfficeKind.ROCB else "CRF "
        assert office.name_fr.startswith(acronym), office.name_fr
        assert "ROCB" not in office.name_fr and "RTC" not in office.name_fr


def test_pages_show_french_names_in_french_and_english_names_in_english(client):
    region = Region.objects.get(code="A/P")
    body = french(client, region.get_absolute_url()).content.decode()
    assert "Asie/Pacifique" in body and "BRRC Asie/Pacifique" in body and "Japon" in body
    assert "ROCB Asia/Pacific" not in body
    english = client.get(region.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    english = client.get(region.get_absolute_url()).content.decode()
    assert "ROCB Asia/Pacific" in english and "BRRC" not in english


def test_lists_and_map_are_in_french(client):
    offices = french(client, "/network/offices/").content.decode()
    assert "CRF Japon" in offices and "Asie/Pacifique" in offices
    members = french(client, "/network/members/", q="Japon").content.decode()
    assert "Japon" in members
    body = french(client, "/network/map/").content.decode()
    assert 'aria-label="BRRC Asie/Pacifique"' in body
    assert ">Afrique orientale et australe<" in body


def test_reloading_keeps_the_french_names_unchanged():
    from network.reference import SHIPPED_REFERENCE_DIR, reference_load

    report = reference_load(directory=SHIPPED_REFERENCE_DIR)
    assert report.changed == 0


def test_french_readers_find_and_sort_by_french_names(client):
    client.cookies["django_language"] = "fr"
    members = client.get("/network/members/").context["object_list"]
    labels = [member.label for member in members]
    assert labels[:3] == ["Afghanistan", "Afrique du Sud", "Albanie"] and "Allemagne" in labels
    found = client.get("/search/", {"q": "Japon"}).content.decode()
    assert Member.objects.get(iso_alpha2="JP").get_absolute_url() in found
    region = Region.objects.get(code="ESA")
    listed = [member.label for member in client.get(region.get_absolute_url()).context["members"]]
    assert listed == sorted(listed, key=str.casefold) or listed.index("Afrique du Sud") < listed.index(
        "Kenya"
    )
