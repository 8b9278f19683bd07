"""The demo conferences hold together: about 200 accepted papers across the past PICARD editions
by recurring authors, an open call with submissions under review, a reviewer pool and reviews, no
reviewer assigned to a paper they are conflicted with, the demo accounts in their places, and a
second run that changes nothing."""

import importlib.util
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from conferences.conflicts import CO_AUTHOR_YEARS
from conferences.demo import demo_conferences_create
from conferences.models import (
    ACCEPTED,
    Assignment,
    Authorship,
    Bid,
    BidValue,
    Call,
    CallStatus,
    Conference,
    ConferenceKind,
    DeclaredConflict,
    Review,
    Reviewer,
    StandingConflict,
    Submission,
    SubmissionStatus,
)
from conferences.reference import conferences_load
from knowledge.models import Document
from network.reference import SHIPPED_REFERENCE_DIR, LoadReport
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo built once for the module, inside a transaction rolled back at its end (each test
    runs in a savepoint of it). One edition is published (`make run` publishes three)."""
    with django_db_blocker.unblock(), transaction.atomic():
        conferences_load(directory=SHIPPED_REFERENCE_DIR, report=LoadReport())
        yield demo_conferences_create(publish_editions=1, progress=lambda _message: None)
        transaction.set_rollback(True)


def open_call() -> Call:
    return Call.objects.get(conference__kind=ConferenceKind.PICARD, conference__number=18)


def test_the_past_editions_have_about_200_papers_by_recurring_authors(demo):
    past = Submission.objects.filter(call__status=CallStatus.DECIDED)
    accepted = past.filter(status__in=ACCEPTED)
    assert 180 <= accepted.count() <= 230
    assert past.filter(status=SubmissionStatus.REJECTED).exists()
    editions = set(accepted.values_list("call__conference", flat=True))
    assert len(editions) >= 15
    for call in Call.objects.filter(status=CallStatus.DECIDED).select_related("conference"):
        year = call.conference.year
        assert call.abstract_deadline.year == call.paper_deadline.year == year, call
        assert call.abstract_deadline < call.paper_deadline <= call.camera_ready_deadline, call
        assert call.active_phase.name == "Decisions"
    for submission in past.prefetch_related("topics", "authorships"):
        assert 80 <= len(submission.abstract.split()) <= 150, submission.title
        assert submission.topics.exists() and submission.authorships.exists(), submission.title
    titles = list(Submission.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    per_person = Counter(
        Authorship.objects.filter(submission__call__status=CallStatus.DECIDED)
        .values_list("person", "submission__call__conference")
        .distinct()
        .values_list("person", flat=True)
    )
    assert sum(1 for editions in per_person.values() if editions >= 3) >= 20
    kinds = set(Authorship.objects.values_list("affiliation_kind", flat=True))
    assert {"administration", "university", "company", "office"} <= kinds
    # only the papers of the last edition are in the knowledge base here, with their authors
    published = accepted.filter(published_document__isnull=False)
    assert published.exists()
    assert set(published.values_list("call__conference__number", flat=True)) == {17}
    paper = published.first()
    assert set(paper.published_document.author_people.values_list("pk", flat=True)) == set(
        paper.authorships.values_list("person", flat=True)
    )


def test_the_open_call_has_submissions_under_review_and_a_pool(demo):
    call = open_call()
    assert call.status == CallStatus.OPEN and call.languages == ["en", "fr"]
    assert call.active_phase.name == "Reviewing" and call.active_phase.may_review
    assert call.abstract_deadline < call.paper_deadline < call.camera_ready_deadline
    submitted = call.submissions.filter(status=SubmissionStatus.SUBMITTED)
    assert 20 <= submitted.count() <= 30
    assert submitted.filter(language="fr").exists()
    pool = Reviewer.objects.filter(conference=call.conference)
    assert 25 <= pool.count() <= 35
    assert {"academic", "practitioner"} == set(pool.values_list("kind", flat=True))
    assert pool.filter(topics__isnull=False).distinct().count() == pool.count()
    assert Assignment.objects.filter(submission__call=call).count() >= 15
    assert Review.objects.filter(assignment__submission__call=call, submitted_at__isnull=False).exists()
    assert StandingConflict.objects.exists() and DeclaredConflict.objects.exists()
    assert Bid.objects.filter(submission__call=call, value=BidValue.CONFLICT).exists()
    assert Bid.objects.filter(submission__call=call, value__gt=0).exists()
    regional = Conference.objects.get(kind=ConferenceKind.REGIONAL, region__code="A/P")
    assert regional.calls.get().status == CallStatus.DRAFT


def _own_conflicts(assignment) -> list[str]:
    """What any conflict engine must refuse: the reviewer writes the paper, declared it a conflict,
    was named by its authors, holds a standing conflict with one of them, or wrote another recent
    paper with one of them."""
    person, submission = assignment.reviewer.person, assignment.submission
    authors = set(submission.authorships.values_list("person", flat=True))
    members = set(submission.authorships.exclude(member=None).values_list("member", flat=True))
    found = []
    if person.pk in authors:
        found.append("author")
    if submission.declared_conflicts.filter(person=person).exists():
        found.append("declared")
    if submission.bids.filter(reviewer=assignment.reviewer, value=BidValue.CONFLICT).exists():
        found.append("bid")
    if StandingConflict.objects.filter(person=person, other_person__in=authors).exists():
        found.append("standing, person")
    if StandingConflict.objects.filter(person=person, member__in=members).exists():
        found.append("standing, administration")
    # Co-authors of another paper (of any call, this one included) in the documented window.
    since = timezone.localdate().year - CO_AUTHOR_YEARS
    co_authored = Authorship.objects.filter(
        person__in=authors,
        submission__authorships__person=person,
        submission__call__conference__year__gte=since,
    ).exclude(submission__status__in=[SubmissionStatus.DRAFT, SubmissionStatus.WITHDRAWN])
    if co_authored.exclude(submission=submission).exists():
        found.append("co-author")
    return found


def test_no_reviewer_is_assigned_a_paper_they_are_conflicted_with(demo):
    assignments = list(Assignment.objects.select_related("reviewer__person", "submission"))
    assert assignments
    for assignment in assignments:
        assert _own_conflicts(assignment) == [], assignment
    if importlib.util.find_spec("conferences.conflicts") is not None:
        from conferences import conflicts

        if hasattr(conflicts, "conflicts_between"):
            for assignment in assignments:
                assert not conflicts.conflicts_between(assignment.reviewer, assignment.submission), assignment


def test_the_demo_accounts_have_their_papers_and_reviews(demo):
    rafael = Person.objects.get(user__username="researcher")
    mine = Submission.objects.filter(authorships__person=rafael)
    assert mine.filter(call__status=CallStatus.DECIDED, status__in=ACCEPTED).count() >= 2
    assert mine.filter(call=open_call(), status=SubmissionStatus.SUBMITTED).count() == 1
    report = Document.objects.get(author_people=rafael, kind="good_practice")
    assert report.region.code == "A/P"
    elena = Person.objects.get(user__username="expert")
    reviewer = Reviewer.objects.get(conference=open_call().conference, person=elena)
    assigned = Assignment.objects.filter(reviewer=reviewer)
    assert 1 <= assigned.count() <= 2
    for assignment in assigned:
        assert _own_conflicts(assignment) == []


def test_a_second_run_changes_nothing(demo):
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Conference,
            Call,
            Submission,
            Authorship,
            Person,
            Reviewer,
            Assignment,
            Review,
            Document,
        )
    }
    again = demo_conferences_create(publish_editions=1, progress=lambda _message: None)
    assert again == demo
    assert counts == {
        model.__name__: model.objects.count()
        for model in (
            Conference,
            Call,
            Submission,
            Authorship,
            Person,
            Reviewer,
            Assignment,
            Review,
            Document,
        )
    }
