"""Every write on experts' data, with its rules: profiles, accreditation moves on evidence, declared
unavailability and conflicts, slots, the deployment lifecycle and evaluations.

Each move checks who may make it (the policy, then the actor the move belongs to), records itself
(an AccreditationStep or a DeploymentEvent), and tells the next person, by email and on their
"what waits for me" page (`waiting_for`). The conflict engine and the matcher are in
`experts.matching`; deployment_propose applies its hard rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from activities.models import ActivityKind, Attendance, Participation
from core.permissions import Action, can, is_secretariat, require, require_related_visible
from experts.models import (
    ACTIVE_DEPLOYMENT,
    RATING_CRITERIA,
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    ConflictDeclaration,
    Deployment,
    DeploymentEvent,
    DeploymentStatus,
    Evaluation,
    EvaluatorKind,
    ExpertLanguage,
    ExpertProfile,
    Recommendation,
    ShortlistPick,
    Slot,
    SlotRole,
    Unavailability,
)
from experts.snapshot import roster_changed

PROFILE_FIELDS = (
    "current_post",
    "expertise",
    "instruments",
    "years_experience",
    "phone",
    "max_deployments_per_year",
    "topics",
)
ACCREDITATION_WORKSHOPS = {
    ActivityKind.TRAIN_THE_TRAINERS,
    ActivityKind.REGIONAL_WORKSHOP,
    ActivityKind.SUBREGIONAL_WORKSHOP,
    ActivityKind.NATIONAL_WORKSHOP,
}
# A supervised mission counts when the supervisor rates it this well and does not advise against use.
PASSING_SUPERVISION_AVERAGE = 3.0


def _today() -> datetime.date:
    return timezone.localdate()


def _notify(recipients, subject: str, body: str) -> None:
    """Email the people a move waits for, once the move is committed (a rolled-back move sends nothing)."""
    addresses = sorted({user.email for user in recipients if user is not None and user.email})
    if not addresses:
        return
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
    )


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}" if getattr(settings, "SITE_URL", "") else path


# --- profiles ------------------------------------------------------------------------------------


def _apply_profile(profile: ExpertProfile, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PROFILE_FIELDS) - {"home_member"}
    if unknown:
        raise ValidationError(_("Unknown profile fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    many = {}
    for name, value in data.items():
        if name == "topics":
            many[name] = value
        else:
            setattr(profile, name, value)
    if profile.home_member_id:
        profile.region_id = profile.home_member.region_id
    return many


@transaction.atomic
def profile_create(*, user, person, home_member, data: dict[str, Any] | None = None) -> ExpertProfile:
    """Make `person` an expert of `home_member` (an ROCB of the region, the focal point, the Secretariat)."""
    data = dict(data or {})
    require_related_visible(user, ExpertProfile, {"person": person, "home_member": home_member, **data})
    if ExpertProfile.objects.filter(person=person).exists():
        raise ValidationError(_("%(person)s already has an expert profile.") % {"person": person})
    profile = ExpertProfile(person=person, home_member=home_member)
    many = _apply_profile(profile, data)
    require(user, Action.ADD, profile)
    profile.full_clean()
    profile.save()
    for name, value in many.items():
        getattr(profile, name).set(value)
    _embed(profile)
    return profile


def may_add_expert_of(user, member) -> bool:
    """Whether the user may add experts whose home is `member` (the "Add an expert" choices and each
    roster row ask the same question)."""
    return can(user, Action.ADD, ExpertProfile(home_member=member, region_id=member.region_id))


@transaction.atomic
def expert_add(
    *,
    user,
    first_name: str,
    last_name: str,
    home_member,
    email: str = "",
    gender: str = "undisclosed",
    data: dict[str, Any] | None = None,
    languages: list[tuple[str, str]] = (),
    pools=(),
    evidence: str = "",
) -> ExpertProfile:
    """A new expert in one go, from the "Add an expert" form or a roster row: the person (the one
    already known in the user's scope by email or by name in that administration, or a new one), the
    profile, their languages and the pools they are put forward for. All of it or nothing."""
    from people.services import person_get_or_create

    person, _created = person_get_or_create(
        user=user, first_name=first_name, last_name=last_name, email=email, member=home_member, gender=gender
    )
    profile = profile_create(user=user, person=person, home_member=home_member, data=data)
    for language, level in languages:
        language_set(user=user, profile=profile, language=language, level=level)
    for pool in pools:
        accreditation_nominate(user=user, profile=profile, pool=pool, evidence=evidence)
    return profile


@transaction.atomic
def profile_update(*, user, profile: ExpertProfile, data: dict[str, Any]) -> ExpertProfile:
    require(user, Action.CHANGE, profile)
    data = dict(data)
    require_related_visible(user, ExpertProfile, data, profile)
    if "home_member" in data and user.role == Role.EXPERT:
        raise PermissionDenied(_("Your home administration is changed by its focal point or your ROCB."))
    many = _apply_profile(profile, data)
    profile.full_clean()
    profile.save()
    for name, value in many.items():
        getattr(profile, name).set(value)
    if {"expertise", "instruments", "current_post", "topics"} & set(data):
        _embed(profile)
    return profile


@transaction.atomic
def profile_confirm(*, user, profile: ExpertProfile) -> ExpertProfile:
    """The home administration's focal point (or a curator) confirms that the expert is theirs."""
    require(user, Action.CHANGE, profile)
    if user.role == Role.EXPERT:
        raise PermissionDenied(_("An expert cannot confirm their own profile."))
    profile.confirmed_at, profile.confirmed_by = timezone.now(), user
    profile.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    return profile


@transaction.atomic
def profile_attach_cv(*, user, profile: ExpertProfile, name: str, content: bytes) -> ExpertProfile:
    """Keep the CV and its text (read by the knowledge base's extraction) and embed it for matching."""
    from django.core.files.base import ContentFile

    from core.uploads import safe_filename
    from knowledge.extraction import DOCX, PDF, ExtractionError, extract_text, kind_of

    require(user, Action.CHANGE, profile)
    try:
        if kind_of(name, content) not in (PDF, DOCX):
            raise ValidationError({"cv": _("Send the CV as a PDF or DOCX file.")})
        _kind, text = extract_text(name, content)
    except ExtractionError as error:
        raise ValidationError({"cv": str(error)}) from None
    profile.cv.save(safe_filename(name), ContentFile(content), save=False)
    profile.cv_text = text
    profile.save(update_fields=["cv", "cv_text", "updated_at"])
    _embed(profile)
    return profile


def matching_text(profile: ExpertProfile) -> str:
    """What the expert's embedding is made of: post, expertise, instruments, topics and the CV."""
    topics = ", ".join(topic.label_en for topic in profile.topics.all()) if profile.pk else ""
    parts = [profile.current_post, profile.expertise, profile.instruments, topics, profile.cv_text[:4000]]
    return "\n".join(part for part in parts if part)


def _embed(profile: ExpertProfile) -> None:
    from knowledge.embeddings import embed, to_bytes

    text = matching_text(profile)
    profile.embedding = to_bytes(embed([text])[0]) if text else None
    ExpertProfile.objects.filter(pk=profile.pk).update(embedding=profile.embedding)
    roster_changed()  # update() sends no signal


def _profile_part(user, profile: ExpertProfile) -> None:
    require(user, Action.CHANGE, profile)


@transaction.atomic
def language_set(*, user, profile: ExpertProfile, language: str, level: str) -> ExpertLanguage:
    _profile_part(user, profile)
    entry = ExpertLanguage.objects.filter(profile=profile, language=language).first() or ExpertLanguage(
        profile=profile, language=language
    )
    entry.level = level
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def language_remove(*, user, profile: ExpertProfile, language: str) -> None:
    _profile_part(user, profile)
    ExpertLanguage.objects.filter(profile=profile, language=language).delete()


@transaction.atomic
def unavailability_declare(
    *, user, profile: ExpertProfile, start_date: datetime.date, end_date: datetime.date, reason: str = ""
) -> Unavailability:
    """The expert or their administration declares a period in which they cannot be deployed."""
    _profile_part(user, profile)
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    period = Unavailability(
        profile=profile, start_date=start_date, end_date=end_date, reason=reason.strip(), declared_by=user
    )
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def conflict_declare(*, user, profile: ExpertProfile, member, reason: str = "") -> ConflictDeclaration:
    _profile_part(user, profile)
    require_related_visible(user, ConflictDeclaration, {"member": member})
    if ConflictDeclaration.objects.filter(profile=profile, member=member).exists():
        raise ValidationError(_("This conflict is already declared."))
    conflict = ConflictDeclaration(profile=profile, member=member, reason=reason.strip())
    conflict.full_clean()
    conflict.save()
    return conflict


# --- accreditation -------------------------------------------------------------------------------


def is_accredited(accreditation: Accreditation, on: datetime.date | None = None) -> bool:
    """Accredited, and not expired on the day: an expired accreditation stops counting."""
    on = on or _today()
    return accreditation.status == AccreditationStatus.ACCREDITED and (
        accreditation.expires_on is None or accreditation.expires_on >= on
    )


def accredited_filter(on: datetime.date | None = None, prefix: str = "") -> Q:
    """The same rule as a filter on accreditations (or on rows reaching them through `prefix`)."""
    on = on or _today()
    return Q(**{f"{prefix}status": AccreditationStatus.ACCREDITED}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": on})
    )


def accredited_pools(profile: ExpertProfile, on: datetime.date | None = None):
    from experts.models import Pool

    return Pool.objects.filter(
        pk__in=profile.accreditations.filter(accredited_filter(on)).values("pool")
    ).order_by("kind", "name")


def _step(accreditation: Accreditation, user, to_status: str, evidence: str = "", **fields) -> Accreditation:
    from_status = accreditation.status
    accreditation.status = to_status
    for name, value in fields.items():
        setattr(accreditation, name, value)
    accreditation.full_clean()
    accreditation.save()
    AccreditationStep.objects.create(
        accreditation=accreditation,
        from_status=from_status,
        to_status=to_status,
        user=user,
        evidence=evidence,
    )
    return accreditation


def _expect(accreditation: Accreditation, *statuses: str) -> None:
    if accreditation.status not in statuses:
        raise ValidationError(
            _("This accreditation is %(status)s; that move is not possible from there.")
            % {"status": accreditation.get_status_display()}
        )


def _curate(user, accreditation: Accreditation) -> None:
    require(user, Action.CHANGE, accreditation)


@transaction.atomic
def accreditation_nominate(*, user, profile: ExpertProfile, pool, evidence: str = "") -> Accreditation:
    """The home administration's focal point, or an ROCB, puts an expert forward for a pool."""
    require_related_visible(user, Accreditation, {"profile": profile, "pool": pool})
    if pool.region_id and pool.region_id != profile.region_id and not is_secretariat(user):
        raise ValidationError({"pool": _("A regional pool takes experts of its own region.")})
    if Accreditation.objects.filter(profile=profile, pool=pool).exists():
        raise ValidationError(_("%(expert)s is already in this pool's process.") % {"expert": profile})
    accreditation = Accreditation(profile=profile, pool=pool, nominated_by=user)
    require(user, Action.ADD, accreditation)
    accreditation.full_clean()
    accreditation.save()
    AccreditationStep.objects.create(
        accreditation=accreditation, to_status=AccreditationStatus.NOMINATED, user=user, evidence=evidence
    )
    return accreditation


@transaction.atomic
def accreditation_prescreen(*, user, accreditation: Accreditation, evidence: str) -> Accreditation:
    """A curator reviewed the CV and the languages."""
    _curate(user, accreditation)
    _expect(accreditation, AccreditationStatus.NOMINATED)
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what the CV and language review found.")})
    return _step(accreditation, user, AccreditationStatus.PRESCREENED, evidence.strip())


def _check_workshop(accreditation: Accreditation, participation: Participation) -> None:
    if participation.person_id != accreditation.profile.person_id:
        raise ValidationError(_("That attendance is another person's."))
    if participation.attendance != Attendance.ATTENDED:
        raise ValidationError(_("The expert has no recorded attendance at that workshop."))
    if participation.activity.kind not in ACCREDITATION_WORKSHOPS:
        raise ValidationError(_("Training counts only from an accreditation workshop or course."))


@transaction.atomic
def accreditation_record_training(*, user, accreditation: Accreditation, participation) -> Accreditation:
    """Trained: the expert attended an accreditation workshop (their attendance record is the evidence)."""
    _curate(user, accreditation)
    _expect(accreditation, AccreditationStatus.PRESCREENED)
    _check_workshop(accreditation, participation)
    return _step(
        accreditation,
        user,
        AccreditationStatus.TRAINED,
        _("Attended “%(activity)s”.") % {"activity": participation.activity},
        workshop_participation=participation,
    )


def supervision_evaluation(deployment: Deployment) -> Evaluation | None:
    return deployment.evaluations.filter(kind=EvaluatorKind.SUPERVISOR).first()


def _check_supervision(accreditation: Accreditation, deployment: Deployment) -> Evaluation:
    if deployment.profile_id != accreditation.profile_id:
        raise ValidationError(_("That mission is another expert's."))
    if deployment.slot.role != SlotRole.TRAINEE:
        raise ValidationError(_("A supervised mission is one in which the candidate held a trainee slot."))
    if deployment.status not in (DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED):
        raise ValidationError(_("The supervised mission has not been delivered yet."))
    leads = Deployment.objects.filter(
        slot__activity=deployment.slot.activity,
        slot__role=SlotRole.LEAD,
        status__in=[DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED],
    )
    if not any(_accredited_anywhere(lead.profile, deployment.start_date) for lead in leads):
        raise ValidationError(_("A supervised mission needs an accredited lead beside the candidate."))
    evaluation = supervision_evaluation(deployment)
    if evaluation is None:
        raise ValidationError(_("The supervisor has not evaluated the mission yet."))
    if (
        evaluation.recommendation == Recommendation.NOT_AGAIN
        or evaluation.average < PASSING_SUPERVISION_AVERAGE
    ):
        raise ValidationError(_("The supervisor's evaluation is not positive."))
    return evaluation


def _accredited_anywhere(profile: ExpertProfile, on) -> bool:
    return profile.accreditations.filter(accredited_filter(on or _today())).exists()


@transaction.atomic
def accreditation_record_supervision(*, user, accreditation: Accreditation, deployment) -> Accreditation:
    _curate(user, accreditation)
    _expect(accreditation, AccreditationStatus.TRAINED)
    evaluation = _check_supervision(accreditation, deployment)
    return _step(
        accreditation,
        user,
        AccreditationStatus.SUPERVISED,
        _("Supervised on “%(activity)s”, rated %(score).1f/5.")
        % {"activity": deployment.slot.activity, "score": evaluation.average},
        supervised_deployment=deployment,
    )


def _expiry(pool, on: datetime.date) -> datetime.date:
    try:
        return on.replace(year=on.year + pool.accreditation_years)
    except ValueError:  # 29 February
        return on.replace(year=on.year + pool.accreditation_years, day=28)


@transaction.atomic
def accreditation_accredit(
    *, user, accreditation: Accreditation, on: datetime.date | None = None
) -> Accreditation:
    """Accredited: only with the workshop attendance and a positive supervised-mission evaluation."""
    _curate(user, accreditation)
    _expect(accreditation, AccreditationStatus.SUPERVISED)
    if accreditation.workshop_participation is None:
        raise ValidationError(_("No accreditation without the workshop attendance."))
    _check_workshop(accreditation, accreditation.workshop_participation)
    if accreditation.supervised_deployment is None:
        raise ValidationError(_("No accreditation without a positive supervised-mission evaluation."))
    _check_supervision(accreditation, accreditation.supervised_deployment)
    on = on or _today()
    return _step(
        accreditation,
        user,
        AccreditationStatus.ACCREDITED,
        _("Accredited until %(date)s.") % {"date": _expiry(accreditation.pool, on).isoformat()},
        accredited_on=on,
        expires_on=_expiry(accreditation.pool, on),
        expiry_notice_sent_on=None,
    )


@transaction.atomic
def accreditation_renew(
    *, user, accreditation: Accreditation, on: datetime.date | None = None
) -> Accreditation:
    """Renew an accreditation (also once expired): a new period from `on`."""
    _curate(user, accreditation)
    _expect(accreditation, AccreditationStatus.ACCREDITED)
    on = on or _today()
    expires = _expiry(accreditation.pool, on)
    return _step(
        accreditation,
        user,
        AccreditationStatus.ACCREDITED,
        _("Renewed until %(date)s.") % {"date": expires.isoformat()},
        expires_on=expires,
        expiry_notice_sent_on=None,
    )


def _end(user, accreditation: Accreditation, status: str, reason: str) -> Accreditation:
    _curate(user, accreditation)
    if accreditation.status == AccreditationStatus.WITHDRAWN:
        raise ValidationError(_("This accreditation was withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return _step(accreditation, user, status, reason.strip(), reason=reason.strip())


@transaction.atomic
def accreditation_suspend(*, user, accreditation: Accreditation, reason: str) -> Accreditation:
    _expect(accreditation, AccreditationStatus.ACCREDITED)
    return _end(user, accreditation, AccreditationStatus.SUSPENDED, reason)


@transaction.atomic
def accreditation_withdraw(*, user, accreditation: Accreditation, reason: str) -> Accreditation:
    return _end(user, accreditation, AccreditationStatus.WITHDRAWN, reason)


@transaction.atomic
def accreditation_reinstate(*, user, accreditation: Accreditation, reason: str) -> Accreditation:
    _curate(user, accreditation)
    _expect(accreditation, AccreditationStatus.SUSPENDED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return _step(accreditation, user, AccreditationStatus.ACCREDITED, reason.strip(), reason="")


def _training_evidence(accreditation: Accreditation):
    return (
        Participation.objects.filter(
            person=accreditation.profile.person_id,
            attendance=Attendance.ATTENDED,
            activity__kind__in=ACCREDITATION_WORKSHOPS,
        )
        .select_related("activity")
        .order_by("-activity__start_date")
    )


def _supervision_evidence(accreditation: Accreditation):
    return (
        Deployment.objects.filter(
            profile=accreditation.profile,
            slot__role=SlotRole.TRAINEE,
            status__in=[DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED],
        )
        .select_related("slot__activity")
        .order_by("-start_date")
    )


@transaction.atomic
def accreditation_derive(*, user, accreditation: Accreditation) -> Accreditation:
    """Advance as far as the evidence cbhub holds allows: a recorded attendance at an accreditation
    workshop makes a pre-screened candidate trained; a delivered trainee slot beside an accredited
    lead with a positive supervisor's evaluation makes them supervised. Accreditation itself stays
    a curator's decision (accreditation_accredit)."""
    _curate(user, accreditation)
    if accreditation.status == AccreditationStatus.PRESCREENED:
        for participation in _training_evidence(accreditation):
            accreditation = accreditation_record_training(
                user=user, accreditation=accreditation, participation=participation
            )
            break
    if accreditation.status == AccreditationStatus.TRAINED:
        for deployment in _supervision_evidence(accreditation):
            try:
                _check_supervision(accreditation, deployment)
            except ValidationError:
                continue
            accreditation = accreditation_record_supervision(
                user=user, accreditation=accreditation, deployment=deployment
            )
            break
    return accreditation


def accreditations_expiring(within_days: int = 60, on: datetime.date | None = None):
    on = on or _today()
    return Accreditation.objects.filter(
        status=AccreditationStatus.ACCREDITED,
        expires_on__gte=on,
        expires_on__lte=on + datetime.timedelta(days=within_days),
        expiry_notice_sent_on__isnull=True,
    ).select_related("profile__person__user", "pool")


@transaction.atomic
def accreditation_send_expiry_notices(*, within_days: int = 60, on: datetime.date | None = None) -> int:
    """Email each expert (and their region's ROCB officers) before their accreditation expires; once."""
    from accounts.models import User

    on = on or _today()
    sent = 0
    for accreditation in accreditations_expiring(within_days, on):
        profile = accreditation.profile
        recipients = [profile.person.user] if profile.person.user_id else []
        recipients += list(
            User.objects.filter(role=Role.ROCB_OFFICER, region=profile.region_id, is_active=True)
        )
        expert_email = [profile.person] if profile.person.email and not profile.person.user_id else []
        subject = _("Accreditation expires on %(date)s") % {"date": accreditation.expires_on.isoformat()}
        body = _("%(expert)s's accreditation in %(pool)s expires on %(date)s. Renew it on cbhub: %(url)s") % {
            "expert": profile,
            "pool": accreditation.pool,
            "date": accreditation.expires_on.isoformat(),
            "url": _absolute(profile.get_absolute_url()),
        }
        _notify(recipients + expert_email, subject, body)
        accreditation.expiry_notice_sent_on = on
        accreditation.save(update_fields=["expiry_notice_sent_on", "updated_at"])
        sent += 1
    return sent


# --- slots and deployments -----------------------------------------------------------------------


@transaction.atomic
def slot_create(
    *, user, activity, role: str, pool=None, language: str = "", terms_of_reference: str = ""
) -> Slot:
    require_related_visible(user, Slot, {"activity": activity, "pool": pool})
    slot = Slot(
        activity=activity,
        role=role,
        pool=pool,
        language=language,
        terms_of_reference=terms_of_reference.strip(),
    )
    require(user, Action.ADD, slot)
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def slot_delete(*, user, slot: Slot) -> None:
    require(user, Action.DELETE, slot)
    if (
        slot.deployments.filter(status__in=ACTIVE_DEPLOYMENT)
        .exclude(status=DeploymentStatus.PROPOSED)
        .exists()
    ):
        raise ValidationError(_("An expert is already invited to this slot; cancel the deployment first."))
    slot.delete()


def _record(deployment: Deployment, user, status: str, comment: str = "") -> None:
    deployment.status = status
    deployment.save(update_fields=["status", "updated_at"])
    DeploymentEvent.objects.create(deployment=deployment, status=status, user=user, comment=comment.strip())


def _deployment_expect(deployment: Deployment, *statuses: str) -> None:
    if deployment.status not in statuses:
        raise ValidationError(
            _("This deployment is %(status)s; that step is not possible now.")
            % {"status": deployment.get_status_display()}
        )


def _organisers_of(activity):
    from accounts.models import User

    return User.objects.filter(
        Q(role=Role.ROCB_OFFICER, region=activity.region_id)
        | Q(role=Role.RTC_COORDINATOR, office=activity.lead_office_id),
        is_active=True,
    )


def _focal_points_of(member_id):
    from accounts.models import User

    return User.objects.filter(role=Role.FOCAL_POINT, member=member_id, is_active=True)


def can_staff(user, slot: Slot) -> bool:
    """Whether the user organises the slot's activity (and so sees its shortlist)."""
    return can(user, Action.CHANGE, slot)


def _may_organise(user, deployment: Deployment) -> bool:
    return can(user, Action.CHANGE, deployment.slot)


@transaction.atomic
def deployment_propose(
    *, user, slot: Slot, profile: ExpertProfile, override_reason: str = "", rank=None, shortlist_size: int = 0
) -> Deployment:
    """Put an expert in a slot. Hard rules refuse; a soft rule needs a recorded reason to override."""
    from experts.matching import conflicts_for

    require(user, Action.CHANGE, slot)
    require_related_visible(user, Deployment, {"slot": slot, "profile": profile})
    if slot.deployments.filter(status__in=ACTIVE_DEPLOYMENT).exists():
        raise ValidationError(_("This slot already has an expert; cancel that deployment first."))
    conflicts = conflicts_for(profile, slot)
    hard = [conflict.message for conflict in conflicts if conflict.hard]
    if hard:
        raise ValidationError(hard)
    soft = [conflict.message for conflict in conflicts if not conflict.hard]
    if soft and not override_reason.strip():
        raise ValidationError(
            {"override_reason": [*soft, _("Give a reason to override these rules, or choose someone else.")]}
        )
    activity = slot.activity
    deployment = Deployment(
        slot=slot,
        profile=profile,
        start_date=activity.start_date,
        end_date=activity.end_date,
        override_reason=override_reason.strip() if soft else "",
        proposed_by=user,
    )
    require(user, Action.ADD, deployment)
    deployment.full_clean()
    deployment.save()
    DeploymentEvent.objects.create(
        deployment=deployment, status=DeploymentStatus.PROPOSED, user=user, comment=deployment.override_reason
    )
    ShortlistPick.objects.create(
        slot=slot, profile=profile, rank=rank, shortlist_size=shortlist_size, user=user
    )
    return deployment


@transaction.atomic
def deployment_invite(*, user, deployment: Deployment) -> Deployment:
    if not _may_organise(user, deployment):
        raise PermissionDenied(_("The organisers invite the expert."))
    _deployment_expect(deployment, DeploymentStatus.PROPOSED)
    _record(deployment, user, DeploymentStatus.INVITED)
    expert = deployment.profile.person
    _notify(
        [expert.user, expert],  # the account's address, and the person's if it differs
        _("You are invited to %(activity)s") % {"activity": deployment.slot.activity},
        _("Accept or decline on cbhub: %(url)s") % {"url": _absolute(deployment.get_absolute_url())},
    )
    return deployment


def _is_the_expert(user, deployment: Deployment) -> bool:
    return user.is_authenticated and deployment.profile.person.user_id == user.pk


@transaction.atomic
def deployment_respond(*, user, deployment: Deployment, accept: bool, comment: str = "") -> Deployment:
    """The expert accepts (the request goes to their administration's focal point) or declines."""
    if not _is_the_expert(user, deployment):
        raise PermissionDenied(_("Only the invited expert answers the invitation."))
    _deployment_expect(deployment, DeploymentStatus.INVITED)
    if not accept:
        _record(deployment, user, DeploymentStatus.DECLINED, comment)
        _notify(
            _organisers_of(deployment.slot.activity),
            _("%(expert)s declined %(activity)s")
            % {"expert": deployment.profile, "activity": deployment.slot.activity},
            _absolute(deployment.get_absolute_url()),
        )
        return deployment
    _record(deployment, user, DeploymentStatus.ACCEPTED, comment)
    _notify(
        _focal_points_of(deployment.profile.home_member_id),
        _("Release request: %(expert)s for %(activity)s")
        % {"expert": deployment.profile, "activity": deployment.slot.activity},
        _("Agree or refuse on cbhub: %(url)s") % {"url": _absolute(deployment.get_absolute_url())},
    )
    return deployment


def _is_home_focal_point(user, deployment: Deployment) -> bool:
    return is_secretariat(user) or (
        user.is_authenticated
        and user.role == Role.FOCAL_POINT
        and user.member_id == deployment.profile.home_member_id
    )


@transaction.atomic
def deployment_release(*, user, deployment: Deployment, agree: bool, comment: str = "") -> Deployment:
    """The home administration's focal point releases the expert for the mission, or refuses."""
    if not _is_home_focal_point(user, deployment):
        raise PermissionDenied(_("The focal point of the expert's administration releases them."))
    _deployment_expect(deployment, DeploymentStatus.ACCEPTED)
    if not agree and not comment.strip():
        raise ValidationError({"comment": _("Tell the organisers why the expert is not released.")})
    _record(deployment, user, DeploymentStatus.RELEASED if agree else DeploymentStatus.REFUSED, comment)
    _notify(
        _organisers_of(deployment.slot.activity),
        (
            _("%(expert)s is released for %(activity)s")
            if agree
            else _("%(expert)s is not released for %(activity)s")
        )
        % {"expert": deployment.profile, "activity": deployment.slot.activity},
        _absolute(deployment.get_absolute_url()),
    )
    return deployment


@transaction.atomic
def deployment_confirm(*, user, deployment: Deployment) -> Deployment:
    if not _may_organise(user, deployment):
        raise PermissionDenied(_("The organisers confirm the deployment."))
    _deployment_expect(deployment, DeploymentStatus.RELEASED)
    _record(deployment, user, DeploymentStatus.CONFIRMED)
    expert = deployment.profile.person
    _notify(
        [expert.user, expert],  # the account's address, and the person's if it differs
        _("Confirmed: %(activity)s") % {"activity": deployment.slot.activity},
        _absolute(deployment.get_absolute_url()),
    )
    return deployment


@transaction.atomic
def deployment_deliver(*, user, deployment: Deployment) -> Deployment:
    if not _may_organise(user, deployment):
        raise PermissionDenied(_("The organisers record the delivery."))
    _deployment_expect(deployment, DeploymentStatus.CONFIRMED)
    start = deployment.slot.activity.start_date
    if start and start > _today():
        raise ValidationError(_("The activity has not started yet."))
    _record(deployment, user, DeploymentStatus.DELIVERED)
    host = deployment.slot.activity.host_member_id
    _notify(
        list(_focal_points_of(host)) + list(_organisers_of(deployment.slot.activity)),
        _("Rate %(expert)s") % {"expert": deployment.profile},
        _absolute(deployment.get_absolute_url()),
    )
    return deployment


@transaction.atomic
def deployment_cancel(*, user, deployment: Deployment, reason: str) -> Deployment:
    if not _may_organise(user, deployment):
        raise PermissionDenied(_("The organisers cancel a deployment."))
    _deployment_expect(
        deployment,
        DeploymentStatus.PROPOSED,
        DeploymentStatus.INVITED,
        DeploymentStatus.ACCEPTED,
        DeploymentStatus.RELEASED,
        DeploymentStatus.CONFIRMED,
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    _record(deployment, user, DeploymentStatus.CANCELLED, reason)
    return deployment


def _evaluator_kind_allowed(user, deployment: Deployment, kind: str) -> bool:
    if is_secretariat(user):
        return True
    if kind == EvaluatorKind.BENEFICIARY:
        return user.role == Role.FOCAL_POINT and user.member_id == deployment.slot.activity.host_member_id
    return _may_organise(
        user, deployment
    )  # organiser, and the supervisor of a trainee (an organiser's record)


@transaction.atomic
def evaluation_submit(
    *,
    user,
    deployment: Deployment,
    kind: str,
    technical: int,
    communication: int,
    preparation: int,
    fit: int,
    recommendation: str,
    comments: str = "",
) -> Evaluation:
    """The organiser, the beneficiary administration, or the supervisor rates the expert after delivery."""
    if kind not in EvaluatorKind.values:
        raise ValidationError({"kind": _("Unknown evaluator.")})
    if not _evaluator_kind_allowed(user, deployment, kind):
        raise PermissionDenied(_("Your role does not rate this deployment as %(kind)s.") % {"kind": kind})
    if kind == EvaluatorKind.SUPERVISOR and deployment.slot.role != SlotRole.TRAINEE:
        raise ValidationError({"kind": _("Only a trainee's mission has a supervisor's evaluation.")})
    _deployment_expect(deployment, DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED)
    if deployment.evaluations.filter(kind=kind).exists():
        raise ValidationError(_("This deployment is already rated by its %(kind)s.") % {"kind": kind})
    scores = dict(zip(RATING_CRITERIA, (technical, communication, preparation, fit), strict=True))
    evaluation = Evaluation(
        deployment=deployment,
        kind=kind,
        evaluator=user,
        recommendation=recommendation,
        comments=comments.strip(),
        **scores,
    )
    evaluation.full_clean()
    evaluation.save()
    if deployment.status == DeploymentStatus.DELIVERED:
        _record(deployment, user, DeploymentStatus.EVALUATED)
    return evaluation


@transaction.atomic
def evaluation_disagree(*, user, evaluation: Evaluation, comment: str) -> Evaluation:
    """The expert records that they disagree with an evaluation (the practice of standby rosters)."""
    if not _is_the_expert(user, evaluation.deployment):
        raise PermissionDenied(_("Only the evaluated expert records a disagreement."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what you disagree with.")})
    evaluation.expert_disagrees, evaluation.expert_comment = True, comment.strip()
    evaluation.save(update_fields=["expert_disagrees", "expert_comment", "updated_at"])
    return evaluation


def feedback_summary(profile: ExpertProfile) -> dict:
    """What any curator staffing a mission may read of an expert's feedback: how many ratings, the
    average, and the latest recommendation on future use (the comments stay with the evaluations)."""
    from django.db.models import Avg, Count

    evaluations = Evaluation.objects.filter(deployment__profile=profile).exclude(
        kind=EvaluatorKind.SUPERVISOR
    )
    figures = evaluations.aggregate(
        count=Count("pk"),
        technical=Avg("technical"),
        communication=Avg("communication"),
        preparation=Avg("preparation"),
        fit=Avg("fit"),
    )
    scores = [figures[name] for name in RATING_CRITERIA if figures[name] is not None]
    latest = evaluations.order_by("-created_at").first()
    return {
        "count": figures["count"],
        "average": round(sum(scores) / len(scores), 1) if scores else None,
        "latest_recommendation": latest.get_recommendation_display() if latest else "",
        "missions": Deployment.objects.filter(
            profile=profile, status__in=[DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED]
        ).count(),
    }


def shortlist_acceptance(picks=None) -> dict:
    """How curators use the shortlist: of the experts they proposed, the share that was the first
    candidate, in the top five, or not on the shortlist at all (a measure of the matcher)."""
    picks = ShortlistPick.objects.all() if picks is None else picks
    ranks = list(picks.values_list("rank", flat=True))
    total = len(ranks)
    if not total:
        return {"picks": 0}
    return {
        "picks": total,
        "first": round(sum(rank == 1 for rank in ranks) / total, 2),
        "top5": round(sum(rank is not None and rank <= 5 for rank in ranks) / total, 2),
        "off_list": round(sum(rank is None for rank in ranks) / total, 2),
    }


def team_has_accredited_lead(activity, on: datetime.date | None = None) -> bool:
    on = on or activity.start_date or _today()
    return Deployment.objects.filter(
        slot__activity=activity,
        slot__role=SlotRole.LEAD,
        status__in=ACTIVE_DEPLOYMENT,
        profile__accreditations__in=Accreditation.objects.filter(accredited_filter(on)),
    ).exists()


# --- what waits for whom -------------------------------------------------------------------------


@dataclass(frozen=True)
class WaitingItem:
    label: str
    url: str
    since: datetime.datetime


def waiting_for(user) -> list[WaitingItem]:
    """The steps that wait for this user: invitations to answer, releases to decide, deployments to
    confirm, deliver or rate, accreditations to move on."""
    items = [
        _item(template, deployment)
        for template, deployments in _waiting_steps(user)
        for deployment in deployments.select_related("slot__activity", "profile__person")[:WAITING_SHOWN]
    ]
    return sorted(items, key=lambda item: item.since)


def waiting_count(user) -> int:
    """How many steps wait for this user (the home page's figure), counted without loading them."""
    return sum(deployments.count() for _template, deployments in _waiting_steps(user))


WAITING_SHOWN = 50  # per kind of step


def _waiting_steps(user) -> list[tuple[str, QuerySet]]:
    """Each kind of step waiting for the user, as its label's template and its deployments."""
    if not user.is_authenticated:
        return []
    steps: list[tuple[str, QuerySet]] = []
    deployments = Deployment.objects.restrict(user)
    if user.role == Role.EXPERT:
        steps.append(
            (
                _("Answer the invitation to %(activity)s"),
                deployments.filter(status=DeploymentStatus.INVITED, profile__person__user=user),
            )
        )
    if user.role == Role.FOCAL_POINT:
        steps.append(
            (
                _("Release %(expert)s for %(activity)s"),
                deployments.filter(status=DeploymentStatus.ACCEPTED, profile__home_member=user.member_id),
            )
        )
        steps.append(
            (
                _("Rate %(expert)s after %(activity)s"),
                deployments.filter(
                    status__in=[DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED],
                    slot__activity__host_member=user.member_id,
                ).exclude(evaluations__kind=EvaluatorKind.BENEFICIARY),
            )
        )
    if user.role in (Role.ROCB_OFFICER, Role.RTC_COORDINATOR, Role.SECRETARIAT) or is_secretariat(user):
        organised = Deployment.objects.filter(slot__in=Slot.objects.restrict(user, Action.CHANGE))
        steps += [
            (_("Invite %(expert)s to %(activity)s"), organised.filter(status=DeploymentStatus.PROPOSED)),
            (_("Confirm %(expert)s for %(activity)s"), organised.filter(status=DeploymentStatus.RELEASED)),
            (
                _("Record the delivery of %(activity)s by %(expert)s"),
                organised.filter(status=DeploymentStatus.CONFIRMED, end_date__lt=_today()),
            ),
            (
                _("Rate %(expert)s after %(activity)s"),
                organised.filter(status__in=[DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED]).exclude(
                    evaluations__kind=EvaluatorKind.ORGANISER
                ),
            ),
        ]
    return steps


def _item(template: str, deployment: Deployment) -> WaitingItem:
    label = template % {"expert": deployment.profile, "activity": deployment.slot.activity}
    return WaitingItem(label=label, url=deployment.get_absolute_url(), since=deployment.updated_at)
