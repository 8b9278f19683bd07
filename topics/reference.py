"""Loading the topic taxonomy from topics.md (the shared reference) plus our French labels."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from django.db import transaction

from network.reference import LoadReport, ReferenceDataError, upsert
from topics.models import Topic

FRENCH_LABELS = Path(__file__).resolve().parent / "data" / "labels_fr.csv"
SECTION = re.compile(r"^## ([A-Z])\. (.+)$")
ROW = re.compile(r"^\|\s*`([a-z0-9-]+)`\s*\|(.*)\|(.*)\|(.*)\|\s*$")
SOURCE_KEY = re.compile(r"\bS_[A-Z0-9_]+\b")
MARKER = re.compile(r"\s*\*\((term attested|our label[^)]*)\)\*\s*")


def parse_topics(path: Path) -> list[dict]:
    if not path.is_file():
        raise ReferenceDataError(path.name, 0, "file not found")
    french = {row["slug"]: row["label_fr"] for row in csv.DictReader(FRENCH_LABELS.open(encoding="utf-8"))}
    topics, group = [], None
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        section = SECTION.match(line)
        if section:
            code, title = section.groups()
            group = {"slug": code, "label_en": title.strip(), "parent": None, "line": line_number}
            topics.append(group)
            continue
        row = ROW.match(line)
        if not row:
            continue
        if group is None:
            raise ReferenceDataError(path.name, line_number, "topic row before any '## X.' section")
        slug, label, description, where = (part.strip() for part in row.groups())
        topics.append(
            {
                "slug": slug,
                "label_en": MARKER.sub("", label).strip(),
                "parent": group["slug"],
                "description": description,
                "term_attested": "term attested" in label,
                "source_ids": ";".join(dict.fromkeys(SOURCE_KEY.findall(where))),
                "line": line_number,
            }
        )
    for position, topic in enumerate(topics):
        topic["position"] = position
        topic["label_fr"] = french.get(topic["slug"], "")
        if not topic["label_fr"]:
            raise ReferenceDataError(path.name, topic["line"], f"topic {topic['slug']!r} has no French label")
    return topics


@transaction.atomic
def topics_load(*, path: Path | str, report: LoadReport | None = None) -> LoadReport:
    """Create or update every topic in topics.md; idempotent like the registry loader."""
    report = report or LoadReport()
    created: dict[str, Topic] = {}
    for topic in parse_topics(Path(path)):
        parent = created.get(topic["parent"]) if topic["parent"] else None
        values = {
            "label_en": topic["label_en"],
            "label_fr": topic["label_fr"],
            "parent": parent,
            "description": topic.get("description", ""),
            "term_attested": topic.get("term_attested", False),
            "source_ids": topic.get("source_ids", ""),
            "position": topic["position"],
            "confidence": "high" if topic.get("source_ids") else "unsourced",
        }
        created[topic["slug"]] = upsert(report, Topic, {"slug": topic["slug"]}, values)
    return report
