"""The programme: public sessions with their papers, the iCalendar feed, chairs adding and removing
sessions, and what bad input and non-chairs get (never a 500)."""

import datetime

import pytest
from django.utils import timezone

from conferences import services
from conferences.forms import SessionForm
from conferences.models import Authorship, ProgrammeSession, Submission, SubmissionStatus
from conferences.programme import programme_context, programme_ics
from conferences.tests.conftest import person_with_account

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 6, 14, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def accepted(picard, user_named):
    author = person_with_account(user_named("researcher"), "JP", first_name="Rafael", last_name="Researcher")
    papers = []
    for title in ("Audit, risk; and release\nin small administrations", "Valuation of e-commerce parcels"):
        paper = Submission.objects.create(
            call=picard,
            title=title,
            abstract="An abstract.",
            status=SubmissionStatus.ACCEPTED_PAPER,
            decided_at=timezone.now(),
        )
        Authorship.objects.create(submission=paper, person=author, affiliation_kind="administration")
        papers.append(paper)
    return papers


@pytest.fixture
def session(picard, accepted, user_named):
    return services.session_save(
        user=user_named("secretariat"),
        conference=picard.conference,
        data={
            "title": "Post-clearance audit, in practice",
            "starts_at": START,
            "ends_at": START + datetime.timedelta(minutes=90),
            "room": "Room A; ground floor",
            "papers": [accepted[0]],
        },
    )


def programme_url(conference):
    return f"/conferences/{conference.pk}/programme/"


def test_the_programme_is_public(picard, session, accepted, client_for):
    response = client_for(None).get(programme_url(picard.conference))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Post-clearance audit, in practice" in body and "Room A; ground floor" in body
    assert accepted[0].get_absolute_url() in body and "Rafael Researcher" in body
    assert 'id="session-form"' not in body and "Remove this session" not in body
    # The accepted paper in no session is listed apart.
    assert [paper.pk for paper in response.context["unscheduled"]] == [accepted[1].pk]


def test_programme_context_orders_sessions(picard, session, accepted, user_named):
    earlier = services.session_save(
        user=user_named("secretariat"),
        conference=picard.conference,
        data={"title": "Opening", "starts_at": START - datetime.timedelta(hours=1), "ends_at": START},
    )
    context = programme_context(picard.conference)
    assert [item.pk for item in context["sessions"]] == [earlier.pk, session.pk]
    assert list(context["sessions"][1].papers.all()) == [accepted[0]]
    assert context["unscheduled"] == [accepted[1]]


def test_the_ics_feed(picard, session, client_for):
    response = client_for(None).get(f"/conferences/{picard.conference.pk}/programme.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert 'filename="90th-picard-programme.ics"' in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"BEGIN:VCALENDAR\r\n") and content.count(b"BEGIN:VEVENT") == 1
    assert b"\n" not in content.replace(b"\r\n", b"")  # CRLF line endings only
    unfolded = content.replace(b"\r\n ", b"")
    assert b"SUMMARY:Post-clearance audit\\, in practice\r\n" in unfolded
    assert b"LOCATION:Room A\\; ground floor\r\n" in unfolded
    assert b"DTSTART:20270614T093000Z\r\n" in unfolded and b"DTEND:20270614T110000Z\r\n" in unfolded
    assert f"UID:programme-session-{session.pk}@".encode() in unfolded and b"DTSTAMP:" in unfolded
    assert b"Audit\\, risk\\; and release\\nin small administrations" in unfolded
    assert programme_ics(picard.conference) == content


def test_a_chair_adds_and_removes_sessions(picard, accepted, pool, client_for):
    client = client_for("secretariat")
    url = programme_url(picard.conference)
    assert 'id="session-form"' in client.get(url).content.decode()
    response = client.post(
        f"{url}sessions/",
        {
            "title": "Valuation",
            "chair": pool[1].person.pk,
            "starts_at": "2027-06-14T14:00",
            "ends_at": "2027-06-14T15:30",
            "room": "Room B",
            "papers": [accepted[1].pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    session = ProgrammeSession.objects.get(title="Valuation")
    assert session.chair == pool[1].person and list(session.papers.all()) == [accepted[1]]
    response = client.post(f"/conferences/sessions/{session.pk}/delete/")
    assert response.status_code == 302 and not ProgrammeSession.objects.filter(pk=session.pk).exists()


def test_session_form_offers_reviewers_and_accepted_papers_only(picard, accepted, pool, user_named):
    draft = Submission.objects.create(call=picard, title="A draft", abstract="Draft.")
    form = SessionForm(user=user_named("secretariat"), conference=picard.conference)
    assert set(form.fields["chair"].queryset) == {reviewer.person for reviewer in pool}
    assert set(form.fields["papers"].queryset) == set(accepted)
    assert draft not in form.fields["papers"].queryset


def test_non_chairs_may_not_change_the_programme(picard, session, client_for):
    data = {"title": "Mine", "starts_at": "2027-06-14T14:00", "ends_at": "2027-06-14T15:00"}
    url = f"{programme_url(picard.conference)}sessions/"
    for username in ("researcher", "expert", "rocb.ap"):  # a PICARD conference: the Secretariat chairs
        client = client_for(username)
        assert client.post(url, data).status_code == 403
        assert client.post(f"/conferences/sessions/{session.pk}/delete/").status_code == 403
        assert 'id="session-form"' not in client.get(programme_url(picard.conference)).content.decode()
    assert client_for(None).post(url, data).status_code == 302  # to sign in
    assert not ProgrammeSession.objects.filter(title="Mine").exists()
    assert ProgrammeSession.objects.filter(pk=session.pk).exists()


def test_bad_input_is_a_404_or_a_form_error(picard, session, accepted, client_for):
    client = client_for("secretariat")
    assert client.get("/conferences/999999/programme/").status_code == 404
    assert client.get("/conferences/999999/programme.ics").status_code == 404
    assert client.get("/conferences/abc/programme/").status_code == 404
    assert client.post("/conferences/999999/programme/sessions/", {}).status_code == 404
    assert client.post("/conferences/sessions/999999/delete/").status_code == 404
    url = f"{programme_url(picard.conference)}sessions/"
    base = {"title": "Bad", "starts_at": "2027-06-14T14:00", "ends_at": "2027-06-14T15:00"}
    for bad in (
        {"papers": ["abc"]},
        {"papers": ["999999"]},
        {"chair": "x"},
        {"chair": "999999"},
        {"starts_at": "not a date"},
        {"ends_at": "2027-06-14T13:00"},
    ):
        response = client.post(url, {**base, **bad})
        assert response.status_code == 400, bad
        assert 'id="session-form"' in response.content.decode()
    assert not ProgrammeSession.objects.filter(title="Bad").exists()
