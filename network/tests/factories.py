import factory

from network.models import Member, Office, OfficeKind, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"T{n}")
    slug = factory.Sequence(lambda n: f"t{n}")
    name = factory.Sequence(lambda n: f"Test region {n}")
    confidence = "high"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    # A digit first: never a real ISO code, so factories cannot clash with the loaded network.
    iso_alpha2 = factory.Sequence(lambda n: f"{n % 10}{chr(65 + n // 10 % 26)}")
    iso_alpha3 = factory.LazyAttribute(lambda member: f"{member.iso_alpha2}X")
    name = factory.Faker("country")
    region = factory.SubFactory(RegionFactory)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"rtc-test-{n}")
    kind = OfficeKind.RTC
    name = factory.Sequence(lambda n: f"RTC Test {n}")
    region = factory.SubFactory(RegionFactory)
    latitude = 10.0
    longitude = 20.0
