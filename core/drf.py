"""DRF settings hooks: the default permission class and the exception handler.

Kept apart from core.api because DRF imports these while it is itself importing, so this module
must not import rest_framework.views at module level.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions

from core.permissions import can_add_any


class ScopedActionPermission(permissions.BasePermission):
    """Reads are open (the queryset is restricted); writes need a signed-in user with a grant."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if request.method == "POST" and model is not None:
            return can_add_any(request.user, model)
        return True


def exception_handler(exc, context):
    """Django's ValidationError from a service becomes a 400 with its messages, never a 500."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)
