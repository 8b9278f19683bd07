"""The committed schema (held equal to the code by test_openapi.py) tells the truth about nulls,
the similar-documents list and the error answers."""

from pathlib import Path

import yaml

from core.schema import ERROR_RESPONSES, model_path_is_nullable
from knowledge.models import Document

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text(encoding="utf-8"))
OPERATIONS = [
    (path, method, operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in {"get", "put", "patch", "post", "delete"}
]


def test_read_only_fields_whose_model_path_can_be_null_are_nullable():
    document = SCHEMA["components"]["schemas"]["Document"]["properties"]
    assert document["region"].get("nullable") is True  # a slug of a document without a region
    assert document["date"].get("nullable") is True
    assert model_path_is_nullable(Document, "region.slug")
    assert not model_path_is_nullable(Document, "title")


def test_similar_documents_are_declared_as_the_plain_list_they_are():
    operation = SCHEMA["paths"]["/api/knowledge/documents/{id}/similar/"]["get"]
    assert [parameter["name"] for parameter in operation["parameters"]] == ["id"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": "#/components/schemas/Document"}}


def test_every_operation_documents_its_error_answers():
    assert len(OPERATIONS) > 50
    missing = [
        (method, path, code)
        for path, method, operation in OPERATIONS
        for code in ERROR_RESPONSES
        if code not in operation["responses"]
    ]
    assert missing == []
    assert set(SCHEMA["components"]["responses"]) == {name for name, _body, _text in ERROR_RESPONSES.values()}
