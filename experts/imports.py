"""Importing an existing expert roster from CSV or XLSX, on the activities' import flow: the file is
read and every row checked into a preview; nothing is saved until the user confirms a clean file,
and then every row or none.

Columns: first_name, last_name, member (ISO code or name of the home administration) are required;
email, gender, current_post, languages ("en:native; fr:working"), topics (slugs, ";"), expertise,
instruments, years_experience, phone and pools (pool codes, ";": the expert is nominated to each).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.imports import ImportKind, RowChecker, register_import_kind
from activities.models import LANGUAGES, ImportBatch
from core.permissions import can_add_any
from experts import services
from experts.models import ExpertProfile, LanguageLevel, Pool
from network.models import Member
from people.models import Gender
from topics.models import Topic

ROSTER_COLUMNS = {
    "required": ["first_name", "last_name", "member"],
    "optional": [
        "email",
        "gender",
        "current_post",
        "languages",
        "topics",
        "expertise",
        "instruments",
        "years_experience",
        "phone",
        "pools",
    ],
}
LANGUAGE_CODES = {code for code, _label in LANGUAGES}
MAX_YEARS = 60


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]


def _languages(checker: RowChecker, number: int, value: str) -> list[tuple[str, str]]:
    found = []
    for part in _split(value):
        code, _sep, level = part.partition(":")
        code, level = code.strip().lower(), (level.strip().lower() or LanguageLevel.WORKING)
        if code not in LANGUAGE_CODES:
            checker.fail(number, "languages", _("Unknown language code “%(value)s”.") % {"value": code})
        elif level not in LanguageLevel.values:
            checker.fail(
                number,
                "languages",
                _("“%(value)s” is not a level; use %(levels)s.")
                % {"value": level, "levels": ", ".join(LanguageLevel.values)},
            )
        else:
            found.append((code, level))
    return found


def _years(checker: RowChecker, number: int, value: str) -> int:
    if not value:
        return 0
    try:
        years = int(value)
    except ValueError:
        checker.fail(
            number, "years_experience", _("“%(value)s” is not a whole number.") % {"value": value[:20]}
        )
        return 0
    if not 0 <= years <= MAX_YEARS:
        checker.fail(number, "years_experience", _("Between 0 and %(max)d years.") % {"max": MAX_YEARS})
    return years


def check_roster_rows(rows: list[dict], batch: ImportBatch) -> tuple[list[dict], list[dict]]:
    user = batch.uploaded_by
    checker, clean, seen = RowChecker(), [], {}
    if checker.missing_columns(rows, ROSTER_COLUMNS):
        return [], checker.errors
    topics = dict(Topic.objects.values_list("slug", "pk"))
    pools = {pool.code: pool.pk for pool in Pool.objects.restrict(user)}
    for number, row in enumerate(rows, start=2):
        first, last = row.get("first_name", ""), row.get("last_name", "")
        email = row.get("email", "").strip().lower()
        for column, value in (("first_name", first), ("last_name", last)):
            if not value:
                checker.fail(number, column, _("Required."))
        if email and "@" not in email:
            checker.fail(number, "email", _("“%(value)s” is not an email address.") % {"value": email})
        member = checker.member(number, "member", row.get("member", ""))
        if member is not None and not services.may_add_expert_of(user, member):
            checker.fail(number, "member", _("You may not add experts of %(member)s.") % {"member": member})
        existing = checker.person(
            number, user=user, first=first, last=last, email=email, member=member, seen=seen
        )
        if existing is not None and ExpertProfile.objects.filter(person=existing).exists():
            checker.fail(number, "last_name", _("%(person)s is already an expert.") % {"person": existing})
        topic_ids = []
        for slug in _split(row.get("topics", "")):
            if slug not in topics:
                checker.fail(number, "topics", _("Unknown topic “%(value)s”.") % {"value": slug})
            else:
                topic_ids.append(topics[slug])
        pool_ids = []
        for code in _split(row.get("pools", "")):
            if code not in pools:
                checker.fail(number, "pools", _("Unknown pool “%(value)s”.") % {"value": code})
            else:
                pool_ids.append(pools[code])
        clean.append(
            {
                "row": number,
                "first_name": first,
                "last_name": last,
                "email": email,
                "member": member.pk if member else None,
                "gender": checker.choice(number, "gender", row.get("gender", ""), Gender, Gender.UNDISCLOSED),
                "languages": _languages(checker, number, row.get("languages", "")),
                "topics": topic_ids,
                "pools": pool_ids,
                "profile": {
                    "current_post": row.get("current_post", "")[:200],
                    "expertise": row.get("expertise", ""),
                    "instruments": row.get("instruments", ""),
                    "years_experience": _years(checker, number, row.get("years_experience", "")),
                    "phone": row.get("phone", "")[:40],
                },
            }
        )
    return clean, checker.errors


def save_roster_row(user, batch: ImportBatch, row: dict) -> None:
    services.expert_add(
        user=user,
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        gender=row["gender"],
        home_member=Member.objects.get(pk=row["member"]),
        data={**row["profile"], "topics": list(Topic.objects.filter(pk__in=row["topics"]))},
        languages=row["languages"],
        pools=list(Pool.objects.filter(pk__in=row["pools"])),
        evidence=_("Imported roster"),
    )


register_import_kind(
    ImportBatch.Kind.EXPERTS,
    ImportKind(
        check=check_roster_rows,
        save=save_roster_row,
        may_upload=lambda user: can_add_any(user, ExpertProfile),
        done_url=lambda batch: reverse("experts:expert_list"),
        denied=gettext_lazy("You may not add experts."),
    ),
)
