"""One identity per person: matching by email or name plus administration, and merging."""

import pytest

from activities.models import Participation
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from network.models import Member
from people.models import Person
from people.services import person_duplicate_groups, person_get_or_create, person_merge

pytestmark = pytest.mark.django_db


def test_a_known_email_or_name_in_the_same_administration_is_the_same_person(user_named):
    japan = Member.objects.get(iso_alpha2="JP")
    rocb = user_named("rocb.ap")
    first, created = person_get_or_create(
        user=rocb, first_name="Aiko", last_name="Sato", email="aiko@c.example", member=japan
    )
    assert created
    same_email, created = person_get_or_create(
        user=rocb, first_name="A.", last_name="Sato", email="AIKO@c.example", member=None
    )
    assert not created and same_email == first
    same_name, created = person_get_or_create(user=rocb, first_name=" aikó ", last_name="SATO", member=japan)
    assert not created and same_name == first
    other_country, created = person_get_or_create(
        user=rocb, first_name="Aiko", last_name="Sato", member=Member.objects.get(iso_alpha2="KR")
    )
    assert created


def test_duplicates_are_found_and_merging_keeps_every_participation(user_named):
    japan = Member.objects.get(iso_alpha2="JP")
    keep = PersonFactory(first_name="Kenji", last_name="Mori", member=japan, email="")
    duplicate = PersonFactory(first_name="Kenji", last_name="Mori", member=japan, email="k.mori@c.example")
    shared = ActivityFactory()
    ParticipationFactory(person=keep, activity=shared)
    ParticipationFactory(person=duplicate, activity=shared)
    only_duplicate = ParticipationFactory(person=duplicate)
    groups = person_duplicate_groups(Person.objects.all())
    assert [keep, duplicate] in groups
    person_merge(user=user_named("rocb.ap"), keep=keep, duplicate=duplicate)
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert keep.email == "k.mori@c.example"
    assert set(Participation.objects.filter(person=keep).values_list("activity_id", flat=True)) == {
        shared.pk,
        only_duplicate.activity_id,
    }


def test_people_are_not_public(client_for):
    person = PersonFactory()
    assert client_for(None).get("/people/").status_code == 302
    assert client_for("rocb.ap").get(person.get_absolute_url()).status_code == 200
    assert client_for("focal.kenya").get(person.get_absolute_url()).status_code == 404
