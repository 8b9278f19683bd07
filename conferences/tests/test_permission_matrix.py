"""Who sees what of a conference, for every role.

- authors see their own submissions, and their reviews once the paper is decided;
- reviewers see only the papers assigned to them, without the authors in a double-blind call;
- the chairs see everything in their conference: the Secretariat (PICARD), the hosting ROCB
  (a regional conference), and no one else's;
- the public sees the conferences, open calls, accepted papers with their authors, the programme.
"""

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from conferences import services
from conferences.models import (
    Assignment,
    AuditEntry,
    Authorship,
    Bid,
    Call,
    Comment,
    Conference,
    ConflictPin,
    DeclaredConflict,
    Review,
    Reviewer,
    StandingConflict,
    Submission,
    SubmissionFile,
)
from conferences.tests.conftest import reviewer_of
from network.models import Member, Region

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]


def user(username):
    from django.contrib.auth.models import AnonymousUser

    return User.objects.get(username=username) if username else AnonymousUser()


@pytest.fixture
def under_review(submitted, pool, reviewing, user_named):
    """The researcher's paper reviewed by the expert (assigned directly), a comment, a bid, a
    declared conflict and a pin, in the "Reviewing" phase of a double-blind call."""
    expert = reviewer_of(pool, "expert")
    assignment = Assignment.objects.create(
        submission=submitted, reviewer=expert, affinity=0.5, explanation="test"
    )
    review = services.review_save(
        user=user_named("expert"),
        assignment=assignment,
        data={
            "relevance": 4,
            "originality": 4,
            "rigour": 4,
            "practical_value": 4,
            "clarity": 4,
            "confidence": 4,
            "to_authors": "For the authors",
            "to_committee": "For the committee only",
        },
        submit=True,
    )
    Comment.objects.create(submission=submitted, author=user_named("expert"), text="Discuss")
    Bid.objects.create(reviewer=expert, submission=submitted, value=1)
    DeclaredConflict.objects.create(submission=submitted, person=pool[1].person, kind="collaborator")
    ConflictPin.objects.create(submission=submitted, reviewer=pool[2], is_conflict=True, justification="x")
    StandingConflict.objects.create(
        person=expert.person, member=Member.objects.get(iso_alpha2="KE"), kind="institutional"
    )
    return {"paper": submitted, "assignment": assignment, "review": review, "expert": expert}


def visible(model, username, **filters):
    return model.objects.restrict(user(username)).filter(**filters).exists()


# model -> the roles that see the under-review rows
SEES = {
    Submission: {"secretariat", "researcher", "expert"},
    SubmissionFile: {"secretariat", "researcher", "expert"},
    Authorship: {"secretariat", "researcher"},  # double-blind: not the reviewer
    DeclaredConflict: {"secretariat", "researcher"},
    Assignment: {"secretariat", "expert"},
    Review: {"secretariat", "expert"},  # the author only after the decision
    Comment: {"secretariat", "expert"},
    Bid: {"secretariat", "expert"},
    ConflictPin: {"secretariat"},
    AuditEntry: {"secretariat"},
    Reviewer: {"secretariat", "expert"},  # the expert their own row
    StandingConflict: {"secretariat", "expert"},
}


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("model", list(SEES), ids=lambda model: model.__name__)
def test_who_sees_a_paper_under_review(under_review, model, username):
    assert visible(model, username) == (username in SEES[model]), (model.__name__, username)


@pytest.mark.parametrize("username", ROLES)
def test_the_paper_page_answers_each_role(under_review, client_for, username):
    response = client_for(username).get(under_review["paper"].get_absolute_url())
    expected = 200 if username in SEES[Submission] else (302 if username is None else 404)
    assert response.status_code in ((expected, 404) if username is None else (expected,))
    if username == "expert":
        body = response.content.decode()
        assert "Rafael" not in body and "authors-hidden" in body  # double-blind


def test_a_single_blind_call_shows_the_authors_to_its_reviewers(under_review):
    call = under_review["paper"].call
    call.review_mode = "single"
    call.save()
    assert visible(Authorship, "expert")


def test_the_authors_see_their_reviews_after_the_decision_without_the_committee_comments(
    under_review, client_for, user_named
):
    paper = under_review["paper"]
    assert not visible(Review, "researcher")
    services.decision_record(user=user_named("secretariat"), submission=paper, status="accepted_paper")
    assert visible(Review, "researcher")
    body = client_for("researcher").get(paper.get_absolute_url()).content.decode()
    assert "For the authors" in body and "For the committee only" not in body
    assert "Elena" not in body  # nor who wrote it


def test_reviewers_see_each_others_reviews_only_as_the_phase_allows(under_review, pool, user_named):
    other = pool[3]  # the Kenyan practitioner, given an account
    account = User.objects.create(username="kenyan.reviewer", role=Role.RESEARCHER)
    other.person.user = account
    other.person.save()
    own = Assignment.objects.create(submission=under_review["paper"], reviewer=other)
    assert not Review.objects.restrict(account).exists()  # after their own: not yet
    services.review_save(
        user=account,
        assignment=own,
        data={
            "relevance": 2,
            "originality": 2,
            "rigour": 2,
            "practical_value": 2,
            "clarity": 2,
            "confidence": 2,
        },
        submit=True,
    )
    assert Review.objects.restrict(account).count() == 2
    phase = under_review["paper"].call.active_phase
    phase.other_reviews = "never"
    phase.save()
    assert Review.objects.restrict(account).count() == 1


def test_a_reviewer_does_not_see_papers_not_assigned_to_them(under_review, picard, user_named):
    other = Submission.objects.create(call=picard, title="Another", abstract="x", status="submitted")
    expert = user("expert")
    assert not Submission.objects.restrict(expert).filter(pk=other.pk).exists()
    phase = picard.active_phase
    phase.sees_all_papers = True
    phase.save()
    assert Submission.objects.restrict(expert).filter(pk=other.pk).exists()  # a phase that shows all


@pytest.mark.parametrize("username", ROLES)
def test_everyone_sees_an_accepted_paper_and_its_authors(under_review, username, user_named):
    paper = under_review["paper"]
    services.decision_record(user=user_named("secretariat"), submission=paper, status="accepted_paper")
    assert visible(Submission, username, pk=paper.pk)
    assert visible(Authorship, username, submission=paper)
    assert visible(Review, username) == (username in {"secretariat", "expert", "researcher"})


@pytest.fixture
def regional(user_named):
    """An Asia/Pacific research conference with a submitted paper, and an ROCB officer of another region."""
    rocb = user_named("rocb.ap")
    conference = services.conference_create(
        user=rocb, data={"title": "A/P research conference", "year": 2027}
    )
    now = timezone.now()
    call = services.call_create(
        user=rocb,
        conference=conference,
        data={
            "title": "A/P call",
            "abstract_deadline": now + timezone.timedelta(days=5),
            "paper_deadline": now + timezone.timedelta(days=10),
            "camera_ready_deadline": now + timezone.timedelta(days=20),
            "languages": ["en"],
        },
    )
    paper = Submission.objects.create(call=call, title="Regional paper", abstract="x", status="submitted")
    region = Region.objects.exclude(code="A/P").first()
    other = User.objects.create(username="rocb.other", role=Role.ROCB_OFFICER, region=region)
    return {"conference": conference, "call": call, "paper": paper, "other": other}


def test_the_hosting_rocb_chairs_its_conference_and_another_rocb_does_not(regional, user_named):
    rocb, other = user_named("rocb.ap"), regional["other"]
    assert Submission.objects.restrict(rocb).filter(pk=regional["paper"].pk).exists()
    assert not Submission.objects.restrict(other).filter(pk=regional["paper"].pk).exists()
    assert AuditEntry.objects.restrict(rocb).filter(call=regional["call"]).exists()
    assert not AuditEntry.objects.restrict(other).filter(call=regional["call"]).exists()
    assert services.is_chair(rocb, regional["conference"]) and not services.is_chair(
        other, regional["conference"]
    )
    assert (
        not Call.objects.restrict(None or user(None)).filter(pk=regional["call"].pk).exists()
    )  # a draft call


@pytest.mark.parametrize("username", ROLES)
def test_public_pages(username, client_for, picard):
    conference = picard.conference
    client = client_for(username)
    assert client.get("/conferences/").status_code == 200
    assert client.get(conference.get_absolute_url()).status_code == 200
    assert client.get(picard.get_absolute_url()).status_code == 200  # open
    assert Conference.objects.restrict(user(username)).filter(pk=conference.pk).exists()


def test_reviewer_rows_are_the_chairs_and_their_own(pool):
    assert Reviewer.objects.restrict(user("expert")).count() == 1
    assert Reviewer.objects.restrict(user("rocb.ap")).count() == 0
    assert Reviewer.objects.restrict(user("secretariat")).count() == 4
