import datetime

import factory

from activities.models import Activity, ActivityKind, Participation, Status
from network.models import Member, Office
from people.models import Person
from people.services import name_key


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    member = factory.LazyFunction(lambda: Member.objects.get(iso_alpha2="JP"))
    gender = "female"
    name_key = factory.LazyAttribute(lambda person: name_key(person.first_name, person.last_name))


class ActivityFactory(factory.django.DjangoModelFactory):
    """A regional workshop of the ROCB Asia/Pacific, hosted by Japan, next month."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Regional workshop on risk management {n}")
    kind = ActivityKind.REGIONAL_WORKSHOP
    status = Status.PROPOSED
    lead_office = factory.LazyFunction(lambda: Office.objects.get(code="rocb-ap"))
    region = factory.LazyAttribute(lambda activity: activity.lead_office.region)
    host_member = factory.LazyFunction(lambda: Member.objects.get(iso_alpha2="JP"))
    start_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda activity: activity.start_date + datetime.timedelta(days=3))
    city = "Tokyo"
    budget_amount = 25000
    budget_currency = "EUR"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)
    member = factory.LazyAttribute(lambda participation: participation.person.member)
    gender = factory.LazyAttribute(lambda participation: participation.person.gender)
