"""A meeting's record as a Word document (python-docx) or a PDF (ReportLab), generated from what was
recorded: the meeting, who attended, the agenda items in order with their summaries, and under each
item its decisions (in English, and in French when there is a French text) and its actions.

Only the rows the user may view go in (`restrict`): the public gets the adopted public decisions and
no actions; participants and organisers get the drafts and the actions too. The PDF is set in
ReportLab's Helvetica, as the certificates are (activities.certificates): its encoding covers the
accented letters of French."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Invitation,
    InvitationStatus,
    Meeting,
    Minutes,
    MinutesStatus,
)


@dataclass
class ItemRecord:
    item: AgendaItem
    decisions: list[Decision] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)


@dataclass
class MeetingRecord:
    meeting: Meeting
    dates: str
    body: str
    attended: list[Invitation]
    registered: list[Invitation]
    items: list[ItemRecord]
    minutes_status: str


def _dates(meeting: Meeting) -> str:
    start = date_format(meeting.starts_on, "DATE_FORMAT")
    if not meeting.ends_on or meeting.ends_on == meeting.starts_on:
        return start
    return f"{start} – {date_format(meeting.ends_on, 'DATE_FORMAT')}"


def _minutes_status(meeting: Meeting, user) -> str:
    minutes = Minutes.objects.restrict(user).filter(meeting=meeting).select_related("approved_at").first()
    if minutes is None:
        return ""
    if minutes.status == MinutesStatus.APPROVED and minutes.approved_at:
        return _("Minutes approved at %(meeting)s") % {"meeting": minutes.approved_at}
    return _("Minutes: %(status)s (version %(version)d)") % {
        "status": minutes.get_status_display(),
        "version": minutes.version,
    }


def meeting_record(meeting: Meeting, user) -> MeetingRecord:
    """What the documents show, read in a fixed number of queries."""
    invitations = list(
        Invitation.objects.restrict(user)
        .filter(meeting=meeting)
        .filter(Q(attended=True) | Q(status=InvitationStatus.REGISTERED))
        .select_related("member", "office", "person")
        .order_by("pk")
    )
    items = {
        item.pk: ItemRecord(item)
        for item in AgendaItem.objects.restrict(user).filter(meeting=meeting).order_by("position", "pk")
    }
    decisions = (
        Decision.objects.restrict(user)
        .filter(meeting=meeting)
        .select_related("meeting", "state")
        .order_by("number", "pk")
    )
    for decision in decisions:
        if decision.item_id in items:
            items[decision.item_id].decisions.append(decision)
    actions = (
        ActionItem.objects.restrict(user)
        .filter(meeting=meeting)
        .distinct()
        .select_related("decision__meeting")
        .prefetch_related("owners")
        .order_by("due_on", "pk")
    )
    for action in actions:
        if action.item_id in items:
            items[action.item_id].actions.append(action)
    return MeetingRecord(
        meeting=meeting,
        dates=_dates(meeting),
        body=str(meeting.committee or meeting.region or ""),
        attended=[invitation for invitation in invitations if invitation.attended],
        registered=[invitation for invitation in invitations if not invitation.attended],
        items=list(items.values()),
        minutes_status=_minutes_status(meeting, user),
    )


def _delegation(invitation: Invitation) -> str:
    if invitation.delegates:
        return _("%(delegation)s (%(count)d delegates)") % {
            "delegation": invitation,
            "count": invitation.delegates,
        }
    return str(invitation)


def _action_line(action: ActionItem) -> str:
    owners = ", ".join(str(office) for office in action.owners.all())
    parts = [action.what]
    if owners:
        parts.append(_("Owners: %(offices)s") % {"offices": owners})
    parts.append(
        _("Due: %(date)s") % {"date": date_format(action.due_on, "DATE_FORMAT") if action.due_on else "—"}
    )
    parts.append(_("Status: %(status)s") % {"status": action.get_status_display()})
    if action.decision_id:
        parts.append(_("Decision %(reference)s") % {"reference": action.decision.reference})
    return " · ".join(parts)


def _decision_heading(decision: Decision) -> str:
    return f"{decision.get_kind_display()} {decision.reference} ({decision.state})"


def _facts(record: MeetingRecord) -> list[str]:
    meeting = record.meeting
    facts = [record.dates]
    if record.body:
        facts.append(record.body)
    venue = " · ".join(part for part in (meeting.venue, meeting.get_mode_display()) if part)
    facts.append(_("Venue: %(venue)s") % {"venue": venue})
    if record.minutes_status:
        facts.append(record.minutes_status)
    return facts


def _generated() -> str:
    return _("Generated on %(date)s from the outcomes recorded in cbhub.") % {
        "date": date_format(timezone.localdate(), "DATE_FORMAT")
    }


# --- Word ----------------------------------------------------------------------------------------


def minutes_docx(meeting: Meeting, user) -> bytes:
    from docx import Document

    record = meeting_record(meeting, user)
    document = Document()
    document.core_properties.title = meeting.title
    document.add_heading(meeting.title, level=0)
    for fact in _facts(record):
        document.add_paragraph(fact)

    document.add_heading(_("Attendance"), level=1)
    if record.attended:
        document.add_heading(_("Attended"), level=2)
        for invitation in record.attended:
            document.add_paragraph(_delegation(invitation), style="List Bullet")
    if record.registered:
        document.add_heading(_("Registered"), level=2)
        for invitation in record.registered:
            document.add_paragraph(_delegation(invitation), style="List Bullet")
    if not (record.attended or record.registered):
        document.add_paragraph(_("No attendance recorded."))

    document.add_heading(_("Agenda and outcomes"), level=1)
    for entry in record.items:
        item = entry.item
        document.add_heading(f"{item.position}. {item.title}", level=2)
        if item.presenters:
            document.add_paragraph(_("Presented by %(presenters)s") % {"presenters": item.presenters})
        if item.summary:
            document.add_paragraph(item.summary)
        for decision in entry.decisions:
            document.add_heading(_decision_heading(decision), level=3)
            document.add_paragraph(decision.text_en)
            if decision.text_fr:
                paragraph = document.add_paragraph()
                paragraph.add_run(decision.text_fr).italic = True
        if entry.actions:
            document.add_paragraph().add_run(_("Actions")).bold = True
            for action in entry.actions:
                document.add_paragraph(_action_line(action), style="List Bullet")
    document.add_paragraph().add_run(_generated()).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Plain text as a ReportLab paragraph: markup escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def minutes_pdf(meeting: Meeting, user) -> bytes:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    record = meeting_record(meeting, user)
    styles = getSampleStyleSheet()
    accent = HexColor("#0b4f8a")
    title = ParagraphStyle("MeetingTitle", parent=styles["Title"], textColor=accent, alignment=0)
    h1 = ParagraphStyle("MeetingH1", parent=styles["Heading2"], textColor=accent)
    h2 = styles["Heading3"]
    h3 = ParagraphStyle("MeetingH3", parent=styles["Heading4"], spaceBefore=6)
    body = styles["BodyText"]
    french = ParagraphStyle("MeetingFrench", parent=body, fontName="Helvetica-Oblique")
    small = ParagraphStyle("MeetingSmall", parent=body, fontSize=8, textColor=HexColor("#4b5563"))

    def bullets(lines: list[str]) -> ListFlowable:
        return ListFlowable(
            [ListItem(Paragraph(_text(line), body), leftIndent=12) for line in lines],
            bulletType="bullet",
            start="•",
            leftIndent=12,
        )

    story: list = [Paragraph(_text(meeting.title), title)]
    story += [Paragraph(_text(fact), body) for fact in _facts(record)]

    story.append(Paragraph(_text(_("Attendance")), h1))
    if record.attended:
        story += [Paragraph(_text(_("Attended")), h2), bullets([_delegation(i) for i in record.attended])]
    if record.registered:
        story += [Paragraph(_text(_("Registered")), h2), bullets([_delegation(i) for i in record.registered])]
    if not (record.attended or record.registered):
        story.append(Paragraph(_text(_("No attendance recorded.")), body))

    story.append(Paragraph(_text(_("Agenda and outcomes")), h1))
    for entry in record.items:
        item = entry.item
        story.append(Paragraph(_text(f"{item.position}. {item.title}"), h2))
        if item.presenters:
            presented = _("Presented by %(presenters)s") % {"presenters": item.presenters}
            story.append(Paragraph(_text(presented), body))
        if item.summary:
            story.append(Paragraph(_text(item.summary), body))
        for decision in entry.decisions:
            story.append(Paragraph(_text(_decision_heading(decision)), h3))
            story.append(Paragraph(_text(decision.text_en), body))
            if decision.text_fr:
                story.append(Paragraph(_text(decision.text_fr), french))
        if entry.actions:
            story.append(Paragraph(f"<b>{_text(_('Actions'))}</b>", body))
            story.append(bullets([_action_line(action) for action in entry.actions]))
    story += [Spacer(1, 6 * mm), Paragraph(_text(_generated()), small)]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=meeting.title,
        author=record.body,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story)
    return buffer.getvalue()
