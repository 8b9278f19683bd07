"""The conference pages run a fixed number of queries, however many papers, authors, reviewers,
assignments and reviews, for each role they serve (chair, author, reviewer, ROCB, anonymous)."""

import pytest
from django.utils import timezone

from activities.tests.factories import PersonFactory
from conferences import services
from conferences.models import Assignment, Authorship, ProgrammeSession, Review, Submission
from conferences.tests.conftest import reviewer_of
from core.tests.test_query_counts import count_queries
from network.models import Member
from topics.models import Topic

pytestmark = pytest.mark.django_db

PAGES = [
    ("secretariat", "/conferences/"),
    (None, "/conferences/"),
    ("secretariat", "/conferences/{conference}/"),
    (None, "/conferences/{conference}/"),
    ("secretariat", "/conferences/calls/{call}/"),
    (None, "/conferences/calls/{call}/"),
    ("secretariat", "/conferences/calls/{call}/assignments/"),
    ("secretariat", "/conferences/calls/{call}/audit/"),
    ("secretariat", "/conferences/submissions/{submission}/"),
    ("researcher", "/conferences/submissions/{submission}/"),
    ("expert", "/conferences/submissions/{submission}/"),
    ("expert", "/conferences/my/"),
    ("researcher", "/conferences/my/"),
    ("secretariat", "/conferences/reviewers/"),
    ("secretariat", "/conferences/{conference}/programme/"),
    (None, "/conferences/{conference}/programme/"),
    (None, "/conferences/{conference}/programme.ics"),
    ("rocb.ap", "/conferences/research-to-practice/"),
    ("secretariat", "/api/conferences/submissions/"),
    ("expert", "/api/conferences/submissions/"),
    (None, "/api/conferences/submissions/"),
    ("secretariat", "/api/conferences/assignments/"),
    ("secretariat", "/api/conferences/reviews/"),
    ("expert", "/api/conferences/reviews/"),
]

SCORES = {"relevance": 4, "originality": 4, "rigour": 4, "practical_value": 4, "clarity": 4, "confidence": 3}


def grow(call, pool, secretariat, count=8):
    """More papers, each with two authors, under review by the pool, each with a submitted review,
    plus a programme session."""
    members = list(Member.objects.filter(iso_alpha2__in=["FR", "BR", "CN", "MA"]))
    pca = Topic.objects.get(slug="pca")
    papers = []
    for number in range(count):
        paper = Submission.objects.create(
            call=call,
            title=f"Audit paper {number}",
            abstract="Post-clearance audit in practice.",
            status="submitted",
            submitted_at=timezone.now(),
        )
        paper.topics.set([pca])
        for position in (1, 2):
            Authorship.objects.create(
                submission=paper,
                person=PersonFactory(member=members[(number + position) % len(members)]),
                position=position,
                affiliation_kind="university",
                institution=f"University {number}",
            )
        for reviewer in pool[:2]:
            assignment = Assignment.objects.create(submission=paper, reviewer=reviewer, explanation="fit")
            Review.objects.create(assignment=assignment, **SCORES, submitted_at=timezone.now())
        papers.append(paper)
    for number in range(4):
        services.reviewer_add(
            user=secretariat,
            conference=call.conference,
            person=PersonFactory(member=members[number % len(members)]),
            data={"kind": "academic", "expertise": "Audit.", "languages": ["en"]},
        )
    return papers


@pytest.mark.parametrize(("username", "template"), PAGES)
def test_query_count_does_not_grow_with_papers(
    client_for, user_named, submitted, pool, picard, reviewing, username, template
):
    secretariat = user_named("secretariat")
    assignment = services.assignment_add(
        user=secretariat, submission=submitted, reviewer=reviewer_of(pool, "expert")
    )
    Review.objects.create(assignment=assignment, **SCORES, submitted_at=timezone.now())
    ProgrammeSession.objects.create(
        conference=picard.conference, title="Audit", starts_at=timezone.now(), ends_at=timezone.now()
    )
    client = client_for(username)
    url = template.format(conference=picard.conference_id, call=picard.pk, submission=submitted.pk)
    client.get(url)  # warm the caches (the embedding model, per-process lookups)
    before = count_queries(client, url)
    grow(picard, pool, secretariat)
    client.get(url)  # new papers' and reviewers' vectors are computed once and stored
    assert count_queries(client, url) == before, url
