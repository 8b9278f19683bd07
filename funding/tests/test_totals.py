"""Totals in euros with the stored, dated exchange rates."""

import datetime
from decimal import Decimal

import pytest

from activities.tests.factories import ActivityFactory
from funding.models import Donor, ExchangeRate, FundingAgreement
from funding.services import RateTable, activity_cost_totals, funding_totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    ExchangeRate.objects.create(
        currency="USD", valid_from=datetime.date(2020, 1, 1), eur_per_unit=Decimal("0.90")
    )
    ExchangeRate.objects.create(
        currency="USD", valid_from=datetime.date(2024, 1, 1), eur_per_unit=Decimal("0.80")
    )


def test_the_rate_valid_on_the_day_is_used(rates):
    table = RateTable()
    assert table.to_eur(Decimal(100), "USD", datetime.date(2023, 6, 1)) == Decimal("90.00")
    assert table.to_eur(Decimal(100), "USD", datetime.date(2025, 6, 1)) == Decimal("80.00")
    assert table.to_eur(Decimal(100), "USD", datetime.date(2019, 6, 1)) is None
    assert table.to_eur(Decimal(100), "EUR", datetime.date(2019, 6, 1)) == Decimal(100)


def test_totals_per_donor_and_what_could_not_be_converted(rates):
    donor = Donor.objects.create(name="Agency", kind="government")
    for currency, amount, signed in (
        ("USD", 1000, datetime.date(2021, 1, 1)),
        ("EUR", 500, datetime.date(2021, 1, 1)),
        ("XAF", 9999, datetime.date(2021, 1, 1)),
    ):
        FundingAgreement.objects.create(
            donor=donor, title=currency, currency=currency, amount_committed=amount, signed_on=signed
        )
    rows = funding_totals(FundingAgreement.objects.select_related("donor"), by="donor").rows()
    assert rows == [("Agency", Decimal("1400.00"), "XAF")]


def test_activity_budgets_by_region(rates):
    ActivityFactory(
        budget_amount=1000,
        budget_currency="USD",
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 2, 2),
    )
    rows = activity_cost_totals(
        ActivityFactory._meta.model.objects.select_related("region"), by="region"
    ).rows()
    assert rows == [("Asia/Pacific", Decimal("800.00"), "")]


def test_totals_page_and_rate_table_permissions(client_for, rates):
    assert client_for("secretariat").get("/funding/totals/").status_code == 200
    assert client_for("secretariat").get("/funding/rates/add/").status_code == 200
    assert client_for("rocb.ap").get("/funding/rates/add/").status_code == 403
