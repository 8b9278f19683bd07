"""Hybrid search: found by meaning, filtered by permission inside the query (no title, count, facet
or snippet of a document outside the user's scope), with facets, snippets and similar documents."""

import pytest
from rest_framework.test import APIClient

from knowledge import retrieval
from knowledge.models import Document

pytestmark = pytest.mark.django_db

DOCUMENTS = [
    (
        "kra-pca.txt",
        "Good practice: post-clearance audit in Kenya. Auditors examine the accounting records of importers after "
        "their goods have been released and recover unpaid duties. Risk profiles select the companies to audit.",
        {"kind": "good_practice", "visibility": "network", "member": "KE", "date": "2023-06-01"},
    ),
    (
        "esa-mission.txt",
        "Mission report: diagnostic of the Uganda revenue authority scanner unit. The non-intrusive inspection "
        "equipment at the border is under-used and image analysts need training. Confidential findings.",
        {"kind": "mission_report", "visibility": "region", "region": "esa", "date": "2024-02-10"},
    ),
    (
        "japan-only.txt",
        "Restricted note for the Japan training centre on the e-learning curriculum for new customs officers.",
        {"kind": "workshop_material", "visibility": "restricted", "restricted_offices": "rtc-japan"},
    ),
    (
        "public-trs.txt",
        "Public guide to the Time Release Study: measuring the time between arrival and release of goods "
        "<script>alert('x')</script> to find bottlenecks at ports.",
        {"kind": "study_paper", "visibility": "public", "region": "ap", "date": "2022-01-01"},
    ),
]


@pytest.fixture
def library(user_named, ingest_texts):
    documents, outcomes = ingest_texts(user_named("secretariat"), DOCUMENTS)
    assert all(status == "created" for _name, status, _reason in outcomes), outcomes
    return {document.title: document for document in documents}


def titles(results) -> list[str]:
    return [hit.document.title for hit in results.hits]


def test_a_paraphrased_question_finds_the_report(user_named, library):
    results = retrieval.search(
        user_named("rocb.ap"), "how do customs check company books once shipments are cleared?"
    )
    assert titles(results)[0] == "kra-pca"


def test_a_region_document_is_invisible_outside_the_region(user_named, library):
    query = "scanner unit mission report Uganda non-intrusive inspection"
    outsider = retrieval.search(user_named("rocb.ap"), query)
    assert "esa-mission" not in titles(outsider)
    assert outsider.total == len(outsider.hits) == len({hit.document.pk for hit in outsider.hits})
    assert library["esa-mission"].pk not in [
        document for document, _s, _c in retrieval.rank(user_named("rocb.ap"), query)
    ]
    assert all(value != "mission_report" for value, _label, _count in outsider.facets.get("kind", []))
    # The Kenyan good practice is the only East and Southern Africa document this officer may see.
    assert {value: count for value, _label, count in outsider.facets.get("region", [])}.get("esa", 0) == 1
    assert "Uganda" not in " ".join(hit.snippet for hit in outsider.hits)
    insider = retrieval.search(user_named("focal.kenya"), query)
    assert titles(insider)[0] == "esa-mission"


def test_restricted_documents_are_seen_by_the_named_office_only(user_named, library):
    query = "e-learning curriculum for new officers"
    assert "japan-only" in titles(retrieval.search(user_named("rtc.japan"), query))
    assert "japan-only" not in titles(retrieval.search(user_named("rocb.ap"), query))
    assert "japan-only" in titles(retrieval.search(user_named("secretariat"), query))


def test_anonymous_visitors_find_public_documents_only(library):
    from django.contrib.auth.models import AnonymousUser

    results = retrieval.search(AnonymousUser(), "time release study bottlenecks customs audit")
    assert titles(results) == ["public-trs"]


def test_facets_filters_and_safe_snippets(user_named, library):
    user = user_named("secretariat")
    results = retrieval.search(user, "customs goods release")
    assert {value for value, _label, _count in results.facets["kind"]} >= {"good_practice", "study_paper"}
    only_studies = retrieval.search(user, "customs goods release", {"kind": "study_paper"})
    assert titles(only_studies) == ["public-trs"]
    snippet = next(hit.snippet for hit in results.hits if hit.document.title == "public-trs")
    assert "<mark>" in snippet and "<script>" not in snippet  # the text's markup never reaches the page


def test_more_like_this_stays_in_scope(user_named, library):
    similar = retrieval.more_like_this(user_named("rocb.ap"), library["kra-pca"])
    assert library["esa-mission"] not in similar and library["kra-pca"] not in similar


def test_search_page_and_api(client_for, library):
    page = client_for("rocb.ap").get("/knowledge/", {"q": "audit of importers"})
    assert page.status_code == 200 and "kra-pca" in page.content.decode()
    registry = client_for("rocb.ap").get("/knowledge/", {"q": "Japan"}).content.decode()
    assert "Elsewhere in cbhub" in registry and "RTC Japan" in registry  # the registry answers too
    api = APIClient()
    api.force_login(Document.objects.first().uploaded_by)
    response = api.get("/api/knowledge/search/", {"q": "scanner unit Uganda"})
    assert response.status_code == 200 and response.json()["hits"][0]["document"]["title"] == "esa-mission"


def test_queries_over_the_limit_are_refused(client_for):
    long_query = "customs " * 60
    assert client_for("rocb.ap").get("/knowledge/", {"q": long_query}).status_code == 400
    response = APIClient().get("/api/knowledge/search/", {"q": long_query})
    assert response.status_code == 400 and "limited to" in response.content.decode()
    assert APIClient().get("/api/knowledge/search/").status_code == 400


def test_document_page_file_and_api_respect_the_scope(client_for, library):
    mission = library["esa-mission"]
    assert client_for("focal.kenya").get(mission.get_absolute_url()).status_code == 200
    assert client_for("rocb.ap").get(mission.get_absolute_url()).status_code == 404
    assert client_for("rocb.ap").get(f"/knowledge/documents/{mission.pk}/file/").status_code == 404
    assert client_for("focal.kenya").get(f"/knowledge/documents/{mission.pk}/file/").status_code == 200
    api = APIClient()
    assert api.get(f"/api/knowledge/documents/{mission.pk}/").status_code == 404
    listed = {row["title"] for row in api.get("/api/knowledge/documents/").json()["results"]}
    assert listed == {"public-trs"}
