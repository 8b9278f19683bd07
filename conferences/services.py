"""The rules of conferences: who creates conferences and calls, what authors may do before each
deadline, reviewers' profiles, standing conflicts and bids, the chairs' conflict decisions,
assignments, reviews within the active phase, decisions (accepted papers enter the knowledge base),
the programme, and the bridge with practice (reports recommended on behalf of a region, workshops
proposed from research). Every write is atomic, checked with full_clean(), and every assignment,
conflict decision, review edit and decision is written to the call's audit log.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from conferences.models import (
    ACCEPTED,
    DECIDED,
    SCORE_FIELDS,
    ActivityReading,
    AffiliationKind,
    Assignment,
    AuditEntry,
    Authorship,
    Bid,
    BidValue,
    Call,
    CallStatus,
    Comment,
    Conference,
    ConferenceKind,
    ConflictKind,
    ConflictPin,
    DeclaredConflict,
    FileStage,
    OtherReviews,
    ProgrammeSession,
    Review,
    Reviewer,
    ReviewMode,
    ReviewPhase,
    StandingConflict,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from core.permissions import Action, can, is_secretariat, require, require_related_visible
from core.uploads import safe_filename

FILE_KINDS = {"pdf", "docx"}
RECOMMENDABLE_KINDS = {"good_practice", "study_paper", "mission_report", "research_paper", "annual_report"}


def _now() -> datetime.datetime:
    return timezone.now()


def _saved(instance, **clean):
    instance.full_clean(**clean)
    instance.save()
    return instance


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}" if getattr(settings, "SITE_URL", "") else path


def _mail(addresses, subject: str, body: str) -> None:
    """Send once the write is committed (a rolled-back decision tells no one)."""
    addresses = sorted({address for address in addresses if address})
    if addresses:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
        )


def audit(call: Call, user, action: str, detail: str = "", submission: Submission | None = None) -> None:
    AuditEntry.objects.create(call=call, submission=submission, user=user, action=action, detail=detail[:500])


# --- who is who ----------------------------------------------------------------------------------


def is_chair(user, conference: Conference) -> bool:
    """The Secretariat chairs every conference; an ROCB officer chairs their region's."""
    if is_secretariat(user):
        return True
    return bool(
        user.is_authenticated
        and user.role == Role.ROCB_OFFICER
        and conference.kind == ConferenceKind.REGIONAL
        and conference.region_id
        and user.region_id == conference.region_id
    )


def require_chair(user, conference: Conference) -> None:
    if not is_chair(user, conference):
        raise PermissionDenied(_("Only the conference's chairs may do this."))


def person_of(user):
    from people.models import Person

    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def person_for(user):
    """The user's own person, created from the account the first time they author or review."""
    from people.models import Person
    from people.services import name_key

    person = person_of(user)
    if person is not None:
        return person
    first, last = (user.first_name or user.username).strip(), (user.last_name or "").strip() or "-"
    person = Person(
        first_name=first, last_name=last, email=(user.email or "").lower(), member=user.member, user=user
    )
    person.name_key = name_key(first, last)
    return _saved(person)


def is_author(user, submission: Submission) -> bool:
    return user.is_authenticated and submission.authorships.filter(person__user=user).exists()


def reviewer_role(user, conference: Conference) -> Reviewer | None:
    if not user.is_authenticated:
        return None
    return Reviewer.objects.filter(conference=conference, person__user=user).first()


# --- conferences and calls -------------------------------------------------------------------------

CONFERENCE_FIELDS = {"title", "year", "starts_on", "ends_on", "city", "country", "format", "host", "theme"}


@transaction.atomic
def conference_create(*, user, data: dict[str, Any]) -> Conference:
    """The Secretariat creates PICARD conferences (and may create regional ones); an ROCB officer a
    regional research conference of their own region."""
    data = dict(data)
    kind = data.pop(
        "kind", ConferenceKind.REGIONAL if user.role == Role.ROCB_OFFICER else ConferenceKind.PICARD
    )
    conference = Conference(
        kind=kind, **{key: value for key, value in data.items() if key in CONFERENCE_FIELDS}
    )
    if kind == ConferenceKind.REGIONAL:
        conference.region = data.get("region") or user.region
        if conference.region is None:
            raise ValidationError({"region": _("A regional research conference needs its hosting region.")})
    elif not is_secretariat(user):
        raise PermissionDenied(_("Only the Secretariat creates PICARD conferences."))
    else:
        conference.number = data.get("number")
    if conference.starts_on and not conference.year:
        conference.year = conference.starts_on.year
    require(user, Action.ADD, conference)
    conference._change_reason = "created"
    return _saved(conference)


def _check_deadlines(call: Call) -> None:
    if call.abstract_deadline and call.paper_deadline and call.paper_deadline < call.abstract_deadline:
        raise ValidationError({"paper_deadline": _("The full paper is due after the abstract.")})
    if (
        call.paper_deadline
        and call.camera_ready_deadline
        and call.camera_ready_deadline < call.paper_deadline
    ):
        raise ValidationError(
            {"camera_ready_deadline": _("The camera-ready version is due after the full paper.")}
        )


CALL_FIELDS = {
    "title",
    "themes",
    "abstract_deadline",
    "paper_deadline",
    "camera_ready_deadline",
    "languages",
    "abstract_max_words",
    "paper_max_pages",
    "review_mode",
    "reviewers_per_paper",
    "reviewer_load",
}


def _apply_call(call: Call, data: dict[str, Any]) -> list | None:
    for key, value in data.items():
        if key in CALL_FIELDS:
            setattr(call, key, value)
    languages = [code for code in (call.languages or []) if code]
    from activities.models import LANGUAGES

    known = {code for code, _label in LANGUAGES}
    if not languages or set(languages) - known:
        raise ValidationError({"languages": _("Choose one or more of the languages offered.")})
    call.languages = languages
    if not 1 <= call.reviewers_per_paper <= 10:
        raise ValidationError({"reviewers_per_paper": _("Between 1 and 10 reviewers per paper.")})
    if not 1 <= call.reviewer_load <= 50:
        raise ValidationError({"reviewer_load": _("Between 1 and 50 papers per reviewer.")})
    _check_deadlines(call)
    return data.get("topics")


DEFAULT_PHASES = [
    # name, may_review, sees_all, other_reviews, names shown, may_bid
    ("Bidding", False, True, OtherReviews.NEVER, False, True),
    ("Reviewing", True, False, OtherReviews.AFTER_OWN, False, False),
    ("Discussion", True, False, OtherReviews.ALWAYS, False, False),
    ("Decisions", False, False, OtherReviews.ALWAYS, False, False),
]


@transaction.atomic
def call_create(*, user, conference: Conference, data: dict[str, Any]) -> Call:
    """A call with the four usual review phases (bidding, reviewing, discussion, decisions),
    the first one active; chairs change them on the call's page."""
    require_chair(user, conference)
    call = Call(conference=conference)
    topics = _apply_call(call, data)
    require(user, Action.ADD, call)
    _saved(call)
    if topics is not None:
        call.topics.set(topics)
    for position, (name, may_review, sees_all, others, names, may_bid) in enumerate(DEFAULT_PHASES):
        ReviewPhase.objects.create(
            call=call,
            name=_(name),
            position=position,
            is_active=position == 0,
            may_review=may_review,
            sees_all_papers=sees_all,
            other_reviews=others,
            author_names_shown=names or call.review_mode == ReviewMode.SINGLE_BLIND,
            may_bid=may_bid,
            ends_at=call.camera_ready_deadline if may_review else None,
        )
    audit(call, user, "call created", call.title)
    return call


@transaction.atomic
def call_update(*, user, call: Call, data: dict[str, Any]) -> Call:
    require_chair(user, call.conference)
    topics = _apply_call(call, data)
    if "status" in data:
        if data["status"] not in CallStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        call.status = data["status"]
    _saved(call)
    if topics is not None:
        call.topics.set(topics)
    audit(call, user, "call changed", ", ".join(sorted(key for key in data if key != "topics")))
    return call


PHASE_FIELDS = {
    "name",
    "position",
    "starts_at",
    "ends_at",
    "may_review",
    "sees_all_papers",
    "other_reviews",
    "author_names_shown",
    "may_bid",
}


@transaction.atomic
def phase_save(*, user, call: Call, data: dict[str, Any], phase: ReviewPhase | None = None) -> ReviewPhase:
    require_chair(user, call.conference)
    phase = phase or ReviewPhase(call=call)
    for key, value in data.items():
        if key in PHASE_FIELDS:
            setattr(phase, key, value)
    if phase.other_reviews not in OtherReviews.values:
        raise ValidationError({"other_reviews": _("Unknown choice.")})
    _saved(phase)
    audit(call, user, "phase changed", phase.name)
    return phase


@transaction.atomic
def phase_activate(*, user, phase: ReviewPhase) -> ReviewPhase:
    require_chair(user, phase.call.conference)
    ReviewPhase.objects.filter(call=phase.call, is_active=True).exclude(pk=phase.pk).update(is_active=False)
    phase.is_active = True
    phase.save(update_fields=["is_active", "updated_at"])
    if phase.may_review and phase.call.status == CallStatus.OPEN and _now() > phase.call.paper_deadline:
        phase.call.status = CallStatus.REVIEW
        phase.call.save(update_fields=["status", "updated_at"])
    audit(phase.call, user, "phase started", phase.name)
    return phase


# --- submissions -----------------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def _check_open(call: Call, deadline: datetime.datetime, what: str) -> None:
    if call.status != CallStatus.OPEN:
        raise ValidationError(_("This call is not open for submissions."))
    if _now() > deadline:
        raise ValidationError(
            _("The deadline for %(what)s was %(when)s; nothing was changed.")
            % {"what": what, "when": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        )


def _apply_submission(submission: Submission, data: dict[str, Any]) -> list | None:
    for key in ("title", "abstract", "language", "on_behalf_of"):
        if key in data:
            setattr(submission, key, data[key])
    call = submission.call
    if submission.language not in call.languages:
        raise ValidationError(
            {
                "language": _("This call takes papers in: %(languages)s.")
                % {"languages": ", ".join(call.languages)}
            }
        )
    if _words(submission.abstract) > call.abstract_max_words:
        raise ValidationError(
            {
                "abstract": _("The abstract has %(count)d words; the call allows %(limit)d.")
                % {"count": _words(submission.abstract), "limit": call.abstract_max_words}
            }
        )
    return data.get("topics")


def _author_values(
    person, affiliation_kind: str = "", institution: str = "", member=None, office=None
) -> dict:
    member = member if member is not None else (person.member if not institution and not office else None)
    kind = affiliation_kind or (AffiliationKind.ADMINISTRATION if member else AffiliationKind.OTHER)
    return {"affiliation_kind": kind, "institution": institution, "member": member, "office": office}


@transaction.atomic
def submission_create(*, user, call: Call, data: dict[str, Any]) -> Submission:
    """A new submission by a signed-in author (first on the byline) before the abstract deadline."""
    _check_open(call, call.abstract_deadline, _("abstracts"))
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to submit a paper."))
    submission = Submission(call=call, created_by=user)
    require_related_visible(user, Submission, {key: data[key] for key in ("topics",) if key in data})
    topics = _apply_submission(submission, data)
    if submission.on_behalf_of_id and not (
        is_secretariat(user) or user.region_id == submission.on_behalf_of_id
    ):
        raise ValidationError(
            {"on_behalf_of": _("Only the region's own office submits on behalf of its research series.")}
        )
    _saved(submission)
    if topics is not None:
        submission.topics.set(topics)
    person = person_for(user)
    Authorship.objects.create(
        submission=submission, person=person, position=1, is_contact=True, **_author_values(person)
    )
    return submission


def _require_author(user, submission: Submission) -> None:
    if not (is_author(user, submission) or is_chair(user, submission.call.conference)):
        raise PermissionDenied(_("Only the paper's authors may change it."))


def _editable(submission: Submission) -> None:
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED):
        raise ValidationError(
            _("This paper is %(status)s; it can no longer be changed.")
            % {"status": submission.get_status_display().lower()}
        )
    _check_open(submission.call, submission.call.paper_deadline, _("full papers"))


@transaction.atomic
def submission_update(*, user, submission: Submission, data: dict[str, Any]) -> Submission:
    _require_author(user, submission)
    _editable(submission)
    require_related_visible(
        user, Submission, {key: data[key] for key in ("topics",) if key in data}, submission
    )
    topics = _apply_submission(submission, data)
    submission.embedding = b""  # the text changed: affinity is computed again
    _saved(submission, exclude=["embedding"])
    if topics is not None:
        submission.topics.set(topics)
    return submission


@transaction.atomic
def author_add(
    *,
    user,
    submission: Submission,
    first_name: str,
    last_name: str,
    email: str = "",
    affiliation_kind: str = "",
    institution: str = "",
    member=None,
    office=None,
) -> Authorship:
    """A co-author: the person with this email if the user may see them, else a new person."""
    from people.services import person_get_or_create

    _require_author(user, submission)
    _editable(submission)
    if affiliation_kind and affiliation_kind not in AffiliationKind.values:
        raise ValidationError({"affiliation_kind": _("Unknown affiliation.")})
    try:
        person, _created = person_get_or_create(
            user=user, first_name=first_name, last_name=last_name, email=email, member=member
        )
    except PermissionDenied:
        # An author may name a co-author they cannot otherwise add to the registry.
        from people.models import Person
        from people.services import name_key

        person = Person(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email.strip().lower(),
            member=member,
        )
        person.name_key = name_key(person.first_name, person.last_name)
        _saved(person)
    if submission.authorships.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already an author.") % {"name": person})
    position = (
        submission.authorships.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    return _saved(
        Authorship(
            submission=submission,
            person=person,
            position=position,
            **_author_values(person, affiliation_kind, institution, member, office),
        )
    )


@transaction.atomic
def author_remove(*, user, authorship: Authorship) -> None:
    submission = authorship.submission
    _require_author(user, submission)
    _editable(submission)
    if submission.authorships.count() == 1:
        raise ValidationError(_("A paper keeps at least one author."))
    authorship.delete()


@transaction.atomic
def conflict_declare(*, user, submission: Submission, person, kind: str, note: str = "") -> DeclaredConflict:
    """An author declares a conflict with a person (a would-be reviewer)."""
    _require_author(user, submission)
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED):
        raise ValidationError(_("Conflicts are declared before the decision."))
    declaration = DeclaredConflict.objects.filter(
        submission=submission, person=person
    ).first() or DeclaredConflict(submission=submission, person=person)
    declaration.kind, declaration.note = kind, note
    return _saved(declaration)


def max_file_bytes() -> int:
    return int(getattr(settings, "CONFERENCES_MAX_FILE_BYTES", 20 * 1024 * 1024))


@transaction.atomic
def file_upload(
    *, user, submission: Submission, name: str, content: bytes, stage: str = FileStage.FULL_PAPER
) -> SubmissionFile:
    """A new version of the paper (PDF or DOCX), read by the knowledge base's extraction first: an
    oversize, corrupt or unreadable file is refused and nothing stored changes."""
    from knowledge.extraction import ExtractionError, extract_text

    _require_author(user, submission)
    if stage == FileStage.CAMERA_READY:
        if submission.status not in ACCEPTED:
            raise ValidationError(_("The camera-ready version is for accepted papers."))
        if _now() > submission.call.camera_ready_deadline:
            raise ValidationError(_("The camera-ready deadline has passed; nothing was changed."))
    elif stage == FileStage.FULL_PAPER:
        _editable(submission)
    else:
        raise ValidationError(_("Unknown file stage."))
    if len(content) > max_file_bytes():
        raise ValidationError(
            _("The file is larger than %(limit)d MB; nothing was changed.")
            % {"limit": max_file_bytes() // (1024 * 1024)}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_KINDS:
        raise ValidationError(_("Upload the paper as PDF or DOCX."))
    try:
        _kind, text = extract_text(name, content)
    except ExtractionError as error:
        raise ValidationError(
            _("“%(name)s” cannot be read: %(reason)s. Nothing was changed.")
            % {"name": safe_filename(name), "reason": error}
        ) from None
    number = (submission.files.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    from knowledge.extraction import CONTENT_TYPES

    upload = SubmissionFile(
        submission=submission,
        number=number,
        stage=stage,
        filename=safe_filename(name, max_bytes=255),
        content_type=CONTENT_TYPES[extension],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        text=text,
        uploaded_by=user,
    )
    upload.file.save(safe_filename(name), ContentFile(content), save=False)
    _saved(upload)
    if stage == FileStage.CAMERA_READY and submission.published_document_id:
        _publish_version(submission, upload)
    return upload


@transaction.atomic
def submission_submit(*, user, submission: Submission) -> Submission:
    _require_author(user, submission)
    _editable(submission)
    if not submission.abstract.strip():
        raise ValidationError({"abstract": _("Write the abstract first.")})
    if not submission.files.exists():
        raise ValidationError(_("Upload the full paper (PDF or DOCX) first."))
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = submission.submitted_at or _now()
    _saved(submission, exclude=["embedding"])
    audit(submission.call, user, "submitted", submission.title, submission)
    return submission


@transaction.atomic
def submission_withdraw(*, user, submission: Submission) -> Submission:
    _require_author(user, submission)
    if submission.status in DECIDED or submission.status == SubmissionStatus.WITHDRAWN:
        raise ValidationError(_("A decided or withdrawn paper cannot be withdrawn."))
    submission.status = SubmissionStatus.WITHDRAWN
    _saved(submission, exclude=["embedding"])
    audit(submission.call, user, "withdrawn", submission.title, submission)
    return submission


# --- reviewers, standing conflicts, bids -----------------------------------------------------------

REVIEWER_FIELDS = {"kind", "on_committee", "institution", "expertise", "languages", "max_load"}


def _apply_reviewer(reviewer: Reviewer, data: dict[str, Any]):
    for key, value in data.items():
        if key in REVIEWER_FIELDS:
            setattr(reviewer, key, value)
    from activities.models import LANGUAGES

    known = {code for code, _label in LANGUAGES}
    if not reviewer.languages or set(reviewer.languages) - known:
        raise ValidationError({"languages": _("Choose the reviewer's working languages.")})
    if reviewer.max_load is not None and not 0 < reviewer.max_load <= 50:
        raise ValidationError({"max_load": _("Between 1 and 50 papers.")})
    reviewer.embedding = b""
    return data.get("topics")


@transaction.atomic
def reviewer_add(*, user, conference: Conference, person, data: dict[str, Any]) -> Reviewer:
    require_chair(user, conference)
    if Reviewer.objects.filter(conference=conference, person=person).exists():
        raise ValidationError(_("%(name)s is already in the pool.") % {"name": person})
    reviewer = Reviewer(conference=conference, person=person)
    topics = _apply_reviewer(reviewer, data)
    _saved(reviewer, exclude=["embedding"])
    if topics is not None:
        reviewer.topics.set(topics)
    if person.email:
        _mail(
            [person.email],
            _("Invitation to review for %(conference)s") % {"conference": conference},
            _(
                "You have been added to the reviewer pool of %(conference)s. Declare your expertise and "
                "your conflicts, and bid on papers: %(url)s"
            )
            % {"conference": conference, "url": _absolute(reviewer.get_absolute_url())},
        )
    return reviewer


@transaction.atomic
def reviewer_update(*, user, reviewer: Reviewer, data: dict[str, Any]) -> Reviewer:
    """The reviewer's own profile (expertise, languages, load) or a chair's change."""
    require(user, Action.CHANGE, reviewer)
    if not is_chair(user, reviewer.conference):
        data = {key: value for key, value in data.items() if key not in {"on_committee", "kind"}}
    topics = _apply_reviewer(reviewer, data)
    _saved(reviewer, exclude=["embedding"])
    if topics is not None:
        reviewer.topics.set(topics)
    return reviewer


@transaction.atomic
def standing_conflict_declare(
    *, user, kind: str, other_person=None, member=None, institution: str = "", note: str = ""
) -> StandingConflict:
    """A conflict on the user's own profile, held for every conference."""
    person = person_for(user)
    if sum(bool(value) for value in (other_person, member, institution.strip())) != 1:
        raise ValidationError(_("Name one person, one administration or one institution."))
    if other_person is not None and other_person.pk == person.pk:
        raise ValidationError(_("A conflict is with someone else."))
    conflict = StandingConflict(
        person=person,
        other_person=other_person,
        member=member,
        institution=institution.strip(),
        kind=kind,
        note=note,
    )
    require(user, Action.ADD, conflict)
    return _saved(conflict)


@transaction.atomic
def standing_conflict_remove(*, user, conflict: StandingConflict) -> None:
    require(user, Action.DELETE, conflict)
    conflict.delete()


@transaction.atomic
def bid_set(*, user, reviewer: Reviewer, submission: Submission, value: int) -> Bid:
    if reviewer.person.user_id != user.pk:
        raise PermissionDenied(_("Bids are the reviewer's own."))
    phase = submission.call.active_phase
    if phase is None or not phase.may_bid:
        raise ValidationError(_("Bidding is closed."))
    if (
        submission.call.conference_id != reviewer.conference_id
        or submission.status != SubmissionStatus.SUBMITTED
    ):
        raise ValidationError(_("This paper is not open for bids."))
    if value not in BidValue.values:
        raise ValidationError(_("Unknown bid."))
    bid = Bid.objects.filter(reviewer=reviewer, submission=submission).first() or Bid(
        reviewer=reviewer, submission=submission
    )
    bid.value = value
    return _saved(bid)


# --- conflicts and assignments ---------------------------------------------------------------------


@transaction.atomic
def conflict_pin(
    *,
    user,
    submission: Submission,
    reviewer: Reviewer,
    is_conflict: bool,
    justification: str,
    kind: str = ConflictKind.OTHER,
) -> ConflictPin:
    """A chair's decision on a pair: a conflict (nobody may then assign it), or no conflict (the
    detected causes set aside; a reviewer who is an author stays conflicted)."""
    require_chair(user, submission.call.conference)
    if not justification.strip():
        raise ValidationError({"justification": _("Say why.")})
    if is_conflict and submission.assignments.filter(reviewer=reviewer).exists():
        raise ValidationError(
            _("Remove the assignment first: a conflicted reviewer may not review the paper.")
        )
    pin = ConflictPin.objects.filter(submission=submission, reviewer=reviewer).first() or ConflictPin(
        submission=submission, reviewer=reviewer
    )
    pin.is_conflict, pin.kind, pin.justification, pin.decided_by = (
        is_conflict,
        kind,
        justification.strip(),
        user,
    )
    _saved(pin)
    audit(
        submission.call,
        user,
        "conflict pinned" if is_conflict else "no conflict pinned",
        f"{reviewer.person}: {pin.justification}",
        submission,
    )
    return pin


def _load_limit(reviewer: Reviewer, call: Call) -> int:
    return reviewer.max_load if reviewer.max_load is not None else call.reviewer_load


@transaction.atomic
def assignment_add(
    *,
    user,
    submission: Submission,
    reviewer: Reviewer,
    affinity: float | None = None,
    explanation: str | None = None,
    by_hand: bool = True,
) -> Assignment:
    """A reviewer on a paper. Refused on any conflict (nobody assigns around one), outside the pool,
    or on a paper not under review. A chair may go past the load limit by hand (it is logged)."""
    from conferences import affinity as affinity_module
    from conferences.assignment import check_assignment

    call = submission.call
    require_chair(user, call.conference)
    if reviewer.conference_id != call.conference_id:
        raise ValidationError(_("This reviewer is not in the conference's pool."))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only submitted papers are assigned."))
    if submission.assignments.filter(reviewer=reviewer).exists():
        raise ValidationError(_("%(name)s already reviews this paper.") % {"name": reviewer.person})
    problems = check_assignment(reviewer, submission)
    if problems:
        raise ValidationError(_("Not assigned: %(reasons)s") % {"reasons": "; ".join(problems)})
    if affinity is None or explanation is None:
        ranking = {row[0].pk: row for row in affinity_module.reviewer_ranking(submission, [reviewer])}
        _reviewer, affinity, explanation = ranking.get(reviewer.pk, (reviewer, 0.0, ""))
    assignment = _saved(
        Assignment(
            submission=submission,
            reviewer=reviewer,
            affinity=round(float(affinity), 4),
            explanation=explanation[:500],
            by_hand=by_hand,
            assigned_by=user,
        )
    )
    load = Assignment.objects.filter(reviewer=reviewer, submission__call=call).count()
    detail = f"{reviewer.person}: {explanation}"
    if load > _load_limit(reviewer, call):
        detail += " " + _("(over the load limit: %(load)d papers)") % {"load": load}
    audit(call, user, "assigned by hand" if by_hand else "assigned by the solver", detail, submission)
    return assignment


@transaction.atomic
def assignment_remove(*, user, assignment: Assignment) -> None:
    call = assignment.submission.call
    require_chair(user, call.conference)
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.submitted_at:
        raise ValidationError(_("This reviewer has submitted a review; it stays on the record."))
    audit(call, user, "unassigned", str(assignment.reviewer.person), assignment.submission)
    assignment.delete()


@transaction.atomic
def assignments_apply(*, user, call: Call, proposal) -> int:
    """Write the solver's proposal (conferences.assignment.Proposal), each pair checked again."""
    require_chair(user, call.conference)
    submissions = {
        submission.pk: submission for submission in call.submissions.filter(status=SubmissionStatus.SUBMITTED)
    }
    reviewers = {reviewer.pk: reviewer for reviewer in call.conference.reviewers.select_related("person")}
    created = 0
    for submission_id, picks in proposal.assignments.items():
        for pick in picks:
            submission, reviewer = submissions.get(int(submission_id)), reviewers.get(int(pick["reviewer"]))
            if submission is None or reviewer is None:
                continue
            if submission.assignments.filter(reviewer=reviewer).exists():
                continue
            assignment_add(
                user=user,
                submission=submission,
                reviewer=reviewer,
                affinity=pick["affinity"],
                explanation=pick["explanation"],
                by_hand=False,
            )
            created += 1
    audit(
        call,
        user,
        "solver run",
        _("%(count)d assignments; total affinity %(score)s (greedy %(greedy)s)")
        % {"count": created, "score": proposal.score, "greedy": proposal.greedy_score},
    )
    _tell_reviewers(call)  # once per reviewer, with all their papers
    return created


def _tell_reviewers(call: Call) -> None:
    by_email: dict[str, int] = {}
    for email in Assignment.objects.filter(submission__call=call, review__isnull=True).values_list(
        "reviewer__person__email", flat=True
    ):
        if email:
            by_email[email] = by_email.get(email, 0) + 1
    url = _absolute(reverse("conferences:my_reviews"))
    for email, count in by_email.items():
        _mail(
            [email],
            _("Papers to review for %(call)s") % {"call": call},
            _("You have %(count)d papers to review: %(url)s") % {"count": count, "url": url},
        )


# --- reviews, discussion, decisions ----------------------------------------------------------------


def may_write_review(assignment: Assignment) -> str | None:
    """None if the reviewer may write now, else why not."""
    phase = assignment.submission.call.active_phase
    if phase is None or not phase.may_review:
        return _("Reviews are not open in this phase.")
    if phase.ends_at and _now() > phase.ends_at:
        return _("Reviews were due on %(when)s; nothing was changed.") % {
            "when": timezone.localtime(phase.ends_at).strftime("%Y-%m-%d %H:%M")
        }
    if assignment.submission.status != SubmissionStatus.SUBMITTED:
        return _("This paper has been decided.")
    return None


@transaction.atomic
def review_save(*, user, assignment: Assignment, data: dict[str, Any], submit: bool = False) -> Review:
    """The reviewer's draft or submitted review. Scores 1-5; submitting needs every score and the
    confidence. Every save is in the audit log."""
    if assignment.reviewer.person.user_id != user.pk:
        raise PermissionDenied(_("Only the assigned reviewer writes this review."))
    refusal = may_write_review(assignment)
    if refusal:
        raise ValidationError(refusal)
    review = Review.objects.filter(assignment=assignment).first() or Review(assignment=assignment)
    errors = {}
    for name in [*SCORE_FIELDS, "confidence"]:
        if name in data:
            value = data[name]
            if value in (None, ""):
                value = None
            elif not isinstance(value, int) or not 1 <= value <= 5:
                errors[name] = _("A score from 1 to 5.")
            setattr(review, name, value)
    for name in ("to_authors", "to_committee"):
        if name in data:
            setattr(review, name, data[name] or "")
    if submit or review.submitted_at:
        missing = [name for name in [*SCORE_FIELDS, "confidence"] if getattr(review, name) is None]
        for name in missing:
            errors.setdefault(name, _("Required to submit the review."))
    if errors:
        raise ValidationError(errors)
    edited = review.pk is not None and review.submitted_at is not None
    if submit and review.submitted_at is None:
        review.submitted_at = _now()
    _saved(review)
    action = "review edited" if edited else ("review submitted" if submit else "review draft saved")
    audit(
        assignment.submission.call,
        user,
        action,
        f"{assignment.reviewer.person}: {review.overall}",
        assignment.submission,
    )
    return review


@transaction.atomic
def comment_post(*, user, submission: Submission, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write something.")})
    if not (
        is_chair(user, submission.call.conference)
        or submission.assignments.filter(reviewer__person__user=user).exists()
    ):
        raise PermissionDenied(_("The discussion is for the paper's reviewers and the chairs."))
    comment = _saved(Comment(submission=submission, author=user, text=text[:5000]))
    recipients = (
        Assignment.objects.filter(submission=submission)
        .exclude(reviewer__person__user=user)
        .values_list("reviewer__person__email", flat=True)
    )
    _mail(
        list(recipients),
        _("New comment on paper #%(number)d") % {"number": submission.pk},
        _absolute(submission.get_absolute_url()),
    )
    return comment


def score_summary(reviews) -> dict[str, Any]:
    """Average and spread (max - min, and the standard deviation) of the submitted reviews' overall scores."""
    import statistics

    overall = [review.overall for review in reviews if review.submitted_at and review.overall is not None]
    if not overall:
        return {"count": 0, "mean": None, "spread": None, "stdev": None}
    return {
        "count": len(overall),
        "mean": round(statistics.fmean(overall), 2),
        "spread": round(max(overall) - min(overall), 2),
        "stdev": round(statistics.pstdev(overall), 2),
    }


DECISIONS = {SubmissionStatus.ACCEPTED_PAPER, SubmissionStatus.ACCEPTED_POSTER, SubmissionStatus.REJECTED}


@transaction.atomic
def decision_record(*, user, submission: Submission, status: str, note: str = "") -> Submission:
    """Accept (as paper or poster) or reject. The authors are told by email and on their page; an
    accepted paper enters the knowledge base as a public conference paper."""
    require_chair(user, submission.call.conference)
    if status not in DECISIONS:
        raise ValidationError({"status": _("Accept as paper, accept as poster, or reject.")})
    if submission.status not in (SubmissionStatus.SUBMITTED, *DECIDED):
        raise ValidationError(_("Only submitted papers are decided."))
    previous = submission.status
    submission.status, submission.decision_note, submission.decided_at = status, note, _now()
    _saved(submission, exclude=["embedding"])
    audit(
        submission.call, user, "decision", f"{submission.get_status_display()} (was {previous})", submission
    )
    if status in ACCEPTED:
        paper_publish(submission)
    elif submission.published_document_id:
        document = submission.published_document
        submission.published_document = None
        submission.save(update_fields=["published_document", "updated_at"])
        document.delete()
    emails = submission.authorships.values_list("person__email", flat=True)
    _mail(
        list(emails),
        _("Decision on your paper “%(title)s”") % {"title": submission.title},
        _("%(decision)s.\n\n%(note)s\n\nThe reviews are on the paper's page: %(url)s")
        % {
            "decision": submission.get_status_display(),
            "note": note,
            "url": _absolute(submission.get_absolute_url()),
        },
    )
    return submission


def _paper_incoming(submission: Submission, upload: SubmissionFile | None):
    from knowledge.ingestion import Incoming

    conference = submission.call.conference
    metadata = {
        "title": submission.title,
        "kind": "conference_paper",
        "visibility": "public",
        "date": (conference.starts_on or submission.decided_at or _now()).isoformat()[:10],
        "authors": "; ".join(
            str(authorship.person) for authorship in submission.authorships.select_related("person")
        ),
        "topics": ";".join(submission.topics.values_list("slug", flat=True)),
    }
    if conference.region_id:
        metadata["region"] = conference.region.slug
    if upload is not None:
        upload.file.open("rb")
        try:
            content = upload.file.read()
        finally:
            upload.file.close()
        return Incoming(
            name=upload.filename,
            content=content,
            metadata=metadata,
            source_key=f"conference-paper:{submission.pk}",
        )
    text = f"{submission.title}\n\n{submission.abstract}"
    return Incoming(
        name=f"paper-{submission.pk}.txt",
        content=text.encode(),
        metadata=metadata,
        source_key=f"conference-paper:{submission.pk}",
    )


def paper_publish(submission: Submission):
    """The accepted paper (its latest file, or its abstract) as a public conference paper in the
    knowledge base, with its authors and topics, found by search."""
    from knowledge.ingestion import QuietProgress, ingest

    upload = submission.files.order_by("-number").first()
    progress = QuietProgress()
    documents = ingest([_paper_incoming(submission, upload)], user=None, progress=progress)
    if not documents:
        from knowledge.models import Document

        document = Document.objects.filter(source_key=f"conference-paper:{submission.pk}").first()
        if document is None:
            raise ValidationError(
                _("The paper could not enter the knowledge base: %(reason)s")
                % {"reason": (progress.last or ("", "", ""))[-1]}
            )
        documents = [document]
    document = documents[0]
    document.author_people.set([authorship.person_id for authorship in submission.authorships.all()])
    submission.published_document = document
    submission.save(update_fields=["published_document", "updated_at"])
    return document


def _publish_version(submission: Submission, upload: SubmissionFile) -> None:
    from knowledge.ingestion import QuietProgress, ingest

    ingest([_paper_incoming(submission, upload)], user=None, progress=QuietProgress())


# --- programme -------------------------------------------------------------------------------------


@transaction.atomic
def session_save(
    *, user, conference: Conference, data: dict[str, Any], session: ProgrammeSession | None = None
) -> ProgrammeSession:
    require_chair(user, conference)
    session = session or ProgrammeSession(conference=conference)
    for key in ("title", "chair", "starts_at", "ends_at", "room"):
        if key in data:
            setattr(session, key, data[key])
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": _("A session ends after it starts.")})
    _saved(session)
    if "papers" in data:
        papers = list(data["papers"])
        wrong = [
            paper
            for paper in papers
            if paper.call.conference_id != conference.pk or paper.status not in ACCEPTED
        ]
        if wrong:
            raise ValidationError({"papers": _("Only the conference's accepted papers go in its programme.")})
        session.papers.set(papers)
    return session


@transaction.atomic
def session_delete(*, user, session: ProgrammeSession) -> None:
    require_chair(user, session.conference)
    session.delete()


# --- the bridge ------------------------------------------------------------------------------------


@transaction.atomic
def recommendation_create(*, user, call: Call, document, note: str = "") -> Submission:
    """Practice into research: an ROCB officer recommends a report of their region to an open call on
    behalf of the region's research series. It becomes a draft submission with the report's authors,
    who are invited by email to complete it."""
    from knowledge.models import Document

    if user.role != Role.ROCB_OFFICER and not is_secretariat(user):
        raise PermissionDenied(_("Regional offices recommend their reports."))
    if not Document.objects.restrict(user).filter(pk=document.pk).exists():
        raise ValidationError(_("Unknown report."))
    region = user.region if user.role == Role.ROCB_OFFICER else document.region
    if region is None or (document.region_id and document.region_id != region.pk):
        raise ValidationError(_("Recommend reports of your own region."))
    if document.kind not in RECOMMENDABLE_KINDS:
        raise ValidationError(_("Recommend a report, study paper or mission report."))
    _check_open(call, call.abstract_deadline, _("abstracts"))
    if (
        Submission.objects.filter(call=call, recommended_document=document)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .exists()
    ):
        raise ValidationError(_("This report has already been recommended to this call."))
    authors = list(document.author_people.all())
    if not authors:
        raise ValidationError(
            _("This report names no author in the registry; add its authors to the report first.")
        )
    words = (document.text or document.title).split()
    abstract = " ".join(words[: min(call.abstract_max_words, 200)])
    language = document.language if document.language in call.languages else call.languages[0]
    submission = _saved(
        Submission(
            call=call,
            title=document.title[:300],
            abstract=abstract,
            language=language,
            on_behalf_of=region,
            recommended_document=document,
            recommended_by=user,
            created_by=user,
            decision_note="",
        ),
        exclude=["embedding"],
    )
    submission.topics.set(document.topics.all())
    for position, person in enumerate(authors, start=1):
        Authorship.objects.create(
            submission=submission,
            person=person,
            position=position,
            is_contact=position == 1,
            **_author_values(person),
        )
    audit(call, user, "recommended", f"{document.title} ({region})", submission)
    _mail(
        [person.email for person in authors],
        _("Your report is recommended to %(call)s") % {"call": call},
        _(
            "%(office)s recommends your report “%(title)s” to %(call)s on behalf of the region's "
            "research series. "
            "Complete the draft submission (abstract, full paper) before %(deadline)s: %(url)s\n\n%(note)s"
        )
        % {
            "office": user.acting_as,
            "title": document.title,
            "call": call,
            "deadline": timezone.localtime(call.paper_deadline).strftime("%Y-%m-%d"),
            "url": _absolute(submission.get_absolute_url()),
            "note": note,
        },
    )
    return submission


@transaction.atomic
def reading_add(*, user, activity, submission: Submission) -> ActivityReading:
    if submission.status not in ACCEPTED:
        raise ValidationError(_("Only accepted papers are proposed as reading."))
    reading = ActivityReading.objects.filter(activity=activity, submission=submission).first()
    if reading:
        return reading
    reading = ActivityReading(activity=activity, submission=submission)
    require(user, Action.ADD, reading)
    return _saved(reading)


@transaction.atomic
def workshop_from_research(*, user, region, topic, papers: list[Submission], title: str = ""):
    """Research into practice in one click: a proposed regional workshop on the topic, with the
    papers as its reading and named in its objectives."""
    from activities.models import ActivityKind
    from activities.services import activity_create
    from network.models import Office, OfficeKind

    if not papers:
        raise ValidationError(_("Choose at least one paper."))
    lines = [
        _("What research says: %(papers)s.") % {"papers": "; ".join(f"“{paper.title}”" for paper in papers)}
    ]
    activity = activity_create(
        user=user,
        data={
            "title": (
                title or _("Regional workshop: %(topic)s, from research to practice") % {"topic": topic}
            )[:200],
            "kind": ActivityKind.REGIONAL_WORKSHOP,
            "lead_office": Office.objects.filter(region=region, kind=OfficeKind.ROCB).first(),
            "region": region,
            "topics": [topic],
            "objectives": "\n".join(lines),
        },
    )
    for paper in papers:
        reading_add(user=user, activity=activity, submission=paper)
    return activity


def can_view(user, instance) -> bool:
    return can(user, Action.VIEW, instance)
