"""The rules of training products: who writes them, the lifecycle (draft → proposed to the region's
ROCB → endorsed, or returned with comments → offered → retired), versions (an offered product's
text is frozen in a `ProductVersion` whenever it changes; sessions keep the one they taught), the
curriculum's hours, competencies that are still current, sessions on activities, session requests
through the assistance requests, and an ROCB's invitation to a centre to develop a product.

Every write is keyword-only, atomic and `full_clean()`ed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from activities.models import Activity, AssistanceRequest, ServiceItem
from core.permissions import Action, allowed_as_edited, can, is_secretariat, require, require_related_visible
from network.models import Office, OfficeKind
from training.models import (
    SCHEDULABLE_STATUSES,
    Competency,
    Module,
    Product,
    ProductKind,
    ProductLevel,
    ProductMove,
    ProductStatus,
    ProductVersion,
    Session,
    SessionRequest,
)

# The catalogue service a session request is filed under (seeded by training's migration 0002).
SESSION_SERVICE = "rtc-training-course"

PRODUCT_FIELDS = (
    "title",
    "title_fr",
    "description",
    "description_fr",
    "kind",
    "level",
    "audience",
    "duration_hours",
    "delivery_modes",
    "languages",
    "objectives",
    "prerequisites",
    "assessment",
)
PRODUCT_RELATIONS = ("topics", "competencies", "materials")
MODULE_FIELDS = ("title", "title_fr", "hours", "objectives", "position")


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


# --- who may write -------------------------------------------------------------------------------


def may_edit_content(user, product: Product) -> bool:
    """The owning office writes a product's text: the centre's coordinators for an RTC's product, the
    ROCB's officers for an ROCB's own; the Secretariat everywhere. An ROCB does not rewrite a
    centre's product: it endorses it or returns it with comments."""
    if is_secretariat(user):
        return True
    if not user.is_authenticated:
        return False
    office = product.owner_office
    if user.role == Role.RTC_COORDINATOR:
        return user.office_id == office.pk
    if user.role == Role.ROCB_OFFICER:
        return office.kind != OfficeKind.RTC and office.region_id == user.region_id
    return False


def _require_content_editor(user, product: Product) -> None:
    if product.pk is None:
        allowed = allowed_as_edited(user, Action.ADD, product) and may_edit_content(user, product)
    else:
        allowed = can(user, Action.CHANGE, product) and may_edit_content(user, product)
    if not allowed:
        raise PermissionDenied(_("The office that owns a product writes its text."))
    if product.status == ProductStatus.RETIRED:
        raise ValidationError(_("A retired product is kept as it was; offer it again to change it."))


def may_endorse(user, product: Product) -> bool:
    """The Secretariat, or an ROCB officer of the product's region."""
    if is_secretariat(user):
        return True
    if not user.is_authenticated:
        return False
    return user.role == Role.ROCB_OFFICER and product.owner_office.region_id == user.region_id


# --- checks --------------------------------------------------------------------------------------


def _check_competencies(competencies) -> None:
    retired = [str(competency) for competency in competencies if competency.is_retired]
    if retired:
        raise ValidationError(
            {
                "competencies": _("%(competencies)s is retired: map to a current competency.")
                % {"competencies": ", ".join(retired)}
            }
        )


def _check_hours(product: Product, extra: Decimal = Decimal(0), excluding: int | None = None) -> None:
    """The modules' hours fit in the product's duration."""
    modules = product.modules.all() if product.pk else Module.objects.none()
    if excluding is not None:
        modules = modules.exclude(pk=excluding)
    total = sum((module.hours for module in modules), Decimal(0)) + extra
    if product.duration_hours is not None and total > product.duration_hours:
        raise ValidationError(
            {
                "hours": _(
                    "The modules add up to %(total)s hours, more than the product's %(duration)s hours."
                )
                % {"total": _hours(total), "duration": product.duration_hours}
            }
        )


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _clean_codes(value: str, allowed: set[str], field: str) -> str:
    codes = [code.strip().lower() for code in (value or "").split(",") if code.strip()]
    unknown = [code for code in codes if code not in allowed]
    if unknown or not codes:
        raise ValidationError(
            {field: _("Choose from %(allowed)s.") % {"allowed": ", ".join(sorted(allowed))}}
        )
    return ",".join(dict.fromkeys(codes))


def _clean_product(product: Product) -> None:
    from activities.models import LANGUAGES, DeliveryMode
    from surveys.models import Purpose

    if product.assessment is not None and product.assessment.purpose != Purpose.KNOWLEDGE_TEST:
        raise ValidationError({"assessment": _("The assessment is a knowledge-test questionnaire.")})

    product.delivery_modes = _clean_codes(product.delivery_modes, set(DeliveryMode.values), "delivery_modes")
    product.languages = _clean_codes(product.languages, {code for code, _label in LANGUAGES}, "languages")


# --- products ------------------------------------------------------------------------------------


def _apply(product: Product, data: dict[str, Any]) -> dict[str, Any]:
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    return {name: data[name] for name in PRODUCT_RELATIONS if name in data}


def _set_relations(product: Product, relations: dict[str, Any]) -> None:
    if "competencies" in relations:
        _check_competencies(relations["competencies"])
    for name, values in relations.items():
        getattr(product, name).set(values)


@transaction.atomic
def product_create(*, user, owner_office: Office, data: dict[str, Any]) -> Product:
    require_related_visible(user, Product, {"owner_office": owner_office, **data})
    product = Product(owner_office=owner_office)
    relations = _apply(product, data)
    _require_content_editor(user, product)
    _clean_product(product)
    _saved(product)
    _set_relations(product, relations)
    _record(product, user, "", ProductStatus.DRAFT)
    return product


@transaction.atomic
def product_update(*, user, product: Product, data: dict[str, Any]) -> Product:
    """Change the product's text. An offered product gets a new version; its sessions keep theirs."""
    require_related_visible(user, Product, data, instance=product)
    _require_content_editor(user, product)
    relations = _apply(product, data)
    _clean_product(product)
    _check_hours(product)
    _saved(product)
    _set_relations(product, relations)
    _refresh_version(product)
    return product


@transaction.atomic
def module_save(*, user, product: Product, data: dict[str, Any], module: Module | None = None) -> Module:
    _require_content_editor(user, product)
    competencies = data.get("competencies")
    if competencies is not None:
        require_related_visible(user, Module, {"competencies": competencies}, instance=module)
        _check_competencies(competencies)
    module = module or Module(product=product, position=product.modules.count() + 1)
    for name in MODULE_FIELDS:
        if name in data and data[name] is not None:
            setattr(module, name, data[name])
    module.full_clean()
    if module.hours <= 0:
        raise ValidationError({"hours": _("A module lasts more than zero hours.")})
    _check_hours(product, extra=module.hours, excluding=module.pk)
    module.save()
    if competencies is not None:
        module.competencies.set(competencies)
    _refresh_version(product)
    return module


@transaction.atomic
def module_delete(*, user, module: Module) -> None:
    product = module.product
    _require_content_editor(user, product)
    module.delete()
    _refresh_version(product)


# --- lifecycle -----------------------------------------------------------------------------------

# Each move: where it goes from, and who makes it ("owner" writes the text, "endorser" is the ROCB).
MOVES = {
    ProductStatus.PROPOSED: ({ProductStatus.DRAFT}, "owner"),
    ProductStatus.ENDORSED: ({ProductStatus.PROPOSED}, "endorser"),
    ProductStatus.DRAFT: ({ProductStatus.PROPOSED}, "endorser"),  # returned with comments
    ProductStatus.OFFERED: ({ProductStatus.ENDORSED, ProductStatus.RETIRED}, "either"),
    # Only an offered product retires: the public sees retired products, never one it was not offered.
    ProductStatus.RETIRED: ({ProductStatus.OFFERED}, "either"),
}


def allowed_moves(user, product: Product) -> list[str]:
    """The moves this user may make on the product now, for the page's buttons."""
    return [
        status
        for status, (sources, who) in MOVES.items()
        if product.status in sources and _may_move(user, product, who)
    ]


def _may_move(user, product: Product, who: str) -> bool:
    owner = may_edit_content(user, product)
    endorser = may_endorse(user, product)
    return {"owner": owner, "endorser": endorser, "either": owner or endorser}[who]


@transaction.atomic
def product_move(*, user, product: Product, to_status: str, comment: str = "") -> Product:
    require(user, Action.CHANGE, product)
    if to_status not in MOVES:
        raise ValidationError({"status": _("Unknown status.")})
    sources, who = MOVES[to_status]
    if product.status not in sources:
        raise ValidationError(
            _("A product that is %(current)s cannot become %(target)s.")
            % {"current": product.get_status_display(), "target": ProductStatus(to_status).label}
        )
    if not _may_move(user, product, who):
        raise PermissionDenied(
            _("The centre proposes its products; the region's ROCB endorses or returns them.")
        )
    comment = comment.strip()
    if to_status == ProductStatus.DRAFT and not comment:
        raise ValidationError({"comment": _("Say what the centre should change before proposing it again.")})
    if to_status == ProductStatus.PROPOSED:
        _check_ready(product)
    before = product.status
    product.status = to_status
    _saved(product)
    if to_status == ProductStatus.OFFERED:
        _refresh_version(product)
    _record(product, user, before, to_status, comment)
    return product


def _check_ready(product: Product) -> None:
    """What an ROCB needs to judge a proposal: objectives and a curriculum."""
    missing = []
    if not product.objectives.strip():
        missing.append(_("learning objectives"))
    if not product.modules.exists():
        missing.append(_("at least one module"))
    if missing:
        raise ValidationError(
            _("Add %(missing)s before proposing the product.") % {"missing": _(" and ").join(missing)}
        )


def _record(product: Product, user, before: str, after: str, comment: str = "") -> None:
    ProductMove.objects.create(
        product=product, from_status=before, to_status=after, user=user, comment=comment
    )


# --- versions ------------------------------------------------------------------------------------


def product_snapshot(product: Product) -> dict[str, Any]:
    """The product's teachable content, as a version keeps it."""
    modules = product.modules.prefetch_related("competencies")
    return {
        **{name: getattr(product, name) for name in PRODUCT_FIELDS if name != "assessment"},
        "assessment": product.assessment_id,
        "topics": sorted(product.topics.values_list("pk", flat=True)),
        "competencies": sorted(product.competencies.values_list("code", flat=True)),
        "modules": [
            {
                "title": module.title,
                "title_fr": module.title_fr,
                "hours": _hours(module.hours),
                "objectives": module.objectives,
                "competencies": sorted(competency.code for competency in module.competencies.all()),
            }
            for module in modules
        ],
    }


def _refresh_version(product: Product) -> ProductVersion | None:
    """Freeze the text of an offered (or schedulable) product when it differs from its last version."""
    if product.status not in SCHEDULABLE_STATUSES:
        return None
    content = product_snapshot(product)
    latest = product.versions.order_by("-number").first()
    if latest is not None and latest.content == content:
        return latest
    number = (latest.number if latest else 0) + 1
    version = ProductVersion.objects.create(product=product, number=number, content=content)
    Product.objects.filter(pk=product.pk).update(version=number)
    product.version = number
    return version


# --- sessions ------------------------------------------------------------------------------------


@transaction.atomic
def session_link(*, user, activity: Activity, product: Product) -> Session:
    """Name the product an activity delivers; it keeps the version current today."""
    require_related_visible(user, Session, {"activity": activity, "product": product})
    require(user, Action.CHANGE, activity)
    if product.status not in SCHEDULABLE_STATUSES:
        raise ValidationError(
            {
                "product": _(
                    "“%(product)s” is “%(status)s”: only endorsed and offered products have sessions."
                )
                % {"product": product, "status": product.get_status_display()}
            }
        )
    version = _refresh_version(product)
    session = Session.objects.filter(activity=activity).first() or Session(activity=activity)
    if session.pk is not None:
        require(user, Action.CHANGE, session)  # relinking another office's session needs its right
    session.product, session.version = product, version
    if not allowed_as_edited(user, Action.ADD, session):
        raise PermissionDenied(_("The product's centre or its ROCB plans its sessions."))
    return _saved(session)


@transaction.atomic
def session_unlink(*, user, session: Session) -> None:
    require(user, Action.DELETE, session)
    require(user, Action.CHANGE, session.activity)
    session.delete()


# --- requests for a session ----------------------------------------------------------------------


@transaction.atomic
def session_request_submit(
    *, user, product: Product, member, need_statement: str, for_region: bool = False, urgency: str = "medium"
) -> AssistanceRequest:
    """A focal point asks for a session of an offered product, for their administration or their
    region: an assistance request its ROCB triages like any other, naming the product."""
    from activities.services import request_submit

    require_related_visible(user, SessionRequest, {"product": product})
    if product.status != ProductStatus.OFFERED:
        raise ValidationError({"product": _("Only offered products can be requested.")})
    service = ServiceItem.objects.get(code=SESSION_SERVICE)
    where = _("for the region") if for_region else _("for our administration")
    statement = f"{product} ({where}). {need_statement.strip()}".strip()
    request = request_submit(
        user=user,
        member=member,
        service=service,
        need_statement=statement,
        urgency=urgency,
        topics=list(product.topics.all()),
    )
    link = SessionRequest(request=request, product=product, for_region=for_region)
    require(user, Action.ADD, link)
    _saved(link)
    return request


# --- invitations to develop a product -------------------------------------------------------------


@transaction.atomic
def product_invite(*, user, office: Office, title: str, topics=(), needs: str) -> Product:
    """An ROCB turns a gap into an invitation: a draft product assigned to one of its region's
    centres, with the needs behind it. It waits on the centre's home until the centre proposes it."""
    if not (is_secretariat(user) or (user.is_authenticated and user.role == Role.ROCB_OFFICER)):
        raise PermissionDenied(_("The region's ROCB invites its centres to develop products."))
    require_related_visible(user, Product, {"owner_office": office, "topics": topics})
    if office.kind != OfficeKind.RTC or (not is_secretariat(user) and office.region_id != user.region_id):
        raise ValidationError({"office": _("Invite one of the region's training centres.")})
    if not needs.strip():
        raise ValidationError({"needs": _("Say which needs the product should answer.")})
    product = Product(
        owner_office=office,
        title=title.strip(),
        kind=ProductKind.TECHNICAL,
        level=ProductLevel.FOUNDATION,
        duration_hours=1,
        delivery_modes="in_person",
        languages="en",
        invited_by=Office.objects.filter(region=office.region_id, kind=OfficeKind.ROCB).first(),
        invitation=needs.strip(),
    )
    if not allowed_as_edited(user, Action.ADD, product):
        raise PermissionDenied(_("The region's ROCB invites its centres to develop products."))
    _saved(product)
    product.topics.set(topics)
    _record(product, user, "", ProductStatus.DRAFT, needs.strip())
    return product


def invitations_waiting(user):
    """Draft products a centre was invited to develop and has not proposed yet."""
    if not user.is_authenticated or user.role != Role.RTC_COORDINATOR:
        return Product.objects.none()
    return Product.objects.restrict(user, Action.CHANGE).filter(
        owner_office=user.office_id, status=ProductStatus.DRAFT, invited_by__isnull=False
    )


def proposals_waiting(user):
    """Products of the region's centres proposed to an ROCB officer, waiting for endorsement."""
    if not user.is_authenticated or user.role != Role.ROCB_OFFICER:
        return Product.objects.none()
    return Product.objects.filter(owner_office__region=user.region_id, status=ProductStatus.PROPOSED)


def current_competencies():
    return Competency.objects.filter(is_retired=False).select_related("area__framework")
