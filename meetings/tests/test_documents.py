"""The documents made from a meeting's record: the minutes as Word and PDF (with the French
accents intact, and only what the reader may see), and the meetings as an iCalendar feed."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser

from meetings import services
from meetings.calendar import committee_ics
from meetings.minutes_docs import minutes_docx, minutes_pdf
from meetings.models import DecisionState, Meeting
from network.models import Office

pytestmark = pytest.mark.django_db

ADOPTED_EN = "The meeting adopts the regional strategy 2025-2027."
ADOPTED_FR = "Décision : la réunion adopte la stratégie régionale 2025-2027."
DRAFT_EN = "A draft on the e-learning platform, still under discussion."


def move(user, decision, *codes):
    for code in codes:
        decision = services.decision_move(
            user=user, decision=decision, state=DecisionState.objects.get(code=code)
        )
    return decision


@pytest.fixture
def regional(user_named):
    """A regional coordination meeting of A/P, organised by the ROCB: RTC Japan attended, another
    centre registered; one item with an adopted decision (English and French), a draft and an
    action for RTC Japan."""
    rocb = user_named("rocb.ap")
    japan = Office.objects.get(code="rtc-japan")
    other = (
        Office.objects.filter(region=japan.region, kind="rtc").exclude(pk=japan.pk).order_by("code").first()
    )
    meeting = services.meeting_create(
        user=rocb,
        data={
            "title": "Meeting of Heads of the A/P RTCs",
            "number": 7,
            "starts_on": datetime.date(2025, 5, 20),
            "ends_on": datetime.date(2025, 5, 22),
            "venue": "Kashiwa, Japan",
            "status": "held",
        },
    )
    attended = services.invitation_add(user=rocb, meeting=meeting, office=japan)
    services.invitation_update(
        user=rocb, invitation=attended, data={"status": "registered", "attended": True, "delegates": 2}
    )
    registered = services.invitation_add(user=rocb, meeting=meeting, office=other)
    services.invitation_update(user=rocb, invitation=registered, data={"status": "registered"})
    item = services.item_save(
        user=rocb,
        meeting=meeting,
        data={"title": "Regional strategy", "summary": "The heads reviewed the régional priorities."},
    )
    adopted = move(
        rocb,
        services.decision_add(user=rocb, item=item, data={"text_en": ADOPTED_EN, "text_fr": ADOPTED_FR}),
        "proposed",
        "adopted",
    )
    services.decision_add(user=rocb, item=item, data={"text_en": DRAFT_EN})
    services.action_add(
        user=rocb,
        item=item,
        data={
            "what": "Pilot the regional e-learning course",
            "owners": [japan],
            "due_on": datetime.date(2025, 12, 31),
            "decision": adopted,
        },
    )
    return {"meeting": meeting, "rocb": rocb, "japan": japan, "other": other, "adopted": adopted}


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_word_minutes_hold_the_outcomes(regional):
    text = docx_text(minutes_docx(regional["meeting"], regional["rocb"]))
    assert "Meeting of Heads of the A/P RTCs" in text
    assert "Kashiwa, Japan" in text
    assert "The heads reviewed the régional priorities." in text
    assert ADOPTED_EN in text and ADOPTED_FR in text
    assert "7/1" in text  # the adopted decision's reference
    assert DRAFT_EN in text  # the organiser sees the draft
    assert "Pilot the regional e-learning course" in text
    assert str(regional["japan"]) in text and str(regional["other"]) in text
    assert "2 delegates" in text


def test_the_pdf_minutes_keep_the_french_accents(regional):
    content = minutes_pdf(regional["meeting"], regional["rocb"])
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Décision" in text
    assert "stratégie régionale" in text
    assert ADOPTED_EN in text
    assert "Pilot the regional e-learning course" in text


def test_the_public_minutes_hold_only_what_the_public_sees(regional):
    anonymous = AnonymousUser()
    for text in (
        docx_text(minutes_docx(regional["meeting"], anonymous)),
        pdf_text(minutes_pdf(regional["meeting"], anonymous)),
    ):
        assert ADOPTED_EN in text
        assert DRAFT_EN not in text
        assert "Pilot the regional e-learning course" not in text
        assert str(regional["japan"]) not in text  # attendance is the participants'


def test_the_calendar_has_one_all_day_event_per_meeting(regional):
    from icalendar import Calendar

    later = services.meeting_create(
        user=regional["rocb"],
        data={
            "title": "Meeting of Heads of the A/P RTCs, 8th",
            "starts_on": datetime.date(2026, 6, 3),
            "ends_on": datetime.date(2026, 6, 3),
            "venue": "Bangkok",
        },
    )
    meetings = Meeting.objects.filter(pk__in=[regional["meeting"].pk, later.pk]).order_by("starts_on")
    calendar = Calendar.from_ical(committee_ics(meetings))
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    first, second = events
    assert first.decoded("dtstart") == datetime.date(2025, 5, 20)
    assert first.decoded("dtend") == datetime.date(2025, 5, 23)  # exclusive: the day after the last
    assert second.decoded("dtstart") == datetime.date(2026, 6, 3)
    assert second.decoded("dtend") == datetime.date(2026, 6, 4)
    assert str(first["summary"]) == "Meeting of Heads of the A/P RTCs"
    assert str(second["location"]) == "Bangkok"
    assert str(first["uid"]).startswith(f"meeting-{regional['meeting'].pk}@")
    again = Calendar.from_ical(committee_ics(meetings)).walk("VEVENT")
    assert [str(event["uid"]) for event in again] == [str(event["uid"]) for event in events]


def test_the_minutes_download_from_the_meeting_page(client_for, user_named):
    from network.models import Region

    rocb = user_named("rocb.ap")
    meeting = services.meeting_create(
        user=rocb,
        data={
            "region": Region.objects.get(code="A/P"),
            "title": "Heads meeting",
            "starts_on": datetime.date(2026, 3, 1),
            "ends_on": datetime.date(2026, 3, 2),
        },
    )
    client = client_for(None)
    docx_response = client.get(f"/meetings/{meeting.pk}/minutes.docx")
    assert docx_response.status_code == 200 and docx_response.content[:2] == b"PK"
    pdf_response = client.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert pdf_response.status_code == 200 and pdf_response.content[:4] == b"%PDF"
    assert client.get(f"/meetings/{meeting.pk}/minutes.exe").status_code == 404
