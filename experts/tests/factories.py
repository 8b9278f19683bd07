"""Factories for experts' data: a profile on a person, pools, slots on activities."""

import datetime

import factory

from accounts.models import User
from activities.models import ActivityKind, Status
from activities.tests.factories import ActivityFactory, PersonFactory
from experts.models import ExpertProfile, Pool, PoolKind, Slot, SlotRole
from network.models import Member


class PoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pool
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"pool-{n}")
    name = factory.Sequence(lambda n: f"Diagnostic facilitators {n}")
    kind = PoolKind.DIAGNOSTIC


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    person = factory.SubFactory(PersonFactory)
    home_member = factory.LazyAttribute(lambda profile: profile.person.member)
    region = factory.LazyAttribute(lambda profile: profile.home_member.region)
    current_post = "Head of risk management"
    expertise = "Risk management, post-clearance audit and authorised economic operators."
    years_experience = 12


class MissionFactory(ActivityFactory):
    """A diagnostic mission to the Philippines that started ten days ago (so it can be delivered)."""

    kind = ActivityKind.DIAGNOSTIC_MISSION
    status = Status.SCHEDULED
    host_member = factory.LazyFunction(lambda: Member.objects.get(iso_alpha2="PH"))
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    activity = factory.SubFactory(MissionFactory)
    role = SlotRole.LEAD


def expert_user(profile: ExpertProfile, username: str = "expert") -> User:
    """Link a demo (or new) expert account to the profile's person."""
    user = User.objects.filter(username=username).first() or User.objects.create_user(
        username=username, password="x", role="expert"
    )
    profile.person.user = user
    profile.person.save()
    return user
