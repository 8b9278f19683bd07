"""The recognition of university programmes against a competency framework (the WCO Professional
Standards), as the WCO Guidelines on Recognition of University Customs Curricula describe it.

- An institution (a university, a customs academy or an RTC) applies with a programme: its
  curriculum, its courses mapped to current competencies of the chosen framework, and documents of
  the knowledge base. Any signed-in user but a donor applies, for an institution they pick or create
  (`Institution`'s policy says who may create which). The applicant side (the applicant, and for an
  RTC its coordinators) edits the application while it is submitted; once under review it is frozen.
- The Secretariat assigns reviewers (people, who act through their account); the first assignment
  puts the application under review. A conflicted reviewer is refused with the cause in words, by
  the rules of PICARD's reviewers (`conferences.conflicts`): the applicant themselves, a reviewer of
  the institution's country, of the institution itself (by name, case- and space-insensitively, as
  their PICARD reviewer profiles give it), or named by a standing conflict.
- Each reviewer scores how well the programme covers every competency its courses map to (0 none –
  3 fully, with comments) and submits the review. A reviewer sees their own scores only; once they
  submitted theirs, they see the averages of the submitted reviews. The applicant and the public see
  averages per competency once decided, never who scored what.
- The Secretariat decides, always with reasons, after at least one submitted review: recognised
  (for RECOGNITION_YEARS years unless it says otherwise), recognised with conditions (the conditions
  said), or not recognised.
- A recognised programme is renewed by a new application naming the one it renews, prefilled from
  it; a daily job emails the applicant EXPIRY_NOTICE_DAYS days before the recognition expires, once.

Every write is keyword-only, atomic, permission-checked and `full_clean()`ed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from conferences.conflicts import Cause, normal_name
from core.permissions import Action, allowed_as_edited, can, is_secretariat, require, require_related_visible
from jobs.registry import job_handler
from jobs.schedule import register_periodic
from network.models import OfficeKind
from training.models import (
    DECIDED_STATUSES,
    RECOGNISED_STATUSES,
    Competency,
    CoverageScore,
    Institution,
    InstitutionKind,
    ProgrammeCourse,
    RecognitionApplication,
    RecognitionReviewer,
    RecognitionStatus,
)

RECOGNITION_YEARS = 5
EXPIRY_NOTICE_DAYS = 90
EXPIRY_NOTICES = "training.recognition_expiry_notices"

# Applications still moving: the applicant may withdraw them, the Secretariat assign reviewers.
OPEN_STATUSES = [RecognitionStatus.SUBMITTED, RecognitionStatus.UNDER_REVIEW]
SCORES = (0, 1, 2, 3)
APPLICATION_FIELDS = ("institution", "framework", "programme", "curriculum")
INSTITUTION_FIELDS = ("name", "kind", "country", "office", "website")


def today() -> datetime.date:
    return timezone.localdate()


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _years_after(day: datetime.date, years: int) -> datetime.date:
    if day.year + years > datetime.MAXYEAR:
        raise ValidationError(
            {"expires_on": _("Give the expiry date: the default one is past the year 9999.")}
        )
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- who may do what -------------------------------------------------------------------------------


def may_edit(user, application: RecognitionApplication) -> bool:
    """The applicant side: the applicant, an RTC's coordinators for their centre's applications, and
    the Secretariat. (Reviewers may view an application; they never write it.)"""
    if is_secretariat(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    if application.applicant_id == user.pk:
        return True
    return (
        user.role == Role.RTC_COORDINATOR
        and user.office_id is not None
        and application.institution.office_id == user.office_id
    )


def _require_applicant_side(user, application: RecognitionApplication) -> None:
    require(user, Action.VIEW, application)
    if not may_edit(user, application):
        raise PermissionDenied(_("Only the applicant, or the centre's coordinators, change an application."))


def require_editable(user, application: RecognitionApplication) -> None:
    _require_applicant_side(user, application)
    if application.status != RecognitionStatus.SUBMITTED:
        raise ValidationError(
            _("The application is “%(status)s”: it no longer changes.")
            % {"status": application.get_status_display()}
        )


def require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise PermissionDenied(_("The Secretariat reviews and decides recognition applications."))


def own_reviewer(user, application: RecognitionApplication) -> RecognitionReviewer | None:
    """The user's reviewer row on this application, if they were assigned."""
    if not user.is_authenticated:
        return None
    return RecognitionReviewer.objects.filter(application=application, person__user=user.pk).first()


def open_renewal(application: RecognitionApplication) -> RecognitionApplication | None:
    return application.renewals.filter(status__in=[*OPEN_STATUSES, *RECOGNISED_STATUSES]).first()


def actions_for(user, application: RecognitionApplication) -> dict[str, bool]:
    """What the application's page offers this user, for its buttons and forms."""
    status = application.status
    applicant_side = may_edit(user, application)
    reviewer = own_reviewer(user, application)
    return {
        "edit": applicant_side and status == RecognitionStatus.SUBMITTED,
        "withdraw": applicant_side and status in OPEN_STATUSES,
        "assign": is_secretariat(user) and status in OPEN_STATUSES,
        "review": reviewer is not None
        and reviewer.submitted_at is None
        and status == RecognitionStatus.UNDER_REVIEW,
        "decide": is_secretariat(user) and status == RecognitionStatus.UNDER_REVIEW,
        # The Secretariat may renew on the applicant's behalf (the service), but the button is theirs.
        "renew": applicant_side
        and (application.applicant_id == user.pk or not is_secretariat(user))
        and status in RECOGNISED_STATUSES
        and open_renewal(application) is None,
    }


# --- reads ---------------------------------------------------------------------------------------


def applications_for(user):
    """The applications a user works on: their own and their centre's, those they review; every one
    for the Secretariat. (Recognised programmes everyone may see are on the public list instead.)"""
    rows = RecognitionApplication.objects.restrict(user)
    if not is_secretariat(user):
        mine = Q(applicant=user.pk) | Q(
            pk__in=RecognitionReviewer.objects.filter(person__user=user.pk).values("application")
        )
        if user.role == Role.RTC_COORDINATOR and user.office_id:
            mine |= Q(institution__office=user.office_id)
        rows = rows.filter(mine)
    return rows.distinct()


def recognised_programmes(user, on: datetime.date | None = None):
    """Programmes recognised today (with or without conditions, not expired, not replaced by a
    recognised renewal), by country and institution."""
    on = on or today()
    renewed = RecognitionApplication.objects.filter(renews=OuterRef("pk"), status__in=RECOGNISED_STATUSES)
    return (
        RecognitionApplication.objects.restrict(user)
        .filter(status__in=RECOGNISED_STATUSES, expires_on__gte=on)
        .filter(~Exists(renewed))
        .select_related("institution__country", "framework")
        .order_by("institution__country__name", "institution__name", "programme", "pk")
        .distinct()
    )


def competencies_to_score(application: RecognitionApplication):
    """The competencies of the application's framework its courses map to: what reviewers score."""
    return (
        Competency.objects.filter(
            programme_courses__application=application, area__framework=application.framework_id
        )
        .select_related("area")
        .distinct()
        .order_by("area__position", "area__code", "position", "code")
    )


def summary_visible(user, application: RecognitionApplication) -> bool:
    """Averages per competency: for the Secretariat; once decided, for whoever sees the application;
    for a reviewer once they submitted their own review. Never before, so no one scores to match."""
    if is_secretariat(user):
        return True
    if application.status in DECIDED_STATUSES:
        return can(user, Action.VIEW, application)
    reviewer = own_reviewer(user, application)
    return reviewer is not None and reviewer.submitted_at is not None


@dataclass(frozen=True)
class CoverageRow:
    competency: Competency
    average: Decimal | None  # None: no submitted review scored it
    scores: int


def coverage_summary(application: RecognitionApplication) -> dict[str, Any]:
    """The submitted reviews' average score per scored competency, and how much of the framework's
    current competencies the programme claims. Nothing here names a reviewer."""
    averages = {
        row["competency"]: row
        for row in CoverageScore.objects.filter(
            reviewer__application=application, reviewer__submitted_at__isnull=False
        )
        .values("competency")
        .annotate(average=Avg("score"), scores=Count("pk"))
    }
    rows = []
    for competency in competencies_to_score(application):
        found = averages.get(competency.pk)
        average = None if found is None else Decimal(str(found["average"])).quantize(Decimal("0.1"))
        rows.append(CoverageRow(competency, average, found["scores"] if found else 0))
    framework_total = Competency.objects.filter(
        area__framework=application.framework_id, is_retired=False
    ).count()
    scored = [row.average for row in rows if row.average is not None]
    return {
        "rows": rows,
        "reviews": application.reviewers.filter(submitted_at__isnull=False).count(),
        "overall": (sum(scored) / len(scored)).quantize(Decimal("0.1")) if scored else None,
        "mapped": len(rows),
        "framework_total": framework_total,
    }


# --- institutions ----------------------------------------------------------------------------------


def _institution_errors(error: ValidationError) -> ValidationError:
    """An institution's field errors under the apply form's names (institution_name, ...)."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {
                f"institution_{name}" if name != "__all__" else "institution": errors
                for name, errors in error.error_dict.items()
            }
        )
    return ValidationError({"institution": error.messages})


@transaction.atomic
def institution_create(*, user, data: Mapping[str, Any]) -> Institution:
    """A new institution: an RTC coordinator's own centre, a focal point's country's university or
    academy, anyone's for researchers and experts (the Secretariat's too)."""
    unknown = set(data) - set(INSTITUTION_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown institution fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    require_related_visible(user, Institution, data)
    institution = Institution(**{name: value for name, value in data.items() if value not in (None, "")})
    institution.name = " ".join((institution.name or "").split())
    if institution.kind == InstitutionKind.RTC and institution.office_id is None and user.office_id:
        institution.office_id = user.office_id
    if institution.country_id is None:
        if institution.office_id and institution.office.host_member_id:
            institution.country_id = institution.office.host_member_id
        elif user.role == Role.FOCAL_POINT and user.member_id:
            institution.country_id = user.member_id
    if institution.office_id is not None and not (
        is_secretariat(user) or user.office_id == institution.office_id
    ):
        # Only the centre itself (or the Secretariat) registers an RTC as an institution.
        raise ValidationError({"institution_office": _("Only the centre's own coordinators register it.")})
    if institution.office_id is not None:
        if institution.kind != InstitutionKind.RTC or institution.office.kind != OfficeKind.RTC:
            raise ValidationError(
                {"institution_office": _("Only a Regional Training Centre names its office.")}
            )
    elif institution.kind == InstitutionKind.RTC:
        raise ValidationError({"institution_office": _("Name the office of the Regional Training Centre.")})
    try:
        institution.full_clean()
    except ValidationError as error:
        raise _institution_errors(error) from None
    twins = Institution.objects.filter(country=institution.country_id)
    if any(normal_name(other.name) == normal_name(institution.name) for other in twins.only("name")):
        raise ValidationError(
            {
                "institution_name": _("%(name)s is already registered: pick it from the list.")
                % {"name": institution.name}
            }
        )
    if not allowed_as_edited(user, Action.ADD, institution):
        raise PermissionDenied(_("Your role may not register this institution: pick it from the list."))
    institution.save()
    return institution


# --- applications --------------------------------------------------------------------------------


def _check_framework(framework) -> None:
    if framework is None:
        raise ValidationError(
            {"framework": _("Choose the competency framework the programme is designed against.")}
        )


def _check_competencies(application: RecognitionApplication, competencies) -> list[Competency]:
    competencies = list(competencies)
    retired = [str(competency) for competency in competencies if competency.is_retired]
    if retired:
        raise ValidationError(
            {
                "competencies": _("%(competencies)s is retired: map the course to a current competency.")
                % {"competencies": ", ".join(retired)}
            }
        )
    foreign = [
        str(competency)
        for competency in Competency.objects.filter(pk__in=[competency.pk for competency in competencies])
        .exclude(area__framework=application.framework_id)
        .order_by("code")
    ]
    if foreign:
        raise ValidationError(
            {
                "competencies": _("%(competencies)s is not a competency of %(framework)s.")
                % {"competencies": ", ".join(foreign), "framework": application.framework}
            }
        )
    return competencies


def _add_course(user, application: RecognitionApplication, data: Mapping[str, Any]) -> ProgrammeCourse:
    competencies = list(data.get("competencies") or [])
    require_related_visible(user, ProgrammeCourse, {"competencies": competencies})
    _check_competencies(application, competencies)
    hours = data.get("hours")
    if hours is not None and hours <= 0:
        raise ValidationError({"hours": _("Give the course's hours, more than zero, or leave them empty.")})
    course = ProgrammeCourse(
        application=application, title=" ".join((data.get("title") or "").split()), hours=hours
    )
    _saved(course)
    course.competencies.set(competencies)
    return course


@transaction.atomic
def application_submit(
    *,
    user,
    framework,
    programme: str,
    curriculum: str,
    institution: Institution | None = None,
    new_institution: Mapping[str, Any] | None = None,
    documents: Iterable = (),
    courses: Iterable[Mapping[str, Any]] = (),
    renews: RecognitionApplication | None = None,
) -> RecognitionApplication:
    """Apply for the recognition of a programme, for an institution picked or newly registered, with
    its courses ({"title", "hours", "competencies"}) and documents."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to apply for the recognition of a programme."))
    if not allowed_as_edited(user, Action.ADD, RecognitionApplication(applicant=user)):
        raise PermissionDenied(_("Your role may not apply for the recognition of a programme."))
    documents = list(documents)
    require_related_visible(
        user,
        RecognitionApplication,
        {"institution": institution, "framework": framework, "documents": documents},
    )
    has_new = bool(new_institution and any(value not in (None, "") for value in new_institution.values()))
    if institution is not None and has_new:
        raise ValidationError({"institution": _("Pick an institution or register a new one, not both.")})
    if institution is None and not has_new:
        raise ValidationError({"institution": _("Pick the applying institution, or register a new one.")})
    _check_framework(framework)
    if renews is not None and not (may_edit(user, renews) and renews.status in RECOGNISED_STATUSES):
        raise PermissionDenied(_("Only the applicant side of a recognised programme renews it."))
    if institution is None:
        institution = institution_create(user=user, data=new_institution)
    application = RecognitionApplication(
        institution=institution,
        framework=framework,
        programme=" ".join((programme or "").split()),
        curriculum=(curriculum or "").strip(),
        applicant=user,
        status=RecognitionStatus.SUBMITTED,
        renews=renews,
    )
    _saved(application)
    application.documents.set(documents)
    for number, course in enumerate(courses, start=1):
        try:
            _add_course(user, application, course)
        except ValidationError as error:
            messages = error.messages
            raise ValidationError(
                {
                    "courses": _("Course %(number)d: %(errors)s")
                    % {"number": number, "errors": " ".join(messages)}
                }
            ) from None
    return application


@transaction.atomic
def application_update(
    *, user, application: RecognitionApplication, data: Mapping[str, Any]
) -> RecognitionApplication:
    """Change a submitted application's institution, framework, programme, curriculum or documents."""
    unknown = set(data) - {*APPLICATION_FIELDS, "documents"}
    if unknown:
        raise ValidationError(
            _("Unknown application fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    require_editable(user, application)
    require_related_visible(user, RecognitionApplication, data, instance=application)
    if "framework" in data:
        _check_framework(data["framework"])
        if (
            data["framework"].pk != application.framework_id
            and application.courses.filter(competencies__isnull=False).exists()
        ):
            raise ValidationError(
                {
                    "framework": _(
                        "The courses map competencies of %(framework)s: remove them before changing it."
                    )
                    % {"framework": application.framework}
                }
            )
    if "institution" in data and data["institution"] is None:
        raise ValidationError({"institution": _("Pick the applying institution, or register a new one.")})
    for name in APPLICATION_FIELDS:
        if name in data:
            value = data[name]
            if name == "programme":
                value = " ".join((value or "").split())
            elif name == "curriculum":
                value = (value or "").strip()
            setattr(application, name, value)
    _saved(application)
    if "documents" in data:
        application.documents.set(list(data["documents"] or []))
    return application


@transaction.atomic
def course_add(
    *, user, application: RecognitionApplication, title: str, hours=None, competencies=()
) -> ProgrammeCourse:
    require_editable(user, application)
    return _add_course(user, application, {"title": title, "hours": hours, "competencies": competencies})


@transaction.atomic
def course_delete(*, user, course: ProgrammeCourse) -> None:
    require_editable(user, course.application)
    course.delete()


@transaction.atomic
def application_withdraw(
    *, user, application: RecognitionApplication, reason: str = ""
) -> RecognitionApplication:
    """The applicant withdraws an application that is not decided yet."""
    _require_applicant_side(user, application)
    if application.status not in OPEN_STATUSES:
        raise ValidationError(
            _("The application is “%(status)s”: it can no longer be withdrawn.")
            % {"status": application.get_status_display()}
        )
    application.status = RecognitionStatus.WITHDRAWN
    if reason.strip():
        application.reasons = reason.strip()
    return _saved(application)


# --- reviewers and conflicts -------------------------------------------------------------------------


def reviewer_conflicts(person, application: RecognitionApplication) -> list[Cause]:
    """Why `person` may not review `application`, as PICARD's reviewers: each cause in words."""
    from conferences.models import Reviewer, StandingConflict
    from people.models import Person

    institution = application.institution
    causes: list[Cause] = []
    if person.user_id is not None and person.user_id == application.applicant_id:
        return [Cause("applicant", _("account"), _("the applicant themselves"))]
    if person.member_id is not None and person.member_id == institution.country_id:
        causes.append(
            Cause(
                "administration",
                _("registry"),
                _("from the applying institution's country (%(member)s)") % {"member": institution.country},
            )
        )
    name = normal_name(institution.name)
    profiles = {
        normal_name(value)
        for value in Reviewer.objects.filter(person=person).values_list("institution", flat=True)
    }
    works_there = name in profiles
    if not works_there and institution.office_id and person.user_id:
        works_there = person.user.office_id == institution.office_id
    if works_there:
        causes.append(
            Cause(
                "institution",
                _("profile"),
                _("works at the applying institution (%(institution)s)") % {"institution": institution.name},
            )
        )
    applicant_person = Person.objects.filter(user=application.applicant_id).first()
    for other_id, member_id, member_name, named in StandingConflict.objects.filter(person=person).values_list(
        "other_person_id", "member_id", "member__name", "institution"
    ):
        if applicant_person is not None and other_id == applicant_person.pk:
            causes.append(Cause("standing", _("profile"), _("a standing conflict with the applicant")))
        elif member_id is not None and member_id == institution.country_id:
            causes.append(
                Cause(
                    "standing",
                    _("profile"),
                    _("a standing conflict with %(member)s") % {"member": member_name},
                )
            )
        elif normal_name(named) and normal_name(named) == name:
            causes.append(
                Cause(
                    "standing",
                    _("profile"),
                    _("a standing conflict with %(institution)s") % {"institution": institution.name},
                )
            )
    if applicant_person is not None:
        for other_id, member_id, named in StandingConflict.objects.filter(
            person=applicant_person
        ).values_list("other_person_id", "member_id", "institution"):
            if (
                other_id == person.pk
                or (member_id is not None and member_id == person.member_id)
                or (normal_name(named) and normal_name(named) in profiles)
            ):
                causes.append(
                    Cause("standing", _("profile"), _("a standing conflict on the applicant's profile"))
                )
                break
    return causes


@transaction.atomic
def reviewer_assign(*, user, application: RecognitionApplication, person) -> RecognitionReviewer:
    """The Secretariat assigns a reviewer; the first one puts the application under review."""
    require_secretariat(user)
    if person is None:
        raise ValidationError({"person": _("Choose the reviewer.")})
    require_related_visible(user, RecognitionReviewer, {"person": person})
    if application.status not in OPEN_STATUSES:
        raise ValidationError(
            _("The application is “%(status)s”: it takes no more reviewers.")
            % {"status": application.get_status_display()}
        )
    if person.user_id is None:
        raise ValidationError(
            {
                "person": _("%(person)s has no account: a reviewer scores through their account.")
                % {"person": person}
            }
        )
    if application.reviewers.filter(person=person).exists():
        raise ValidationError(
            {"person": _("%(person)s already reviews this application.") % {"person": person}}
        )
    causes = reviewer_conflicts(person, application)
    if causes:
        raise ValidationError(
            {
                "person": _("%(person)s has a conflict of interest with this application: %(causes)s.")
                % {"person": person, "causes": "; ".join(cause.message for cause in causes)}
            }
        )
    if not competencies_to_score(application).exists():
        raise ValidationError(
            _("No course of the programme maps a competency yet: there is nothing to review.")
        )
    reviewer = _saved(RecognitionReviewer(application=application, person=person))
    if application.status == RecognitionStatus.SUBMITTED:
        application.status = RecognitionStatus.UNDER_REVIEW
        _saved(application)
    _notify(
        [person.user],
        _("A recognition application to review: %(application)s") % {"application": application},
        _("The Secretariat asks you to review “%(application)s” against %(framework)s: %(url)s")
        % {
            "application": application,
            "framework": application.framework,
            "url": _absolute(application.get_absolute_url()),
        },
    )
    return reviewer


# --- scores and reviews --------------------------------------------------------------------------


def _require_own_open_review(user, reviewer: RecognitionReviewer) -> None:
    if not (user.is_authenticated and reviewer.person.user_id == user.pk):
        raise PermissionDenied(_("Only the assigned reviewer scores their review."))
    if reviewer.application.status != RecognitionStatus.UNDER_REVIEW:
        raise ValidationError(
            _("The application is “%(status)s”: reviews are closed.")
            % {"status": reviewer.application.get_status_display()}
        )
    if reviewer.submitted_at is not None:
        raise ValidationError(_("Your review is submitted: it no longer changes."))


def _record_score(
    reviewer: RecognitionReviewer, competency: Competency, score, comment: str, scorable: set
) -> CoverageScore:
    if competency.pk not in scorable:
        raise ValidationError(
            {
                "competency": _("%(competency)s is not mapped by the programme's courses.")
                % {"competency": competency}
            }
        )
    if score not in SCORES:
        raise ValidationError(
            {
                f"score_{competency.pk}": _("Score %(competency)s from 0 (not covered) to 3 (fully covered).")
                % {"competency": competency}
            }
        )
    row = CoverageScore.objects.filter(reviewer=reviewer, competency=competency).first() or CoverageScore(
        reviewer=reviewer, competency=competency
    )
    row.score, row.comment = score, (comment or "").strip()
    return _saved(row)


@transaction.atomic
def score_record(
    *, user, reviewer: RecognitionReviewer, competency: Competency, score: int, comment: str = ""
) -> CoverageScore:
    """The reviewer's score of how well the programme covers one competency (0–3), with a comment."""
    _require_own_open_review(user, reviewer)
    scorable = set(competencies_to_score(reviewer.application).values_list("pk", flat=True))
    return _record_score(reviewer, competency, score, comment, scorable)


@transaction.atomic
def scores_record(
    *,
    user,
    reviewer: RecognitionReviewer,
    scores: Mapping[Competency, tuple[int | None, str]],
    comments: str | None = None,
) -> RecognitionReviewer:
    """Several scores at once (the review form); a competency left without a score is skipped."""
    _require_own_open_review(user, reviewer)
    scorable = set(competencies_to_score(reviewer.application).values_list("pk", flat=True))
    for competency, (score, comment) in scores.items():
        if score is None:
            if comment and comment.strip():
                raise ValidationError({f"score_{competency.pk}": _("Give a score with the comment.")})
            continue
        _record_score(reviewer, competency, score, comment, scorable)
    if comments is not None:
        reviewer.comments = comments.strip()
        _saved(reviewer)
    return reviewer


@transaction.atomic
def review_submit(
    *,
    user,
    reviewer: RecognitionReviewer,
    comments: str | None = None,
    scores: Mapping[Competency, tuple[int | None, str]] | None = None,
) -> RecognitionReviewer:
    """Submit the review once every competency the courses map to is scored; it is final."""
    if scores is not None or comments is not None:
        scores_record(user=user, reviewer=reviewer, scores=scores or {}, comments=comments)
    _require_own_open_review(user, reviewer)
    scored = set(reviewer.scores.values_list("competency", flat=True))
    missing = [
        str(competency)
        for competency in competencies_to_score(reviewer.application)
        if competency.pk not in scored
    ]
    if missing:
        raise ValidationError(
            _("Score every competency the courses map to before submitting: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    reviewer.submitted_at = timezone.now()
    return _saved(reviewer)


# --- decisions -----------------------------------------------------------------------------------

DECISIONS = list(DECIDED_STATUSES)


@transaction.atomic
def application_decide(
    *,
    user,
    application: RecognitionApplication,
    outcome: str,
    reasons: str,
    conditions: str = "",
    decided_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> RecognitionApplication:
    """The Secretariat's decision, always with reasons: recognised (until `expires_on`, by default
    RECOGNITION_YEARS years after the decision), recognised with conditions, or not recognised."""
    require_secretariat(user)
    if application.status != RecognitionStatus.UNDER_REVIEW:
        raise ValidationError(
            _("The application is “%(status)s”: only an application under review is decided.")
            % {"status": application.get_status_display()}
        )
    if outcome not in DECISIONS:
        raise ValidationError(
            {"outcome": _("Choose recognised, recognised with conditions or not recognised.")}
        )
    reasons, conditions = (reasons or "").strip(), (conditions or "").strip()
    errors = {}
    if not reasons:
        errors["reasons"] = _(
            "Give the reasons for the decision: a recognition decision without reasons is not recorded."
        )
    if outcome == RecognitionStatus.CONDITIONAL and not conditions:
        errors["conditions"] = _("Say the conditions of the recognition.")
    if outcome == RecognitionStatus.RECOGNISED and conditions:
        errors["conditions"] = _(
            "Conditions make it a recognition with conditions: choose that outcome, or remove them."
        )
    if errors:
        raise ValidationError(errors)
    if not application.reviewers.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("No review is submitted yet: a decision needs at least one."))
    decided_on = decided_on or today()
    if outcome in RECOGNISED_STATUSES:
        expires_on = expires_on or _years_after(decided_on, RECOGNITION_YEARS)
        if expires_on <= decided_on:
            raise ValidationError(
                {"expires_on": _("The recognition must expire after the day it is decided.")}
            )
    else:
        expires_on, conditions = None, ""
    application.status = outcome
    application.reasons, application.conditions = reasons, conditions
    application.decided_on, application.expires_on = decided_on, expires_on
    application.expiry_notice_sent_on = None
    _saved(application)
    _notify(
        [application.applicant],
        _("Recognition decision: %(application)s") % {"application": application},
        _("%(application)s: %(outcome)s. %(url)s")
        % {
            "application": application,
            "outcome": application.get_status_display(),
            "url": _absolute(application.get_absolute_url()),
        },
    )
    return application


# --- renewals and expiry -------------------------------------------------------------------------


@transaction.atomic
def application_renew(*, user, application: RecognitionApplication) -> RecognitionApplication:
    """A renewal: a new application naming the recognised one it renews, prefilled with its programme,
    curriculum, documents and courses; it stays the applicant's when the Secretariat renews on their
    behalf. Competencies retired since are left out of the courses (they are named in
    `dropped_competencies` on the result) and documents the user may not see stay behind."""
    _require_applicant_side(user, application)
    if application.status not in RECOGNISED_STATUSES:
        raise ValidationError(_("Only a recognised programme is renewed; apply anew for this one."))
    pending = open_renewal(application)
    if pending is not None:
        raise ValidationError(
            _("This recognition is already renewed by the application of %(date)s.")
            % {"date": timezone.localdate(pending.created_at).isoformat()}
        )
    from knowledge.models import Document

    documents = Document.objects.restrict(user).filter(pk__in=application.documents.values("pk"))
    renewal = application_submit(
        user=user,
        institution=application.institution,
        framework=application.framework,
        programme=application.programme,
        curriculum=application.curriculum,
        documents=list(documents),
        renews=application,
    )
    if renewal.applicant_id != application.applicant_id and is_secretariat(user):
        renewal.applicant = application.applicant  # on the applicant's behalf: it stays theirs
        _saved(renewal)
    dropped = set()
    for course in application.courses.prefetch_related("competencies"):
        current = [competency for competency in course.competencies.all() if not competency.is_retired]
        dropped |= {str(competency) for competency in course.competencies.all() if competency.is_retired}
        _add_course(user, renewal, {"title": course.title, "hours": course.hours, "competencies": current})
    renewal.dropped_competencies = sorted(dropped)
    return renewal


def expiring(within_days: int = EXPIRY_NOTICE_DAYS, on: datetime.date | None = None):
    """Recognitions that expire within the days, not noticed yet, and not being renewed."""
    on = on or today()
    renewing = RecognitionApplication.objects.filter(
        renews=OuterRef("pk"), status__in=[*OPEN_STATUSES, *RECOGNISED_STATUSES]
    )
    return (
        RecognitionApplication.objects.filter(
            status__in=RECOGNISED_STATUSES,
            expires_on__gte=on,
            expires_on__lte=on + datetime.timedelta(days=within_days),
            expiry_notice_sent_on__isnull=True,
        )
        .filter(~Exists(renewing))
        .select_related("applicant", "institution", "framework")
    )


@transaction.atomic
def expiry_notices_send(*, within_days: int = EXPIRY_NOTICE_DAYS, on: datetime.date | None = None) -> int:
    """Email each applicant before their programme's recognition expires; once per recognition."""
    on = on or today()
    sent = 0
    for application in expiring(within_days, on):
        subject = _("Recognition expires on %(date)s: %(application)s") % {
            "date": application.expires_on.isoformat(),
            "application": application,
        }
        body = _(
            "The recognition of “%(programme)s” (%(institution)s) against %(framework)s expires on %(date)s. "
            "Apply for its renewal on cbhub: %(url)s"
        ) % {
            "programme": application.programme,
            "institution": application.institution,
            "framework": application.framework,
            "date": application.expires_on.isoformat(),
            "url": _absolute(application.get_absolute_url()),
        }
        _notify([application.applicant], subject, body)
        application.expiry_notice_sent_on = on
        application.save(update_fields=["expiry_notice_sent_on", "updated_at"])
        sent += 1
    return sent


def _notify(recipients, subject: str, body: str) -> None:
    """Email once the write is committed (a rolled-back one sends nothing)."""
    addresses = sorted({user.email for user in recipients if user is not None and user.email})
    if not addresses:
        return
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}" if getattr(settings, "SITE_URL", "") else path


@job_handler(EXPIRY_NOTICES)
def send_expiry_notices(job, progress) -> None:
    days = getattr(settings, "TRAINING_RECOGNITION_NOTICE_DAYS", EXPIRY_NOTICE_DAYS)
    sent = expiry_notices_send(within_days=days)
    progress.item("recognition expiry notices", "created" if sent else "unchanged", f"{sent} sent")


def register() -> None:
    """The daily expiry-notice job (called from TrainingConfig.ready())."""
    register_periodic(EXPIRY_NOTICES, datetime.timedelta(days=1))
