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


@pytest.mark.parametrize("changes", [None, 1000])
def test_budgets_summed_per_rate_period_convert_each_at_its_rate(rates, changes, settings, monkeypatch):
    """Budgets before the first rate stay unconverted; each rate period converts at its own rate; an
    activity without a date converts at today's. The same with per-date sums (many rate changes)."""
    from funding import services

    if changes:
        monkeypatch.setattr(services, "MAX_RATE_PERIODS", 0)
    for amount, currency, start in (
        (1000, "USD", datetime.date(2019, 5, 1)),  # before any USD rate
        (1000, "USD", datetime.date(2021, 5, 1)),  # 0.90
        (500, "USD", datetime.date(2023, 12, 31)),  # 0.90, the last day of the period
        (2000, "USD", datetime.date(2024, 1, 1)),  # 0.80, its first day
        (100, "EUR", datetime.date(2018, 1, 1)),
        (300, "USD", None),  # today: 0.80
    ):
        ActivityFactory(budget_amount=amount, budget_currency=currency, start_date=start, end_date=start)
    rows = activity_cost_totals(ActivityFactory._meta.model.objects.all(), by="region").rows()
    assert rows == [
        ("Asia/Pacific", Decimal("100") + Decimal("1350.00") + Decimal("1600.00") + Decimal("240.00"), "USD")
    ]
