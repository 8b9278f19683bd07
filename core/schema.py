"""The OpenAPI schema says what the API really answers.

- `AutoSchema` marks a read-only field nullable when the model path it reads can be null (a
  `region` slug of a document without a region is null), so no serializer has to repeat it.
- `postprocess_error_responses` documents the error answers every operation can give: 400 (a
  filter, a body or the request itself is invalid: field errors or a `detail`), 401 (a token that
  is not one, or a write without signing in), 403 (the role may not) and 404 (no such row the
  caller may see, or a page past the last).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

# Status code: (name of the shared response, its body's schema, what it means).
ERROR_RESPONSES = {
    "400": (
        "BadRequest",
        "ValidationError",
        "The request is invalid: each field with its messages, or a detail.",
    ),
    "401": ("NotAuthenticated", "Error", "Not signed in, or the token is not valid."),
    "403": ("Forbidden", "Error", "The caller's role does not allow this."),
    "404": ("NotFound", "Error", "No such object that the caller may see, or a page past the last."),
}

COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "description": "Field names (`non_field_errors` for the whole) with their messages, or a "
        "`detail`; a list of messages when the error concerns the whole request.",
        "oneOf": [
            {"type": "object", "additionalProperties": {}},
            {"type": "array", "items": {"type": "string"}},
        ],
    },
}


def model_path_is_nullable(model, source: str) -> bool:
    """Whether following `source` (dotted, as DRF writes it) from `model` can meet a null."""
    for name in source.split("."):
        if model is None:
            return False
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # a property or a method: its type is the serializer's to state
        if getattr(field, "null", False) or (field.one_to_one and field.auto_created):
            return True
        model = field.related_model if field.is_relation else None
    return False


class AutoSchema(SpectacularAutoSchema):
    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if field.read_only and not field.allow_null and "nullable" not in meta:
            parent = getattr(field, "parent", None)
            model = getattr(getattr(parent, "Meta", None), "model", None)
            source = getattr(field, "source", "") or ""
            if (
                model is not None
                and source not in ("", "*")
                and not isinstance(parent, serializers.ListSerializer)
                and model_path_is_nullable(model, source)
            ):
                meta["nullable"] = True
        return meta


def postprocess_error_responses(result, generator, request, public):
    """A drf-spectacular postprocessing hook: the error answers, on every operation."""
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        schemas.setdefault(name, component)
    shared = components.setdefault("responses", {})
    for name, body, description in ERROR_RESPONSES.values():
        shared[name] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (name, _body, _description) in ERROR_RESPONSES.items():
                responses.setdefault(code, {"$ref": f"#/components/responses/{name}"})
    return result
