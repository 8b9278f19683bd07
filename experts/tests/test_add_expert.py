"""The "Add an expert" form: one form makes the person, the profile, a language and a pool nomination, within
the adder's scope; a refused form says why and writes nothing."""

import pytest

from experts.models import Accreditation, AccreditationStatus, ExpertLanguage, ExpertProfile
from experts.tests.factories import PoolFactory
from network.models import Member
from people.models import Person

URL = "/experts/add/"


def form_data(**changes) -> dict:
    data = {
        "first_name": "Aiko",
        "last_name": "Tanaka",
        "email": "aiko.tanaka@customs.example",
        "gender": "female",
        "home_member": Member.objects.get(iso_alpha2="JP").pk,
        "current_post": "Director, risk management",
        "years_experience": "14",
        "language": "en",
        "level": "fluent",
        "expertise": "Risk management and selectivity; AEO validation.",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_an_rocb_officer_adds_an_expert_of_the_region_in_one_form(client_for):
    pool = PoolFactory(code="diag-add", name="Diagnostic facilitators (add)")
    client = client_for("rocb.ap")
    page = client.get(URL)
    assert page.status_code == 200
    offered = {member.iso_alpha2 for member in page.context["form"].fields["home_member"].queryset}
    assert "JP" in offered and "KE" not in offered  # Kenya is another region's

    response = client.post(URL, form_data(pool=pool.pk))
    profile = ExpertProfile.objects.get(person__email="aiko.tanaka@customs.example")
    assert response.status_code == 302 and response["Location"] == profile.get_absolute_url()
    assert profile.home_member.iso_alpha2 == "JP" and profile.region == profile.home_member.region
    assert profile.years_experience == 14 and profile.current_post == "Director, risk management"
    assert profile.person.gender == "female" and profile.person.member == profile.home_member
    assert ExpertLanguage.objects.get(profile=profile).level == "fluent"
    accreditation = Accreditation.objects.get(profile=profile)
    assert accreditation.pool == pool and accreditation.status == AccreditationStatus.NOMINATED


def test_the_known_person_is_reused_and_a_second_profile_refused(client_for):
    client = client_for("secretariat")
    known = Person.objects.create(
        first_name="Aiko",
        last_name="Tanaka",
        email="aiko.tanaka@customs.example",
        member=Member.objects.get(iso_alpha2="JP"),
        name_key="aiko tanaka",
    )
    assert client.post(URL, form_data()).status_code == 302
    assert ExpertProfile.objects.get().person == known
    assert Person.objects.filter(email="aiko.tanaka@customs.example").count() == 1

    again = client.post(URL, form_data())
    assert again.status_code == 200
    assert "already has an expert profile" in again.content.decode()
    assert ExpertProfile.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"last_name": ""}, "last_name"),
        ({"gender": ""}, "gender"),
        ({"home_member": ""}, "home_member"),
        ({"email": "not an email"}, "email"),
        ({"years_experience": "99999999999999999999"}, "years_experience"),
        ({"language": "xx"}, "language"),
        ({"home_member": "abc"}, "home_member"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(client_for, changes, field):
    response = client_for("secretariat").post(URL, form_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ExpertProfile.objects.exists() and not Person.objects.filter(last_name="Tanaka").exists()


def test_another_regions_administration_is_refused(client_for):
    response = client_for("rocb.ap").post(URL, form_data(home_member=Member.objects.get(iso_alpha2="KE").pk))
    assert response.status_code == 200 and "home_member" in response.context["form"].errors
    assert not ExpertProfile.objects.exists()


def test_a_focal_point_adds_only_their_administrations_experts(client_for):
    client = client_for("focal.kenya")
    page = client.get(URL)
    assert [m.iso_alpha2 for m in page.context["form"].fields["home_member"].queryset] == ["KE"]
    assert client.post(URL, form_data(home_member=Member.objects.get(iso_alpha2="KE").pk)).status_code == 302
    assert ExpertProfile.objects.get().home_member.iso_alpha2 == "KE"


@pytest.mark.parametrize("username", ["donor", "researcher", "expert"])
def test_roles_that_may_not_add_experts_are_refused(client_for, username):
    assert client_for(username).post(URL, form_data()).status_code == 403
    assert not ExpertProfile.objects.exists()


def test_anonymous_is_sent_to_sign_in(client_for):
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
