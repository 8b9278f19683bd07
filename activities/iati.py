"""Activities as IATI activity XML, version 2.03, valid against the official schema shipped in
activities/data/iati-2.03/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from activities.models import Activity, Status

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "iati-2.03"
# IATI ActivityStatus codes: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled, 6 suspended.
ACTIVITY_STATUS = {
    Status.PROPOSED: "1",
    Status.APPROVED: "1",
    Status.FUNDED: "1",
    Status.SCHEDULED: "2",
    Status.DELIVERED: "3",
    Status.EVALUATED: "3",
    Status.CLOSED: "4",
    Status.CANCELLED: "5",
    Status.POSTPONED: "6",
}


@cache
def activities_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def _narrative(parent, tag: str, text: str, **attributes) -> None:
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text


def _activity(activity: Activity, reporting_ref: str) -> etree._Element:
    element = etree.Element("iati-activity", {"default-currency": activity.budget_currency or "EUR"})
    element.set("last-updated-datetime", activity.updated_at.replace(microsecond=0).isoformat())
    etree.SubElement(element, "iati-identifier").text = f"{reporting_ref}-CB-{activity.pk}"
    org = etree.SubElement(element, "reporting-org", ref=reporting_ref, type="40")
    etree.SubElement(org, "narrative").text = "World Customs Organization"
    _narrative(element, "title", activity.title)
    # The schema requires a description; the objectives serve, or else the kind and the lead office.
    summary = activity.objectives or f"{activity.get_kind_display()} organised by {activity.lead_office}."
    _narrative(element, "description", summary, type="1")
    participating = etree.SubElement(element, "participating-org", role="4", type="40")
    etree.SubElement(participating, "narrative").text = str(activity.lead_office)
    if activity.funding_agreement_id:
        funder = etree.SubElement(element, "participating-org", role="1")
        etree.SubElement(funder, "narrative").text = activity.funding_agreement.donor.name
    etree.SubElement(element, "activity-status", code=ACTIVITY_STATUS[activity.status])
    if activity.start_date:
        etree.SubElement(element, "activity-date", type="1", **{"iso-date": activity.start_date.isoformat()})
    if activity.end_date:
        etree.SubElement(element, "activity-date", type="3", **{"iso-date": activity.end_date.isoformat()})
    for member in activity.beneficiary_members.all():
        if len(member.iso_alpha2) == 2 and member.iso_alpha2.isalpha():
            etree.SubElement(element, "recipient-country", code=member.iso_alpha2)
    # DAC 5-digit sector 33120: trade facilitation (customs reform and modernisation).
    etree.SubElement(element, "sector", code="33120", vocabulary="1")
    if activity.budget_amount is not None and activity.start_date and activity.end_date:
        budget = etree.SubElement(element, "budget", type="1", status="1")
        etree.SubElement(budget, "period-start", **{"iso-date": activity.start_date.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": activity.end_date.isoformat()})
        value = etree.SubElement(
            budget,
            "value",
            currency=activity.budget_currency,
            **{"value-date": activity.start_date.isoformat()},
        )
        value.text = f"{activity.budget_amount:.2f}"
    return element


def iati_document(activities, *, reporting_ref: str = "") -> bytes:
    """The IATI XML of `activities`, reported by the organisation set in IATI_REPORTING_ORG."""
    reporting_ref = reporting_ref or settings.IATI_REPORTING_ORG
    root = etree.Element(
        "iati-activities",
        version="2.03",
        **{"generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
    )
    for activity in activities:
        root.append(_activity(activity, reporting_ref))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validation_errors(document: bytes) -> list[str]:
    schema = activities_schema()
    if schema.validate(etree.fromstring(document)):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
