"""The conference rules: deadlines, files, submitting, conflicts at assignment, reviews in their
phase, decisions into the knowledge base, and the bridge with practice. Each refusal is a clear
ValidationError or PermissionDenied and leaves what was stored as it was."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities.tests.factories import PersonFactory
from conferences import services
from conferences.models import (
    AuditEntry,
    Authorship,
    ConflictPin,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from conferences.tests.conftest import docx_bytes, reviewer_of
from knowledge.models import Document, DocumentKind, Visibility
from network.models import Member, Region
from topics.models import Topic

pytestmark = pytest.mark.django_db


def japanese_academic(pool):
    return next(reviewer for reviewer in pool if reviewer.institution == "University of Tokyo")


def test_a_late_submission_is_refused_and_changes_nothing(picard, paper, user_named):
    picard.abstract_deadline = timezone.now() - datetime.timedelta(minutes=1)
    picard.paper_deadline = timezone.now() - datetime.timedelta(seconds=1)
    picard.save()
    with pytest.raises(ValidationError, match="deadline"):
        services.submission_create(
            user=user_named("researcher"),
            call=picard,
            data={"title": "Late", "abstract": "x", "language": "en"},
        )
    with pytest.raises(ValidationError, match="deadline"):
        services.submission_update(
            user=user_named("researcher"), submission=paper, data={"title": "Changed late"}
        )
    paper.refresh_from_db()
    assert paper.title == "Post-clearance audit in small administrations"
    assert Submission.objects.filter(call=picard).count() == 1


def test_an_oversize_or_corrupt_file_is_refused_and_the_earlier_file_stays(paper, user_named, settings):
    researcher = user_named("researcher")
    settings.CONFERENCES_MAX_FILE_BYTES = 1024
    with pytest.raises(ValidationError, match="larger than"):
        services.file_upload(
            user=researcher, submission=paper, name="big.pdf", content=b"%PDF-1.4" + b"0" * 2000
        )
    settings.CONFERENCES_MAX_FILE_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError, match="cannot be read"):
        services.file_upload(
            user=researcher, submission=paper, name="broken.pdf", content=b"%PDF-1.4 not really a pdf"
        )
    with pytest.raises(ValidationError, match="PDF or DOCX"):
        services.file_upload(user=researcher, submission=paper, name="paper.exe", content=b"MZ")
    assert list(SubmissionFile.objects.filter(submission=paper).values_list("number", "filename")) == [
        (1, "paper.docx")
    ]


def test_submitting_needs_the_full_paper(picard, user_named):
    researcher = user_named("researcher")
    submission = services.submission_create(
        user=researcher, call=picard, data={"title": "No file", "abstract": "Abstract.", "language": "en"}
    )
    with pytest.raises(ValidationError, match="full paper"):
        services.submission_submit(user=researcher, submission=submission)
    services.file_upload(
        user=researcher, submission=submission, name="p.docx", content=docx_bytes("Text of the paper.")
    )
    services.submission_submit(user=researcher, submission=submission)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED


def test_the_abstract_length_and_the_call_languages_are_checked(picard, user_named):
    with pytest.raises(ValidationError, match="words"):
        services.submission_create(
            user=user_named("researcher"),
            call=picard,
            data={"title": "Long", "abstract": "word " * 400, "language": "en"},
        )
    with pytest.raises(ValidationError, match="takes papers in"):
        services.submission_create(
            user=user_named("researcher"),
            call=picard,
            data={"title": "Ru", "abstract": "x", "language": "ru"},
        )


def test_only_authors_change_a_paper(paper, user_named):
    with pytest.raises(PermissionDenied):
        services.submission_update(user=user_named("expert"), submission=paper, data={"title": "Taken over"})


def test_an_assignment_that_breaks_a_conflict_is_refused(submitted, pool, user_named):
    secretariat = user_named("secretariat")
    same_administration = japanese_academic(pool)  # the author is from Japan too
    with pytest.raises(ValidationError, match="Not assigned"):
        services.assignment_add(user=secretariat, submission=submitted, reviewer=same_administration)
    assert not submitted.assignments.exists()


def test_a_chair_may_set_a_detected_conflict_aside_or_add_one(submitted, pool, user_named):
    secretariat = user_named("secretariat")
    academic = japanese_academic(pool)
    services.conflict_pin(
        user=secretariat,
        submission=submitted,
        reviewer=academic,
        is_conflict=False,
        justification="Different agencies of a large ministry",
    )
    services.assignment_add(user=secretariat, submission=submitted, reviewer=academic)
    expert = reviewer_of(pool, "expert")
    services.conflict_pin(
        user=secretariat,
        submission=submitted,
        reviewer=expert,
        is_conflict=True,
        kind="personal",
        justification="Former colleagues",
    )
    with pytest.raises(ValidationError):
        services.assignment_add(user=secretariat, submission=submitted, reviewer=expert)
    assert ConflictPin.objects.filter(submission=submitted).count() == 2
    actions = set(AuditEntry.objects.filter(submission=submitted).values_list("action", flat=True))
    assert {"no conflict pinned", "conflict pinned", "assigned by hand"} <= actions


def test_a_reviewer_who_is_an_author_stays_conflicted_whatever_the_pin(submitted, picard, user_named):
    secretariat = user_named("secretariat")
    author = submitted.authorships.get().person
    reviewer = services.reviewer_add(
        user=secretariat,
        conference=picard.conference,
        person=author,
        data={"kind": "academic", "languages": ["en"]},
    )
    services.conflict_pin(
        user=secretariat, submission=submitted, reviewer=reviewer, is_conflict=False, justification="Try"
    )
    with pytest.raises(ValidationError):
        services.assignment_add(user=secretariat, submission=submitted, reviewer=reviewer)


def test_only_chairs_assign(submitted, pool, user_named):
    with pytest.raises(PermissionDenied):
        services.assignment_add(
            user=user_named("rocb.ap"), submission=submitted, reviewer=reviewer_of(pool, "expert")
        )


def review_data(**overrides):
    data = {
        "relevance": 4,
        "originality": 3,
        "rigour": 4,
        "practical_value": 5,
        "clarity": 4,
        "confidence": 3,
        "to_authors": "Clear.",
        "to_committee": "Accept.",
    }
    return {**data, **overrides}


def test_a_review_is_written_in_its_phase_and_not_after_the_deadline(submitted, pool, reviewing, user_named):
    expert_user = user_named("expert")
    assignment = services.assignment_add(
        user=user_named("secretariat"), submission=submitted, reviewer=reviewer_of(pool, "expert")
    )
    with pytest.raises(ValidationError) as missing:
        services.review_save(user=expert_user, assignment=assignment, data={"relevance": 4}, submit=True)
    assert "clarity" in missing.value.message_dict
    review = services.review_save(user=expert_user, assignment=assignment, data=review_data(), submit=True)
    assert review.submitted_at and review.overall == 4.0
    reviewing.ends_at = timezone.now() - datetime.timedelta(hours=1)
    reviewing.save()
    with pytest.raises(ValidationError, match="due"):
        services.review_save(
            user=expert_user, assignment=assignment, data=review_data(clarity=1), submit=True
        )
    review.refresh_from_db()
    assert review.clarity == 4
    with pytest.raises(PermissionDenied):
        services.review_save(user=user_named("researcher"), assignment=assignment, data=review_data())


def test_reviews_are_closed_in_the_bidding_phase(submitted, pool, user_named):
    assignment = services.assignment_add(
        user=user_named("secretariat"), submission=submitted, reviewer=reviewer_of(pool, "expert")
    )
    with pytest.raises(ValidationError, match="not open"):
        services.review_save(user=user_named("expert"), assignment=assignment, data=review_data())


def test_scores_are_1_to_5(submitted, pool, reviewing, user_named):
    assignment = services.assignment_add(
        user=user_named("secretariat"), submission=submitted, reviewer=reviewer_of(pool, "expert")
    )
    with pytest.raises(ValidationError):
        services.review_save(user=user_named("expert"), assignment=assignment, data=review_data(rigour=9))


def test_accepting_puts_the_paper_in_the_knowledge_base_and_tells_the_authors(
    submitted, user_named, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(
            user=user_named("secretariat"),
            submission=submitted,
            status=SubmissionStatus.ACCEPTED_PAPER,
            note="Well done.",
        )
    submitted.refresh_from_db()
    document = submitted.published_document
    assert document.kind == DocumentKind.CONFERENCE_PAPER and document.visibility == Visibility.PUBLIC
    assert list(document.author_people.all()) == [submitted.authorships.get().person]
    assert set(document.topics.values_list("slug", flat=True)) == {"pca"}
    assert "audit units" in document.text
    assert [message.subject for message in mail.outbox if "Decision" in message.subject]
    assert "researcher@example.org" in mail.outbox[-1].to
    # Rejecting after all takes it out again.
    services.decision_record(
        user=user_named("secretariat"), submission=submitted, status=SubmissionStatus.REJECTED
    )
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_decision_is_only_for_chairs_and_submitted_papers(paper, user_named):
    with pytest.raises(PermissionDenied):
        services.decision_record(
            user=user_named("researcher"), submission=paper, status=SubmissionStatus.ACCEPTED_PAPER
        )
    with pytest.raises(ValidationError):
        services.decision_record(
            user=user_named("secretariat"), submission=paper, status=SubmissionStatus.ACCEPTED_PAPER
        )


def test_withdrawing(submitted, user_named):
    services.submission_withdraw(user=user_named("researcher"), submission=submitted)
    assert Submission.objects.get(pk=submitted.pk).status == SubmissionStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.submission_withdraw(user=user_named("researcher"), submission=submitted)


def test_a_co_author_is_added_and_the_last_author_stays(paper, user_named):
    researcher = user_named("researcher")
    authorship = services.author_add(
        user=researcher,
        submission=paper,
        first_name="Ana",
        last_name="Silva",
        email="ana@example.org",
        affiliation_kind="university",
        institution="University of Lisbon",
    )
    assert authorship.position == 2 and authorship.affiliation == "University of Lisbon"
    services.author_remove(user=researcher, authorship=authorship)
    with pytest.raises(ValidationError, match="at least one author"):
        services.author_remove(user=researcher, authorship=paper.authorships.get())


def good_practice_report(author):
    document = Document.objects.create(
        title="Coordinated border management at land borders in the Asia/Pacific region",
        kind=DocumentKind.GOOD_PRACTICE,
        status="ready",
        region=Region.objects.get(code="A/P"),
        visibility=Visibility.REGION,
        text="Coordinated border management brings agencies together at the border. " * 5,
        language="en",
    )
    document.author_people.add(author)
    document.topics.add(Topic.objects.get(slug="pca"))
    return document


def test_a_region_recommends_a_report_which_becomes_a_draft_its_authors_complete(
    picard, user_named, django_capture_on_commit_callbacks
):
    author = PersonFactory(
        member=Member.objects.get(iso_alpha2="TH"), email="somchai@example.org", user=user_named("researcher")
    )
    document = good_practice_report(author)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.recommendation_create(
            user=user_named("rocb.ap"), call=picard, document=document
        )
    assert submission.status == SubmissionStatus.DRAFT and submission.on_behalf_of.code == "A/P"
    assert list(submission.authorships.values_list("person", flat=True)) == [author.pk]
    assert mail.outbox[-1].to == ["somchai@example.org"] and "recommend" in mail.outbox[-1].body
    assert services.is_author(user_named("researcher"), submission)
    with pytest.raises(ValidationError, match="already"):
        services.recommendation_create(user=user_named("rocb.ap"), call=picard, document=document)


def test_a_region_recommends_only_its_own_reports(picard, user_named):
    document = good_practice_report(PersonFactory())
    document.region = Region.objects.exclude(code="A/P").first()
    document.save()
    with pytest.raises(ValidationError):
        services.recommendation_create(user=user_named("rocb.ap"), call=picard, document=document)
    with pytest.raises(PermissionDenied):
        services.recommendation_create(user=user_named("researcher"), call=picard, document=document)


def test_a_workshop_proposed_from_research_is_linked_to_its_papers(submitted, user_named):
    services.decision_record(
        user=user_named("secretariat"), submission=submitted, status=SubmissionStatus.ACCEPTED_POSTER
    )
    region = Region.objects.get(code="A/P")
    activity = services.workshop_from_research(
        user=user_named("rocb.ap"), region=region, topic=Topic.objects.get(slug="pca"), papers=[submitted]
    )
    assert activity.status == "proposed" and activity.region == region
    assert list(activity.readings.values_list("submission", flat=True)) == [submitted.pk]
    assert submitted.title in activity.objectives


def test_regional_conferences_are_their_regions(user_named):
    conference = services.conference_create(
        user=user_named("rocb.ap"), data={"title": "A/P research conference", "year": 2027}
    )
    assert conference.kind == "regional" and conference.region.code == "A/P"
    assert services.is_chair(user_named("rocb.ap"), conference)
    with pytest.raises(PermissionDenied):
        services.conference_create(
            user=user_named("rocb.ap"), data={"kind": "picard", "title": "x", "year": 2027}
        )
    with pytest.raises(PermissionDenied):
        services.conference_create(user=user_named("researcher"), data={"title": "x", "year": 2027})


def test_call_deadlines_come_in_order(picard, user_named):
    with pytest.raises(ValidationError):
        services.call_update(
            user=user_named("secretariat"),
            call=picard,
            data={"camera_ready_deadline": picard.abstract_deadline},
        )


def test_the_score_summary(submitted, pool, reviewing, user_named):
    secretariat = user_named("secretariat")
    assignment = services.assignment_add(
        user=secretariat, submission=submitted, reviewer=reviewer_of(pool, "expert")
    )
    review = services.review_save(
        user=user_named("expert"), assignment=assignment, data=review_data(), submit=True
    )
    summary = services.score_summary([review])
    assert summary == {"count": 1, "mean": 4.0, "spread": 0.0, "stdev": 0.0}


def test_standing_conflicts_live_on_the_profile(user_named):
    kenya = Member.objects.get(iso_alpha2="KE")
    conflict = services.standing_conflict_declare(
        user=user_named("expert"), kind="institutional", member=kenya
    )
    assert conflict.person.user.username == "expert"
    with pytest.raises(ValidationError):
        services.standing_conflict_declare(user=user_named("expert"), kind="other")


def test_authorship_rows_keep_the_affiliation(paper):
    authorship = Authorship.objects.get(submission=paper)
    assert authorship.member.iso_alpha2 == "JP" and authorship.affiliation_kind == "administration"
