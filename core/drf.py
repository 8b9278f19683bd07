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


# --- request bodies --------------------------------------------------------------------------------
# PostgreSQL refuses NUL characters in text, and a lookup by slug (`SlugRelatedField`) would pass
# one to the database: every body is refused with a 400 before any field sees it, on both databases.


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    if hasattr(value, "lists"):  # a QueryDict of form fields
        return any(_holds_nul(key) or _holds_nul(items) for key, items in value.lists())
    return False


def _refusing_nul(parser_class):
    from django.utils.translation import gettext_lazy as _

    class Parser(parser_class):
        def parse(self, stream, media_type=None, parser_context=None):
            parsed = super().parse(stream, media_type, parser_context)
            data = getattr(parsed, "data", parsed)  # multipart answers data and files
            if _holds_nul(data):
                raise exceptions.ParseError(_("A value may not contain a NUL character."))
            return parsed

    Parser.__name__ = Parser.__qualname__ = parser_class.__name__
    return Parser


def _parsers():
    from rest_framework import parsers

    return (
        _refusing_nul(parsers.JSONParser),
        _refusing_nul(parsers.FormParser),
        _refusing_nul(parsers.MultiPartParser),
    )


JSONParser, FormParser, MultiPartParser = _parsers()
