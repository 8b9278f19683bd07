"""Conference email really sent, through a real SMTP server on loopback (aiosmtpd): the authors of
a recommended report invited to complete it, the decision, and the reminder of reviews due soon."""

import datetime

import pytest
from django.utils import timezone

from activities.tests.factories import PersonFactory
from conferences import jobs, services
from conferences.models import Assignment
from conferences.tests.conftest import reviewer_of
from conferences.tests.test_services import good_practice_report
from network.models import Member
from surveys.tests.test_sending import body

pytestmark = pytest.mark.django_db


def test_a_recommended_reports_authors_get_a_link_to_complete_it(
    smtp, picard, user_named, django_capture_on_commit_callbacks
):
    author = PersonFactory(member=Member.objects.get(iso_alpha2="TH"), email="author@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.recommendation_create(
            user=user_named("rocb.ap"), call=picard, document=good_practice_report(author)
        )
    [(recipients, message)] = smtp.messages
    assert recipients == ["author@example.org"]
    assert f"https://cbhub.example.org/conferences/submissions/{submission.pk}/" in body(message)


def test_the_authors_are_told_the_decision(smtp, submitted, user_named, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(
            user=user_named("secretariat"), submission=submitted, status="rejected", note="Out of scope."
        )
    [(recipients, message)] = smtp.messages
    assert recipients == ["researcher@example.org"] and "Out of scope." in body(message)


def test_reviewers_are_reminded_of_reviews_due_soon(smtp, submitted, pool, reviewing, user_named):
    Assignment.objects.create(submission=submitted, reviewer=reviewer_of(pool, "expert"))
    reviewing.ends_at = timezone.now() + datetime.timedelta(days=2)
    reviewing.save()
    assert jobs.send_review_reminders() == 1
    [(recipients, message)] = smtp.messages
    assert recipients == ["expert@example.org"] and "/conferences/my/" in body(message)
    reviewing.ends_at = timezone.now() + datetime.timedelta(days=10)
    reviewing.save()
    assert jobs.send_review_reminders() == 0
