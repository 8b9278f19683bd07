"""Object permissions as data.

Each model registers one Policy: who may view, add, change and delete which rows. A policy grant
maps a role to either ALL (every row), a lookup path from the model to the user's scope (the
region of an ROCB officer, the office of an RTC coordinator, the administration of a focal point,
the user itself for the other roles), or a callable that builds a Q from the user.

`RestrictedQuerySet.restrict(user, action)` turns the policy into a filter inside the query, so
lists, counts, search and exports never see rows outside the user's scope. The base views and
viewsets in `core.views` and `core.api` call it; no other code needs to remember to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import SCOPE_FIELD, Role


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.VIEW: gettext_lazy("view"),
    Action.ADD: gettext_lazy("add"),
    Action.CHANGE: gettext_lazy("change"),
    Action.DELETE: gettext_lazy("delete"),
}


ALL = "__all__"
ANY_ROLE = "__any_role__"  # grant key: every signed-in user, whatever the role
NOTHING = Q(pk__in=[])

Grant = str | Callable[[Any], Q]


@dataclass(frozen=True)
class Policy:
    """Who may do what with one model. The Secretariat may do everything and is not listed."""

    public: Q | None = None  # rows anyone may view, anonymous visitors included
    view: Mapping[str, Grant] = field(default_factory=dict)
    add: Mapping[str, Grant] = field(default_factory=dict)
    change: Mapping[str, Grant] = field(default_factory=dict)
    delete: Mapping[str, Grant] = field(default_factory=dict)

    def grants(self, action: Action) -> Mapping[str, Grant]:
        return getattr(self, action.value)


_policies: dict[type[models.Model], Policy] = {}


def register_policy(model: type[models.Model], policy: Policy) -> None:
    _policies[model] = policy


def policy_for(model: type[models.Model]) -> Policy:
    concrete = model._meta.concrete_model
    try:
        return _policies[concrete]
    except KeyError:
        raise ImproperlyConfigured(f"{model.__name__} has no permission policy registered.") from None


def registered_models() -> list[type[models.Model]]:
    return list(_policies)


def is_secretariat(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.SECRETARIAT)
    )


def scope_value(user) -> Any:
    """The id a role's lookup paths are compared with; None if the user's scope is not set."""
    scope_field = SCOPE_FIELD.get(user.role)
    return getattr(user, f"{scope_field}_id") if scope_field else user.pk


def _user_grants(user, policy: Policy, action: Action) -> list[Grant]:
    grants = policy.grants(action)
    return [grants[key] for key in (user.role, ANY_ROLE) if key in grants]


def _grant_filter(grant: Grant, user) -> Q:
    if callable(grant):
        return grant(user)
    if grant == ALL:
        return Q()
    value = scope_value(user)
    return NOTHING if value is None else Q(**{grant: value})


def permission_filter(user, model: type[models.Model], action: Action) -> Q | None:
    """The filter that keeps the rows `user` may `action`; None when there are none."""
    if is_secretariat(user):
        return Q()
    policy = policy_for(model)
    clauses = []
    if action == Action.VIEW and policy.public is not None:
        clauses.append(policy.public)
    if user.is_authenticated and user.is_active:
        clauses.extend(_grant_filter(grant, user) for grant in _user_grants(user, policy, action))
    if not clauses:
        return None
    # An empty Q means "every row"; Q() | Q(x) would collapse to Q(x), so it must win outright.
    if any(not clause for clause in clauses):
        return Q()
    combined = clauses[0]
    for clause in clauses[1:]:
        combined |= clause
    return combined


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what a user may do."""

    def restrict(self, user, action: Action = Action.VIEW) -> RestrictedQuerySet:
        condition = permission_filter(user, self.model, action)
        return self.none() if condition is None else self.filter(condition)


def can_add_any(user, model: type[models.Model]) -> bool:
    """Whether the user may add at least some rows of this model (to show an Add button)."""
    if is_secretariat(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(_user_grants(user, policy_for(model), Action.ADD))


def _resolve_path(instance: models.Model, lookup: str) -> Any:
    *relations, last = lookup.split("__")
    target = instance
    for name in relations:
        target = getattr(target, name, None)
        if target is None:
            return None
    if last == "pk":
        return target.pk
    field_ = target._meta.get_field(last)
    return getattr(target, field_.attname)


def allowed_as_edited(user, action: Action, instance: models.Model) -> bool:
    """Whether the grants allow `action` on the object as it is in memory (new, or edited but unsaved)."""
    if is_secretariat(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    value = scope_value(user)
    model = type(instance)
    for grant in _user_grants(user, policy_for(model), action):
        if grant == ALL:
            return True
        if callable(grant):
            # A Q cannot be tested in memory; such grants depend on the stored row.
            if (
                instance.pk is not None
                and model._default_manager.filter(grant(user), pk=instance.pk).exists()
            ):
                return True
        elif value is not None and _resolve_path(instance, grant) == value:
            return True
    return False


def can(user, action: Action, instance: models.Model) -> bool:
    """Whether the user may do `action` on this one object (for ADD, an object not yet saved)."""
    if is_secretariat(user):
        return True
    if action == Action.ADD:
        return allowed_as_edited(user, action, instance)
    return type(instance)._default_manager.filter(pk=instance.pk).restrict(user, action).exists()


def require(user, action: Action, instance: models.Model) -> None:
    """Raise PermissionDenied unless the user may do `action` on the object. Services call this."""
    if not can(user, action, instance):
        raise PermissionDenied(denied_message(action, instance._meta.verbose_name))


def get_scoped_object(queryset: models.QuerySet, user, action: Action, **lookup) -> models.Model:
    """The object the user may `action`: 404 if they cannot see it, 403 if they only can see it."""
    try:
        return queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        pass
    if action != Action.VIEW and queryset.restrict(user, Action.VIEW).filter(**lookup).exists():
        raise PermissionDenied(denied_message(action, queryset.model._meta.verbose_name))
    raise Http404(_("No %(thing)s found.") % {"thing": queryset.model._meta.verbose_name})


def denied_message(action: Action, thing) -> str:
    return _("Your role does not allow you to %(action)s this %(thing)s.") % {
        "action": action.label,
        "thing": thing,
    }
