"""Certificates of attendance as PDF, drawn with ReportLab."""

from __future__ import annotations

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from activities.models import Attendance, Participation

ACCENT = HexColor("#0b4f8a")


def verification_code(participation: Participation) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{participation.pk}:{participation.person_id}".encode())
    return digest.hexdigest()[:12].upper()


def _dates(activity) -> str:
    if not activity.start_date:
        return ""
    start = date_format(activity.start_date, "DATE_FORMAT")
    if not activity.end_date or activity.end_date == activity.start_date:
        return start
    return f"{start} – {date_format(activity.end_date, 'DATE_FORMAT')}"


def certificate_pdf(participation: Participation) -> bytes:
    """The certificate of one participation; refused unless the person attended."""
    if participation.attendance not in (Attendance.ATTENDED, Attendance.PARTIAL):
        raise ValidationError(_("A certificate is issued only to people who attended."))
    activity = participation.activity
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Certificate of attendance"))
    pdf.setAuthor(str(activity.lead_office))
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(6)
    pdf.rect(30, 30, width - 60, height - 60)
    centre = width / 2
    lines = [
        ("Helvetica-Bold", 30, ACCENT, height - 130, _("Certificate of attendance")),
        ("Helvetica", 14, HexColor("#111827"), height - 190, _("This certifies that")),
        ("Helvetica-Bold", 26, HexColor("#111827"), height - 235, str(participation.person)),
        ("Helvetica", 13, HexColor("#4b5563"), height - 262, str(participation.member or "")),
        (
            "Helvetica",
            14,
            HexColor("#111827"),
            height - 305,
            _("took part as %(role)s in") % {"role": participation.get_role_display().lower()},
        ),
        ("Helvetica-Bold", 18, HexColor("#111827"), height - 340, activity.title[:90]),
        (
            "Helvetica",
            13,
            HexColor("#111827"),
            height - 370,
            " · ".join(
                part for part in (activity.get_kind_display(), _dates(activity), activity.city) if part
            ),
        ),
        (
            "Helvetica",
            12,
            HexColor("#4b5563"),
            height - 400,
            _("Organised by %(office)s") % {"office": activity.lead_office},
        ),
    ]
    for font, size, colour, y, text in lines:
        pdf.setFont(font, size)
        pdf.setFillColor(colour)
        pdf.drawCentredString(centre, y, text)
    pdf.setFont("Helvetica", 9)
    pdf.setFillColor(HexColor("#4b5563"))
    issued = date_format(timezone.localdate(), "DATE_FORMAT")
    pdf.drawString(
        60,
        55,
        _("Issued %(date)s · verification code %(code)s")
        % {"date": issued, "code": verification_code(participation)},
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
