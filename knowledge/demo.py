"""Demo documents for `make run`: short reports of each kind, across regions, topics and visibilities,
written from the topic taxonomy and ingested through the real pipeline."""

from __future__ import annotations

import datetime
import random

from accounts.models import User
from knowledge.ingestion import Incoming, QuietProgress, ingest
from knowledge.models import Document, DocumentKind, Visibility
from network.models import Member, Office, OfficeKind
from topics.models import Topic

KIND_TEMPLATES = {
    DocumentKind.GOOD_PRACTICE: (
        "Good practice: {topic} in {member}",
        "The {member} customs administration shares how it improved {topic_lower}. {description} "
        "The reform started with a diagnostic, was led by a small project team, and was "
        "evaluated after one year; other administrations of the region can reuse its tools.",
    ),
    DocumentKind.MISSION_REPORT: (
        "Mission report: {topic} diagnostic, {member}",
        "An expert team visited {member} to assess {topic_lower}. {description} The mission "
        "met managers and front-line officers and recommends a phased action plan, training, "
        "and follow-up by the regional office.",
    ),
    DocumentKind.WORKSHOP_MATERIAL: (
        "Workshop material: {topic}, {region} {year}",
        "Presentation and exercises used at the regional workshop on {topic_lower}. "
        "{description} Participants worked in groups on case studies from the region.",
    ),
    DocumentKind.ANNUAL_REPORT: (
        "{office}, annual report {year}",
        "The activities of {office} in {year}: workshops, missions and train-the-trainers "
        "courses for the administrations of {region}, with a focus on {topic_lower}. {description}",
    ),
    DocumentKind.STUDY_PAPER: (
        "Study paper: the impact of {topic_lower} ({year})",
        "This study reviews the evidence on {topic_lower} in customs administrations. "
        "{description} It proposes indicators to measure the results of capacity building.",
    ),
}


def demo_documents_create(count: int = 60, *, seed: int = 2026) -> int:
    """Replace the earlier demo documents with `count` new ones; returns how many were stored.

    What a visitor would check holds: an annual report is an office's ("ROCB Asia/Pacific, annual
    report 2023"), attached to that office, one per office and year; no two documents share a title."""
    rng = random.Random(seed)
    Document.objects.filter(source_key__startswith="demo/").delete()
    topics = list(Topic.objects.filter(parent__isnull=False))
    members = list(Member.objects.exclude(iso_alpha3="").select_related("region"))
    rocbs = list(Office.objects.filter(kind=OfficeKind.ROCB).select_related("region"))
    uploader = User.objects.filter(role="secretariat").first()
    incomings, titles = [], set()
    for _attempt in range(count * 50):
        if len(incomings) == count:
            break
        kind = rng.choice(list(KIND_TEMPLATES))
        topic, member = rng.choice(topics), rng.choice(members)
        office = rng.choice(rocbs) if rocbs else None
        year = rng.randint(2018, 2025)
        title, body = KIND_TEMPLATES[kind]
        annual = kind == DocumentKind.ANNUAL_REPORT and office is not None
        region = office.region if annual else member.region
        values = {
            "topic": topic.label_en,
            "topic_lower": topic.label_en.lower(),
            "member": member.name,
            "office": office.name if office else "",
            "region": region.name,
            "description": topic.description,
            "year": year,
        }
        if kind == DocumentKind.ANNUAL_REPORT and office is None:
            continue
        if title.format(**values) in titles:
            continue  # a second report of the same office and year, or the same material twice
        titles.add(title.format(**values))
        visibility = rng.choices([Visibility.PUBLIC, Visibility.NETWORK, Visibility.REGION], [3, 5, 2])[0]
        # An annual report covers the year it reports on and appears early the next year.
        date = datetime.date(year + 1, 3, 31) if annual else datetime.date(year, rng.randint(1, 12), 1)
        anchor = {"office": office.code} if annual else {"member": member.iso_alpha2}
        number = len(incomings)
        incomings.append(
            Incoming(
                name=f"demo-{number}.txt",
                content=body.format(**values).encode(),
                source_key=f"demo/{number}",
                metadata={
                    "title": title.format(**values),
                    "kind": kind,
                    "visibility": visibility,
                    **anchor,
                    "topics": topic.slug,
                    "date": date.isoformat(),
                },
            )
        )
    return len(ingest(incomings, user=uploader, progress=QuietProgress()))
