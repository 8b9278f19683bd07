"""Generic record services: create, update and delete one object, with the permission check and
model validation every write needs. Apps call these from their own `<entity>_<action>` services or
use them directly where a record has no rules beyond its fields."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from core.permissions import Action, allowed_as_edited, require, require_related_visible


def _assign(instance: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    """Set plain fields now; return many-to-many values, which need a saved row."""
    many = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            setattr(instance, name, value)
    return many


@transaction.atomic
def record_create(*, user, model: type[models.Model], data: dict[str, Any]) -> models.Model:
    require_related_visible(user, model, data)
    instance = model()
    many = _assign(instance, data)
    require(user, Action.ADD, instance)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance


@transaction.atomic
def record_update(*, user, instance: models.Model, data: dict[str, Any]) -> models.Model:
    require(user, Action.CHANGE, instance)
    require_related_visible(user, type(instance), data, instance)
    many = _assign(instance, data)
    # An edit must not move the record out of the user's scope (e.g. a member into another region).
    if not allowed_as_edited(user, Action.CHANGE, instance):
        raise PermissionDenied(
            _("This change would move the %(thing)s out of your scope.")
            % {"thing": instance._meta.verbose_name}
        )
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance


@transaction.atomic
def record_delete(*, user, instance: models.Model) -> None:
    require(user, Action.DELETE, instance)
    try:
        instance.delete()
    except ProtectedError as error:
        names = ", ".join(sorted({str(obj) for obj in list(error.protected_objects)[:5]}))
        raise ValidationError(
            _("%(object)s is still used by: %(names)s.") % {"object": instance, "names": names}
        ) from None
