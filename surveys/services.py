"""The rules that write questionnaires, waves, invitations and responses.

Every write a user makes goes through one of these functions (keyword-only, atomic, `full_clean()`).
Respondents have no account: they are recognised by the token of their personal link, which
`invitation_by_token` checks on the server every time (it exists, the wave is open, the link's
window and use count hold), so no browser can get around it.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import hmac
import json
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.permissions import Action, is_secretariat, require, require_related_visible
from surveys import definition as spec
from surveys.models import (
    NEEDS_STAGES,
    ActivityNeed,
    Answer,
    Audience,
    BankQuestion,
    Invitation,
    Need,
    Purpose,
    Questionnaire,
    QuestionnaireVersion,
    RespondentRole,
    Response,
    ResponseStatus,
    Wave,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "data" / "templates"
MAX_WAVE_DAYS = 366 * 2
MAX_FOLLOW_UP_MONTHS = 24


def _today() -> datetime.date:
    return timezone.localdate()


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


# --- questionnaires and the question bank ------------------------------------------------------


def _owner_office(user):
    """The office a user's questionnaires belong to: their RTC, their region's ROCB, the Secretariat."""
    from network.models import Office, OfficeKind

    if user.role == Role.RTC_COORDINATOR:
        return user.office
    if user.role == Role.ROCB_OFFICER:
        return Office.objects.filter(region=user.region_id, kind=OfficeKind.ROCB).first()
    return user.office or Office.objects.filter(kind=OfficeKind.SECRETARIAT).first()


def bank_register(definition: dict) -> None:
    """Add the definition's new codes to the question bank; a code already there must keep its type,
    since results aggregate on the code."""
    wanted = {question["code"]: question for question in spec.questions(definition)}
    known = dict(BankQuestion.objects.filter(code__in=wanted).values_list("code", "kind"))
    clashes = [
        _("Question %(code)s is a %(kind)s question in the question bank; give this one another code.")
        % {"code": code, "kind": known[code]}
        for code, question in wanted.items()
        if code in known and known[code] != question["kind"]
    ]
    if clashes:
        raise ValidationError(clashes)
    BankQuestion.objects.bulk_create(
        [
            BankQuestion(code=code, kind=question["kind"], labels=question["label"])
            for code, question in wanted.items()
            if code not in known
        ]
    )


def _clean_titles(titles: Any) -> dict:
    if not isinstance(titles, dict) or not any(str(value).strip() for value in titles.values()):
        raise ValidationError({"titles": _("Give the questionnaire a title.")})
    return {lang: str(value).strip()[:250] for lang, value in titles.items() if str(value).strip()}


@transaction.atomic
def questionnaire_create(
    *,
    user,
    code: str,
    purpose: str,
    titles: dict,
    definition: dict,
    descriptions: dict | None = None,
    is_template: bool = False,
) -> Questionnaire:
    questionnaire = Questionnaire(
        code=code,
        purpose=purpose,
        titles=_clean_titles(titles),
        descriptions=descriptions or {},
        is_template=is_template and is_secretariat(user),
        owner_office=None if is_template else _owner_office(user),
        created_by=user if user.is_authenticated else None,
    )
    if not is_template:
        require(user, Action.ADD, questionnaire)
    elif not is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat keeps the shipped templates."))
    if Questionnaire.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A questionnaire with this code exists already.")})
    _saved(questionnaire)
    _version_create(questionnaire, copy.deepcopy(definition), user, number=1)
    return questionnaire


def _version_create(questionnaire, definition: dict, user, number: int) -> QuestionnaireVersion:
    definition = spec.definition_clean(definition)
    bank_register(definition)
    return _saved(
        QuestionnaireVersion(
            questionnaire=questionnaire,
            number=number,
            definition=definition,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
    )


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    return questionnaire.versions.order_by("-number").first()


@transaction.atomic
def questionnaire_copy(*, user, questionnaire: Questionnaire, code: str = "") -> Questionnaire:
    """An office's own copy of a template (or of any questionnaire), to change as it needs."""
    code = code or f"{questionnaire.code}-{secrets.token_hex(3)}"
    return questionnaire_create(
        user=user,
        code=code,
        purpose=questionnaire.purpose,
        titles=questionnaire.titles,
        descriptions=questionnaire.descriptions,
        definition=current_version(questionnaire).definition,
    )


@transaction.atomic
def questionnaire_revise(
    *, user, questionnaire: Questionnaire, definition: dict, titles: dict | None = None
) -> QuestionnaireVersion:
    """Change a questionnaire. Once its current version has answers, that version stays as it is for
    them and the change becomes a new version; before that, the version is changed in place."""
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _require_change(user, questionnaire)
    if titles is not None:
        questionnaire.titles = _clean_titles(titles)
        _saved(questionnaire)
    version = current_version(questionnaire)
    if version.responses.exists():
        return _version_create(questionnaire, copy.deepcopy(definition), user, number=version.number + 1)
    version.definition = spec.definition_clean(copy.deepcopy(definition))
    bank_register(version.definition)
    return _saved(version)


def _require_change(user, questionnaire: Questionnaire) -> None:
    if questionnaire.is_template and not is_secretariat(user):
        raise PermissionDenied(_("Templates are kept by the Secretariat; make your own copy to change it."))
    if not questionnaire.is_template:
        require(user, Action.CHANGE, questionnaire)


def question_save(
    *, user, questionnaire: Questionnaire, section: str, question: dict, replacing: str = ""
) -> QuestionnaireVersion:
    """Add a question to a section (a new section if `section` is a new code), or replace the
    question coded `replacing` where it stands."""
    definition = copy.deepcopy(current_version(questionnaire).definition)
    if replacing:
        for part in definition["sections"]:
            for index, existing in enumerate(part["questions"]):
                if existing["code"] == replacing:
                    part["questions"][index] = question
        if replacing not in spec.question_map(definition) and question["code"] not in spec.question_map(
            definition
        ):
            raise ValidationError(_("That question is not in this questionnaire any more."))
    else:
        target = next((part for part in definition["sections"] if part.get("code") == section), None)
        if target is None:
            target = {
                "code": section or f"section_{len(definition['sections']) + 1}",
                "title": {},
                "questions": [],
            }
            definition["sections"].append(target)
        target["questions"].append(question)
    return questionnaire_revise(user=user, questionnaire=questionnaire, definition=definition)


def question_remove(*, user, questionnaire: Questionnaire, code: str) -> QuestionnaireVersion:
    definition = copy.deepcopy(current_version(questionnaire).definition)
    for part in definition["sections"]:
        part["questions"] = [question for question in part["questions"] if question["code"] != code]
    definition["sections"] = [part for part in definition["sections"] if part["questions"]]
    return questionnaire_revise(user=user, questionnaire=questionnaire, definition=definition)


def bank_wording(code: str) -> dict | None:
    """The newest wording of a bank question (its choices, scale and rows), from the newest version
    that asks it."""
    for definition in QuestionnaireVersion.objects.order_by("-created_at", "-pk").values_list(
        "definition", flat=True
    ):
        question = spec.question_map(definition).get(code)
        if question is not None:
            return question
    return None


def questionnaire_import(*, user, content: bytes, code: str, purpose: str = Purpose.OTHER) -> Questionnaire:
    """A questionnaire from an XLSForm workbook (designed in Excel, KoboToolbox or ODK)."""
    from surveys.xlsform import xlsform_to_definition

    titles, definition = xlsform_to_definition(
        content=content, topics=topic_values(), members=member_values()
    )
    titles = titles or {"en": code}  # a workbook without a settings sheet names no title
    return questionnaire_create(user=user, code=code, purpose=purpose, titles=titles, definition=definition)


def topic_values() -> set[str]:
    from topics.models import Topic

    return set(Topic.objects.values_list("slug", flat=True))


def member_values() -> set[str]:
    from network.models import Member

    return set(Member.objects.values_list("iso_alpha2", flat=True))


@transaction.atomic
def templates_load(directory: Path = TEMPLATES_DIR) -> int:
    """Load the shipped templates; idempotent: a changed template file becomes a new version."""
    loaded = 0
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        definition = spec.definition_clean(data["definition"])
        questionnaire, created = Questionnaire.objects.get_or_create(
            code=data["code"],
            defaults={
                "purpose": data["purpose"],
                "titles": data["title"],
                "descriptions": data.get("description", {}),
                "is_template": True,
            },
        )
        version = current_version(questionnaire)
        if version is None:
            _version_create(questionnaire, definition, None, number=1)
        elif version.definition != definition:
            if version.responses.exists():
                _version_create(questionnaire, definition, None, number=version.number + 1)
            else:
                version.definition = definition
                bank_register(definition)
                version.save(update_fields=["definition", "updated_at"])
        else:
            continue
        loaded += 1
    return loaded


# --- waves -------------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def wave_create(
    *,
    user,
    questionnaire: Questionnaire,
    stage: str,
    audience: str,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    activity=None,
    region=None,
    year: int | None = None,
    anonymous: bool = False,
    include_supervisors: bool = False,
    reminder_days: str = "7,14",
    months_after: int | None = None,
) -> Wave:
    """Attach a questionnaire to an activity (or to a region's yearly needs survey). A follow-up set
    `months_after` the activity's end opens then, and its links go out by themselves."""
    require_related_visible(
        user, Wave, {"questionnaire": questionnaire, "activity": activity, "region": region}
    )
    send_when_open = False
    if activity is not None:
        region = activity.region or (activity.lead_office.region if activity.lead_office_id else None)
        if months_after is not None:
            if not activity.end_date:
                raise ValidationError({"months_after": _("Give the activity an end date first.")})
            if not 1 <= months_after <= MAX_FOLLOW_UP_MONTHS:
                raise ValidationError(
                    {"months_after": _("Between 1 and %(limit)d months.") % {"limit": MAX_FOLLOW_UP_MONTHS}}
                )
            opens_on = _add_months(activity.end_date, months_after)
            closes_on = (
                closes_on if closes_on and closes_on > opens_on else opens_on + datetime.timedelta(days=30)
            )
            send_when_open = True
        year = year or (activity.start_date or opens_on or _today()).year
    if region is None:
        raise ValidationError({"region": _("Choose the region this questionnaire is for.")})
    if audience in (Audience.NOMINEES, Audience.PARTICIPANTS, Audience.FOCAL_POINTS) and activity is None:
        raise ValidationError({"audience": _("This audience needs an activity.")})
    opens_on = opens_on or _today()
    closes_on = closes_on or opens_on + datetime.timedelta(days=21)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The closing date comes before the opening date.")})
    if (closes_on - opens_on).days > MAX_WAVE_DAYS:
        raise ValidationError({"closes_on": _("A questionnaire stays open at most two years.")})
    wave = Wave(
        questionnaire=questionnaire,
        stage=stage,
        activity=activity,
        region=region,
        year=year or opens_on.year,
        audience=audience,
        anonymous=anonymous,
        include_supervisors=include_supervisors,
        opens_on=opens_on,
        closes_on=closes_on,
        reminder_days=_clean_reminders(reminder_days),
        send_when_open=send_when_open,
        created_by=user,
    )
    require(user, Action.ADD, wave)
    return _saved(wave)


def _clean_reminders(text: str) -> str:
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not all(part.isdigit() and 1 <= int(part) <= 365 for part in parts) or len(parts) > 6:
        raise ValidationError({"reminder_days": _("List up to six days between 1 and 365, e.g. 7,14.")})
    return ",".join(str(day) for day in sorted({int(part) for part in parts}))


@transaction.atomic
def wave_update(*, user, wave: Wave, closes_on: datetime.date, reminder_days: str) -> Wave:
    """Move the closing date (every link's window moves with it) or the reminders."""
    require(user, Action.CHANGE, wave)
    if closes_on < wave.opens_on or (closes_on - wave.opens_on).days > MAX_WAVE_DAYS:
        raise ValidationError(
            {"closes_on": _("The closing date must fall within two years after the opening.")}
        )
    wave.closes_on = closes_on
    wave.reminder_days = _clean_reminders(reminder_days)
    _saved(wave)
    wave.invitations.update(valid_until=closes_on)
    return wave


def wave_send(*, user, wave: Wave):
    """Queue the sending of the wave's links (a job: a workshop's nominees or a region's focal points)."""
    from jobs.services import job_enqueue
    from surveys.jobs import SEND_WAVE

    require(user, Action.CHANGE, wave)
    if wave.closes_on < _today():
        raise ValidationError(_("This questionnaire has closed; move its closing date to send it."))
    return job_enqueue(kind=SEND_WAVE, payload={"wave": wave.pk}, user=user)


# --- recipients and their links ----------------------------------------------------------------


def wave_recipients(wave: Wave) -> list[dict]:
    """Who the wave goes to: one entry per person (or focal point account) and respondent role."""
    from accounts.models import User
    from activities.models import Attendance, Nomination, NominationStatus, Participation, ParticipationRole

    recipients = []
    if wave.audience == Audience.NOMINEES:
        nominations = (
            Nomination.objects.filter(activity=wave.activity)
            .exclude(status=NominationStatus.DECLINED)
            .select_related("person")
        )
        recipients = [_person_entry(n.person, n.member_id, RespondentRole.NOMINEE) for n in nominations]
    elif wave.audience == Audience.PARTICIPANTS:
        participations = (
            Participation.objects.filter(activity=wave.activity, role=ParticipationRole.PARTICIPANT)
            .exclude(attendance=Attendance.ABSENT)
            .select_related("person")
        )
        for participation in participations:
            recipients.append(
                _person_entry(participation.person, participation.member_id, RespondentRole.PARTICIPANT)
            )
            if wave.include_supervisors:
                recipients += _supervisor_entries(participation)
    else:
        focal_points = User.objects.filter(role=Role.FOCAL_POINT, is_active=True).exclude(email="")
        if wave.audience == Audience.FOCAL_POINTS:
            members = set(wave.activity.beneficiary_members.values_list("pk", flat=True))
            members |= {wave.activity.host_member_id} - {None}
            focal_points = focal_points.filter(member__in=members)
        else:
            focal_points = focal_points.filter(member__region=wave.region_id)
        recipients = [
            {
                "user": user,
                "person": getattr(user, "person", None),
                "key": f"user:{user.pk}",
                "role": RespondentRole.FOCAL_POINT,
                "member_id": user.member_id,
                "email": user.email,
                "name": user.get_full_name() or user.username,
                "about": None,
            }
            for user in focal_points.select_related("person")
        ]
    return recipients


def _person_entry(person, member_id, role) -> dict:
    return {
        "user": None,
        "person": person,
        "key": f"person:{person.pk}",
        "role": role,
        "member_id": member_id or person.member_id,
        "email": person.email,
        "name": str(person),
        "about": None,
    }


def _supervisor_entries(participation) -> list[dict]:
    """A participant's supervisor is reached through the administration's focal points, who pass the
    link on: cbhub does not know supervisors by name."""
    from accounts.models import User

    return [
        {
            "user": user,
            "person": None,
            "key": f"user:{user.pk}:about:{participation.person_id}",
            "role": RespondentRole.SUPERVISOR,
            "member_id": participation.member_id,
            "email": user.email,
            "name": _("Supervisor of %(person)s") % {"person": participation.person},
            "about": participation.person,
        }
        for user in User.objects.filter(
            role=Role.FOCAL_POINT, member=participation.member_id, is_active=True
        ).exclude(email="")
    ]


def _token(salt: str) -> str:
    """The link's token: an HMAC of the invitation's salt under the site's secret, so a copy of the
    database alone yields no working link, and a reminder can carry the same link again."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"surveys.invitation:{salt}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(invitation: Invitation) -> str:
    return _token(invitation.token_salt)


def invitation_language(wave: Wave, definition: dict) -> str:
    offered = definition.get("languages", ["en"])
    if wave.activity_id:
        for code in (wave.activity.languages or "").split(","):
            if code.strip() in offered:
                return code.strip()
    return offered[0]


def wave_issue_invitations(wave: Wave) -> list[Invitation]:
    """One link per recipient not yet invited (a recipient without an email address gets none)."""
    definition = current_version(wave.questionnaire).definition
    language = invitation_language(wave, definition)
    existing = set(wave.invitations.values_list("recipient_key", "role"))
    created = []
    for entry in wave_recipients(wave):
        if (entry["key"], entry["role"]) in existing or not entry["email"]:
            continue
        salt = secrets.token_hex(16)
        created.append(
            _saved(
                Invitation(
                    wave=wave,
                    person=entry["person"],
                    user=entry["user"],
                    about=entry["about"],
                    recipient_key=entry["key"],
                    role=entry["role"],
                    member_id=entry["member_id"],
                    email=entry["email"],
                    name=entry["name"][:210],
                    language=language,
                    token_salt=salt,
                    token_hash=token_hash(_token(salt)),
                    valid_from=wave.opens_on,
                    valid_until=wave.closes_on,
                )
            )
        )
        existing.add((entry["key"], entry["role"]))
    return created


def invitation_link(invitation: Invitation) -> str:
    path = reverse("surveys:respond", args=[invitation_token(invitation)])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def invitation_send(invitation: Invitation, *, reminder: bool = False) -> None:
    """Email the link in the invitation's language (SMTP in production, the console in development)."""
    wave = invitation.wave
    with translation.override(invitation.language):
        title = spec.text_in(wave.questionnaire.titles, invitation.language)
        subject = (_("Reminder: %(title)s") if reminder else _("Questionnaire: %(title)s")) % {"title": title}
        context = {
            "name": invitation.name,
            "title": title,
            "subject": wave.activity.title if wave.activity_id else f"{wave.region.label} {wave.year}",
            "link": invitation_link(invitation),
            "closes": wave.closes_on.isoformat(),
        }
        body = (
            _(
                "Dear %(name)s,\n\nPlease answer the questionnaire “%(title)s” about %(subject)s:\n"
                "%(link)s\n\nThe link is personal: please do not forward it. You can save your answers and "
                "come back to them, and change them until %(closes)s.\n\nThank you."
            )
            % context
        )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email]).send(fail_silently=False)
    now = timezone.now()
    if reminder:
        invitation.reminders_sent += 1
        invitation.save(update_fields=["reminders_sent", "updated_at"])
    else:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at", "updated_at"])


def invitations_due_reminder(wave: Wave, on: datetime.date) -> list[Invitation]:
    """The links whose next reminder day has come, unanswered."""
    if wave.sent_at is None or not wave.is_open_on(on):
        return []
    # Counted from the sending, or from the opening for links sent before it.
    days_since = (on - max(timezone.localdate(wave.sent_at), wave.opens_on)).days
    due_count = sum(1 for offset in wave.reminder_offsets if offset <= days_since)
    return list(
        wave.invitations.filter(
            completed_at__isnull=True, sent_at__isnull=False, reminders_sent__lt=due_count
        )
    )


# --- answering through a personal link ---------------------------------------------------------


class LinkRefused(Exception):
    """A personal link that may not be used now; the message says why, for the respondent."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


def invitation_by_token(
    token: str, *, on: datetime.date | None = None, for_update: bool = False
) -> Invitation:
    on = on or _today()
    queryset = Invitation.objects.select_related("wave__questionnaire", "wave__activity", "wave__region")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    invitation = (
        queryset.filter(token_hash=token_hash(token)).first()
        if 16 <= len(token) <= 80 and token.isalnum()
        else None
    )
    if invitation is None:
        raise LinkRefused(_("This link is not valid. Check that you copied it whole from your email."), 404)
    if on < invitation.valid_from:
        raise LinkRefused(
            _("This questionnaire opens on %(date)s.") % {"date": invitation.valid_from.isoformat()}
        )
    if on > invitation.valid_until:
        raise LinkRefused(
            _("This questionnaire closed on %(date)s. Answers given before then are kept.")
            % {"date": invitation.valid_until.isoformat()},
            410,
        )
    return invitation


def resume_key(token: str) -> str:
    """An anonymous response is found again only from the token, which the database does not hold."""
    return hashlib.sha256(f"resume:{token}".encode()).hexdigest()


def response_for(invitation: Invitation, token: str) -> Response | None:
    if invitation.wave.anonymous:
        return Response.objects.filter(resume_key=resume_key(token)).first()
    return Response.objects.filter(invitation=invitation).first()


def answers_of(response: Response | None) -> dict[str, Any]:
    """The stored answers in the shape a definition's questions take (lists, matrix dicts)."""
    if response is None:
        return {}
    return answers_from_rows(response.version.definition, response.answers.all())


def answers_from_rows(definition: dict, rows) -> dict[str, Any]:
    by_code = spec.question_map(definition)
    answers: dict[str, Any] = {}
    for row in rows:
        question = by_code.get(row.code)
        if question is None:
            continue
        kind = question["kind"]
        if kind == "matrix":
            answers.setdefault(row.code, {})[row.row] = int(row.number)
        elif kind == "multiple" or (kind == "topic" and question.get("many")):
            answers.setdefault(row.code, []).append(row.text)
        elif kind in ("rating", "number"):
            answers[row.code] = int(row.number) if float(row.number).is_integer() else row.number
        else:
            answers[row.code] = row.text
    return answers


def answer_rows(response: Response, definition: dict, answers: dict[str, Any]) -> list[Answer]:
    """The rows that hold a response's answers: one per value (a choice, a topic, a matrix row)."""
    rows = []
    for code, value in answers.items():
        kind = spec.question_map(definition)[code]["kind"]
        if kind == "matrix":
            rows += [
                Answer(response=response, code=code, row=row, number=point) for row, point in value.items()
            ]
        elif isinstance(value, list):
            rows += [Answer(response=response, code=code, text=item) for item in value]
        elif kind in ("rating", "number"):
            rows.append(Answer(response=response, code=code, number=value, text=str(value)))
        else:
            rows.append(Answer(response=response, code=code, text=value))
    return rows


def answers_clean(definition: dict, raw: dict[str, Any], *, submit: bool) -> tuple[dict, dict]:
    """(answers that fit, {code: message} for those that do not). Questions hidden by skip logic are
    dropped; required ones are required only on submitting, so a draft can be saved half done."""
    topics, members = topic_values(), member_values()
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in spec.questions(definition):
        if not spec.is_shown(question, cleaned):
            continue
        code = question["code"]
        try:
            value = spec.answer_clean(question, raw.get(code), topics=topics, members=members)
        except ValidationError as error:
            errors[code] = " ".join(error.messages)
            continue
        if value is None:
            if submit and question.get("required"):
                errors[code] = _("This question needs an answer.")
            continue
        cleaned[code] = value
    return cleaned, errors


@transaction.atomic
def response_save(
    *,
    token: str,
    raw: dict[str, Any],
    submit: bool,
    nonce: str = "",
    language: str = "",
    version_id: int | None = None,
) -> tuple[Response, dict[str, str], bool]:
    """Save a respondent's answers through their link: (response, errors, already_received).

    Answers that fit are kept even when others do not (the respondent loses nothing typed); the
    response becomes submitted only when nothing is missing. A form posted twice (the same nonce) is
    received once. Whoever opened an earlier version answers that version: a questionnaire changed
    while people answer it keeps both."""
    invitation = invitation_by_token(token, for_update=True)
    wave = invitation.wave
    response = response_for(invitation, token)
    if submit and response is not None and nonce and response.last_nonce == nonce:
        return response, {}, True
    if submit and invitation.uses >= invitation.max_uses:
        raise LinkRefused(
            _("This link has been used as many times as it may be. Ask the organisers for help.")
        )
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        # Once submitted, a change is a new submission: complete, counted, rescored.
        submit = True
        if invitation.uses >= invitation.max_uses:
            raise LinkRefused(
                _("This link has been used as many times as it may be. Ask the organisers for help.")
            )
    version = _answering_version(wave, response, version_id)
    definition = version.definition
    if response is None:
        response = _response_start(invitation, token, version)
    previous = answers_of(response)
    cleaned, errors = answers_clean(definition, raw, submit=submit)
    if errors and response.status == ResponseStatus.SUBMITTED:
        return response, errors, False  # the submitted answers stay as they were until a whole change
    # A value that did not fit leaves the stored one as it was.
    kept = {code: previous[code] for code in errors if code in previous}
    answers = {**cleaned, **kept}
    response.answers.all().delete()
    Answer.objects.bulk_create(answer_rows(response, definition, answers))
    if language in definition.get("languages", []):
        response.language = invitation.language = language
    if submit and not errors:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = timezone.now()
        response.score = spec.score(definition, answers)
        response.last_nonce = nonce.replace("\x00", "")[:32]
        invitation.uses += 1
        invitation.completed_at = invitation.completed_at or timezone.now()
        _needs_record(response, definition, answers)
    response.save()
    invitation.save(update_fields=["uses", "completed_at", "language", "updated_at"])
    return response, errors, False


def _answering_version(wave: Wave, response: Response | None, version_id: int | None) -> QuestionnaireVersion:
    if response is not None:
        return response.version
    versions = wave.questionnaire.versions
    opened = versions.filter(pk=version_id).first() if isinstance(version_id, int) else None
    return opened or versions.order_by("-number").first()


def _response_start(invitation: Invitation, token: str, version: QuestionnaireVersion) -> Response:
    anonymous = invitation.wave.anonymous
    person = invitation.person
    member = invitation.member
    return _saved(
        Response(
            wave=invitation.wave,
            version=version,
            invitation=None if anonymous else invitation,
            person=None if anonymous else person,
            about=None if anonymous else invitation.about,
            resume_key=resume_key(token) if anonymous else None,
            role=invitation.role,
            member=member,
            region_id=member.region_id if member else invitation.wave.region_id,
            gender=person.gender if person else "undisclosed",
            language=invitation.language,
        )
    )


def _needs_record(response: Response, definition: dict, answers: dict[str, Any]) -> None:
    """A needs questionnaire's topic picks become the administration's needs for the wave's year."""
    from topics.models import Topic

    response.needs.all().delete()
    picked = {
        slug
        for question in spec.questions(definition)
        if question["kind"] == "topic"
        for slug in _as_list(answers.get(question["code"]))
    }
    topic_ids = dict(Topic.objects.filter(slug__in=picked).values_list("slug", "pk"))
    Need.objects.bulk_create(need_rows(response, definition, answers, topic_ids))


def _as_list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def need_rows(response: Response, definition: dict, answers: dict[str, Any], topic_ids: dict) -> list[Need]:
    """One need per topic picked in a needs wave, weighed by the heaviest question that picked it."""
    if response.wave.stage not in NEEDS_STAGES or response.member_id is None:
        return []
    weights: dict[str, float] = {}
    for question in spec.questions(definition):
        if question["kind"] == "topic":
            for slug in _as_list(answers.get(question["code"])):
                weights[slug] = max(weights.get(slug, 0), float(question.get("need_weight", 1)))
    return [
        Need(
            region_id=response.region_id,
            year=response.wave.year,
            member_id=response.member_id,
            topic_id=topic_ids[slug],
            weight=weight,
            response=response,
        )
        for slug, weight in weights.items()
        if slug in topic_ids
    ]


def invitation_mark_opened(invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=timezone.now())


# --- from needs to a plan ----------------------------------------------------------------------


@transaction.atomic
def plan_from_needs(*, user, region, year: int, topics: list, members: list, title: str, kind: str):
    """A proposed activity answering the chosen needs: its topics and beneficiary administrations
    filled in, and the link to the needs it answers kept."""
    from activities.services import activity_create
    from network.models import Office, OfficeKind

    if not topics:
        raise ValidationError({"topics": _("Choose at least one need.")})
    activity = activity_create(
        user=user,
        data={
            "title": title,
            "kind": kind,
            "lead_office": Office.objects.filter(region=region, kind=OfficeKind.ROCB).first(),
            "region": region,
            "topics": topics,
            "beneficiary_members": members,
        },
    )
    for topic in topics:
        link = ActivityNeed(activity=activity, region=region, year=year, topic=topic, created_by=user)
        require(user, Action.ADD, link)
        _saved(link)
    return activity
