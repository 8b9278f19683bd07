"""Conflicts of interest, each with its cause: administration, institution, co-authorship in the last
five years (submissions and the knowledge base), declared by either side, bids and chairs' pins."""

import datetime

import pytest
from django.utils import timezone

from activities.tests.factories import PersonFactory
from conferences import services
from conferences.conflicts import check_people, conflicts_between, conflicts_for
from conferences.models import Authorship, Bid, BidValue, Conference, Submission, SubmissionStatus
from conferences.tests.conftest import reviewer_of
from knowledge.models import Document
from network.models import Member

pytestmark = pytest.mark.django_db


def kinds(reviewer, submission):
    return sorted({cause.kind for cause in conflicts_for(reviewer, submission)})


def by_institution(pool, institution):
    return next(reviewer for reviewer in pool if reviewer.institution == institution)


def kenyan_practitioner(pool):
    return next(r for r in pool if r.kind == "practitioner" and r.person.member.iso_alpha2 == "KE")


def test_same_administration_as_an_author(submitted, pool):
    tokyo = by_institution(pool, "University of Tokyo")
    causes = conflicts_for(tokyo, submitted)
    assert [cause.kind for cause in causes] == ["administration"]
    assert "Japan" in causes[0].message
    assert kinds(reviewer_of(pool, "expert"), submitted) == []


def test_same_institution_whatever_the_spelling(paper, pool, user_named):
    services.author_add(
        user=user_named("researcher"),
        submission=paper,
        first_name="Amina",
        last_name="Otieno",
        affiliation_kind="university",
        institution="  university of NAIROBI ",
        member=Member.objects.get(iso_alpha2="UG"),
    )
    nairobi = by_institution(pool, "University of Nairobi")
    assert "institution" in kinds(nairobi, paper)
    assert kinds(kenyan_practitioner(pool), paper) == []  # Kenya, but not the university


def _document(people, *, date):
    document = Document.objects.create(title="Joint report", kind="study", date=date, visibility="public")
    document.author_people.set(people)
    return document


def test_co_authors_in_the_knowledge_base_within_five_years(submitted, pool):
    expert = reviewer_of(pool, "expert")
    author = submitted.authorships.get().person
    old = _document([expert.person, author], date=timezone.localdate() - datetime.timedelta(days=8 * 365))
    assert kinds(expert, submitted) == []
    old.date = timezone.localdate() - datetime.timedelta(days=2 * 365)
    old.save()
    causes = conflicts_for(expert, submitted)
    assert [cause.kind for cause in causes] == ["co-author"]
    assert f"document #{old.pk}" in causes[0].message


def test_co_authors_of_another_conference_paper(submitted, pool, user_named):
    expert = reviewer_of(pool, "expert")
    author = submitted.authorships.get().person
    earlier = Conference.objects.create(
        kind="picard", number=89, title="89th PICARD", year=timezone.now().year - 1
    )
    call = services.call_create(
        user=user_named("secretariat"),
        conference=earlier,
        data={
            "title": "Earlier call",
            "abstract_deadline": timezone.now(),
            "paper_deadline": timezone.now(),
            "camera_ready_deadline": timezone.now(),
            "languages": ["en"],
        },
    )
    joint = Submission.objects.create(
        call=call, title="Audit together", abstract="A joint paper.", status=SubmissionStatus.ACCEPTED_PAPER
    )
    for position, person in enumerate([author, expert.person], start=1):
        Authorship.objects.create(
            submission=joint, person=person, position=position, affiliation_kind="other"
        )
    assert kinds(expert, submitted) == ["co-author"]
    joint.status = SubmissionStatus.WITHDRAWN
    joint.save()
    assert kinds(expert, submitted) == []


def test_co_authors_of_another_paper_of_the_same_call_whichever_papers_are_asked(submitted, pool):
    """Two people writing another paper of this call together are co-authors now; asking about all
    the call's papers at once must say what asking about one pair says."""
    expert = reviewer_of(pool, "expert")
    author = submitted.authorships.get().person
    sibling = Submission.objects.create(
        call=submitted.call,
        title="Audit together",
        abstract="A joint paper.",
        status=SubmissionStatus.SUBMITTED,
    )
    for position, person in enumerate([author, expert.person], start=1):
        Authorship.objects.create(
            submission=sibling, person=person, position=position, affiliation_kind="other"
        )
    assert kinds(expert, submitted) == ["co-author"]
    together = conflicts_between([expert], [submitted, sibling])
    assert [cause.kind for cause in together[(expert.pk, submitted.pk)]] == ["co-author"]
    assert [cause.kind for cause in together[(expert.pk, sibling.pk)]] == ["author"]


def test_declared_by_the_authors_or_by_the_reviewer(submitted, pool, user_named, reviewing):
    expert = reviewer_of(pool, "expert")
    services.conflict_declare(
        user=user_named("researcher"), submission=submitted, person=expert.person, kind="personal"
    )
    assert kinds(expert, submitted) == ["declared"]
    nairobi = by_institution(pool, "University of Nairobi")
    Bid.objects.create(reviewer=nairobi, submission=submitted, value=BidValue.CONFLICT)
    assert kinds(nairobi, submitted) == ["bid"]


def test_standing_conflicts_from_either_profile(submitted, pool, user_named):
    expert = reviewer_of(pool, "expert")
    services.standing_conflict_declare(
        user=user_named("expert"), kind="other", member=Member.objects.get(iso_alpha2="JP")
    )
    assert kinds(expert, submitted) == ["standing"]
    nairobi = by_institution(pool, "University of Nairobi")
    services.standing_conflict_declare(
        user=user_named("researcher"), kind="personal", other_person=nairobi.person
    )
    assert kinds(nairobi, submitted) == ["standing"]


def test_a_no_conflict_pin_sets_aside_all_but_authorship(submitted, pool, user_named):
    tokyo = by_institution(pool, "University of Tokyo")
    services.conflict_pin(
        user=user_named("secretariat"),
        submission=submitted,
        reviewer=tokyo,
        is_conflict=False,
        justification="Other agency",
    )
    assert kinds(tokyo, submitted) == []
    expert = reviewer_of(pool, "expert")
    services.conflict_pin(
        user=user_named("secretariat"),
        submission=submitted,
        reviewer=expert,
        is_conflict=True,
        kind="personal",
        justification="Former colleagues",
    )
    causes = conflicts_for(expert, submitted)
    assert [cause.kind for cause in causes] == ["pinned"] and "Former colleagues" in causes[0].message


def test_the_queries_do_not_grow_with_the_pool(
    submitted, pool, picard, user_named, django_assert_max_num_queries
):
    for number in range(15):
        person = PersonFactory(member=Member.objects.get(iso_alpha2="FR"))
        services.reviewer_add(
            user=user_named("secretariat"),
            conference=picard.conference,
            person=person,
            data={"kind": "academic", "institution": f"University {number}", "languages": ["en"]},
        )
    reviewers = list(picard.conference.reviewers.select_related("person__member"))
    with django_assert_max_num_queries(9):
        found = conflicts_between(reviewers, [submitted])
    assert {key for key in found} == {(by_institution(pool, "University of Tokyo").pk, submitted.pk)}


def test_suggested_people_are_checked_before_they_are_invited(submitted, pool):
    japanese = PersonFactory(member=Member.objects.get(iso_alpha2="JP"))
    french = PersonFactory(member=Member.objects.get(iso_alpha2="FR"))
    found = check_people([japanese, french], submitted.call)
    assert list(found) == [japanese.pk]
    [(paper, causes)] = found[japanese.pk]
    assert paper == submitted and causes[0].kind == "administration"
