"""The read-only API under /api/conferences/, per role.

- the public sees the conferences, the open calls and the accepted papers (with their authors);
- an author sees their own draft, with its authors;
- a reviewer of a double-blind call sees the paper assigned to them without its authors, and not
  the papers of the call that are not assigned to them;
- an ROCB officer sees the papers of their region's regional conference, not another region's;
- what reviewers write to the committee is left out of the answer for anyone but the chairs;
- malformed or out-of-range query values answer 400 or 404, never 500;
- lists read their related rows in a fixed number of queries, however many rows there are.
"""

import datetime
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.utils import timezone

from activities.tests.factories import PersonFactory
from conferences import services
from conferences.models import (
    Assignment,
    Authorship,
    Call,
    Conference,
    ConferenceKind,
    ProgrammeSession,
    Review,
    Reviewer,
    Submission,
)
from conferences.tests.conftest import reviewer_of
from network.models import Region
from topics.models import Topic

pytestmark = pytest.mark.django_db

API = "/api/conferences"


def get(client, path, **params):
    response = client.get(f"{API}/{path}", params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(page) -> set[int]:
    return {row["id"] for row in page["results"]}


def a_call(conference, status="open", **fields) -> Call:
    now = timezone.now()
    return Call.objects.create(
        conference=conference,
        title=f"Call of {conference}",
        status=status,
        abstract_deadline=now + datetime.timedelta(days=10),
        paper_deadline=now + datetime.timedelta(days=20),
        camera_ready_deadline=now + datetime.timedelta(days=60),
        languages=["en"],
        **fields,
    )


def a_paper(call, title="A paper", status="submitted", authors=1) -> Submission:
    submission = Submission.objects.create(call=call, title=title, abstract="An abstract.", status=status)
    for position in range(1, authors + 1):
        Authorship.objects.create(
            submission=submission,
            person=PersonFactory(),
            position=position,
            affiliation_kind="university",
            institution="University of Somewhere",
        )
    return submission


@pytest.fixture
def assigned(submitted, pool, reviewing):
    """The researcher's submitted paper assigned to the `expert` reviewer, in the "Reviewing" phase
    of the double-blind PICARD call; and a second submitted paper of the call, not assigned."""
    expert = reviewer_of(pool, "expert")
    assignment = Assignment.objects.create(submission=submitted, reviewer=expert, affinity=0.5)
    other = a_paper(submitted.call, title="Someone else's paper")
    return {"paper": submitted, "other": other, "assignment": assignment, "expert": expert}


@pytest.fixture
def decided(assigned, user_named):
    """The expert's review submitted, with a comment to the committee; the paper accepted."""
    review = services.review_save(
        user=user_named("expert"),
        assignment=assigned["assignment"],
        data={
            "relevance": 4,
            "originality": 3,
            "rigour": 4,
            "practical_value": 5,
            "clarity": 4,
            "confidence": 4,
            "to_authors": "For the authors",
            "to_committee": "For the committee only",
        },
        submit=True,
    )
    Submission.objects.filter(pk=assigned["paper"].pk).update(status="accepted_paper")
    return {**assigned, "review": review}


# --- the public --------------------------------------------------------------------------------


def test_anonymous_sees_conferences_open_calls_and_accepted_papers(picard, client_for):
    draft_call = a_call(picard.conference, status="draft")
    accepted = a_paper(picard, title="Accepted", status="accepted_paper", authors=2)
    under_review = a_paper(picard, title="Under review")
    draft = a_paper(picard, title="Draft", status="draft")
    anonymous = client_for(None)

    assert picard.conference.pk in ids(get(anonymous, "conferences/"))
    calls = ids(get(anonymous, "calls/"))
    assert picard.pk in calls and draft_call.pk not in calls
    call = get(anonymous, f"calls/{picard.pk}/")
    assert [phase["name"] for phase in call["phases"]] == ["Bidding", "Reviewing", "Discussion", "Decisions"]
    assert call["topics"] == ["pca"]
    assert anonymous.get(f"{API}/calls/{draft_call.pk}/").status_code == 404

    papers = get(anonymous, "submissions/")
    assert ids(papers) == {accepted.pk}
    (row,) = papers["results"]
    assert [author["position"] for author in row["authors"]] == [1, 2]
    assert "embedding" not in row
    for hidden in (under_review, draft):
        assert anonymous.get(f"{API}/submissions/{hidden.pk}/").status_code == 404

    for private in ("reviewers/", "assignments/", "reviews/"):
        assert get(anonymous, private)["results"] == []


def test_the_programme_shows_only_the_papers_the_caller_may_see(picard, client_for):
    accepted = a_paper(picard, title="Accepted", status="accepted_paper")
    rejected = a_paper(picard, title="Rejected", status="rejected")
    now = timezone.now()
    session = ProgrammeSession.objects.create(
        conference=picard.conference, title="Audit", starts_at=now, ends_at=now + datetime.timedelta(hours=1)
    )
    session.papers.set([accepted, rejected])

    (row,) = get(client_for(None), "sessions/", conference=picard.conference.pk)["results"]
    assert [paper["id"] for paper in row["papers"]] == [accepted.pk]
    assert row["chair"] is None
    detail = get(client_for(None), f"sessions/{session.pk}/")
    assert [paper["id"] for paper in detail["papers"]] == [accepted.pk]
    chaired = get(client_for("secretariat"), f"sessions/{session.pk}/")
    assert {paper["id"] for paper in chaired["papers"]} == {accepted.pk, rejected.pk}


# --- authors and reviewers ------------------------------------------------------------------------


def test_an_author_sees_their_own_draft_with_its_authors(paper, client_for):
    researcher = client_for("researcher")
    assert paper.status == "draft"
    assert paper.pk in ids(get(researcher, "submissions/"))
    detail = get(researcher, f"submissions/{paper.pk}/")
    assert [author["name"] for author in detail["authors"]] == ["Rafael Researcher"]
    assert client_for("expert").get(f"{API}/submissions/{paper.pk}/").status_code == 404
    assert client_for(None).get(f"{API}/submissions/{paper.pk}/").status_code == 404


def test_a_reviewer_of_a_double_blind_call_sees_the_assigned_paper_without_authors(assigned, client_for):
    paper = assigned["paper"]
    assert paper.call.review_mode == "double"
    expert = client_for("expert")

    listed = {row["id"]: row for row in get(expert, "submissions/")["results"]}
    assert set(listed) == {paper.pk}
    assert listed[paper.pk]["authors"] == []
    detail = get(expert, f"submissions/{paper.pk}/")
    assert detail["title"] == paper.title and detail["authors"] == []

    # The chair sees who wrote it.
    chaired = get(client_for("secretariat"), f"submissions/{paper.pk}/")
    assert [author["name"] for author in chaired["authors"]] == ["Rafael Researcher"]

    (assignment,) = get(expert, "assignments/")["results"]
    assert assignment["submission"] == paper.pk and assignment["call"] == paper.call_id
    assert assignment["reviewer"] == assigned["expert"].pk


def test_a_reviewer_does_not_see_the_papers_not_assigned_to_them(assigned, client_for):
    expert = client_for("expert")
    other = assigned["other"]
    assert other.pk not in ids(get(expert, "submissions/"))
    assert expert.get(f"{API}/submissions/{other.pk}/").status_code == 404
    assert get(expert, "assignments/", submission=other.pk)["results"] == []


def test_a_single_blind_call_shows_the_authors_to_its_reviewers(assigned, client_for):
    Call.objects.filter(pk=assigned["paper"].call_id).update(review_mode="single")
    detail = get(client_for("expert"), f"submissions/{assigned['paper'].pk}/")
    assert [author["name"] for author in detail["authors"]] == ["Rafael Researcher"]


def test_what_reviewers_write_to_the_committee_stays_with_the_chairs(decided, client_for):
    review = decided["review"]

    # The author, once the paper is decided, reads the review without the comments to the committee.
    (as_author,) = get(client_for("researcher"), "reviews/")["results"]
    assert as_author["id"] == review.pk
    assert as_author["to_authors"] == "For the authors"
    assert "to_committee" not in as_author
    assert "to_committee" not in get(client_for("researcher"), f"reviews/{review.pk}/")
    assert as_author["overall"] == 4.0

    # Not a chair either: the reviewer who wrote it.
    assert "to_committee" not in get(client_for("expert"), f"reviews/{review.pk}/")

    as_chair = get(client_for("secretariat"), f"reviews/{review.pk}/")
    assert as_chair["to_committee"] == "For the committee only"
    assert get(client_for("secretariat"), "reviews/", submitted="true")["count"] == 1
    assert get(client_for("secretariat"), "reviews/", submitted="false")["count"] == 0
    assert get(client_for(None), "reviews/")["results"] == []


# --- ROCB officers ------------------------------------------------------------------------------


@pytest.fixture
def regional(db):
    """A regional conference in Asia/Pacific (rocb.ap's region) and one in another region, each
    with a submitted paper; and a paper to the PICARD call on behalf of Asia/Pacific's series."""
    ap = Region.objects.get(code="A/P")
    elsewhere = Region.objects.exclude(pk=ap.pk).order_by("pk").first()
    rows = {}
    for key, region in (("ap", ap), ("elsewhere", elsewhere)):
        conference = Conference.objects.create(
            kind=ConferenceKind.REGIONAL, title=f"Research conference {region.code}", year=2027, region=region
        )
        call = a_call(conference, status="review")
        rows[key] = {"conference": conference, "call": call, "paper": a_paper(call, title=f"Paper {key}")}
        rows[key]["reviewer"] = Reviewer.objects.create(
            conference=conference, person=PersonFactory(), kind="academic"
        )
    rows["ap"]["assignment"] = Assignment.objects.create(
        submission=rows["ap"]["paper"], reviewer=rows["ap"]["reviewer"]
    )
    rows["elsewhere"]["assignment"] = Assignment.objects.create(
        submission=rows["elsewhere"]["paper"], reviewer=rows["elsewhere"]["reviewer"]
    )
    return rows


def test_an_rocb_officer_sees_their_regions_conference_papers_only(regional, client_for):
    officer = client_for("rocb.ap")
    mine, theirs = regional["ap"], regional["elsewhere"]

    papers = {row["id"]: row for row in get(officer, "submissions/")["results"]}
    assert mine["paper"].pk in papers and theirs["paper"].pk not in papers
    assert len(papers[mine["paper"].pk]["authors"]) == 1  # chairs see the authors
    assert officer.get(f"{API}/submissions/{theirs['paper'].pk}/").status_code == 404

    reviewers = ids(get(officer, "reviewers/"))
    assert mine["reviewer"].pk in reviewers and theirs["reviewer"].pk not in reviewers
    assignments = ids(get(officer, "assignments/"))
    assert mine["assignment"].pk in assignments and theirs["assignment"].pk not in assignments
    assert ids(get(officer, "assignments/", call=mine["call"].pk)) == {mine["assignment"].pk}
    assert get(officer, "assignments/", call=theirs["call"].pk)["results"] == []


def test_an_rocb_officer_chairs_their_regions_reviews(regional, client_for):
    mine, theirs = regional["ap"], regional["elsewhere"]
    for key in ("ap", "elsewhere"):
        Review.objects.create(
            assignment=regional[key]["assignment"], relevance=3, to_committee=f"Confidential {key}"
        )
    reviews = get(client_for("rocb.ap"), "reviews/")["results"]
    assert [row["submission"] for row in reviews] == [mine["paper"].pk]
    assert reviews[0]["to_committee"] == "Confidential ap"
    assert theirs["paper"].pk not in {row["submission"] for row in reviews}


def test_an_rocb_officer_sees_the_papers_on_behalf_of_their_region(picard, client_for):
    ap = Region.objects.get(code="A/P")
    on_behalf = a_paper(picard, title="A/P research series")
    Submission.objects.filter(pk=on_behalf.pk).update(on_behalf_of=ap)
    other = a_paper(picard, title="Not from A/P")
    officer = client_for("rocb.ap")
    seen = ids(get(officer, "submissions/"))
    assert on_behalf.pk in seen and other.pk not in seen
    assert ids(get(officer, "submissions/", on_behalf_of="ap")) == {on_behalf.pk}
    # On behalf of the region is not chairing the PICARD conference: not its reviews.
    reviewer = Reviewer.objects.create(conference=picard.conference, person=PersonFactory(), kind="academic")
    assignment = Assignment.objects.create(submission=on_behalf, reviewer=reviewer)
    Review.objects.create(assignment=assignment, to_committee="PICARD committee only")
    assert get(officer, "reviews/", submission=on_behalf.pk)["results"] == []


# --- filters and bad input -------------------------------------------------------------------------


def test_filters_narrow_the_lists(picard, client_for):
    pca, other_topic = Topic.objects.get(slug="pca"), Topic.objects.exclude(slug="pca").first()
    tagged = a_paper(picard, title="Audit of valuation", status="accepted_paper")
    tagged.topics.set([pca])
    untagged = a_paper(picard, title="Origin rules", status="accepted_poster")
    untagged.topics.set([other_topic])
    anonymous = client_for(None)
    assert ids(get(anonymous, "submissions/", topic="pca")) == {tagged.pk}
    assert ids(get(anonymous, "submissions/", q="valuation")) == {tagged.pk}
    assert ids(get(anonymous, "submissions/", status="accepted_poster")) == {untagged.pk}
    assert ids(get(anonymous, "submissions/", call=picard.pk)) == {tagged.pk, untagged.pk}
    assert ids(get(anonymous, "conferences/", kind="picard", year=2027)) == {picard.conference.pk}
    assert ids(get(anonymous, "calls/", conference=picard.conference.pk, status="open")) == {picard.pk}


@pytest.mark.parametrize(
    "path",
    [
        "conferences/?year=abc",
        "conferences/?year=99999999999999999999",
        "conferences/?kind=nope",
        "conferences/?region=atlantis",
        "calls/?conference=abc",
        "calls/?conference=99999999999999999999999",
        "calls/?status=closed",
        "submissions/?call=1.5",
        "submissions/?call=-99999999999999999999999",
        "submissions/?topic=no-such-topic",
        "submissions/?status=published",
        "submissions/?on_behalf_of=zz",
        "submissions/?language=xx",
        "reviewers/?conference=abc",
        "reviewers/?topic=no-such-topic",
        "reviewers/?kind=robot",
        "assignments/?call=abc",
        "assignments/?reviewer=99999999999999999999",
        "assignments/?submission=x",
        "reviews/?submission=abc",
        "reviews/?submission=99999999999999999999",
        "sessions/?conference=abc",
        "sessions/?conference=99999999999999999999",
    ],
)
@pytest.mark.parametrize("username", ["secretariat", None])
def test_bad_query_values_are_400(path, username, client_for):
    assert client_for(username).get(f"{API}/{path}").status_code == 400


@pytest.mark.parametrize(
    "endpoint", ["conferences", "calls", "submissions", "reviewers", "assignments", "reviews", "sessions"]
)
@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "-1", "1.5", "0"])
def test_bad_ids_are_404(endpoint, pk, client_for):
    assert client_for("secretariat").get(f"{API}/{endpoint}/{pk}/").status_code == 404


def test_an_unknown_boolean_is_not_an_error(client_for):
    for path in ("reviewers/?on_committee=perhaps", "reviews/?submitted=perhaps"):
        assert client_for("secretariat").get(f"{API}/{path}").status_code in (200, 400)


# --- no N+1 -------------------------------------------------------------------------------------


@pytest.fixture
def busy_conference(picard):
    """Twelve papers with three authors and two topics each, a reviewer and a review per paper,
    and two sessions of six papers."""
    topics = list(Topic.objects.order_by("pk")[:2])
    picard.topics.add(*topics)
    now = timezone.now()
    sessions = [
        ProgrammeSession.objects.create(
            conference=picard.conference,
            title=f"Session {index}",
            chair=PersonFactory(),
            starts_at=now + datetime.timedelta(hours=index),
            ends_at=now + datetime.timedelta(hours=index + 1),
        )
        for index in range(2)
    ]
    for index in range(12):
        paper = a_paper(picard, title=f"Paper {index}", status="accepted_paper", authors=3)
        paper.topics.set(topics)
        reviewer = Reviewer.objects.create(
            conference=picard.conference, person=PersonFactory(), kind="academic", languages=["en"]
        )
        reviewer.topics.set(topics)
        assignment = Assignment.objects.create(submission=paper, reviewer=reviewer, affinity=0.1 * index)
        Review.objects.create(assignment=assignment, relevance=3, submitted_at=now)
        sessions[index % 2].papers.add(paper)
    return picard


@pytest.mark.parametrize(
    "endpoint", ["conferences", "calls", "submissions", "reviewers", "assignments", "reviews", "sessions"]
)
@pytest.mark.parametrize("username", ["secretariat", "researcher", None])
def test_lists_read_in_a_fixed_number_of_queries(
    endpoint, username, busy_conference, client_for, django_assert_max_num_queries
):
    client = client_for(username)
    client.get(f"{API}/{endpoint}/")  # the session and the user, warmed once
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/{endpoint}/")
    assert response.status_code == 200
    if username == "secretariat":
        assert response.json()["count"] >= 1


# --- the committed schema tells the truth about filled rows -------------------------------------------

SCHEMA = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text(encoding="utf-8"))


def json_schema(node):
    """OpenAPI 3.0's `nullable` in JSON Schema's words."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


COMPONENTS = {
    "conferences": "PaginatedConferenceList",
    "calls": "PaginatedCallList",
    "submissions": "PaginatedSubmissionList",
    "reviewers": "PaginatedReviewerList",
    "assignments": "PaginatedAssignmentList",
    "reviews": "PaginatedReviewList",
    "sessions": "PaginatedProgrammeSessionList",
}


@pytest.mark.parametrize("endpoint", list(COMPONENTS))
@pytest.mark.parametrize("username", ["secretariat", "rocb.ap", None])
def test_filled_lists_match_the_committed_schema(endpoint, username, busy_conference, regional, client_for):
    ProgrammeSession.objects.create(
        conference=regional["ap"]["conference"],
        title="No chair",
        starts_at=timezone.now(),
        ends_at=timezone.now(),
    )
    Review.objects.create(assignment=regional["ap"]["assignment"])  # a draft: every score null
    body = get(client_for(username), f"{endpoint}/")
    schema = {
        "$ref": f"#/components/schemas/{COMPONENTS[endpoint]}",
        "components": json_schema(SCHEMA["components"]),
    }
    jsonschema.Draft7Validator(schema).validate(body)
