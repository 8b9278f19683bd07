"""The meetings' pages: a regional coordination meeting built through the pages by its ROCB, an
action followed by its owner office up to the next session's matters arising, the register and its
exports, and what anonymous visitors and bad ids get."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import ActionItem, AgendaItem, Decision, DecisionState, Meeting
from network.models import Office, Region

pytestmark = pytest.mark.django_db

SERIES = "Meeting of Heads of the A/P RTCs"


def _create_meeting(client, *, title, starts_on, number=None):
    data = {
        "title": title,
        "series": SERIES,
        "starts_on": starts_on,
        "ends_on": starts_on,
        "mode": "hybrid",
        "venue": "Bangkok",
        "languages": ["en", "fr"],
    }
    if number:
        data["number"] = number
    response = client.post(reverse("meetings:meeting_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Meeting.objects.get(title=title)


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def built(client_for):
    """rocb.ap's meeting with one item, an adopted decision, a draft one and an action of RTC Japan."""
    rocb = client_for("rocb.ap")
    meeting = _create_meeting(rocb, title="18th A/P RTC Heads", starts_on="2025-03-10", number=18)
    response = rocb.post(
        reverse("meetings:item_add", args=[meeting.pk]),
        {
            "title": "Regional training plan",
            "kind": "regular",
            "presenters": "ROCB A/P",
            "starts_at": "10:30",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, title="Regional training plan")
    for text in ("The meeting adopts the regional training plan.", "A draft idea not yet agreed."):
        response = rocb.post(
            reverse("meetings:decision_add", args=[item.pk]),
            {"kind": "decision", "text_en": text, "text_fr": "", "is_public": "on"},
        )
        assert response.status_code == 302
    adopted = Decision.objects.get(item=item, text_en__startswith="The meeting adopts")
    draft = Decision.objects.get(item=item, text_en__startswith="A draft idea")
    for code in ("proposed", "adopted"):
        response = rocb.post(
            reverse("meetings:decision_move", args=[adopted.pk]),
            {"state": DecisionState.objects.get(code=code).pk},
        )
        assert response.status_code == 302
    adopted.refresh_from_db()
    japan = Office.objects.get(code="rtc-japan")
    response = rocb.post(
        reverse("meetings:action_add", args=[item.pk]),
        {
            "what": "Run the PCA workshop for the region's RTCs",
            "owners": [japan.pk],
            "due_on": "2025-09-30",
            "decision": adopted.pk,
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get(item=item)
    return {
        "rocb": rocb,
        "meeting": meeting,
        "item": item,
        "adopted": adopted,
        "draft": draft,
        "action": action,
    }


def test_rocb_builds_a_regional_meeting(built, user_named):
    meeting, adopted, action = built["meeting"], built["adopted"], built["action"]
    assert meeting.region.code == "A/P" and meeting.committee is None
    assert meeting.created_by == user_named("rocb.ap")
    assert adopted.state.code == "adopted" and adopted.number == 1
    assert adopted.reference == "18/1"
    assert list(action.owners.values_list("code", flat=True)) == ["rtc-japan"]
    assert action.decision == adopted
    page = built["rocb"].get(meeting.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    for element in (
        'id="agenda"',
        f'id="item-{built["item"].pk}"',
        f'id="decision-{adopted.pk}"',
        'id="minutes"',
    ):
        assert element in html
    assert "18/1" in html and "Run the PCA workshop" in html
    # An item's organiser forms come when opened: a fragment for htmx, a page without JavaScript.
    item = built["item"]
    for kind, form_id in (
        ("summary", f"summary-form-{item.pk}"),
        ("decision", f"add-decision-form-{item.pk}"),
        ("action", f"add-action-form-{item.pk}"),
    ):
        url = reverse("meetings:item_form", args=[item.pk, kind])
        assert f'hx-get="{url}"' in html
        fragment = built["rocb"].get(url, headers={"HX-Request": "true"})
        assert fragment.status_code == 200 and f'id="{form_id}"' in fragment.content.decode()
        assert "<html" not in fragment.content.decode()
        page = built["rocb"].get(url).content.decode()
        assert f'id="{form_id}"' in page and "<html" in page
    for kind, form_id in (("invitation", "invitation-form"), ("item", "add-item-form")):
        url = reverse("meetings:meeting_form", args=[meeting.pk, kind])
        assert f'hx-get="{url}"' in html
        fragment = built["rocb"].get(url, headers={"HX-Request": "true"}).content.decode()
        assert f'id="{form_id}"' in fragment and "<html" not in fragment
    action_form = built["rocb"].get(reverse("meetings:item_form", args=[item.pk, "action"])).content.decode()
    assert "RTC Japan" in action_form and "18/1" in action_form  # owner offices, the item's decisions


def test_an_items_forms_are_for_its_organisers(built, client_for):
    item = built["item"]
    url = reverse("meetings:item_form", args=[item.pk, "action"])
    assert client_for("rtc.japan").get(url).status_code == 403
    assert client_for("focal.kenya").get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for("rocb.ap").get(reverse("meetings:item_form", args=[item.pk, "vote"])).status_code == 404
    assert client_for("rocb.ap").get(f"/meetings/items/{10**12}/forms/action/").status_code == 404
    invite = reverse("meetings:meeting_form", args=[built["meeting"].pk, "invitation"])
    assert client_for("rtc.japan").get(invite).status_code == 403
    assert client_for("rocb.ap").get(invite).status_code == 200


def test_new_meeting_page_defaults_to_the_officers_region(client_for):
    response = client_for("rocb.ap").get(reverse("meetings:meeting_add"))
    assert response.status_code == 200
    assert response.context["form"].initial["region"] == Region.objects.get(code="A/P").pk
    assert client_for("expert").get(reverse("meetings:meeting_add")).status_code == 403
    assert client_for(None).get(reverse("meetings:meeting_add")).status_code == 302


def test_action_for_an_office_of_another_region_is_refused(built):
    rocb, item = built["rocb"], built["item"]
    elsewhere = Office.objects.exclude(region__code="A/P").exclude(region=None).order_by("code").first()
    before = ActionItem.objects.count()
    response = rocb.post(
        reverse("meetings:action_add", args=[item.pk]),
        {"what": "Something far away", "owners": [elsewhere.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = _messages(response)
    assert "cannot be tasked by this meeting" in text and str(elsewhere) in text
    assert ActionItem.objects.count() == before
    assert not ActionItem.objects.filter(what="Something far away").exists()


def test_owner_reports_done_and_the_next_session_shows_it(built, client_for):
    action = built["action"]
    japan = client_for("rtc.japan")
    page = japan.get(reverse("meetings:our_actions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="our-actions"' in html and action.get_absolute_url() in html
    assert "overdue" in html  # due 2025-09-30, still open
    detail = japan.get(action.get_absolute_url())
    assert detail.status_code == 200
    assert 'id="progress-form"' in detail.content.decode() and 'id="evidence-form"' in detail.content.decode()
    response = japan.post(
        reverse("meetings:action_progress", args=[action.pk]),
        {"text": "Workshop delivered in Tokyo.", "status": "done", "on": datetime.date.today().isoformat()},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert action.updates.get().text == "Workshop delivered in Tokyo."
    assert action.get_absolute_url() not in japan.get(reverse("meetings:our_actions")).content.decode()

    rocb = built["rocb"]
    following = _create_meeting(rocb, title="19th A/P RTC Heads", starts_on="2026-03-10")
    assert following.number == 19
    html = rocb.get(following.get_absolute_url()).content.decode()
    assert 'id="matters-arising"' in html
    arising = html.split('id="matters-arising"', 1)[1].split("</section>", 1)[0]
    assert (
        "Run the PCA workshop" in arising and "Done" in arising and "Workshop delivered in Tokyo." in arising
    )


def test_progress_by_someone_else_is_refused(built, client_for):
    action = built["action"]
    response = client_for("focal.kenya").post(
        reverse("meetings:action_progress", args=[action.pk]), {"text": "x", "status": "done"}
    )
    assert response.status_code == 404  # not a participant: the action is not visible
    action.refresh_from_db()
    assert action.status == "open"


def test_anonymous_sees_the_meeting_and_adopted_decisions_only(built, client_for):
    page = client_for(None).get(built["meeting"].get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "The meeting adopts the regional training plan." in html
    assert "A draft idea not yet agreed." not in html
    assert f'id="decision-{built["draft"].pk}"' not in html
    assert 'id="add-item-form"' not in html and "/forms/" not in html
    assert "Run the PCA workshop" not in html  # actions are for participants


def test_register_exports_and_calendar(built, client_for):
    region = built["meeting"].region
    anonymous = client_for(None)
    url = reverse("meetings:region_meetings", args=[region.slug])
    page = anonymous.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "18/1" in html and "A draft idea" not in html
    assert "export=csv" in html and "export=xlsx" in html and "calendar.ics" in html
    assert "18/1" in anonymous.get(url, {"q": "training plan", "year": "2025"}).content.decode()
    assert "18/1" not in anonymous.get(url, {"q": "nothing like this"}).content.decode()
    assert anonymous.get(url, {"year": "99999999999"}).status_code == 400
    assert anonymous.get(url, {"state": "nonsense"}).status_code == 400
    csv = b"".join(anonymous.get(url, {"export": "csv"}).streaming_content).decode()
    assert "18/1" in csv and "regional training plan" in csv
    xlsx = anonymous.get(url, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    feed = anonymous.get(reverse("meetings:region_calendar", args=[region.slug]))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and "DTSTART;VALUE=DATE:20250310" in body
    assert anonymous.get(reverse("meetings:region_meetings", args=["nowhere"])).status_code == 404


def test_committee_register_and_list_filters(client_for):
    from network.models import Committee

    committee = Committee.objects.order_by("pk").first()
    anonymous = client_for(None)
    assert anonymous.get(reverse("meetings:committee_meetings", args=[committee.pk])).status_code == 200
    assert anonymous.get(reverse("meetings:committee_calendar", args=[committee.pk])).status_code == 200
    assert anonymous.get(reverse("meetings:meeting_list"), {"committee": committee.pk}).status_code == 200
    assert anonymous.get(reverse("meetings:meeting_list"), {"committee": "x"}).status_code == 400
    assert anonymous.get(reverse("meetings:meeting_list"), {"region": "nowhere"}).status_code == 400
    assert anonymous.get(reverse("meetings:meeting_list"), {"page": "999999999999999"}).status_code == 200
    secretariat = client_for("secretariat").get(reverse("meetings:meeting_list"))
    assert 'href="/meetings/add/"' in secretariat.content.decode()
    assert 'href="/meetings/add/"' not in anonymous.get(reverse("meetings:meeting_list")).content.decode()


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/x/",
        f"/meetings/{HUGE}/",
        f"/meetings/{HUGE}/edit/",
        "/meetings/99999999/",
        f"/meetings/actions/{HUGE}/",
        f"/meetings/committees/{HUGE}/",
        f"/meetings/committees/{HUGE}/calendar.ics",
        "/meetings/regions/nowhere/calendar.ics",
    ],
)
def test_bad_ids_are_not_found(client_for, path):
    for username in (None, "rocb.ap", "secretariat"):
        expected = 302 if username is None and path.endswith("/edit/") else 404  # signing in first
        assert client_for(username).get(path).status_code == expected, (username, path)


@pytest.mark.parametrize(
    "path",
    [
        f"/meetings/items/{HUGE}/decisions/",
        f"/meetings/items/{HUGE}/actions/",
        f"/meetings/decisions/{HUGE}/move/",
        f"/meetings/actions/{HUGE}/progress/",
        f"/meetings/invitations/{HUGE}/",
        f"/meetings/{HUGE}/items/",
    ],
)
def test_bad_ids_in_posts_are_not_found(client_for, path):
    assert client_for("rocb.ap").post(path, {"state": "x"}).status_code == 404


def test_bad_values_in_forms_are_form_errors(built):
    rocb, item, adopted = built["rocb"], built["item"], built["adopted"]
    response = rocb.post(
        reverse("meetings:action_add", args=[item.pk]), {"what": "x", "owners": [HUGE]}, follow=True
    )
    assert response.status_code == 200 and "Owner offices" in _messages(response)
    response = rocb.post(reverse("meetings:decision_move", args=[adopted.pk]), {"state": HUGE}, follow=True)
    assert response.status_code == 200 and _messages(response)
    response = rocb.post(
        reverse("meetings:decision_move", args=[built["draft"].pk]),
        {"state": DecisionState.objects.get(code="adopted").pk},
        follow=True,
    )
    assert "cannot become" in _messages(response)
    response = rocb.post(reverse("meetings:meeting_add"), {"title": "x", "starts_on": "not a date"})
    assert response.status_code == 400


def test_edit_invitations_and_minutes(built, client_for):
    rocb, meeting = built["rocb"], built["meeting"]
    assert rocb.get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 200
    response = rocb.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        {
            "title": "18th Heads of A/P RTCs",
            "series": SERIES,
            "number": 18,
            "starts_on": "2025-03-10",
            "ends_on": "2025-03-11",
            "mode": "in_person",
            "status": "held",
            "organisers": [Office.objects.get(code="rtc-japan").pk],
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "18th Heads of A/P RTCs" and meeting.status == "held"
    assert client_for("rtc.japan").get(reverse("meetings:meeting_edit", args=[meeting.pk])).status_code == 403

    japan_office = Office.objects.get(code="rtc-japan")
    assert (
        rocb.post(
            reverse("meetings:invitation_add", args=[meeting.pk]), {"office": japan_office.pk}
        ).status_code
        == 302
    )
    invitation = meeting.invitations.get()
    rocb.post(
        reverse("meetings:invitation_update", args=[invitation.pk]),
        {"status": "registered", "delegates": "2", "attended": "true"},
    )
    invitation.refresh_from_db()
    assert (invitation.status, invitation.delegates, invitation.attended) == ("registered", 2, True)

    rocb.post(reverse("meetings:minutes_save", args=[meeting.pk]), {"text": "The meeting opened at 9."})
    rocb.post(reverse("meetings:minutes_circulate", args=[meeting.pk]))
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.status == "circulated"
    japan = client_for("rtc.japan")
    assert 'id="amendment-form"' in japan.get(meeting.get_absolute_url()).content.decode()
    japan.post(reverse("meetings:amendment_add", args=[meeting.pk]), {"passage": "at 9.", "text": "at 9.30."})
    amendment = meeting.minutes.amendments.get()
    assert (amendment.passage, amendment.text) == ("at 9.", "at 9.30.")
    wrong = japan.post(
        reverse("meetings:amendment_add", args=[meeting.pk]), {"passage": "at noon", "text": "x"}, follow=True
    )
    assert "exactly as it stands" in _messages(wrong)
    decide = reverse("meetings:amendment_decide", args=[amendment.pk])
    assert f'action="{decide}"' in rocb.get(meeting.get_absolute_url()).content.decode()
    assert f'action="{decide}"' not in japan.get(meeting.get_absolute_url()).content.decode()
    japan.post(decide, {"accept": "1"})  # a participant, not an organiser
    assert rocb.post(decide, {"accept": "maybe"}).status_code == 302
    amendment.refresh_from_db()
    assert amendment.accepted is None
    page = rocb.post(decide, {"accept": "1"}, follow=True)
    assert "written into the minutes" in _messages(page)
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.text == "The meeting opened at 9.30." and meeting.minutes.version == 2
    assert client_for(None).post(decide, {"accept": "1"}).status_code == 302  # to sign in
    assert rocb.post(reverse("meetings:amendment_decide", args=[10**12]), {"accept": "1"}).status_code == 404


def test_a_named_person_is_invited_by_email_among_the_people_one_may_see(built):
    from activities.tests.factories import PersonFactory
    from meetings.models import Invitation
    from network.models import Member

    rocb, meeting = built["rocb"], built["meeting"]
    person = PersonFactory(member=Member.objects.get(iso_alpha2="TH"), email="somchai@customs.example")
    url = reverse("meetings:invitation_add", args=[meeting.pk])
    response = rocb.post(url, {"person_email": "SOMCHAI@customs.example"})
    assert response.status_code == 302
    assert Invitation.objects.get(meeting=meeting).person == person
    response = rocb.post(url, {"person_email": "nobody@nowhere.example"}, follow=True)
    assert "No person with this email" in _messages(response)
    assert Invitation.objects.filter(meeting=meeting).count() == 1


def test_a_document_for_the_participants_is_seen_by_them_alone(built, client_for, user_named):
    from knowledge.models import Document, Visibility
    from meetings import services

    rocb = user_named("rocb.ap")
    paper = Document.objects.create(
        title="Draft regional training plan 2026", visibility=Visibility.PARTICIPANTS, uploaded_by=rocb
    )
    services.item_save(user=rocb, item=built["item"], meeting=built["meeting"], data={"documents": [paper]})
    detail = reverse("knowledge:document_detail", args=[paper.pk])
    for username in ("rocb.ap", "rtc.japan", "secretariat"):
        client = client_for(username)
        assert client.get(detail).status_code == 200, username
        page = client.get(built["meeting"].get_absolute_url()).content.decode()
        assert "Draft regional training plan 2026" in page and "participants only" in page, username
    for username in ("focal.kenya", "donor", None):
        client = client_for(username)
        assert client.get(detail).status_code == 404, username
        assert (
            "Draft regional training plan 2026"
            not in client.get(built["meeting"].get_absolute_url()).content.decode()
        )
    listed = client_for("focal.kenya").get("/api/knowledge/documents/").json()
    assert paper.pk not in [row["id"] for row in listed["results"]]


def test_one_click_plans_a_study_or_proposes_a_workshop_for_an_action(built, client_for):
    from activities.models import Activity

    action = built["action"]
    japan = client_for("rtc.japan")
    url = reverse("meetings:action_activity", args=[action.pk])
    assert 'id="plan-study"' in japan.get(action.get_absolute_url()).content.decode()
    refused = japan.post(url, {"kind": "x" * 500}, follow=True)
    assert "Unknown kind of activity" in _messages(refused)
    page = japan.post(url, {"kind": "research_study"}, follow=True)
    assert "Study planned for the action." in _messages(page)
    action.refresh_from_db()
    study = Activity.objects.get(pk=action.activity_id)
    assert study.kind == "research_study" and study.lead_office.code == "rtc-japan"
    assert "18/1" in study.objectives and page.request["PATH_INFO"] == study.get_absolute_url()
    again = japan.post(url, {"kind": "regional_workshop"}, follow=True)
    assert "already has its activity" in _messages(again)
