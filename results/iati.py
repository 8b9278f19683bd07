"""A programme as an IATI 2.03 activity with its results, budgets and transactions, valid against
the official schema shipped in activities/data/iati-2.03/ (`activities.iati`).

- `result`: each goal (impact), outcome and output the reader may see, with its indicators: the
  baseline, and for each year of the programme a period with its target and its actual (computed
  or recorded, as the results page shows it).
- `budget`: the programme's activities' budgets, summed per year and currency (a budget period is
  at most a year).
- `transaction`: each funding agreement's commitment (type 2, on its signature date) and what was
  disbursed (type 3).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from lxml import etree

from activities.iati import _narrative
from results import services
from results.models import Indicator, Level, Result

RESULT_TYPE = {Level.OUTPUT: "1", Level.OUTCOME: "2", Level.GOAL: "3"}  # IATI ResultType: 3 is impact


def _value(parent, tag: str, amount: Decimal, currency: str, day: datetime.date) -> None:
    element = etree.SubElement(parent, tag, currency=currency, **{"value-date": day.isoformat()})
    element.text = f"{amount:.2f}"


def _budgets(element, programme) -> None:
    from activities.models import Activity

    rows = (
        Activity.objects.filter(project__programme=programme)
        .exclude(budget_amount=None)
        .exclude(start_date=None)
        .values("start_date__year", "budget_currency")
        .annotate(total=Sum("budget_amount"))
        .order_by("start_date__year", "budget_currency")
    )
    for row in rows:
        year = row["start_date__year"]
        budget = etree.SubElement(element, "budget", type="1", status="1")
        etree.SubElement(budget, "period-start", **{"iso-date": f"{year}-01-01"})
        etree.SubElement(budget, "period-end", **{"iso-date": f"{year}-12-31"})
        _value(budget, "value", row["total"], row["budget_currency"] or "EUR", datetime.date(year, 1, 1))


def _transactions(element, agreements) -> None:
    for agreement in agreements:
        for code, amount in (("2", agreement.amount_committed), ("3", agreement.amount_disbursed)):
            if not amount:
                continue
            transaction = etree.SubElement(element, "transaction")
            etree.SubElement(transaction, "transaction-type", code=code)
            etree.SubElement(transaction, "transaction-date", **{"iso-date": agreement.signed_on.isoformat()})
            _value(transaction, "value", amount, agreement.currency, agreement.signed_on)
            provider = etree.SubElement(transaction, "provider-org")
            etree.SubElement(provider, "narrative").text = agreement.donor.name


def _indicator(parent, indicator: Indicator, years: list[int]) -> None:
    measure = "2" if indicator.unit.strip() == "%" else "1"
    ascending = "0" if indicator.direction == "lower" else "1"
    element = etree.SubElement(parent, "indicator", measure=measure, ascending=ascending)
    _narrative(element, "title", str(indicator.title_en))
    if indicator.baseline_value is not None:
        day = indicator.baseline_date or indicator.result.programme.start_date
        attributes = {"value": f"{indicator.baseline_value:.2f}"}
        if day:
            attributes.update({"year": str(day.year), "iso-date": day.isoformat()})
            etree.SubElement(element, "baseline", **attributes)
    for row in services.indicator_years(indicator, years):
        if row.target is None and row.actual is None:
            continue
        period = etree.SubElement(element, "period")
        etree.SubElement(period, "period-start", **{"iso-date": f"{row.year}-01-01"})
        etree.SubElement(period, "period-end", **{"iso-date": f"{row.year}-12-31"})
        if row.target is not None:
            etree.SubElement(period, "target", value=f"{row.target:.2f}")
        if row.actual is not None:
            etree.SubElement(period, "actual", value=f"{row.actual:.2f}")


def programme_activity(programme, user, *, reporting_ref: str) -> etree._Element:
    from funding.models import FundingAgreement

    agreements = list(
        FundingAgreement.objects.restrict(user)
        .filter(programme=programme)
        .select_related("donor")
        .order_by("pk")
    )
    element = etree.Element(
        "iati-activity", {"default-currency": agreements[0].currency if agreements else "EUR"}
    )
    element.set("last-updated-datetime", programme.updated_at.replace(microsecond=0).isoformat())
    element.set("hierarchy", "1")
    etree.SubElement(element, "iati-identifier").text = f"{reporting_ref}-PROG-{programme.code}"
    org = etree.SubElement(element, "reporting-org", ref=reporting_ref, type="40")
    etree.SubElement(org, "narrative").text = "World Customs Organization"
    _narrative(element, "title", programme.title)
    _narrative(element, "description", programme.description or programme.title, type="1")
    implementing = etree.SubElement(element, "participating-org", role="4", type="40")
    etree.SubElement(implementing, "narrative").text = str(programme.lead_office)
    for donor in sorted({agreement.donor.name for agreement in agreements}):
        funder = etree.SubElement(element, "participating-org", role="1")
        etree.SubElement(funder, "narrative").text = donor
    today = timezone.localdate()
    started = programme.start_date and programme.start_date <= today
    ended = programme.end_date and programme.end_date < today
    etree.SubElement(element, "activity-status", code="4" if ended else ("2" if started else "1"))
    if programme.start_date:
        etree.SubElement(element, "activity-date", type="1", **{"iso-date": programme.start_date.isoformat()})
    if programme.end_date:
        etree.SubElement(element, "activity-date", type="3", **{"iso-date": programme.end_date.isoformat()})
    etree.SubElement(element, "sector", code="33120", vocabulary="1")
    _budgets(element, programme)
    _transactions(element, agreements)
    years = services.framework_years(programme)
    indicators = (
        Indicator.objects.restrict(user).prefetch_related("targets", "actuals").order_by("position", "pk")
    )
    by_result = defaultdict(list)
    for indicator in indicators.filter(result__programme=programme).select_related("result__programme"):
        by_result[indicator.result_id].append(indicator)
    for result in Result.objects.restrict(user).filter(programme=programme).order_by("position", "pk"):
        if not by_result.get(result.pk):
            continue  # IATI asks for at least one indicator per result
        result_element = etree.SubElement(
            element, "result", type=RESULT_TYPE[result.level], **{"aggregation-status": "0"}
        )
        _narrative(result_element, "title", str(result.statement_en)[:500])
        for indicator in by_result[result.pk]:
            _indicator(result_element, indicator, years)
    return element


def programme_document(programmes, user, *, reporting_ref: str = "") -> bytes:
    reporting_ref = reporting_ref or settings.IATI_REPORTING_ORG
    root = etree.Element(
        "iati-activities",
        version="2.03",
        **{"generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
    )
    for programme in programmes:
        root.append(programme_activity(programme, user, reporting_ref=reporting_ref))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
