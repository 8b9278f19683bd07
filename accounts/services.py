"""Account rules: which scope each role needs, and the region kept on every scoped user."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from network.models import Member, Office, OfficeKind, Region


def _scope_for(
    role: str, region: Region | None, office: Office | None, member: Member | None, donor=None
) -> dict:
    """The scope fields to store for a role, or a ValidationError naming what is missing."""
    if role == Role.ROCB_OFFICER:
        if region is None:
            raise ValidationError({"region": _("An ROCB officer needs a region.")})
        return {"region": region, "office": None, "member": None, "donor": None}
    if role == Role.RTC_COORDINATOR:
        if office is None or office.kind != OfficeKind.RTC:
            raise ValidationError({"office": _("An RTC coordinator needs a Regional Training Centre.")})
        return {"region": office.region, "office": office, "member": None, "donor": None}
    if role == Role.FOCAL_POINT:
        if member is None:
            raise ValidationError({"member": _("A member focal point needs a member administration.")})
        return {"region": member.region, "office": None, "member": member, "donor": None}
    # Other roles may still belong to an administration (an expert's home administration).
    region = member.region if member else None
    return {
        "region": region,
        "office": None,
        "member": member,
        "donor": donor if role == Role.DONOR else None,
    }


@transaction.atomic
def user_set_role(
    *,
    user: User,
    role: str,
    region: Region | None = None,
    office: Office | None = None,
    member: Member | None = None,
    donor=None,
) -> User:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    user.role = role
    for name, value in _scope_for(role, region, office, member, donor).items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    region: Region | None = None,
    office: Office | None = None,
    member: Member | None = None,
    donor=None,
    is_staff: bool = False,
) -> User:
    user = User(username=username, email=email, first_name=first_name, last_name=last_name, is_staff=is_staff)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return user_set_role(user=user, role=role, region=region, office=office, member=member, donor=donor)


class ResetThrottle:
    """What the password-reset throttle decided for one request."""

    ALLOWED = "allowed"
    ADDRESS = "address"  # too many requests from this client address: refused with 429
    EMAIL = "email"  # too many links sent to this address: answered as usual, nothing sent


def password_reset_throttle(*, address: str, email: str) -> str:
    """Count one password-reset request and decide whether its email may be sent.

    Per client address (PASSWORD_RESET_LIMIT_PER_ADDRESS an hour) so one client cannot flood the
    form, and per email address (PASSWORD_RESET_LIMIT_PER_EMAIL an hour) so no one's mailbox can be
    flooded from many addresses. The per-email refusal looks like success: the form never tells
    whether an address has an account.
    """
    from django.conf import settings

    from core.throttling import rate_limit_allows

    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    per_address = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    if not rate_limit_allows(scope="reset-address", key=address, limit=per_address, window_seconds=window):
        return ResetThrottle.ADDRESS
    per_email = settings.PASSWORD_RESET_LIMIT_PER_EMAIL
    if not rate_limit_allows(scope="reset-email", key=email, limit=per_email, window_seconds=window):
        return ResetThrottle.EMAIL
    return ResetThrottle.ALLOWED
