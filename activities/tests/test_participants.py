"""Nominations, participation, attendance, certificates, and who sees a participant list."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Attendance, NominationStatus, Participation, Status
from activities.services import (
    nomination_create,
    nomination_decide,
    participation_add,
    participation_set_attendance,
)
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from network.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def kenyan():
    return PersonFactory(member=Member.objects.get(iso_alpha2="KE"), first_name="Achieng", last_name="Otieno")


def test_focal_point_nominates_and_organiser_accepts(user_named, kenyan):
    activity = ActivityFactory()
    nomination = nomination_create(user=user_named("focal.kenya"), activity=activity, person=kenyan)
    assert nomination.status == NominationStatus.PENDING
    with pytest.raises(ValidationError, match="already nominated"):
        nomination_create(user=user_named("focal.kenya"), activity=activity, person=kenyan)
    nomination_decide(user=user_named("rocb.ap"), nomination=nomination, accept=True)
    participation = Participation.objects.get(activity=activity, person=kenyan)
    assert participation.gender == "female" and participation.member.iso_alpha2 == "KE"


def test_a_focal_point_nominates_only_their_own_people(user_named):
    japanese = PersonFactory()
    with pytest.raises(ValidationError, match="valid choice"):
        nomination_create(user=user_named("focal.kenya"), activity=ActivityFactory(), person=japanese)


def test_declining_needs_a_reason(user_named, kenyan):
    nomination = nomination_create(user=user_named("focal.kenya"), activity=ActivityFactory(), person=kenyan)
    with pytest.raises(ValidationError):
        nomination_decide(user=user_named("rocb.ap"), nomination=nomination, accept=False)
    nomination_decide(user=user_named("rocb.ap"), nomination=nomination, accept=False, reason="Full")
    assert not Participation.objects.filter(person=kenyan).exists()


def started_activity(**kwargs):
    """An activity that began yesterday (attendance can be recorded)."""
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    return ActivityFactory(start_date=yesterday, end_date=yesterday + datetime.timedelta(days=3), **kwargs)


def test_attendance_is_recorded_once_scheduled(user_named):
    participation = ParticipationFactory(activity=started_activity())
    with pytest.raises(ValidationError, match="scheduled"):
        participation_set_attendance(
            user=user_named("rocb.ap"), participation=participation, attendance="attended"
        )
    participation.activity.status = Status.SCHEDULED
    participation.activity.save()
    participation_set_attendance(
        user=user_named("rocb.ap"), participation=participation, attendance="attended"
    )
    participation.refresh_from_db()
    assert participation.attendance == Attendance.ATTENDED
    with pytest.raises(PermissionDenied):
        participation_set_attendance(
            user=user_named("focal.kenya"), participation=participation, attendance="absent"
        )


def test_attendance_through_htmx(client_for):
    participation = ParticipationFactory(activity=started_activity(status=Status.SCHEDULED))
    response = client_for("rocb.ap").post(
        f"/activities/participations/{participation.pk}/attendance/",
        {"attendance": "partial"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    participation.refresh_from_db()
    assert participation.attendance == "partial"
    # The cell confirms the change, and the certificate cell is swapped out of band.
    assert 'role="status">Saved: Attended in part</span>' in html
    certificate = html.split(f'<span id="certificate-{participation.pk}" hx-swap-oob="true">')[1]
    assert f"/activities/participations/{participation.pk}/certificate.pdf" in certificate.split("</span>")[0]


def test_attendance_cannot_be_recorded_before_the_activity_starts(user_named, client_for):
    participation = ParticipationFactory(activity=ActivityFactory(status=Status.SCHEDULED))  # next month
    with pytest.raises(ValidationError, match="has not started"):
        participation_set_attendance(
            user=user_named("rocb.ap"), participation=participation, attendance="attended"
        )
    undated = ParticipationFactory(
        activity=ActivityFactory(status=Status.SCHEDULED, start_date=None, end_date=None)
    )
    with pytest.raises(ValidationError, match="its dates"):
        participation_set_attendance(user=user_named("rocb.ap"), participation=undated, attendance="absent")
    # Back to "registered" is always allowed.
    participation_set_attendance(
        user=user_named("rocb.ap"), participation=participation, attendance="registered"
    )

    response = client_for("rocb.ap").post(
        f"/activities/participations/{participation.pk}/attendance/",
        {"attendance": "attended"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful answers: the refusal is shown
    assert 'role="alert">The activity has not started: attendance can be recorded from' in html
    assert 'value="registered" selected' in html
    assert f'<span id="certificate-{participation.pk}" hx-swap-oob="true">—</span>' in html
    participation.refresh_from_db()
    assert participation.attendance == "registered"


def test_certificate_pdf_only_for_attendees(client_for):
    participation = ParticipationFactory(
        activity=ActivityFactory(status=Status.DELIVERED), attendance=Attendance.ATTENDED
    )
    response = client_for("rocb.ap").get(f"/activities/participations/{participation.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    absent = ParticipationFactory(activity=participation.activity, attendance=Attendance.ABSENT)
    response = client_for("rocb.ap").get(
        f"/activities/participations/{absent.pk}/certificate.pdf", follow=True
    )
    assert "only to people who attended" in response.content.decode()


def test_participant_list_is_hidden_from_another_regions_focal_point(client_for):
    participation = ParticipationFactory()
    url = participation.activity.get_absolute_url()
    organiser_view = client_for("rocb.ap").get(url)
    assert participation in list(organiser_view.context["participations"])
    outsider_view = client_for("focal.kenya").get(url)
    assert outsider_view.status_code == 200
    assert list(outsider_view.context["participations"]) == []
    assert str(participation.person) not in outsider_view.content.decode()
    assert (
        client_for("focal.kenya")
        .get(f"/activities/participations/{participation.pk}/certificate.pdf")
        .status_code
        == 404
    )


def test_participation_is_unique_per_person(user_named):
    participation = ParticipationFactory()
    with pytest.raises(ValidationError, match="already takes part"):
        participation_add(
            user=user_named("rocb.ap"), activity=participation.activity, person=participation.person
        )


def test_nominate_page(client_for):
    activity = ActivityFactory()
    response = client_for("focal.kenya").post(
        f"/activities/{activity.pk}/nominate/",
        {
            "first_name": "Brian",
            "last_name": "Kamau",
            "email": "brian@kra.example",
            "gender": "male",
        },
    )
    assert response.status_code == 302
    assert activity.nominations.get().person.member.iso_alpha2 == "KE"
    again = client_for("focal.kenya").post(
        f"/activities/{activity.pk}/nominate/",
        {
            "first_name": "Brian",
            "last_name": "Kamau",
            "email": "brian@kra.example",
            "gender": "male",
        },
    )
    assert again.status_code == 400 and "already nominated" in again.content.decode()
