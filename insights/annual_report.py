"""The annual report of an office (an ROCB, an RTC or the Secretariat) for a year.

`annual_figures` gathers the year's figures through the same functions the pages use, so every
figure equals what they show for the same filters: the dashboard's headline and charts with
`?scope=…&year=…` (activities by kind, status and topic, administrations reached, participants and
their gender, budgets by donor), the questionnaires' evaluation, the experts' deployments, the
region's needs, the meetings and their actions, the knowledge base and the accepted papers.
`write_docx` and `write_pdf` set them out with charts drawn on the server (matplotlib, Agg).
Generating is a job (`GENERATE`); approving publishes the PDF to the knowledge base.
"""

from __future__ import annotations

import io
from collections import Counter
from xml.sax.saxutils import escape

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.dashboards import dashboard_data, headline_figures, scoped_rows
from core.permissions import Action, allowed_as_edited, require
from insights.models import AnnualReport, ReportStatus
from jobs.registry import job_handler
from network.models import Office, OfficeKind

GENERATE = "insights.annual_report"
FIRST_YEAR = 2000

# --- figures -------------------------------------------------------------------------------------


def dashboard_scope(office: Office) -> tuple[str, object | None]:
    """The dashboard scope an office's report covers: an ROCB its region, an RTC the activities it
    leads, the Secretariat the whole network."""
    if office.kind == OfficeKind.ROCB:
        return "region", office.region
    if office.kind == OfficeKind.RTC:
        return "office", office
    return "all", None


def annual_figures(user, office: Office, year: int) -> dict:
    """Every figure of the report, as plain data (kept on the report row)."""
    scope, target = dashboard_scope(office)
    activities, _participations = scoped_rows(user, scope, target, year)
    charts = dashboard_data(user, scope, target, year)
    return {
        "office": str(office),
        "year": year,
        "headline": headline_figures(user, scope, target, year),
        "total_activities": activities.count(),
        "charts": {name: charts[name] for name in ("kind", "status", "topic", "member", "gender", "donor")},
        "evaluation": _evaluation(user, activities),
        "experts": _experts(user, activities),
        "needs": _needs(user, office, year),
        "meetings": _meetings(user, office, year),
        "publications": _publications(user, office, year),
        "research": _research(user, office, year),
    }


def _evaluation(user, activities) -> dict:
    from insights.services import evaluation_figures as evaluation

    found = evaluation(user, activities)
    learning = found["learning"]
    return {
        "gain": learning.gain_mean if learning else None,
        "paired": learning.paired if learning else 0,
        "reaction": found["reaction"],
        "applied": found["applied"],
    }


def _experts(user, activities) -> dict:
    from experts.models import Deployment, DeploymentStatus

    done = [DeploymentStatus.CONFIRMED, DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED]
    deployments = Deployment.objects.restrict(user).filter(
        slot__activity__in=activities.values("pk"), status__in=done
    )
    return {
        "deployments": deployments.count(),
        "experts": deployments.values("profile").distinct().count(),
    }


def _needs(user, office: Office, year: int) -> dict:
    from surveys.models import Need
    from surveys.needs import regional_needs

    if office.region_id is None:
        return {"needs": 0, "answered": 0, "topics": []}
    ranked = regional_needs(
        Need.objects.restrict(user), region_id=office.region_id, year_from=year, year_to=year
    )
    return {
        "needs": len(ranked),
        "answered": sum(1 for need in ranked if need.answered),
        "topics": [[str(need.topic), need.administrations, need.answered] for need in ranked[:10]],
    }


def _meetings(user, office: Office, year: int) -> dict:
    from meetings.models import ActionItem, Meeting, MeetingStatus

    meetings = Meeting.objects.restrict(user).filter(starts_on__year=year, status=MeetingStatus.HELD)
    if office.kind == OfficeKind.ROCB:
        meetings = meetings.filter(region=office.region_id)
    elif office.kind == OfficeKind.RTC:
        meetings = meetings.filter(Q(organisers=office) | Q(host_office=office)).distinct()
    actions = ActionItem.objects.restrict(user).filter(meeting__in=meetings.values("pk"))
    by_status = dict(actions.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    return {
        "held": meetings.count(),
        "titles": [str(meeting) for meeting in meetings.order_by("starts_on", "pk")[:20]],
        "actions": {
            status: by_status.get(status, 0) for status in ("open", "in_progress", "done", "dropped")
        },
    }


def _publications(user, office: Office, year: int) -> dict:
    from knowledge.models import Document

    documents = Document.objects.restrict(user).filter(
        Q(date__year=year) | Q(date__isnull=True, created_at__year=year)
    )
    if office.kind == OfficeKind.ROCB:
        documents = documents.filter(Q(region=office.region_id) | Q(author_offices=office))
    elif office.kind == OfficeKind.RTC:
        documents = documents.filter(author_offices=office)
    kinds = Counter(documents.distinct().values_list("kind", flat=True))
    return {"total": sum(kinds.values()), "by_kind": dict(kinds)}


def _research(user, office: Office, year: int) -> dict:
    from conferences.models import ACCEPTED, Submission

    papers = Submission.objects.restrict(user).filter(status__in=ACCEPTED, call__conference__year=year)
    if office.kind != OfficeKind.SECRETARIAT:
        papers = papers.filter(
            Q(on_behalf_of=office.region_id) | Q(authorships__member__region=office.region_id)
        ).distinct()
    return {"accepted": papers.count(), "titles": [paper.title for paper in papers.order_by("title")[:15]]}


# --- documents -----------------------------------------------------------------------------------


def _chart_png(chart: dict) -> bytes | None:
    """A horizontal bar chart of a dashboard chart's data, or None when it has no data."""
    if not chart.get("values"):
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    labels = [str(label)[:40] for label in chart["labels"]][::-1]
    values = list(chart["values"])[::-1]
    figure, axes = pyplot.subplots(figsize=(6.5, 0.35 * len(values) + 1.2), dpi=110)
    try:
        axes.barh(labels, values, color="#1f5f8b")
        axes.set_title(str(chart.get("title", "")), fontsize=10)
        axes.tick_params(labelsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def sections(figures: dict) -> list[tuple[str, list[tuple[str, str]], list[str]]]:
    """(heading, [(label, value) rows], [chart names]) in the report's order."""
    headline, evaluation = figures["headline"], figures["evaluation"]
    meetings, research, needs = figures["meetings"], figures["research"], figures["needs"]
    gain = evaluation["gain"]
    return [
        (
            _("Activities"),
            [
                (_("Activities starting in the year"), _number(figures["total_activities"])),
                (_("Activities delivered"), _number(headline["delivered"])),
            ],
            ["kind", "status", "topic"],
        ),
        (
            _("Administrations reached and participants"),
            [
                (_("Administrations reached"), _number(headline["administrations"])),
                (_("Participants"), _number(headline["participants"])),
                (_("Women among participants (%)"), _number(headline["women"])),
                # Kept apart from the face-to-face participants above (training's completions).
                (_("E-learning completions"), _number(headline.get("elearning"))),
            ],
            ["member", "gender"],
        ),
        (
            _("Evaluation results and learning gains"),
            [
                (
                    _("Learning gain (points)"),
                    "—" if gain is None else f"{100 * gain:.1f} ({evaluation['paired']})",
                ),
                (
                    _("Reaction (%)"),
                    "—" if evaluation["reaction"] is None else f"{100 * evaluation['reaction']:.0f}",
                ),
                (
                    _("Applied the learning (%)"),
                    "—" if evaluation["applied"] is None else f"{100 * evaluation['applied']:.0f}",
                ),
            ],
            [],
        ),
        (
            _("Experts deployed"),
            [
                (_("Deployments"), _number(figures["experts"]["deployments"])),
                (_("Experts"), _number(figures["experts"]["experts"])),
            ],
            [],
        ),
        (
            _("Needs answered"),
            [
                (_("Needs expressed"), _number(needs["needs"])),
                (_("Needs answered"), _number(needs["answered"])),
            ]
            + [
                (topic, _("answered") if answered else _("not yet answered"))
                for topic, _n, answered in needs["topics"]
            ],
            [],
        ),
        (
            _("Meetings held and their actions"),
            [(_("Meetings held"), _number(meetings["held"]))]
            + [
                (_("Actions: %(status)s") % {"status": status.replace("_", " ")}, _number(n))
                for status, n in meetings["actions"].items()
            ],
            [],
        ),
        (
            _("Publications and research"),
            [(_("Documents published"), _number(figures["publications"]["total"]))]
            + [
                (kind.replace("_", " "), _number(n))
                for kind, n in sorted(figures["publications"]["by_kind"].items())
            ]
            + [(_("Accepted conference papers"), _number(research["accepted"]))]
            + [(_("Paper"), title) for title in research["titles"]],
            [],
        ),
        (_("Funding by donor"), [], ["donor"]),
    ]


def title_of(figures: dict) -> str:
    return _("Annual report %(year)d — %(office)s") % {"year": figures["year"], "office": figures["office"]}


def write_docx(figures: dict) -> bytes:
    from docx import Document as Word
    from docx.shared import Inches

    word = Word()
    word.add_heading(title_of(figures), level=0)
    word.add_paragraph(_("Generated by cbhub on %(date)s.") % {"date": timezone.localdate().isoformat()})
    for heading, rows, charts in sections(figures):
        word.add_heading(heading, level=1)
        if rows:
            table = word.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = str(label), str(value)
        for name in charts:
            chart = figures["charts"][name]
            image = _chart_png(chart)
            if image is None:
                word.add_paragraph(_("%(chart)s: no data.") % {"chart": chart["title"]})
                continue
            word.add_picture(io.BytesIO(image), width=Inches(6))
            table = word.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in zip(chart["labels"], chart["values"], strict=True):
                cells = table.add_row().cells
                cells[0].text, cells[1].text = str(label), _number(value)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def write_pdf(figures: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    story = [Paragraph(escape(title_of(figures)), styles["Title"])]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 9)])
    for heading, rows, charts in sections(figures):
        story.append(Paragraph(escape(heading), styles["Heading2"]))
        if rows:
            story.append(
                Table(
                    [[escape(str(a)), escape(str(b))] for a, b in rows],
                    colWidths=[9 * cm, 7 * cm],
                    style=grid,
                )
            )
        for name in charts:
            chart = figures["charts"][name]
            image = _chart_png(chart)
            if image is None:
                story.append(
                    Paragraph(escape(_("%(chart)s: no data.") % {"chart": chart["title"]}), styles["Normal"])
                )
                continue
            picture = Image(io.BytesIO(image))
            scale = min(1.0, 16 * cm / picture.drawWidth)
            picture.drawWidth, picture.drawHeight = picture.drawWidth * scale, picture.drawHeight * scale
            story += [Spacer(1, 6), picture]
            story.append(
                Table(
                    [
                        [escape(str(label)), _number(value)]
                        for label, value in zip(chart["labels"], chart["values"], strict=True)
                    ],
                    colWidths=[9 * cm, 7 * cm],
                    style=grid,
                )
            )
        story.append(Spacer(1, 10))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title_of(figures)).build(story)
    return buffer.getvalue()


# --- services ------------------------------------------------------------------------------------


def offices_reported_by(user) -> list[Office]:
    """The offices whose report the user may generate, as the policy says (an ROCB officer the
    offices of their region, an RTC coordinator their centre, the Secretariat every office)."""
    offices = Office.objects.select_related("region").order_by("kind", "name")
    return [
        office
        for office in offices
        if allowed_as_edited(user, Action.ADD, AnnualReport(office=office, year=FIRST_YEAR))
    ]


@transaction.atomic
def report_generate(*, user, office: Office, year: int) -> AnnualReport:
    """A draft report for the office and year (an existing draft is regenerated), built by a job."""
    from jobs.services import job_enqueue

    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {
                "year": _("A report covers a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": this_year}
            }
        )
    report = AnnualReport.objects.select_for_update().filter(office=office, year=year).first()
    if report is None:
        report = AnnualReport(office=office, year=year)
        if not allowed_as_edited(user, Action.ADD, report):
            raise PermissionDenied(_("Offices generate their own annual report; the Secretariat any."))
    else:
        require(user, Action.CHANGE, report)
        if report.status == ReportStatus.APPROVED:
            raise ValidationError(_("This report is approved and published; it no longer changes."))
    report.generated_by = user
    report.full_clean(exclude=["job", "docx", "pdf"])
    report.save()
    report.job = job_enqueue(kind=GENERATE, payload={"report": report.pk}, user=user, total=3)
    report.save(update_fields=["job", "updated_at"])
    return report


def report_build(report: AnnualReport, user, progress=None) -> AnnualReport:
    """The figures, then the DOCX and the PDF, saved on the report."""
    figures = annual_figures(user, report.office, report.year)
    if progress:
        progress.item(_("Figures"), "created")
    docx, pdf = write_docx(figures), write_pdf(figures)
    if progress:
        progress.item(_("Word document"), "created")
    name = f"annual-report-{report.office.code}-{report.year}"
    report.figures = figures
    report.docx.save(f"{name}.docx", ContentFile(docx), save=False)
    report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    report.generated_at = timezone.now()
    report.save()
    if progress:
        progress.item(_("PDF"), "created")
    return report


@job_handler(GENERATE)
def run_generate(job, progress) -> None:
    report = (
        AnnualReport.objects.select_related("office__region").filter(pk=job.payload.get("report")).first()
    )
    if report is None or job.created_by is None:
        progress.item(_("Annual report"), "failed", _("The report or its author no longer exists."))
        return
    progress.set_total(3)
    report_build(report, job.created_by, progress)
    job.result = {"report": report.pk, "url": report.get_absolute_url()}


@transaction.atomic
def report_approve(*, user, report: AnnualReport) -> AnnualReport:
    """The office approves its report: it is published to the knowledge base as a public annual
    report of the office's region, and no longer changes."""
    from knowledge.ingestion import Incoming, QuietProgress, ingest

    require(user, Action.CHANGE, report)
    if report.status == ReportStatus.APPROVED:
        raise ValidationError(_("This report is already approved."))
    if not report.pdf:
        raise ValidationError(_("Generate the report before approving it."))
    report.pdf.open("rb")
    try:
        content = report.pdf.read()
    finally:
        report.pdf.close()
    metadata = {
        "title": title_of(report.figures),
        "kind": "annual_report",
        "visibility": "public",
        "date": f"{report.year}-12-31",
    }
    if report.office.region_id:
        metadata["region"] = report.office.region.slug
    progress = QuietProgress()
    key = f"annual-report:{report.office.code}:{report.year}"
    documents = ingest(
        [
            Incoming(
                name=f"annual-report-{report.office.code}-{report.year}.pdf",
                content=content,
                metadata=metadata,
                source_key=key,
            )
        ],
        user=user,
        progress=progress,
    )
    if not documents:
        from knowledge.models import Document

        documents = list(Document.objects.filter(source_key=key)[:1])
    if not documents:
        raise ValidationError(
            _("The report could not enter the knowledge base: %(reason)s")
            % {"reason": (progress.last or ("", "", ""))[-1]}
        )
    report.document = documents[0]
    report.document.author_offices.add(report.office)
    report.status, report.approved_by = ReportStatus.APPROVED, user
    report.save()
    return report
