"""The edges a review found: near-duplicates and readings only among what one may see, the
submitting region hidden with the authors, regional chairs only of regional conferences, and ids
that look like digits but are not."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.tests.factories import ActivityFactory
from conferences import services
from conferences.duplicates import near_duplicates
from conferences.models import ActivityReading, Conference, Submission, SubmissionStatus
from conferences.tests.conftest import person_with_account, reviewer_of
from network.models import Region

pytestmark = pytest.mark.django_db


def regional(user_named, region_code="A/P"):
    return services.conference_create(
        user=user_named("secretariat"),
        data={
            "kind": "regional",
            "title": "Research days",
            "year": 2027,
            "region": Region.objects.get(code=region_code),
        },
    )


def test_near_duplicates_are_only_papers_the_chair_may_see(submitted, user_named):
    conference = regional(user_named)
    call = services.call_create(
        user=user_named("rocb.ap"),
        conference=conference,
        data={
            "title": "Regional call",
            "abstract_deadline": timezone.now() + timezone.timedelta(days=5),
            "paper_deadline": timezone.now() + timezone.timedelta(days=10),
            "camera_ready_deadline": timezone.now() + timezone.timedelta(days=20),
            "languages": ["en"],
        },
    )
    twin = Submission.objects.create(
        call=call, title=submitted.title, abstract=submitted.abstract, status=SubmissionStatus.SUBMITTED
    )
    assert [paper for paper, _score in near_duplicates(twin, user=user_named("secretariat"))] == [submitted]
    assert near_duplicates(twin, user=user_named("rocb.ap")) == []  # a PICARD paper under review


def test_a_rejected_paper_drops_out_of_an_activitys_reading(submitted, user_named):
    activity = ActivityFactory(status="delivered")
    submitted.status = SubmissionStatus.ACCEPTED_PAPER
    submitted.save()
    ActivityReading.objects.create(activity=activity, submission=submitted)
    assert ActivityReading.objects.restrict(user_named("focal.kenya")).filter(activity=activity).exists()
    submitted.status = SubmissionStatus.REJECTED
    submitted.save()
    assert not ActivityReading.objects.restrict(user_named("focal.kenya")).filter(activity=activity).exists()


def test_a_double_blind_reviewer_does_not_learn_the_submitting_region(
    submitted, pool, reviewing, client_for, user_named
):
    Submission.objects.filter(pk=submitted.pk).update(on_behalf_of=Region.objects.get(code="A/P"))
    services.assignment_add(
        user=user_named("secretariat"), submission=submitted, reviewer=reviewer_of(pool, "expert")
    )
    reviewer = client_for("expert")
    assert "research series" not in reviewer.get(submitted.get_absolute_url()).content.decode()
    [row] = reviewer.get("/api/conferences/submissions/").json()["results"]
    assert row["on_behalf_of"] is None and row["authors"] == []
    chair = client_for("secretariat").get(f"/api/conferences/submissions/{submitted.pk}/").json()
    assert chair["on_behalf_of"] == Region.objects.get(code="A/P").slug


def test_only_a_regional_conference_has_a_hosting_region_and_regional_chairs(user_named):
    picard = Conference(kind="picard", title="PICARD 2030", year=2030, region=Region.objects.get(code="A/P"))
    with pytest.raises(ValidationError):
        picard.full_clean()
    picard.save()  # as a careless admin might, past validation
    assert not services.is_chair(user_named("rocb.ap"), picard)
    assert services.is_chair(user_named("rocb.ap"), regional(user_named))


def test_the_secretariat_creates_a_regional_conference_through_the_page(client_for):
    response = client_for("secretariat").post(
        "/conferences/add/",
        {
            "kind": "regional",
            "title": "ESA research days",
            "year": "2027",
            "region": Region.objects.get(code="ESA").pk,
        },
    )
    assert response.status_code == 302
    assert Conference.objects.get(title="ESA research days").region.code == "ESA"


def test_the_call_page_lists_its_papers_without_a_query_string(submitted, client_for):
    page = client_for("secretariat").get(submitted.call.get_absolute_url()).content.decode()
    assert submitted.title in page


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/conferences/reviewers/?conference=²", None),
        ("get", "/conferences/recommend/?document=²", None),
        ("post", "/conferences/research-to-practice/propose/", {"topic": "²", "papers": "³"}),
    ],
)
def test_digits_that_are_not_ascii_are_not_a_500(client_for, method, url, data):
    client = client_for("rocb.ap")
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code < 500


def test_a_removal_does_not_redirect_off_site(client_for, user_named):
    person_with_account(user_named("expert"), "ES")
    conflict = services.standing_conflict_declare(user=user_named("expert"), kind="other", institution="Acme")
    response = client_for("expert").post(
        f"/conferences/standing-conflicts/{conflict.pk}/remove/", {"next": "//evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/conferences/my/"
