"""The knowledge base answers no question about documents the asker may not see."""

import pytest

from knowledge.models import Document

pytestmark = pytest.mark.django_db

TEXT = "Post-clearance audit of bonded warehouses in the port of Mombasa, with risk profiles and findings."


def test_uploading_the_bytes_of_a_restricted_document_tells_nothing(ingest_texts, user_named):
    focal, rocb = user_named("focal.kenya"), user_named("rocb.ap")
    restricted = {"visibility": "restricted", "kind": "mission_report", "restricted_users": [focal.pk]}
    ingest_texts(focal, [("audit.txt", TEXT, restricted)])
    _documents, outcomes = ingest_texts(
        rocb, [("audit.txt", TEXT, {"visibility": "network", "kind": "mission_report"})]
    )
    assert [status for _name, status, _reason in outcomes] == ["created"]
    assert "Already" not in str(outcomes)
    assert Document.objects.count() == 2


def test_uploading_the_bytes_of_a_document_one_may_see_is_recognised(ingest_texts, user_named):
    focal = user_named("focal.kenya")
    ingest_texts(focal, [("audit.txt", TEXT, {"visibility": "network", "kind": "mission_report"})])
    _documents, outcomes = ingest_texts(
        user_named("rocb.ap"), [("audit.txt", TEXT, {"visibility": "network", "kind": "mission_report"})]
    )
    assert [status for _name, status, _reason in outcomes] == ["unchanged"]
