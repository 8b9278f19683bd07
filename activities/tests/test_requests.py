"""Member assistance requests: submitted by focal points, triaged by the region's ROCB."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import ActivityKind, AssistanceRequest, RequestStatus, ServiceItem
from activities.services import request_accept, request_decline, request_merge, request_submit
from network.models import Member, Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def kenya_request(user_named):
    return request_submit(
        user=user_named("focal.kenya"),
        member=Member.objects.get(iso_alpha2="KE"),
        service=ServiceItem.objects.get(code="train-the-trainers"),
        need_statement="Our trainers need a refresher on post-clearance audit.",
        urgency="high",
    )


def test_the_catalogue_is_seeded():
    assert ServiceItem.objects.count() == 11  # with the training app's session requests
    assert ServiceItem.objects.get(code="rtc-training-course").name_fr
    assert ServiceItem.objects.get(code="nii-procurement-support").name_fr


def test_a_focal_point_requests_only_for_their_administration(user_named):
    with pytest.raises(PermissionDenied):
        request_submit(
            user=user_named("focal.kenya"),
            member=Member.objects.get(iso_alpha2="JP"),
            service=ServiceItem.objects.first(),
            need_statement="x",
        )


def test_who_sees_a_request(client_for, kenya_request):
    url = kenya_request.get_absolute_url()
    assert client_for("focal.kenya").get(url).status_code == 200
    assert client_for("secretariat").get(url).status_code == 200
    assert client_for("rocb.ap").get(url).status_code == 404  # another region
    assert client_for("researcher").get(url).status_code == 404
    listed = client_for("rocb.ap").get("/activities/requests/").context["object_list"]
    assert kenya_request not in list(listed)


def test_accepting_turns_the_request_into_a_linked_activity(user_named, kenya_request):
    secretariat = user_named("secretariat")
    activity = request_accept(
        user=secretariat,
        request=kenya_request,
        activity_data={
            "kind": ActivityKind.TRAIN_THE_TRAINERS,
            "lead_office": Office.objects.get(code="rocb-esa"),
        },
    )
    kenya_request.refresh_from_db()
    assert kenya_request.status == RequestStatus.ACCEPTED and kenya_request.activity == activity
    assert activity.host_member.iso_alpha2 == "KE" and activity.region.code == "ESA"
    assert list(kenya_request.events.values_list("status", flat=True)) == ["submitted", "accepted"]
    with pytest.raises(ValidationError, match="already"):
        request_decline(user=secretariat, request=kenya_request, reason="late")


def test_declining_needs_a_reason_that_the_requester_sees(user_named, client_for, kenya_request):
    with pytest.raises(ValidationError):
        request_decline(user=user_named("secretariat"), request=kenya_request, reason=" ")
    request_decline(
        user=user_named("secretariat"), request=kenya_request, reason="Covered by the regional plan."
    )
    body = client_for("focal.kenya").get(kenya_request.get_absolute_url()).content.decode()
    assert "Declined" in body and "Covered by the regional plan." in body


def test_merging_links_the_requests(user_named, kenya_request):
    other = request_submit(
        user=user_named("focal.kenya"),
        member=kenya_request.member,
        service=kenya_request.service,
        need_statement="Same need, again.",
    )
    request_merge(user=user_named("secretariat"), request=other, into=kenya_request)
    other.refresh_from_db()
    assert other.status == RequestStatus.MERGED and other.merged_into == kenya_request
    with pytest.raises(ValidationError):
        request_merge(user=user_named("secretariat"), request=kenya_request, into=kenya_request)


def test_the_rocb_of_another_region_cannot_triage(user_named, kenya_request):
    with pytest.raises(PermissionDenied):
        request_decline(user=user_named("rocb.ap"), request=kenya_request, reason="no")


def test_request_pages_end_to_end(client_for):
    client = client_for("focal.kenya")
    service = ServiceItem.objects.get(code="management-development")
    response = client.post(
        "/activities/requests/new/",
        {
            "member": Member.objects.get(iso_alpha2="KE").pk,
            "service": service.pk,
            "need_statement": "Middle managers need leadership training.",
            "urgency": "medium",
        },
    )
    assert response.status_code == 302
    created = AssistanceRequest.objects.get(need_statement__startswith="Middle managers")
    secretariat = client_for("secretariat")
    response = secretariat.post(
        f"/activities/requests/{created.pk}/accept/",
        {
            "title": "Leadership workshop for Kenya",
            "kind": "national_workshop",
            "lead_office": Office.objects.get(code="rocb-esa").pk,
            "delivery_mode": "in_person",
        },
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.activity.title == "Leadership workshop for Kenya"
