"""The pages as people use them, and what bad input gets: a clear message, nothing lost, never a 500."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conferences import services
from conferences.models import AuditEntry, Submission, SubmissionFile, SubmissionStatus
from conferences.tests.conftest import docx_bytes, person_with_account, reviewer_of

pytestmark = pytest.mark.django_db


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


def test_an_author_submits_through_the_pages(picard, client_for, user_named):
    person_with_account(user_named("researcher"), "JP")
    client = client_for("researcher")
    response = client.post(
        f"/conferences/calls/{picard.pk}/submit/",
        {"title": "Valuation of e-commerce parcels", "abstract": "Parcels and valuation.", "language": "en"},
    )
    submission = Submission.objects.get(title="Valuation of e-commerce parcels")
    assert response.status_code == 302 and response["Location"] == submission.get_absolute_url()
    upload = SimpleUploadedFile(
        "paper.docx", docx_bytes("Valuation of parcels"), content_type="application/octet-stream"
    )
    client.post(f"/conferences/submissions/{submission.pk}/files/", {"file": upload, "stage": "full"})
    assert submission.files.count() == 1
    response = client.post(f"/conferences/submissions/{submission.pk}/submit/", follow=True)
    assert "Submitted" in messages_of(response)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "paper.docx" in page and "Valuation of e-commerce parcels" in page


def test_a_corrupt_upload_says_why_and_keeps_the_earlier_file(paper, client_for):
    client = client_for("researcher")
    upload = SimpleUploadedFile("paper.pdf", b"%PDF-1.7 broken", content_type="application/pdf")
    response = client.post(f"/conferences/submissions/{paper.pk}/files/", {"file": upload}, follow=True)
    assert response.status_code == 200 and "cannot be read" in messages_of(response)
    assert SubmissionFile.objects.filter(submission=paper).count() == 1


def test_a_late_change_is_refused_with_the_deadline(paper, picard, client_for):
    picard.paper_deadline = timezone.now() - datetime.timedelta(minutes=5)
    picard.abstract_deadline = picard.paper_deadline - datetime.timedelta(days=1)
    picard.save()
    response = client_for("researcher").post(
        f"/conferences/submissions/{paper.pk}/edit/",
        {"title": "New", "abstract": "New", "language": "en"},
        follow=True,
    )
    assert "deadline" in messages_of(response)
    assert Submission.objects.get(pk=paper.pk).title != "New"


@pytest.mark.parametrize(
    "path",
    [
        "/conferences/submissions/abc/",
        "/conferences/submissions/99999999999999999999/",
        "/conferences/calls/0/",
        "/conferences/reviewers/?conference=abc",
        "/conferences/reviewers/?conference=99999999999999999999",
        "/conferences/?year=99999999999",
        "/conferences/?year=abc",
        "/conferences/recommend/?document=abc",
    ],
)
def test_bad_urls_are_never_a_500(client_for, path):
    for username in ("secretariat", "rocb.ap", None):
        assert client_for(username).get(path).status_code in (200, 302, 400, 403, 404), (path, username)


def test_bad_review_values_are_refused(submitted, pool, reviewing, client_for, user_named):
    from conferences.models import Assignment

    Assignment.objects.create(submission=submitted, reviewer=reviewer_of(pool, "expert"))
    response = client_for("expert").post(
        f"/conferences/submissions/{submitted.pk}/review/",
        {"relevance": "9", "clarity": "x", "submit": "1"},
        follow=True,
    )
    assert response.status_code == 200 and messages_of(response)
    assert (
        not hasattr(Assignment.objects.get(submission=submitted), "review")
        or not Assignment.objects.get(submission=submitted).review.submitted_at
    )


def test_the_audit_log_exports(submitted, client_for):
    assert AuditEntry.objects.filter(action="submitted").exists()
    response = client_for("secretariat").get(f"/conferences/calls/{submitted.call_id}/audit/?export=csv")
    assert response.status_code == 200 and b"submitted" in b"".join(response.streaming_content)
    assert client_for("rocb.ap").get(f"/conferences/calls/{submitted.call_id}/audit/").status_code == 403


def test_reviews_export_for_chairs(submitted, pool, reviewing, client_for, user_named):
    from conferences.models import Assignment

    assignment = Assignment.objects.create(submission=submitted, reviewer=reviewer_of(pool, "expert"))
    services.review_save(
        user=user_named("expert"),
        assignment=assignment,
        data={
            "relevance": 5,
            "originality": 4,
            "rigour": 4,
            "practical_value": 4,
            "clarity": 4,
            "confidence": 3,
            "to_committee": "=cmd()",
        },
        submit=True,
    )
    response = client_for("secretariat").get(f"/conferences/calls/{submitted.call_id}/reviews.csv")
    body = b"".join(response.streaming_content).decode()
    assert "'=cmd()" in body and "Post-clearance audit" in body
    assert (
        client_for("secretariat").get(f"/conferences/calls/{submitted.call_id}/reviews.xlsx").status_code
        == 200
    )
    assert (
        client_for("secretariat").get(f"/conferences/calls/{submitted.call_id}/reviews.exe").status_code
        == 404
    )
    assert client_for("expert").get(f"/conferences/calls/{submitted.call_id}/reviews.csv").status_code == 403


def test_an_rocb_creates_its_regional_conference_and_call(client_for):
    client = client_for("rocb.ap")
    response = client.post(
        "/conferences/add/", {"kind": "regional", "title": "A/P research days", "year": "2027"}
    )
    assert response.status_code == 302
    conference_url = response["Location"]
    conference_pk = int(conference_url.rstrip("/").split("/")[-1])
    response = client.post(
        f"/conferences/{conference_pk}/calls/add/",
        {
            "title": "A/P call",
            "abstract_deadline": "2027-01-10T12:00",
            "paper_deadline": "2027-02-10T12:00",
            "camera_ready_deadline": "2027-01-01T12:00",
            "languages": ["en"],
            "abstract_max_words": "300",
            "paper_max_pages": "20",
            "review_mode": "double",
            "reviewers_per_paper": "3",
            "reviewer_load": "8",
        },
    )
    assert response.status_code == 400 and "camera-ready" in response.content.decode()
    assert client_for("rtc.japan").get(f"/conferences/{conference_pk}/calls/add/").status_code == 403
