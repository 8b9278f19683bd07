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


def activity_cost_totals(activities, *, by: str) -> Totals:
    """Activity budgets in euros grouped by "region" or "donor", at the rate of each activity's start."""
    rates, totals = RateTable(), Totals()
    for activity in activities:
        on = activity.start_date or datetime.date.today()
        if by == "region":
            label = activity.region.label if activity.region else _("Global")
        else:
            agreement = activity.funding_agreement
            label = agreement.donor.name if agreement else _("Not funded by a donor")
        totals.add(label, activity.budget_amount, activity.budget_currency, on, rates)
    return totals
