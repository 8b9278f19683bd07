"""Money rules: amounts always carry a currency, and totals are converted with the dated rates."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from funding.models import BASE_CURRENCY, ExchangeRate


def require_currency(amount, currency: str, field_name: str, currency_field_name: str) -> None:
    """An amount without a currency means nothing; refuse it with a message on the currency field."""
    if amount not in (None, "") and not currency:
        raise ValidationError(
            {currency_field_name: _("Give the currency of the %(field)s.") % {"field": field_name}}
        )


class RateTable:
    """Every stored rate, loaded once, to convert many amounts without a query each."""

    def __init__(self):
        self.rates: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
        for rate in ExchangeRate.objects.order_by("currency", "valid_from"):
            self.rates[rate.currency].append((rate.valid_from, rate.eur_per_unit))

    def to_eur(self, amount: Decimal, currency: str, on: datetime.date) -> Decimal | None:
        if currency == BASE_CURRENCY:
            return amount
        applicable = [rate for since, rate in self.rates.get(currency, []) if since <= on]
        if not applicable:
            return None
        return (amount * applicable[-1]).quantize(Decimal("0.01"))


@dataclass
class Totals:
    """Sums in euros by a label, and what could not be converted (no rate for that currency and date)."""

    eur: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    unconverted: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, label: str, amount, currency: str, on: datetime.date, rates: RateTable) -> None:
        if amount is None:
            return
        converted = rates.to_eur(Decimal(amount), currency, on)
        if converted is None:
            self.unconverted[label].add(currency)
        else:
            self.eur[label] += converted

    def rows(self) -> list[tuple[str, Decimal, str]]:
        labels = sorted(set(self.eur) | set(self.unconverted))
        return [
            (label, self.eur.get(label, Decimal(0)), ", ".join(sorted(self.unconverted.get(label, ()))))
            for label in labels
        ]


def funding_totals(agreements, *, by: str) -> Totals:
    """Committed amounts of `agreements` in euros, grouped by "donor", "programme" or "region".

    Each agreement is converted at the rate valid on the day it was signed. Region totals follow the
    activities an agreement funds, split by their budgets' share when it funds several regions.
    """
    rates, totals = RateTable(), Totals()
    for agreement in agreements:
        if by == "donor":
            totals.add(
                agreement.donor.name,
                agreement.amount_committed,
                agreement.currency,
                agreement.signed_on,
                rates,
            )
        elif by == "programme":
            label = agreement.programme.title if agreement.programme else _("No programme")
            totals.add(label, agreement.amount_committed, agreement.currency, agreement.signed_on, rates)
        else:
            raise ValueError(by)
    return totals


MAX_RATE_PERIODS = 400  # beyond this many rate change dates, budgets are summed per start date instead


def activity_cost_totals(activities, *, by: str) -> Totals:
    """Activity budgets in euros grouped by "region" or "donor", at the rate of each activity's start.

    The budgets are summed in SQL by label, currency and rate period (the days between two dates on
    which any rate changes, so one rate applies to the whole sum), then each sum is converted: 20,000
    activities become a few hundred rows, and no model instance is built."""
    from django.db.models import Case, DateField, IntegerField, Sum, Value, When

    from network.models import Region

    if by not in ("region", "donor"):
        raise ValueError(by)
    key = "region_id" if by == "region" else "funding_agreement__donor__name"
    rates, totals = RateTable(), Totals()
    today = datetime.date.today()
    changes = sorted({since for history in rates.rates.values() for since, _rate in history})
    if len(changes) <= MAX_RATE_PERIODS:
        # Period 0 is before any rate (nothing converts); period i starts on changes[i - 1].
        period = Case(
            When(start_date=None, then=Value(sum(1 for day in changes if day <= today))),
            *[When(start_date__lt=day, then=Value(index)) for index, day in enumerate(changes)],
            default=Value(len(changes)),
            output_field=IntegerField(),
        )
        first_day = [datetime.date.min, *changes]
    else:
        period = Case(
            When(start_date=None, then=Value(today)), default="start_date", output_field=DateField()
        )
        first_day = None
    grouped = (
        activities.exclude(budget_amount=None)
        .order_by()
        .annotate(period=period)
        .values_list(key, "budget_currency", "period")
        .annotate(total=Sum("budget_amount"))
    )
    regions = {region.pk: region.label for region in Region.objects.all()} if by == "region" else {}
    for value, currency, when, total in grouped:
        if by == "region":
            label = regions.get(value) or _("Global")
        else:
            label = value or _("Not funded by a donor")
        on = first_day[when] if first_day is not None else when
        totals.add(label, total, currency, on, rates)
    return totals
