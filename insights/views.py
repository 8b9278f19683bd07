"""An office's home (its part of the network at a glance) and the topic map of a region. Read-only:
every figure comes from the other apps' restricted querysets (insights.services)."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from core.exports import spreadsheet_safe
from core.permissions import is_secretariat
from insights import services
from network.models import Region


class HomeView(View):
    """The home page: the region at a glance for an ROCB officer, the centre for an RTC coordinator,
    the administration for a focal point; the general welcome for everyone else."""

    def get(self, request):
        data = services.home(request.user)
        if data is None:
            return render(request, "core/home.html")
        return render(request, "insights/home.html", {"home": data})


def visible_regions(user):
    if is_secretariat(user):
        return Region.objects.order_by("name")
    scope = services.scope_for(user)
    return Region.objects.filter(pk=scope.region.pk) if scope and scope.region else Region.objects.none()


class TopicMapView(LoginRequiredMixin, View):
    """For a region and a span of years, each topic's needs, activities, participants, learning gain
    and accredited experts as a heat map, with drill-down links, the gaps in words, and CSV."""

    def get(self, request):
        regions = visible_regions(request.user)
        region = regions.filter(slug=request.GET.get("region", "")[:80]).first() or regions.first()
        try:
            year_from, year_to = services.year_range(request.GET, default_span=3)
        except ValidationError as error:
            return self.render(regions, region, None, None, [], " ".join(error.messages), 400)
        if year_from > year_to or year_to - year_from > 30:
            return self.render(
                regions,
                region,
                year_from,
                year_to,
                [],
                _("Choose a range of at most 30 years, the first year first."),
                400,
            )
        rows = []
        if region is not None:
            rows = services.topic_map(request.user, region=region, year_from=year_from, year_to=year_to)
        if request.GET.get("export") == "csv" and region is not None:
            return self.csv(rows, region, year_from, year_to)
        return self.render(regions, region, year_from, year_to, rows, "", 200)

    def render(self, regions, region, year_from, year_to, rows, error, status):
        chart = {
            "topics": [str(row.topic.label) for row in rows],
            "measures": [str(label) for label in measure_labels()],
            "levels": [[row.levels.get(m, 0) for m in services.MEASURES] for row in rows],
        }
        return render(
            self.request,
            "insights/topic_map.html",
            {
                "regions": regions,
                "region": region,
                "year_from": year_from,
                "year_to": year_to,
                "rows": rows,
                "error": error,
                "measures": list(zip(services.MEASURES, measure_labels(), strict=True)),
                "chart": json.dumps(chart),
                "gaps": [(row, gap) for row in rows for gap in row.gaps],
                "may_plan": region is not None and may_plan_in(self.request.user, region),
            },
            status=status,
        )

    def csv(self, rows, region, year_from, year_to) -> HttpResponse:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([_("Topic"), *measure_labels(), _("Gaps")])
        for row in rows:
            gain = "" if row.gain is None else round(row.gain * 100, 1)
            writer.writerow(
                [
                    spreadsheet_safe(str(row.topic.label)),
                    row.needs,
                    row.planned,
                    row.delivered,
                    row.trained,
                    gain,
                    row.research,
                    row.experts,
                    spreadsheet_safe("; ".join(row.gaps)),
                ]
            )
        name = f"topic-map-{region.slug}-{year_from}-{year_to}"
        return HttpResponse(
            buffer.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )


def may_plan_in(user, region) -> bool:
    from core.permissions import Action, can
    from surveys.models import ActivityNeed

    return can(user, Action.ADD, ActivityNeed(region=region))


def measure_labels():
    return [
        _("Administrations that need it"),
        _("Activities planned"),
        _("Activities delivered"),
        _("Participants trained"),
        _("Learning gain (points)"),
        _("Research papers"),
        _("Accredited experts of the region"),
    ]


# --- the annual report of an office --------------------------------------------------------------


class ReportListView(LoginRequiredMixin, View):
    """The annual reports the user may see, and the form that generates one."""

    def get(self, request):
        from insights.forms import ReportForm

        return self.page(request, ReportForm(user=request.user))

    def post(self, request):
        from django.contrib import messages
        from django.shortcuts import redirect

        from core.views import error_text
        from insights.annual_report import report_generate
        from insights.forms import ReportForm

        form = ReportForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            report = report_generate(
                user=request.user, office=form.cleaned_data["office"], year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
            return self.page(request, form, status=400)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.page(request, form, status=403)
        messages.success(request, _("The report is being generated."))
        return redirect(report)

    def page(self, request, form, status=200):
        from insights.models import AnnualReport

        reports = AnnualReport.objects.restrict(request.user).select_related("office", "job")[:200]
        return render(
            request, "insights/report_list.html", {"form": form, "reports": list(reports)}, status=status
        )


def _report(request, pk, action=None):
    from core.permissions import Action, get_scoped_object
    from insights.models import AnnualReport

    return get_scoped_object(
        AnnualReport.objects.select_related("office__region", "job", "document"),
        request.user,
        action or Action.VIEW,
        pk=pk,
    )


class ReportDetailView(View):
    def get(self, request, pk):
        from core.permissions import Action, can

        report = _report(request, pk)
        return render(
            request,
            "insights/report_detail.html",
            {"report": report, "may_change": can(request.user, Action.CHANGE, report)},
        )


class ReportFileView(View):
    def get(self, request, pk, fmt):
        from django.http import FileResponse, Http404

        report = _report(request, pk)
        stored = {"docx": report.docx, "pdf": report.pdf}.get(fmt)
        if not stored:
            raise Http404(_("This report has no such file yet."))
        name = f"annual-report-{report.office.code}-{report.year}.{fmt}"
        return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


class ReportApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        from core.views import service_done
        from insights.annual_report import report_approve

        report = _report(request, pk)
        return service_done(
            request,
            lambda: report_approve(user=request.user, report=report),
            ok=_("Report approved and published to the knowledge base."),
            back=report.get_absolute_url(),
        )


# --- the study-paper compiler (insights.study_paper) ----------------------------------------------


def _organised_activity(request, pk):
    """The workshop, for its organisers only: 404 if the user may not see it, 403 if they may only see it."""
    from activities.models import Activity
    from core.permissions import Action, get_scoped_object

    return get_scoped_object(
        Activity.objects.select_related("lead_office", "region", "host_member"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )


def _revised_paper_form(*args, **kwargs):
    from django import forms

    from insights.study_paper import upload_visibilities

    class RevisedPaperForm(forms.Form):
        file = forms.FileField(
            label=_("Revised paper"), help_text=_("The editors' version, as a Word document (DOCX) or a PDF.")
        )
        visibility = forms.ChoiceField(
            label=_("Who may see it"), choices=upload_visibilities(), initial="network"
        )

    return RevisedPaperForm(*args, **kwargs)


class StudyPaperView(LoginRequiredMixin, View):
    """A delivered workshop's study paper: compile a draft (a job with a progress bar), download it,
    upload the editors' revised version into the knowledge base, recommend it to PICARD."""

    def get(self, request, pk):
        from insights import study_paper

        activity = _organised_activity(request, pk)
        drafts = list(study_paper.user_drafts(request.user, activity)[:5])
        papers = list(study_paper.study_papers(request.user, activity))
        return render(
            request,
            "insights/study_paper.html",
            {
                "activity": activity,
                "delivered": activity.status in study_paper.DELIVERED,
                "job": drafts[0] if drafts else None,
                "drafts": drafts,
                "papers": [(paper, study_paper.may_recommend(request.user, paper)) for paper in papers],
                "uploads": study_paper.revised_uploads(request.user, activity),
                "form": _revised_paper_form(),
                "mark": study_paper.editors_mark(),
            },
        )


class StudyPaperCompileView(LoginRequiredMixin, View):
    def post(self, request, pk):
        from django.utils.translation import get_language

        from core.views import service_done
        from insights.study_paper import study_paper_compile

        activity = _organised_activity(request, pk)
        return service_done(
            request,
            lambda: study_paper_compile(user=request.user, activity=activity, language=get_language()),
            ok=_("The study paper is being compiled; this page shows the progress."),
            back=reverse_study_paper(activity),
        )


class StudyPaperUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        from core.views import form_error_back, service_done
        from insights.study_paper import study_paper_upload

        activity = _organised_activity(request, pk)
        back = reverse_study_paper(activity)
        form = _revised_paper_form(request.POST, request.FILES)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: study_paper_upload(
                user=request.user,
                activity=activity,
                upload=form.cleaned_data["file"],
                visibility=form.cleaned_data["visibility"],
            ),
            ok=_("The revised paper is being added to the knowledge base; it appears below once processed."),
            back=back,
        )


class StudyPaperFileView(LoginRequiredMixin, View):
    """A compiled draft's Word or PDF file, for the user who compiled it while they organise the workshop."""

    def get(self, request, job_pk, fmt):
        from django.http import FileResponse, Http404

        from core.permissions import Action, get_scoped_object
        from insights.study_paper import KIND, draft_file
        from jobs.models import Job

        job = get_scoped_object(Job.objects.filter(kind=KIND), request.user, Action.VIEW, pk=job_pk)
        try:
            stored, name = draft_file(user=request.user, job=job, fmt=fmt)
        except ValidationError as error:
            raise Http404(" ".join(error.messages)) from None
        from django.core.files.storage import default_storage

        types = {
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "pdf": "application/pdf",
        }
        return FileResponse(
            default_storage.open(stored, "rb"), as_attachment=True, filename=name, content_type=types[fmt]
        )


def reverse_study_paper(activity) -> str:
    from django.urls import reverse

    return reverse("insights:study_paper", args=[activity.pk])
