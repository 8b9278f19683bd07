"""A programme's progress reports (yearly, or for a quarter) and its risk log.

A report holds a narrative written by the lead office and, from the moment it is submitted, a
snapshot (`ProgressReport.snapshot`, plain JSON): the indicator table (each indicator's value for
the report's year against its target, marked on track, at risk or off track by the indicator's own
rules, `results.services.status_of`), the risk log, and budget against spending (`budget_table`:
the programme's funding agreements with their activities' budgets and actual costs, in the
agreement's currency and in euros). A draft shows the same figures live.

Workflow: draft → submitted → approved, or returned with comments → submitted again. The lead
office drafts and submits (the policy's editors); the Secretariat, or an ROCB officer of the lead
office's region who did not submit it, approves or returns it (`may_approve`). Approving queues a
job (`GENERATE`) that writes the DOCX (python-docx) and the PDF (ReportLab) from the snapshot, so
the donors funding the programme read and download exactly what was approved.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.i18n import localised
from core.permissions import Action, allowed_as_edited, can, is_secretariat, require, require_related_visible
from jobs.registry import job_handler
from results.models import Indicator, Level, ProgressReport, ReportStatus, Result, Risk, RiskStatus
from results.services import _check_year, framework_years, indicator_years

GENERATE = "results.progress_report"
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
NARRATIVE_MAX = 50_000
LEVEL_ORDER = {Level.GOAL: 0, Level.OUTCOME: 1, Level.OUTPUT: 2}

# --- periods -------------------------------------------------------------------------------------


def period_bounds(year: int, quarter: int | None) -> tuple[datetime.date, datetime.date]:
    """The first and last day a report covers: the year, or the quarter of the year."""
    if not quarter:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    following = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, following - datetime.timedelta(days=1)


def period_label(report: ProgressReport) -> str:
    return f"{report.year} Q{report.quarter}" if report.quarter else str(report.year)


# --- who may do what -----------------------------------------------------------------------------


def may_edit(user, report: ProgressReport) -> bool:
    """The lead office (the policy's editors) changes a draft or a returned report."""
    return report.status in EDITABLE and can(user, Action.CHANGE, report)


def may_approve(user, report: ProgressReport) -> bool:
    """The Secretariat, or an ROCB officer of the lead office's region who did not submit it."""
    if is_secretariat(user):
        return True
    if not (user.is_authenticated and user.is_active and user.role == Role.ROCB_OFFICER):
        return False
    region = report.programme.lead_office.region_id
    return bool(region) and user.region_id == region and report.submitted_by_id != user.pk


def _require_approver(user, report: ProgressReport) -> None:
    require(user, Action.VIEW, report)
    if not may_approve(user, report):
        if report.submitted_by_id == user.pk and not is_secretariat(user):
            raise PermissionDenied(_("Another officer approves a report than the one who submitted it."))
        raise PermissionDenied(_("The Secretariat or the region's ROCB approves progress reports."))


# --- the snapshot: indicators, risks, budget -----------------------------------------------------


def _text(value) -> str | None:
    """A number as JSON keeps it: a string, exact."""
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _ordered_results(programme) -> list[Result]:
    """The programme's results as the framework reads: the goal, each outcome, then its outputs."""
    indicators = Indicator.objects.prefetch_related("targets", "actuals").order_by("position", "pk")
    results = list(
        Result.objects.filter(programme=programme)
        .prefetch_related(Prefetch("indicators", indicators))
        .order_by("position", "pk")
    )
    children: dict = defaultdict(list)
    for result in results:
        children[result.parent_id].append(result)
    ordered: list[Result] = []

    def walk(parent_id):
        for result in children.get(parent_id, []):
            ordered.append(result)
            walk(result.pk)

    walk(None)
    seen = {result.pk for result in ordered}
    return ordered + [result for result in results if result.pk not in seen]


def indicator_table(programme, year: int) -> list[dict]:
    """Every indicator of the programme: its years up to the report's, and the report's year's
    target, actual and status (on_track, at_risk, off_track, or None without a target or value)."""
    years = sorted({*(y for y in framework_years(programme) if y <= year), year})
    rows = []
    for result in _ordered_results(programme):
        for indicator in result.indicators.all():
            indicator.result = result
            cells = indicator_years(indicator, years)
            current = next(cell for cell in cells if cell.year == year)
            rows.append(
                {
                    "id": indicator.pk,
                    "level": result.level,
                    "code": result.code,
                    "result_en": result.statement_en,
                    "result_fr": result.statement_fr,
                    "title_en": indicator.title_en,
                    "title_fr": indicator.title_fr,
                    "unit": indicator.unit,
                    "computed": bool(indicator.measure),
                    "baseline": _text(indicator.baseline_value),
                    "on_track_from": _text(indicator.on_track_from),
                    "at_risk_from": _text(indicator.at_risk_from),
                    "target": _text(current.target),
                    "actual": _text(current.actual),
                    "status": current.status,
                    "years": [
                        {
                            "year": cell.year,
                            "target": _text(cell.target),
                            "actual": _text(cell.actual),
                            "status": cell.status,
                        }
                        for cell in cells
                    ],
                }
            )
    return rows


def risk_log(programme) -> list[dict]:
    return [
        {
            "id": risk.pk,
            "description": risk.description,
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "score": risk.score,
            "mitigation": risk.mitigation,
            "owner": risk.owner.name if risk.owner else "",
            "owner_fr": risk.owner.name_fr if risk.owner else "",
            "status": risk.status,
        }
        for risk in Risk.objects.filter(programme=programme).select_related("owner")
    ]


AMOUNTS = ("committed", "disbursed", "budgeted", "spent", "spent_in_period")


def _eur_per_unit(rates, currency: str, on: datetime.date) -> Decimal | None:
    from funding.models import BASE_CURRENCY

    if currency == BASE_CURRENCY:
        return Decimal(1)
    applicable = [rate for since, rate in rates.rates.get(currency, []) if since <= on]
    return applicable[-1] if applicable else None


class _Line:
    """One line of the budget table: an agreement's sums in its currency and in euros."""

    def __init__(self, agreement=None):
        self.agreement = agreement
        self.currency = agreement.currency if agreement else "EUR"
        self.native = dict.fromkeys(AMOUNTS, Decimal(0))
        self.eur = dict.fromkeys(AMOUNTS, Decimal(0))
        self.unconverted: set[str] = set()
        self.used = agreement is not None

    def add(self, key: str, amount, currency: str, on: datetime.date, rates) -> None:
        if amount is None:
            return
        self.used = True
        amount = Decimal(amount)
        rate = _eur_per_unit(rates, currency, on) if currency else None
        eur = None if rate is None else amount * rate
        if eur is None:
            self.unconverted.add(currency or "?")
        else:
            self.eur[key] += eur
        if currency == self.currency:
            self.native[key] += amount
        elif eur is not None and (own := _eur_per_unit(rates, self.currency, on)):
            self.native[key] += eur / own
        else:
            self.unconverted.add(currency or "?")

    def as_dict(self) -> dict:
        agreement = self.agreement
        native = {key: _text(value) for key, value in self.native.items()}
        eur = {key: _text(value) for key, value in self.eur.items()}
        if agreement is not None:
            native["balance"] = _text(self.native["committed"] - self.native["spent"])
            eur["balance"] = _text(self.eur["committed"] - self.eur["spent"])
        else:
            native["balance"] = eur["balance"] = None
        return {
            "agreement": agreement.title if agreement else "",
            "agreement_id": agreement.pk if agreement else None,
            "donor": agreement.donor.name if agreement else "",
            "reference": agreement.reference if agreement else "",
            "currency": self.currency,
            "amounts": native,
            "eur": eur,
            "unconverted": sorted(self.unconverted),
        }


def budget_table(programme, year: int, quarter: int | None = None) -> dict:
    """Budget against spending: each funding agreement of the programme (committed and disbursed,
    converted at the rate of the day it was signed) with the activities it funds (their budgets,
    the actual costs of those that started by the end of the period and within it, converted at
    each activity's start), in the agreement's currency and in euros. The programme's activities
    without one of its agreements form a line of their own, in euros."""
    from activities.models import Activity
    from funding.models import FundingAgreement
    from funding.services import RateTable

    start, end = period_bounds(year, quarter)
    rates = RateTable()
    agreements = list(
        FundingAgreement.objects.filter(programme=programme)
        .select_related("donor")
        .order_by("signed_on", "pk")
    )
    lines = {agreement.pk: _Line(agreement) for agreement in agreements}
    other = _Line()
    for agreement in agreements:
        line = lines[agreement.pk]
        line.add("committed", agreement.amount_committed, agreement.currency, agreement.signed_on, rates)
        line.add("disbursed", agreement.amount_disbursed, agreement.currency, agreement.signed_on, rates)
    activities = (
        Activity.objects.filter(Q(project__programme=programme) | Q(funding_agreement__in=list(lines)))
        .distinct()
        .order_by("pk")
        .values(
            "funding_agreement",
            "budget_amount",
            "budget_currency",
            "actual_cost",
            "actual_currency",
            "start_date",
        )
    )
    for activity in activities:
        line = lines.get(activity["funding_agreement"], other)
        on = activity["start_date"] or end
        line.add("budgeted", activity["budget_amount"], activity["budget_currency"], on, rates)
        if activity["start_date"] is None or activity["start_date"] <= end:
            line.add("spent", activity["actual_cost"], activity["actual_currency"], on, rates)
        if activity["start_date"] is not None and start <= activity["start_date"] <= end:
            line.add("spent_in_period", activity["actual_cost"], activity["actual_currency"], on, rates)
    used = [lines[agreement.pk] for agreement in agreements] + ([other] if other.used else [])
    totals = {key: sum((line.eur[key] for line in used), Decimal(0)) for key in AMOUNTS}
    totals["balance"] = totals["committed"] - totals["spent"]
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "lines": [line.as_dict() for line in used],
        "total_eur": {key: _text(value) for key, value in totals.items()},
        "unconverted": sorted(set().union(*(line.unconverted for line in used))),
    }


def report_figures(report: ProgressReport) -> dict:
    """What a report shows besides its narrative, as it stands now (JSON-able)."""
    programme = report.programme
    return {
        "taken_at": timezone.now().isoformat(timespec="seconds"),
        "year": report.year,
        "quarter": report.quarter,
        "indicators": indicator_table(programme, report.year),
        "risks": risk_log(programme),
        "budget": budget_table(programme, report.year, report.quarter),
    }


def report_contents(report: ProgressReport) -> dict:
    """The snapshot once submitted; the live figures while the report is drafted."""
    if report.status in EDITABLE or not report.snapshot:
        return report_figures(report)
    return report.snapshot


def report_job(report: ProgressReport):
    """The newest job generating the report's documents, if any."""
    from jobs.models import Job

    return Job.objects.filter(kind=GENERATE, payload__report=report.pk).order_by("-pk").first()


# --- services ------------------------------------------------------------------------------------


def _locked(report: ProgressReport) -> ProgressReport:
    locked = (
        ProgressReport.objects.select_for_update()
        .select_related("programme__lead_office")
        .filter(pk=report.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This progress report no longer exists."))
    return locked


def _whole(value, field: str, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationError({field: message}) from None
    return value


@transaction.atomic
def report_create(*, user, programme, year, quarter=None) -> ProgressReport:
    """A draft report of the programme for a year of it (or a quarter of that year), once the
    period has begun; one report per period."""
    report = ProgressReport(programme=programme)
    if not allowed_as_edited(user, Action.ADD, report):
        raise PermissionDenied(_("The programme's lead office drafts its progress reports."))
    year = _whole(year, "year", _("A year is a whole number."))
    if quarter in ("", None):
        quarter = None
    else:
        quarter = _whole(quarter, "quarter", _("A quarter is 1, 2, 3 or 4."))
        if not 1 <= quarter <= 4:
            raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    _check_year(programme, year, _("A progress report"))
    report.year, report.quarter = year, quarter
    start, _end = period_bounds(year, quarter)
    if start > timezone.localdate():
        raise ValidationError({"year": _("A progress report covers a period that has begun.")})
    if ProgressReport.objects.filter(programme=programme, year=year, quarter=quarter).exists():
        raise ValidationError(
            _("The programme already has a progress report for %(period)s.")
            % {"period": period_label(report)}
        )
    report.full_clean()
    report.save()
    return report


def _require_editable(user, report: ProgressReport) -> None:
    require(user, Action.CHANGE, report)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Only a draft or a returned report changes; this one is “%(status)s”.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def report_update(*, user, report: ProgressReport, narrative: str) -> ProgressReport:
    report = _locked(report)
    _require_editable(user, report)
    narrative = (narrative or "").strip()
    if len(narrative) > NARRATIVE_MAX:
        raise ValidationError({"narrative": _("The narrative is longer than 50,000 characters.")})
    report.narrative = narrative
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_submit(*, user, report: ProgressReport) -> ProgressReport:
    """The lead office submits a draft (or a returned report) with its narrative; the indicator
    table, the risk log and the budget are taken as they stand."""
    report = _locked(report)
    _require_editable(user, report)
    if not report.narrative.strip():
        raise ValidationError({"narrative": _("Write the narrative before submitting the report.")})
    report.snapshot = report_figures(report)
    report.status, report.submitted_by = ReportStatus.SUBMITTED, user
    report.full_clean()
    report.save()
    return report


def _require_submitted(report: ProgressReport) -> None:
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report is approved or returned; this one is “%(status)s”.")
            % {"status": report.get_status_display()}
        )


@transaction.atomic
def report_approve(*, user, report: ProgressReport) -> ProgressReport:
    """Approves a submitted report and queues the job writing its DOCX and PDF for the donors."""
    report = _locked(report)
    _require_approver(user, report)
    _require_submitted(report)
    report.status, report.approved_by, report.approved_at = ReportStatus.APPROVED, user, timezone.now()
    report.full_clean()
    report.save()
    _enqueue(user, report)
    return report


@transaction.atomic
def report_return(*, user, report: ProgressReport, comments: str) -> ProgressReport:
    """Sends a submitted report back to the lead office with what must change."""
    report = _locked(report)
    _require_approver(user, report)
    _require_submitted(report)
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": _("Say what must change before returning the report.")})
    if len(comments) > NARRATIVE_MAX:
        raise ValidationError({"comments": _("The comments are longer than 50,000 characters.")})
    report.status, report.comments = ReportStatus.RETURNED, comments
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_generate(*, user, report: ProgressReport):
    """Writes an approved report's documents again (after a failed job, say)."""
    from jobs.models import JobStatus

    report = _locked(report)
    require(user, Action.CHANGE, report)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("A report's documents are written once it is approved."))
    job = report_job(report)
    if job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        raise ValidationError(_("The documents are being written already."))
    return _enqueue(user, report)


def _enqueue(user, report: ProgressReport):
    from jobs.services import job_enqueue

    language = translation.get_language() or settings.LANGUAGE_CODE
    return job_enqueue(kind=GENERATE, payload={"report": report.pk, "language": language}, user=user, total=2)


RISK_FIELDS = ("description", "likelihood", "impact", "mitigation", "owner", "status")


@transaction.atomic
def risk_save(*, user, programme, data: dict, risk: Risk | None = None) -> Risk:
    """An entry of the programme's risk log: likelihood and impact from 1 to 5, the mitigation and
    the office that owns it. The lead office keeps the log."""
    risk = risk or Risk(programme=programme)
    if risk.programme_id != programme.pk:
        raise ValidationError(_("This risk belongs to another programme."))
    if risk.pk is None:
        if not allowed_as_edited(user, Action.ADD, risk):
            raise PermissionDenied(_("The programme's lead office keeps its risk log."))
    else:
        require(user, Action.CHANGE, risk)
    if data.get("owner") is not None:
        require_related_visible(user, Risk, {"owner": data["owner"]}, instance=risk if risk.pk else None)
    for key in RISK_FIELDS:
        if key in data:
            setattr(risk, key, data[key])
    for key in ("likelihood", "impact"):
        message = _("Likelihood and impact are whole numbers from 1 to 5.")
        value = _whole(getattr(risk, key), key, message)
        if not 1 <= value <= 5:
            raise ValidationError({key: message})
        setattr(risk, key, value)
    risk.description = (risk.description or "").strip()
    risk.mitigation = (risk.mitigation or "").strip()
    if risk.status not in RiskStatus.values:
        raise ValidationError({"status": _("A risk is open or closed.")})
    risk.full_clean()
    risk.save()
    return risk


# --- the documents -------------------------------------------------------------------------------


def status_label(status: str | None) -> str:
    return {"on_track": _("on track"), "at_risk": _("at risk"), "off_track": _("off track")}.get(
        status or "", "—"
    )


def risk_status_label(status: str) -> str:
    return str(RiskStatus(status).label) if status in RiskStatus.values else status


def money(value) -> str:
    if value is None:
        return "—"
    return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)


def plain(value) -> str:
    """A figure without needless decimals: 12, 12.5."""
    if value is None:
        return "—"
    number = Decimal(value)
    places = 0 if number == number.to_integral_value() else 2
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def indicator_rows(contents: dict) -> list[list[str]]:
    """The indicator table as the documents print it (a heading row first)."""
    rows = [[_("Result"), _("Indicator"), _("Baseline"), _("Target"), _("Actual"), _("Status")]]
    for row in contents["indicators"]:
        result = f"{row['code']} {localised(row['result_en'], row['result_fr'])}".strip()
        title = localised(row["title_en"], row["title_fr"]) + (f" ({row['unit']})" if row["unit"] else "")
        rows.append(
            [
                result,
                title,
                plain(row["baseline"]),
                plain(row["target"]),
                plain(row["actual"]),
                status_label(row["status"]),
            ]
        )
    return rows


def risk_rows(contents: dict) -> list[list[str]]:
    rows = [[_("Risk"), _("Likelihood"), _("Impact"), _("Score"), _("Mitigation"), _("Owner"), _("Status")]]
    for risk in contents["risks"]:
        rows.append(
            [
                risk["description"],
                str(risk["likelihood"]),
                str(risk["impact"]),
                str(risk["score"]),
                risk["mitigation"] or "—",
                localised(risk["owner"], risk["owner_fr"]) or "—",
                risk_status_label(risk["status"]),
            ]
        )
    return rows


BUDGET_COLUMNS = ("committed", "disbursed", "budgeted", "spent", "spent_in_period", "balance")


def budget_rows(contents: dict) -> list[list[str]]:
    """Each agreement in its currency, then in euros; the other activities in euros; the total."""
    rows = [
        [
            _("Funding"),
            _("Currency"),
            _("Committed"),
            _("Disbursed"),
            _("Budgeted in activities"),
            _("Spent to date"),
            _("Spent in the period"),
            _("Balance"),
        ]
    ]
    budget = contents["budget"]
    for line in budget["lines"]:
        label = (
            f"{line['donor']}: {line['agreement']}"
            if line["agreement_id"]
            else _("Activities without an agreement")
        )
        if line["currency"] != "EUR":
            rows.append([label, line["currency"], *(money(line["amounts"][key]) for key in BUDGET_COLUMNS)])
            label = _("%(line)s, in euros") % {"line": label}
        rows.append([label, "EUR", *(money(line["eur"][key]) for key in BUDGET_COLUMNS)])
    rows.append([_("Total in euros"), "EUR", *(money(budget["total_eur"][key]) for key in BUDGET_COLUMNS)])
    return rows


def budget_note(contents: dict) -> str:
    unconverted = contents["budget"]["unconverted"]
    if not unconverted:
        return ""
    return _(
        "Amounts in %(currencies)s have no exchange rate for their date and are left out of the sums."
    ) % {"currencies": ", ".join(unconverted)}


def facts(report: ProgressReport) -> list[tuple[str, str]]:
    rows = [
        (_("Programme"), str(report.programme)),
        (_("Lead office"), str(report.programme.lead_office)),
        (_("Period"), period_label(report)),
        (_("Status"), report.get_status_display()),
    ]
    if report.submitted_by:
        rows.append((_("Submitted by"), str(report.submitted_by.acting_as)))
    if report.approved_by:
        rows.append((_("Approved by"), str(report.approved_by.acting_as)))
    if report.approved_at:
        rows.append((_("Approved on"), timezone.localtime(report.approved_at).date().isoformat()))
    return rows


def _budget_chart(contents: dict) -> bytes | None:
    """Committed against spent to date, in euros, per agreement; None without an agreement."""
    lines = [line for line in contents["budget"]["lines"] if line["agreement_id"]]
    if not lines:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    labels = [line["agreement"][:30] for line in lines]
    committed = [float(line["eur"]["committed"]) for line in lines]
    spent = [float(line["eur"]["spent"]) for line in lines]
    figure, axes = pyplot.subplots(figsize=(6.5, 0.6 * len(lines) + 1.6), dpi=110)
    try:
        positions = range(len(lines))
        axes.barh([p + 0.2 for p in positions], committed, height=0.4, color="#1f5f8b", label=_("Committed"))
        axes.barh([p - 0.2 for p in positions], spent, height=0.4, color="#e07b39", label=_("Spent to date"))
        axes.set_yticks(list(positions), labels)
        axes.set_title(_("Budget and spending (EUR)"), fontsize=10)
        axes.tick_params(labelsize=8)
        axes.legend(fontsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def write_docx(report: ProgressReport, contents: dict) -> bytes:
    from docx import Document as Word
    from docx.shared import Inches, Pt

    word = Word()
    word.add_heading(str(report), level=0)
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts(report):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value

    def grid(rows: list[list[str]]) -> None:
        table = word.add_table(rows=0, cols=len(rows[0]))
        table.style = "Table Grid"
        for number, row in enumerate(rows):
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(8)
                        run.bold = number == 0

    word.add_heading(_("Narrative"), level=1)
    for paragraph in _paragraphs(report.narrative) or ["—"]:
        word.add_paragraph(paragraph)
    word.add_heading(_("Indicators against their targets"), level=1)
    if contents["indicators"]:
        grid(indicator_rows(contents))
    else:
        word.add_paragraph(_("No indicator recorded."))
    word.add_heading(_("Risk log"), level=1)
    if contents["risks"]:
        grid(risk_rows(contents))
    else:
        word.add_paragraph(_("No risk recorded."))
    word.add_heading(_("Budget and spending"), level=1)
    grid(budget_rows(contents))
    if note := budget_note(contents):
        word.add_paragraph(note)
    if image := _budget_chart(contents):
        word.add_picture(io.BytesIO(image), width=Inches(6))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def write_pdf(report: ProgressReport, contents: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=7.5, leading=9)
    bold = ParagraphStyle("smallbold", parent=small, fontName="Helvetica-Bold")
    style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ]
    )
    width = 17 * cm

    def grid(rows: list[list[str]], widths: list[float]) -> Table:
        cells = [
            [Paragraph(escape(str(value)), bold if number == 0 else small) for value in row]
            for number, row in enumerate(rows)
        ]
        return Table(cells, colWidths=[width * share for share in widths], style=style, repeatRows=1)

    story = [Paragraph(escape(str(report)), styles["Title"])]
    story.append(
        Table(
            [[escape(label), escape(value)] for label, value in facts(report)],
            colWidths=[5 * cm, 12 * cm],
            style=TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 9)]
            ),
        )
    )
    story.append(Paragraph(escape(_("Narrative")), styles["Heading2"]))
    for paragraph in _paragraphs(report.narrative) or ["—"]:
        story.append(Paragraph(escape(paragraph).replace("\n", "<br/>"), styles["Normal"]))
    story.append(Paragraph(escape(_("Indicators against their targets")), styles["Heading2"]))
    if contents["indicators"]:
        story.append(grid(indicator_rows(contents), [0.25, 0.3, 0.1, 0.1, 0.1, 0.15]))
    else:
        story.append(Paragraph(escape(_("No indicator recorded.")), styles["Normal"]))
    story.append(Paragraph(escape(_("Risk log")), styles["Heading2"]))
    if contents["risks"]:
        story.append(grid(risk_rows(contents), [0.28, 0.08, 0.08, 0.07, 0.27, 0.12, 0.1]))
    else:
        story.append(Paragraph(escape(_("No risk recorded.")), styles["Normal"]))
    story.append(Paragraph(escape(_("Budget and spending")), styles["Heading2"]))
    story.append(grid(budget_rows(contents), [0.2, 0.07, 0.125, 0.125, 0.125, 0.125, 0.125, 0.105]))
    if note := budget_note(contents):
        story.append(Paragraph(escape(note), small))
    if image := _budget_chart(contents):
        picture = Image(io.BytesIO(image))
        scale = min(1.0, width / picture.drawWidth)
        picture.drawWidth, picture.drawHeight = picture.drawWidth * scale, picture.drawHeight * scale
        story += [Spacer(1, 8), picture]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=str(report), leftMargin=2 * cm, rightMargin=2 * cm).build(
        story
    )
    return buffer.getvalue()


def file_name(report: ProgressReport, extension: str) -> str:
    period = period_label(report).replace(" ", "-").lower()
    return f"progress-report-{report.programme.code}-{period}.{extension}"


def report_build(report: ProgressReport, progress=None) -> ProgressReport:
    """The DOCX and the PDF of an approved report, from its snapshot, saved on the report."""
    contents = report_contents(report)
    docx = write_docx(report, contents)
    if progress:
        progress.item(_("Word document"), "created")
    pdf = write_pdf(report, contents)
    for stored in (report.docx, report.pdf):
        if stored:
            stored.delete(save=False)
    report.docx.save(file_name(report, "docx"), ContentFile(docx), save=False)
    report.pdf.save(file_name(report, "pdf"), ContentFile(pdf), save=False)
    report.save(update_fields=["docx", "pdf", "updated_at"])
    if progress:
        progress.item(_("PDF"), "created")
    return report


@job_handler(GENERATE)
def run_generate(job, progress) -> None:
    report = (
        ProgressReport.objects.select_related("programme__lead_office", "submitted_by", "approved_by")
        .filter(pk=job.payload.get("report"))
        .first()
    )
    if report is None or report.status != ReportStatus.APPROVED:
        progress.item(_("Progress report"), "failed", _("The report no longer exists or is not approved."))
        return
    progress.set_total(2)
    language = job.payload.get("language") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        report_build(report, progress)
    job.result = {"report": report.pk, "url": report.get_absolute_url()}
