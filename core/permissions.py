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

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
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


@dataclass(frozen=True)
class UserPath:
    """A grant comparing a lookup path of the row with a lookup path of the user, where the role's
    own scope is not what the row is compared with: `UserPath("member__region", "office__region")`
    lets an RTC coordinator (scoped to an office) act on people of their office's region."""

    path: str
    user_path: str

    def value_for(self, user) -> Any:
        return _resolve_path(user, self.user_path)


Grant = str | UserPath | Callable[[Any], Q]


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


def _grant_target(grant: str | UserPath, user) -> tuple[str, Any]:
    """The row's lookup path and the user's value it must equal."""
    if isinstance(grant, UserPath):
        return grant.path, grant.value_for(user)
    return grant, scope_value(user)


def _grant_filter(grant: Grant, user) -> Q:
    if callable(grant):
        return grant(user)
    if grant == ALL:
        return Q()
    path, value = _grant_target(grant, user)
    return NOTHING if value is None else Q(**{path: value})


def grants_filter(user, grants: Mapping[str, Grant]) -> Q | None:
    """The rows a role-keyed grant table (like one action of a policy) lets `user` reach; for
    field-level rules that are not one of a policy's actions (an expert's private fields)."""
    if is_secretariat(user):
        return Q()
    if not (user.is_authenticated and user.is_active):
        return None
    chosen = [grants[key] for key in (user.role, ANY_ROLE) if key in grants]
    if not chosen:
        return None
    combined = _grant_filter(chosen[0], user)
    for grant in chosen[1:]:
        combined |= _grant_filter(grant, user)
    return combined


def permission_filter(user, model: type[models.Model], action: Action) -> Q | None:
    """The filter that keeps the rows `user` may `action`; None when there are none.

    Changing or deleting a row implies seeing it: those grants are intersected with the view grants,
    so no policy can hand a user a row they cannot read (an edit page of an invisible document).
    """
    condition = _granted_filter(user, model, action)
    if condition is None or action in (Action.VIEW, Action.ADD) or is_secretariat(user):
        return condition
    visible = _granted_filter(user, model, Action.VIEW)
    if visible is None:
        return None
    return _intersect(condition, visible)


def _intersect(first: Q, second: Q) -> Q:
    # An empty Q means "every row": keep the other side rather than building Q() & Q(x).
    if not first:
        return second
    if not second:
        return first
    return first & second


def _granted_filter(user, model: type[models.Model], action: Action) -> Q | None:
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
        else:
            path, value = _grant_target(grant, user)
            if value is not None and _resolve_path(instance, path) == value:
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
    not_found = Http404(_("No %(thing)s found.") % {"thing": queryset.model._meta.verbose_name})
    try:
        return queryset.restrict(user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        pass
    except (ValueError, TypeError, OverflowError, ValidationError):
        # An id that is not one (`null,null`, a huge number, a malformed UUID) names nothing.
        raise not_found from None
    if action != Action.VIEW and queryset.restrict(user, Action.VIEW).filter(**lookup).exists():
        raise PermissionDenied(denied_message(action, queryset.model._meta.verbose_name))
    raise not_found


def denied_message(action: Action, thing) -> str:
    return _("Your role does not allow you to %(action)s this %(thing)s.") % {
        "action": action.label,
        "thing": thing,
    }


# --- related objects -----------------------------------------------------------------------------


def has_policy(model: type[models.Model]) -> bool:
    return model._meta.concrete_model in _policies


def visible_choices(queryset: models.QuerySet, user, keep=()) -> models.QuerySet:
    """The choices a form or serializer may offer: the rows the user may view, plus those the
    object being edited already points at (`keep`), so an edit does not lose a link it cannot see."""
    if not has_policy(queryset.model) or is_secretariat(user):
        return queryset
    condition = permission_filter(user, queryset.model, Action.VIEW)
    keep = [pk for pk in keep if pk is not None]
    if condition is None:
        return queryset.filter(pk__in=keep) if keep else queryset.none()
    if not condition:  # every row
        return queryset
    return queryset.filter(condition | Q(pk__in=keep)) if keep else queryset.filter(condition)


def linked_ids(instance, name: str) -> list:
    """The ids the saved `instance` links to through field `name` (none for a new object, a path
    with dots, or a name that is no model relation): what an edit keeps among its choices."""
    if instance is None or instance.pk is None or "." in name:
        return []
    try:
        field_ = instance._meta.get_field(name)
    except Exception:  # a form or serializer field with no model field behind it
        return []
    if field_.many_to_many:
        return list(getattr(instance, name).values_list("pk", flat=True))
    if field_.is_relation and field_.concrete:
        return [getattr(instance, field_.attname)]
    return []


def _related_ids(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, models.Model):
        return [value.pk]
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [item.pk if isinstance(item, models.Model) else item for item in value]
    return [value]


def require_related_visible(user, model: type[models.Model], data: Mapping[str, Any], instance=None) -> None:
    """Refuse a write that links to objects the user may not view, with the message an id that does
    not exist gets, so the answer tells nothing about rows outside the user's scope.

    Links the object already had are kept as they are: editing an activity does not fail because the
    Secretariat attached a funding agreement its organiser may not read.
    """
    if is_secretariat(user):
        return
    errors = {}
    for name, value in data.items():
        try:
            field_ = model._meta.get_field(name)
        except Exception:  # not a model field (a form-only value): nothing to check
            continue
        if not field_.is_relation or not field_.concrete or not has_policy(field_.related_model):
            continue
        wanted = set(_related_ids(value))
        if instance is not None and instance.pk is not None:
            if field_.many_to_many:
                wanted -= set(getattr(instance, name).values_list("pk", flat=True))
            else:
                wanted.discard(getattr(instance, field_.attname))
        if not wanted:
            continue
        candidates = field_.related_model._default_manager.filter(pk__in=wanted)
        if visible_choices(candidates, user).count() != len(wanted):
            errors[name] = _("Select a valid choice. That choice is not one of the available choices.")
    if errors:
        raise ValidationError(errors)
