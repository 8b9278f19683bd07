"""Ingestion through the upload page, the job worker and import_documents; idempotent re-runs."""

import io

import pytest
from django.core.management import call_command

from jobs.models import Job, JobStatus
from jobs.queues import DatabaseQueue
from knowledge.models import Chunk, Document, DocumentVersion, TopicSuggestion
from knowledge.tests import files

pytestmark = pytest.mark.django_db

GOOD_PRACTICE = (
    "Good practice report: post-clearance audit in Kenya.\n\nThe Kenya Revenue Authority built a post-clearance "
    "audit unit that examines the accounting records of importers after their goods are released. Audits are "
    "selected with risk profiles, and the recovered duties financed the training of forty auditors."
)
FRENCH = (
    "Rapport sur la gestion des risques.\n\nLa douane a mis en place une unité de gestion des risques qui "
    "sélectionne les déclarations à contrôler et partage le renseignement avec les autres services de la région."
)


def upload(client, *named_files, **fields):
    handles = []
    for name, content in named_files:
        handle = io.BytesIO(content)
        handle.name = name
        handles.append(handle)
    return client.post(
        "/knowledge/upload/", {"files": handles, "kind": "good_practice", "visibility": "network", **fields}
    )


def test_upload_runs_as_a_job_with_progress_and_per_file_outcomes(client_for, user_named):
    client = client_for("focal.kenya")
    response = upload(
        client,
        ("kra-audit.txt", GOOD_PRACTICE.encode()),
        ("risques.docx", files.docx(FRENCH)),
        ("scan.pdf", files.pdf(None)),
        ("fake.pdf", b"not a pdf at all"),
    )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.total == 4
    page = client.get(response["Location"])
    assert 'hx-trigger="every 1s"' in page.content.decode()  # the page polls while the job runs

    DatabaseQueue().work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.PARTIAL and job.done == 4 and job.percent == 100
    outcomes = {outcome["name"]: (outcome["status"], outcome["reason"]) for outcome in job.outcomes}
    assert outcomes["kra-audit.txt"][0] == "created" and outcomes["risques.docx"][0] == "created"
    assert "no extractable text" in outcomes["scan.pdf"][1] and "does not match" in outcomes["fake.pdf"][1]
    assert Document.objects.count() == 2  # nothing stored for the failed files

    english, french = Document.objects.get(title="kra-audit"), Document.objects.get(title="risques")
    assert (english.language, french.language) == ("en", "fr")
    assert english.member.iso_alpha2 == "KE" and english.region.code == "ESA"
    assert Chunk.objects.filter(document=english).exists()
    assert "pca" in set(
        TopicSuggestion.objects.filter(document=english).values_list("topic__slug", flat=True)
    )
    finished = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in finished and "kra-audit.txt" in finished


def test_a_rerun_is_idempotent_and_changed_content_is_a_new_version(user_named, ingest_texts):
    user = user_named("rocb.ap")
    ingest_texts(user, [("a.txt", GOOD_PRACTICE, {})])
    _documents, outcomes = ingest_texts(user, [("a.txt", GOOD_PRACTICE, {})])
    assert outcomes[0][1] == "unchanged"
    assert Document.objects.count() == 1 and DocumentVersion.objects.count() == 1


def test_jobs_are_only_seen_by_whoever_started_them(client_for):
    response = upload(client_for("focal.kenya"), ("a.txt", GOOD_PRACTICE.encode()))
    assert client_for("rocb.ap").get(response["Location"]).status_code == 404


def test_import_documents_with_a_sidecar(tmp_path, user_named):
    (tmp_path / "kra-audit.md").write_text(GOOD_PRACTICE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    (tmp_path / "metadata.csv").write_text(
        "file,title,kind,date,visibility,region,topics\n"
        "kra-audit.md,PCA in Kenya,good_practice,2024-05-01,region,esa,pca;risk-management\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_documents", str(tmp_path), stdout=out)
    document = Document.objects.get(title="PCA in Kenya")
    assert (
        document.visibility == "region"
        and document.region.slug == "esa"
        and str(document.date) == "2024-05-01"
    )
    assert set(document.topics.values_list("slug", flat=True)) == {"pca", "risk-management"}
    assert "failed" in out.getvalue() and "broken.pdf" in out.getvalue()
    again = io.StringIO()
    call_command("import_documents", str(tmp_path), stdout=again)
    assert "'unchanged': 2" in again.getvalue() and Document.objects.count() == 2
    (tmp_path / "kra-audit.md").write_text(GOOD_PRACTICE + "\n\nUpdated in 2025.", encoding="utf-8")
    call_command("import_documents", str(tmp_path), stdout=io.StringIO())
    assert document.versions.count() == 2


def test_bad_sidecar_metadata_fails_that_file_only(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_PRACTICE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,kind,region\na.txt,poem,atlantis\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_documents", str(tmp_path), stdout=out)
    assert "Unknown kind" in out.getvalue() and "Unknown region" in out.getvalue()
    assert list(Document.objects.values_list("title", flat=True)) == ["b"]


def test_a_new_version_through_the_page_replaces_the_text(client_for):
    client = client_for("focal.kenya")
    upload(client, ("kra-audit.txt", GOOD_PRACTICE.encode()), title="KRA audit")
    DatabaseQueue().work(burst=True)
    document = Document.objects.get(title="KRA audit")
    assert client_for("rocb.ap").get(f"/knowledge/documents/{document.pk}/version/").status_code == 403
    handle = io.BytesIO(
        (GOOD_PRACTICE + "\n\nThe 2025 edition adds a section on e-commerce parcels.").encode()
    )
    handle.name = "kra-audit-2025.txt"
    response = client.post(f"/knowledge/documents/{document.pk}/version/", {"file": handle})
    assert response.status_code == 302
    DatabaseQueue().work(burst=True)
    document.refresh_from_db()
    assert document.versions.count() == 2 and "e-commerce parcels" in document.text
    assert document.title == "KRA audit" and Document.objects.count() == 1


def test_the_uploader_narrows_who_may_see_a_document(client_for):
    client = client_for("focal.kenya")
    upload(client, ("kra-audit.txt", GOOD_PRACTICE.encode()), title="KRA audit")
    DatabaseQueue().work(burst=True)
    document = Document.objects.get(title="KRA audit")
    assert client_for("rocb.ap").get(document.get_absolute_url()).status_code == 200
    assert client_for("rocb.ap").get(f"/knowledge/documents/{document.pk}/edit/").status_code == 403
    form = client.get(f"/knowledge/documents/{document.pk}/edit/").context["form"]
    data = {key: value for key, value in form.initial.items() if value not in (None, [])}
    data.update(visibility="region", kind="good_practice")
    data["topics"] = [topic.pk for topic in form.initial.get("topics", [])]
    response = client.post(f"/knowledge/documents/{document.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert client_for("rocb.ap").get(document.get_absolute_url()).status_code == 404
