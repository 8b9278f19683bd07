"""The study-paper compiler: a delivered workshop's draft as DOCX and PDF (opened and read back),
compiled by a job; a workshop without questionnaire; who may compile; the editors' revised version
into the knowledge base; bad input."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import User
from accounts.roles import Role
from activities.models import Status
from core.tests.hostile_files import HOSTILE_FILES, NOMINATION_TABLE
from insights import study_paper
from jobs.models import Job, JobStatus
from jobs.services import job_run
from knowledge.ingestion import Incoming, ingest
from knowledge.jobs import INGEST
from knowledge.models import Document, DocumentKind
from network.models import Region
from surveys import services as survey_services
from surveys.models import Stage
from surveys.tests.factories import attach, links, submit, template, workshop
from topics.models import Topic

pytestmark = pytest.mark.django_db

HANDBOOK = (
    "Risk management at the border. Selectivity profiles send high-risk consignments to inspection "
    "while compliant traders clear in minutes; the case study scored each declaration against the "
    "intelligence gathered from earlier seizures."
)
ADVICE = (
    "Technical advice on risk management: each administration should set up a national targeting "
    "centre, share intelligence through the Customs Enforcement Network and review its risk profiles "
    "every quarter."
)
UNRELATED = "Guidance on the design of customs uniforms, badges and ceremonial dress for official events."
HIDDEN = "Confidential notes on risk management targeting at the border for European administrations only."


class Sink:
    def item(self, name, status, reason="", **extra):
        assert status != "failed", reason


def add_documents(activity, user_named):
    """The workshop's handbook, the Secretariat's advice on its topic, an unrelated Secretariat text
    and another region's document linked to the workshop (which its organisers may not read)."""
    ingest(
        [
            Incoming(
                "handbook.txt",
                HANDBOOK.encode(),
                {
                    "title": "Risk workshop handbook",
                    "kind": "workshop_material",
                    "activity": str(activity.pk),
                    "office": "rocb-ap",
                },
            ),
        ],
        user=user_named("rocb.ap"),
        progress=Sink(),
    )
    ingest(
        [
            Incoming(
                "advice.txt",
                ADVICE.encode(),
                {
                    "title": "Secretariat advice on risk management",
                    "kind": "good_practice",
                    "office": "secretariat",
                    "topics": "risk-management",
                },
            ),
            Incoming(
                "hidden.txt",
                HIDDEN.encode(),
                {
                    "title": "European notes",
                    "kind": "other",
                    "visibility": "region",
                    "region": Region.objects.exclude(pk=activity.region_id).first().slug,
                    "activity": str(activity.pk),
                },
            ),
            Incoming(
                "uniforms.txt",
                UNRELATED.encode(),
                {"title": "Uniform guidance", "kind": "other", "office": "secretariat", "topics": "pca"},
            ),
        ],
        user=user_named("secretariat"),
        progress=Sink(),
    )


@pytest.fixture
def delivered(user_named):
    """A delivered Asia/Pacific workshop on risk management: six participants of four administrations,
    three women and three men, whose needs questionnaire all six answered."""
    activity = workshop(participants=6, objectives="Strengthen risk-based selectivity and targeting.")
    activity.topics.set([Topic.objects.get(slug="risk-management")])
    wave = attach(user_named("rocb.ap"), activity, "needs_assessment", Stage.NEEDS)
    definition = survey_services.current_version(template("needs_assessment")).definition
    topics = sorted(survey_services.topic_values())
    rng = random.Random(7)
    for _invitation, token in links(wave):
        answers = survey_services_fake(definition, rng, topics)
        _response, errors, _ = submit(token, answers)
        assert not errors
    add_documents(activity, user_named)
    return activity


def survey_services_fake(definition, rng, topics):
    from surveys.demo import fake_answers

    answers = fake_answers(definition, rng, topics=topics, members=["JP"])
    answers.update(proficiency_self="3", priority_topics=[topics[0]], top_priority_topic=topics[0])
    return answers


def compile_as(client, activity) -> Job:
    response = client.post(f"/insights/activities/{activity.pk}/study-paper/compile/")
    assert response.status_code == 302
    job = Job.objects.filter(kind=study_paper.KIND).latest("created_at")
    return job_run(job.pk)


def docx_of(client, job):
    from docx import Document as Docx

    response = client.get(f"/insights/study-papers/{job.pk}/draft.docx")
    assert response.status_code == 200
    return Docx(io.BytesIO(b"".join(response.streaming_content)))


def pdf_text(client, job) -> str:
    from pypdf import PdfReader

    response = client.get(f"/insights/study-papers/{job.pk}/draft.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_a_compiled_paper_holds_the_workshop_its_needs_and_its_sources(delivered, client_for):
    client = client_for("rocb.ap")
    job = compile_as(client, delivered)
    assert job.status == JobStatus.SUCCEEDED, job.outcomes
    assert job.done == job.total == study_paper.STEPS and job.percent == 100
    assert job.result["figures"]["participants"] == 6
    assert job.result["figures"]["genders"]["female"] == 3 and job.result["figures"]["needs_respondents"] == 6

    document = docx_of(client, job)
    titles = headings(document)
    for expected in (
        delivered.title,
        "Background of the workshop",
        "Participants",
        "Pre-workshop questionnaire",
        "Evaluation results",
        "Key passages from the workshop's materials and the Secretariat's technical advice",
        "Related research",
        "Analysis [For the editors]",
        "Recommendations [For the editors]",
        "Sources",
    ):
        assert expected in titles, (expected, titles)
    # The participants' table by administration and gender, and the questionnaire's tables.
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    participants = next(table for table in tables if table[0][:3] == ["Administration", "Female", "Male"])
    assert participants[-1][0] == "Total" and participants[-1][-1] == "6"
    assert any(table[0] == ["Answer", "Respondents", "Share"] for table in tables)
    # Charts drawn on the server, inline in the document.
    assert len(document.inline_shapes) >= 3
    text = "\n".join(p.text for p in document.paragraphs)
    assert "6 participants from 4 administrations" in text
    # The passages: the workshop's handbook and the Secretariat's advice on its topic, cited; not
    # the unrelated advice, nor the document its organisers may not read.
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert any("national targeting centre" in quote for quote in quotes)
    assert any("Selectivity profiles" in quote for quote in quotes)
    assert "uniforms" not in text.lower() and "European administrations" not in text, text
    assert re.search(r"\[\d\] Secretariat advice on risk management, passage 1 of 1", text)
    # The editors' sections are marked and highlighted.
    marked = [
        p
        for p in document.paragraphs
        if p.text.startswith("[For the editors]") and p.runs[0].font.highlight_color
    ]
    assert len(marked) == 3

    pdf = pdf_text(client, job)
    assert "6 participants from 4 administrations" in pdf
    assert "Female: 3" in pdf and "Male: 3" in pdf
    assert "6 people answered it" in pdf and "[For the editors]" in pdf


def test_the_job_page_and_the_study_paper_page_show_the_progress_and_the_files(delivered, client_for):
    client = client_for("rocb.ap")
    client.post(f"/insights/activities/{delivered.pk}/study-paper/compile/")
    page = client.get(f"/insights/activities/{delivered.pk}/study-paper/").content.decode()
    assert 'id="job-progress"' in page and 'hx-trigger="every 1s"' in page  # polls while queued
    # A second click while it waits does not queue a second compile.
    client.post(f"/insights/activities/{delivered.pk}/study-paper/compile/")
    job = Job.objects.get(kind=study_paper.KIND)
    job_run(job.pk)
    page = client.get(f"/insights/activities/{delivered.pk}/study-paper/").content.decode()
    assert f"/insights/study-papers/{job.pk}/draft.docx" in page and "every 1s" not in page
    progress = client.get(job.get_absolute_url()).content.decode()
    assert "Word document (DOCX)" in progress and f"/insights/study-papers/{job.pk}/draft.pdf" in progress


def test_a_workshop_without_questionnaire_compiles_a_paper_that_says_so(client_for):
    activity = workshop(participants=2)
    client = client_for("rocb.ap")
    job = compile_as(client, activity)
    assert job.status == JobStatus.SUCCEEDED, job.outcomes
    text = "\n".join(p.text for p in docx_of(client, job).paragraphs)
    assert "This workshop had no pre-workshop questionnaire" in text
    assert "No questionnaire was attached to this workshop." in text
    assert "No material of this workshop" in text
    pdf = pdf_text(client, job)
    assert "no pre-workshop questionnaire" in pdf and "2 participants" in pdf


def test_an_anonymous_needs_questionnaire_of_few_respondents_is_withheld(user_named, client_for):
    activity = workshop(participants=3)
    wave = attach(user_named("rocb.ap"), activity, "needs_assessment", Stage.NEEDS, anonymous=True)
    definition = survey_services.current_version(template("needs_assessment")).definition
    topics = sorted(survey_services.topic_values())
    for _invitation, token in links(wave):
        submit(token, survey_services_fake(definition, random.Random(3), topics))
    client = client_for("rocb.ap")
    job = compile_as(client, activity)
    document = docx_of(client, job)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Fewer than 5 people answered this anonymous questionnaire" in text
    assert not any(table.rows[0].cells[0].text == "Answer" for table in document.tables)


def test_the_paper_is_written_in_the_compilers_language(delivered, client_for):
    client = client_for("rocb.ap")
    client.post("/i18n/setlang/", {"language": "fr"})
    job = compile_as(client, delivered)
    titles = headings(docx_of(client, job))
    assert "Contexte de l’atelier" in titles and "Recommandations [Pour la rédaction]" in titles


def test_only_the_organisers_compile(delivered, client_for, user_named):
    url = f"/insights/activities/{delivered.pk}/study-paper/"
    other_rocb = User.objects.create(
        username="rocb.other", role=Role.ROCB_OFFICER, region=Region.objects.exclude(code="A/P").first()
    )
    for username in ("focal.kenya", "rtc.japan", "donor", "researcher"):
        client = client_for(username)
        assert client.get(url).status_code == 403
        assert client.post(url + "compile/").status_code == 403
        assert client.post(url + "upload/").status_code == 403
    other = client_for(None)
    other.force_login(other_rocb)
    assert other.get(url).status_code == 403 and other.post(url + "compile/").status_code == 403
    anonymous = client_for(None)
    for response in (anonymous.get(url), anonymous.post(url + "compile/")):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Job.objects.filter(kind=study_paper.KIND).exists()
    # The activity page offers the panel to its organisers only.
    assert (
        'id="study-paper-panel"' in client_for("rocb.ap").get(delivered.get_absolute_url()).content.decode()
    )
    assert (
        'id="study-paper-panel"'
        not in client_for("focal.kenya").get(delivered.get_absolute_url()).content.decode()
    )
    assert 'id="study-paper-panel"' not in client_for(None).get(delivered.get_absolute_url()).content.decode()
    # A draft is its compiler's (and the Secretariat's, who may see every job).
    job = compile_as(client_for("rocb.ap"), delivered)
    for username in ("rtc.japan", "focal.kenya"):
        assert client_for(username).get(f"/insights/study-papers/{job.pk}/draft.pdf").status_code == 404
    assert client_for("secretariat").get(f"/insights/study-papers/{job.pk}/draft.docx").status_code == 200


def test_a_workshop_not_yet_delivered_is_refused_with_a_message(client_for):
    activity = workshop(participants=1, status=Status.SCHEDULED)
    client = client_for("rocb.ap")
    page = client.get(f"/insights/activities/{activity.pk}/study-paper/")
    assert page.status_code == 200 and 'id="study-paper-not-delivered"' in page.content.decode()
    response = client.post(f"/insights/activities/{activity.pk}/study-paper/compile/", follow=True)
    assert "once the workshop is delivered" in response.content.decode()
    assert not Job.objects.filter(kind=study_paper.KIND).exists()
    assert 'id="study-paper-panel"' not in client.get(activity.get_absolute_url()).content.decode()


def test_bad_ids_are_not_found(client_for, delivered):
    client = client_for("secretariat")
    for url in (
        "/insights/activities/999999/study-paper/",
        "/insights/activities/100000000000000000000/study-paper/",
        "/insights/activities/abc/study-paper/",
        "/insights/study-papers/100000000000000000000/draft.docx",
        "/insights/study-papers/999999/draft.pdf",
        "/insights/study-papers/1/draft.exe",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/insights/activities/999999/study-paper/compile/").status_code == 404
    # A job of another kind is no draft.
    ingest_job = Job.objects.create(
        kind=INGEST, payload={}, created_by=User.objects.get(username="secretariat")
    )
    assert client.get(f"/insights/study-papers/{ingest_job.pk}/draft.docx").status_code == 404


def upload(client, activity, name, content, **fields):
    return client.post(
        f"/insights/activities/{activity.pk}/study-paper/upload/",
        {"file": SimpleUploadedFile(name, content), "visibility": "network", **fields},
        follow=True,
    )


def test_the_revised_version_becomes_the_workshops_study_paper(delivered, client_for):
    client = client_for("rocb.ap")
    job = compile_as(client, delivered)
    draft = b"".join(client.get(f"/insights/study-papers/{job.pk}/draft.docx").streaming_content)
    response = upload(client, delivered, "revised paper.docx", draft)
    assert "being added to the knowledge base" in response.content.decode()
    ingestion = Job.objects.filter(kind=INGEST).latest("created_at")
    job_run(ingestion.pk)
    ingestion.refresh_from_db()
    assert ingestion.status == JobStatus.SUCCEEDED, ingestion.outcomes
    paper = Document.objects.get(kind=DocumentKind.STUDY_PAPER, activity=delivered)
    assert paper.region.code == "A/P" and paper.chunks.exists()  # extracted and indexed
    assert "Background of the workshop" in paper.text
    assert list(paper.topics.values_list("slug", flat=True)) == ["risk-management"]
    page = client.get(f"/insights/activities/{delivered.pk}/study-paper/").content.decode()
    assert paper.get_absolute_url() in page
    assert f"/conferences/recommend/?document={paper.pk}" in page  # to PICARD, on behalf of the region
    assert paper.get_absolute_url() in client.get(delivered.get_absolute_url()).content.decode()

    # The next upload is a new version of the same study paper.
    from docx import Document as Docx

    revised = Docx(io.BytesIO(draft))
    revised.add_paragraph("The editors' analysis: targeting works where intelligence is shared.")
    buffer = io.BytesIO()
    revised.save(buffer)
    upload(client, delivered, "revised-2.docx", buffer.getvalue())
    job_run(Job.objects.filter(kind=INGEST).latest("created_at").pk)
    paper.refresh_from_db()
    assert paper.versions.count() == 2 and "intelligence is shared" in paper.text
    assert Document.objects.filter(kind=DocumentKind.STUDY_PAPER, activity=delivered).count() == 1


def test_a_wrong_or_oversized_revised_file_is_refused_with_a_message(delivered, client_for):
    client = client_for("rocb.ap")
    response = upload(client, delivered, "notes.txt", b"Some notes of the editors, in plain text.")
    assert "must be a Word document (DOCX) or a PDF" in response.content.decode()
    response = upload(client, delivered, "fake.pdf", b"not a pdf at all")
    assert "does not match" in response.content.decode()
    response = client.post(f"/insights/activities/{delivered.pk}/study-paper/upload/", follow=True)
    assert response.status_code == 200 and "Revised paper" in response.content.decode()
    with override_settings(KNOWLEDGE_MAX_UPLOAD_BYTES=1000):
        response = upload(client, delivered, "big.pdf", b"%PDF-1.7\n" + b"0" * 5000)
    assert response.status_code == 200 and "larger than" in response.content.decode()
    response = upload(client, delivered, "paper.docx", b"x", visibility="restricted")
    assert "Who may see it" in response.content.decode()
    assert not Job.objects.filter(kind=INGEST, created_by__username="rocb.ap").exists()


def _messages(response) -> list[str]:
    return [
        text.strip()
        for text in re.findall(r'class="message error">(.*?)</li>', response.content.decode(), flags=re.S)
        if text.strip()
    ]


@pytest.mark.parametrize("hostile", HOSTILE_FILES, ids=[hostile.id for hostile in HOSTILE_FILES])
def test_every_hostile_file_is_refused_as_a_revised_paper(hostile, client_for):
    """The revised upload joins the hostile-files suite's checks (core/tests/test_hostile_files.py):
    refused with a reason, nothing saved, no file left in storage, never a 5xx."""
    from core.tests.test_hostile_files import stored_files
    from knowledge.models import DocumentVersion

    activity = workshop(participants=1)
    client = client_for("rocb.ap")
    files, documents = stored_files(), (Document.objects.count(), DocumentVersion.objects.count())
    response = upload(client, activity, hostile.filename, hostile.content(NOMINATION_TABLE))
    assert response.status_code < 500
    reasons = _messages(response)
    ingestion = Job.objects.filter(kind=INGEST).order_by("-pk").first()
    if ingestion is not None:  # stored for the job, which refuses it and discards the copy
        job_run(ingestion.pk)
        ingestion.refresh_from_db()
        reasons += [outcome["reason"] for outcome in ingestion.outcomes if outcome["status"] == "failed"]
        assert not any(outcome["status"] in ("created", "updated") for outcome in ingestion.outcomes)
    assert reasons and all(reason.strip() for reason in reasons)
    assert (Document.objects.count(), DocumentVersion.objects.count()) == documents
    assert stored_files() == files, "a file was left in storage"
