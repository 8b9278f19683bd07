"""Results pages: a programme's results framework with each indicator's years, an indicator with its
targets and actuals (and the rows behind a computed value), the forms of the lead office, and the
strategic objectives with what serves them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from activities.models import Activity, Programme
from core.permissions import Action, can, get_scoped_object
from core.views import add_service_errors, error_text, form_error_back, service_done
from results import evaluations, forms, reports, services
from results.measures import MEASURES, computed_value, rows
from results.models import (
    Indicator,
    Level,
    ProgressReport,
    ReportStatus,
    Result,
    Risk,
    StrategicObjective,
)

ROW_LIMIT = 500


def _programme(request, pk) -> Programme:
    """A programme whose results the user may see: one they may view, or one with published results."""
    programme = Programme.objects.select_related("lead_office__region").filter(pk=pk).first()
    if programme is None:
        raise Http404(_("No programme found."))
    if (
        can(request.user, Action.VIEW, programme)
        or Result.objects.restrict(request.user).filter(programme=programme).exists()
    ):
        return programme
    raise Http404(_("No programme found."))


def _may_edit(user, programme) -> bool:
    return services.allowed_as_edited(user, Action.ADD, Result(programme=programme))


def _indicator(request, pk) -> Indicator:
    return get_scoped_object(
        Indicator.objects.select_related("result__programme__lead_office", "measure_topic"),
        request.user,
        Action.VIEW,
        pk=pk,
    )


class ProgrammeResultsView(View):
    def get(self, request, pk):
        programme = _programme(request, pk)
        user = request.user
        years = services.framework_years(programme)
        indicators = (
            Indicator.objects.restrict(user).prefetch_related("targets", "actuals").order_by("position", "pk")
        )
        results = list(
            Result.objects.restrict(user)
            .filter(programme=programme)
            .prefetch_related(Prefetch("indicators", indicators, to_attr="visible_indicators"))
            .order_by("position", "pk")
        )
        for result in results:
            for indicator in result.visible_indicators:
                indicator.result = result
                indicator.years = services.indicator_years(indicator, years)
        by_parent: dict = {}
        for result in results:
            by_parent.setdefault(result.parent_id, []).append(result)
        ordered = []

        def walk(parent_id, depth):
            for result in by_parent.get(parent_id, []):
                result.depth = depth
                ordered.append(result)
                walk(result.pk, depth + 1)

        walk(None, 0)
        shown = {result.pk for result in ordered}
        ordered += [result for result in results if result.pk not in shown]  # parents the user may not see
        context = {
            "programme": programme,
            "results": ordered,
            "years": years,
            "may_edit": _may_edit(user, programme),
            "risks": list(Risk.objects.restrict(user).filter(programme=programme).select_related("owner")),
            "objectives": list(programme.strategic_objectives.all()),
            **evaluations.programme_panel(user, programme),
        }
        return render(request, "results/programme_results.html", context)


class ResultAddView(LoginRequiredMixin, View):
    def get(self, request, pk):
        programme = _programme(request, pk)
        if not _may_edit(request.user, programme):
            raise PermissionDenied(_("The programme's lead office writes its results framework."))
        form = forms.ResultForm(
            user=request.user, programme=programme, initial={"level": request.GET.get("level", Level.OUTCOME)}
        )
        return self.page(request, programme, form)

    def post(self, request, pk):
        programme = _programme(request, pk)
        form = forms.ResultForm(request.POST, user=request.user, programme=programme)
        if form.is_valid():
            try:
                result = services.result_save(user=request.user, programme=programme, data=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                raise PermissionDenied(str(error)) from None
            else:
                messages.success(request, _("Result added."))
                return redirect(result)
        return self.page(request, programme, form, status=400)

    def page(self, request, programme, form, status=200):
        context = {"programme": programme, "form": form, "title": _("Add a result")}
        return render(request, "results/form.html", context, status=status)


class IndicatorAddView(LoginRequiredMixin, View):
    def _result(self, request, pk) -> Result:
        result = get_scoped_object(
            Result.objects.select_related("programme"), request.user, Action.VIEW, pk=pk
        )
        if not can(request.user, Action.CHANGE, result):
            raise PermissionDenied(_("The programme's lead office writes its results framework."))
        return result

    def get(self, request, pk):
        result = self._result(request, pk)
        return self.page(request, result, forms.IndicatorForm(user=request.user))

    def post(self, request, pk):
        result = self._result(request, pk)
        form = forms.IndicatorForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                indicator = services.indicator_save(user=request.user, result=result, data=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Indicator added."))
                return redirect(indicator)
        return self.page(request, result, form, status=400)

    def page(self, request, result, form, status=200):
        context = {
            "programme": result.programme,
            "form": form,
            "title": _("Add an indicator"),
            "result": result,
        }
        return render(request, "results/form.html", context, status=status)


class IndicatorDetailView(View):
    def get(self, request, pk):
        indicator = _indicator(request, pk)
        programme = indicator.result.programme
        years = services.framework_years(programme)
        may_change = can(request.user, Action.CHANGE, indicator)
        context = {
            "indicator": indicator,
            "programme": programme,
            "measure": MEASURES.get(indicator.measure),
            "years": services.indicator_years(indicator, years),
            "may_change": may_change,
        }
        if may_change:
            context["target_form"] = forms.TargetForm(auto_id="id_target_%s")
            if not indicator.measure:
                context["actual_form"] = forms.ActualForm(
                    user=request.user, programme=programme, auto_id="id_actual_%s"
                )
        return render(request, "results/indicator_detail.html", context)


class TargetSetView(LoginRequiredMixin, View):
    def post(self, request, pk):
        indicator = _indicator(request, pk)
        back = indicator.get_absolute_url()
        form = forms.TargetForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.target_set(
                user=request.user,
                indicator=indicator,
                year=form.cleaned_data["year"],
                value=form.cleaned_data["value"],
            ),
            ok=_("Target saved."),
            back=back,
        )


class ActualRecordView(LoginRequiredMixin, View):
    def post(self, request, pk):
        indicator = _indicator(request, pk)
        back = indicator.get_absolute_url()
        form = forms.ActualForm(request.POST, user=request.user, programme=indicator.result.programme)
        if not form.is_valid():
            return form_error_back(request, form, back)
        data = form.cleaned_data
        return service_done(
            request,
            lambda: services.actual_record(
                user=request.user,
                indicator=indicator,
                year=data["year"],
                value=data["value"],
                note=data["note"],
                document=data["evidence_document"],
                activity=data["evidence_activity"],
            ),
            ok=_("Actual recorded."),
            back=back,
        )


class IndicatorRowsView(View):
    """The rows a computed value counts, for a year, as the user may see them."""

    def get(self, request, pk):
        from core.filtersets import year_from_text

        indicator = _indicator(request, pk)
        if not indicator.measure:
            raise Http404(_("This indicator is recorded by hand."))
        try:
            year = year_from_text(request.GET.get("year", ""))
        except ValidationError as error:
            return render(
                request, "results/rows.html", {"indicator": indicator, "error": error_text(error)}, status=400
            )
        kind, queryset = rows(indicator, year, request.user)
        if kind == "participations":
            queryset = queryset.select_related("person", "member", "activity").order_by(
                "activity__start_date", "pk"
            )
        else:
            queryset = queryset.select_related("lead_office").order_by("start_date", "pk")
        listed = list(queryset[:ROW_LIMIT])
        context = {
            "indicator": indicator,
            "year": year,
            "kind": kind,
            "rows": listed,
            "value": computed_value(indicator, year),
            "total": len(listed),
            "truncated": len(listed) == ROW_LIMIT,
        }
        return render(request, "results/rows.html", context)


class ObjectiveListView(View):
    def get(self, request):
        objectives = StrategicObjective.objects.annotate(
            programme_count=Count("programmes", distinct=True),
            activity_count=Count("activities", distinct=True),
        )
        return render(request, "results/objective_list.html", {"objectives": list(objectives)})


class ObjectiveDetailView(View):
    """A strategic objective's dashboard: the programmes and activities that serve it (the
    programmes' activities included), by year and status, inside what the user may see."""

    def get(self, request, code):
        objective = StrategicObjective.objects.filter(code=str(code)[:40]).first()
        if objective is None:
            raise Http404(_("No strategic objective found."))
        user = request.user
        programmes = list(
            Programme.objects.restrict(user)
            .filter(strategic_objectives=objective)
            .select_related("lead_office")
        )
        # Linked themselves, or through their programme: two subqueries, no join that repeats rows.
        linked = StrategicObjective.activities.through.objects.filter(strategicobjective=objective)
        serving = StrategicObjective.programmes.through.objects.filter(strategicobjective=objective)
        activities = Activity.objects.restrict(user).filter(
            Q(pk__in=linked.values("activity")) | Q(project__programme__in=serving.values("programme"))
        )
        by_year = list(
            activities.exclude(start_date=None)
            .values("start_date__year")
            .annotate(n=Count("pk"))
            .order_by("start_date__year")
        )
        by_status = list(activities.values("status").annotate(n=Count("pk")).order_by("-n"))
        context = {
            "objective": objective,
            "programmes": programmes,
            "by_year": [(row["start_date__year"], row["n"]) for row in by_year],
            "by_status": [
                (Activity(status=row["status"]).get_status_display(), row["n"]) for row in by_status
            ],
            "total": activities.count(),
            "recent": list(
                activities.distinct().select_related("lead_office").order_by("-start_date", "pk")[:20]
            ),
        }
        return render(request, "results/objective_detail.html", context)


# --- evaluations, management responses and follow-up (results.evaluations) -------------------------


def _evaluation(request, pk, action=Action.VIEW):
    return get_scoped_object(
        evaluations.Evaluation.objects.select_related("programme__lead_office"),
        request.user,
        action,
        pk=pk,
    )


def _recommendation(request, pk):
    """A recommendation the user may change: 404 if they may not see it, 403 if they only read it."""
    return get_scoped_object(
        evaluations.Recommendation.objects.select_related("evaluation__programme"),
        request.user,
        Action.CHANGE,
        pk=pk,
    )


class EvaluationAddView(LoginRequiredMixin, View):
    def get(self, request, pk):
        programme = _programme(request, pk)
        if not evaluations.may_edit(request.user, programme):
            raise PermissionDenied(_("The programme's lead office records its evaluations."))
        return self.page(request, programme, forms.EvaluationForm(user=request.user))

    def post(self, request, pk):
        programme = _programme(request, pk)
        if not evaluations.may_edit(request.user, programme):
            raise PermissionDenied(_("The programme's lead office records its evaluations."))
        form = forms.EvaluationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                evaluation = evaluations.evaluation_save(
                    user=request.user, programme=programme, data=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Evaluation recorded."))
                return redirect(evaluation)
        return self.page(request, programme, form, status=400)

    def page(self, request, programme, form, status=200):
        context = {"programme": programme, "form": form, "title": _("Record an evaluation")}
        return render(request, "results/evaluation_form.html", context, status=status)


class EvaluationEditView(LoginRequiredMixin, View):
    def get(self, request, pk):
        evaluation = _evaluation(request, pk, Action.CHANGE)
        initial = {
            "kind": evaluation.kind,
            "evaluators": list(evaluation.evaluators.all()),
            "terms_of_reference": evaluation.terms_of_reference,
            "findings": evaluation.findings,
            "completed_on": evaluation.completed_on,
        }
        form = forms.EvaluationForm(user=request.user, evaluation=evaluation, initial=initial)
        return self.page(request, evaluation, form)

    def post(self, request, pk):
        evaluation = _evaluation(request, pk, Action.CHANGE)
        form = forms.EvaluationForm(request.POST, user=request.user, evaluation=evaluation)
        if form.is_valid():
            try:
                evaluations.evaluation_save(
                    user=request.user,
                    programme=evaluation.programme,
                    data=form.cleaned_data,
                    evaluation=evaluation,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Evaluation saved."))
                return redirect(evaluation)
        return self.page(request, evaluation, form, status=400)

    def page(self, request, evaluation, form, status=200):
        context = {
            "programme": evaluation.programme,
            "evaluation": evaluation,
            "form": form,
            "title": _("Edit the evaluation"),
        }
        return render(request, "results/evaluation_form.html", context, status=status)


class EvaluationDetailView(View):
    """An evaluation: its terms of reference, findings, evaluators, and each recommendation with its
    management response and follow-up actions; the forms of those who may use them."""

    def get(self, request, pk):
        evaluation = _evaluation(request, pk)
        user = request.user
        may_change = can(user, Action.CHANGE, evaluation)
        recommendations = list(
            evaluation.recommendations.prefetch_related(
                Prefetch(
                    "actions",
                    evaluations.FollowUpAction.objects.prefetch_related("owners").order_by("due_on", "pk"),
                )
            )
        )
        owned = set(
            evaluations.FollowUpAction.objects.filter(
                evaluations.owned(user), recommendation__evaluation=evaluation
            ).values_list("pk", flat=True)
        )
        for recommendation in recommendations:
            recommendation.action_rows = evaluations.overdue_first(recommendation.actions.all())
            recommendation.takes_actions = recommendation.response in (
                evaluations.Response.ACCEPTED,
                evaluations.Response.PARTLY,
            )
            for action in recommendation.action_rows:
                action.may_progress = may_change or action.pk in owned
                if action.may_progress:
                    action.progress_form = forms.ProgressForm(
                        initial={"status": action.status, "reason": action.reason},
                        auto_id=f"id_action{action.pk}_%s",
                    )
            if may_change:
                recommendation.response_form = forms.ResponseForm(
                    initial={
                        "response": recommendation.response,
                        "response_text": recommendation.response_text,
                    },
                    auto_id=f"id_response{recommendation.pk}_%s",
                )
                recommendation.edit_form = forms.RecommendationForm(
                    initial={"text": recommendation.text}, auto_id=f"id_recommendation{recommendation.pk}_%s"
                )
                if recommendation.takes_actions:
                    recommendation.follow_up_form = forms.FollowUpForm(
                        user=user, auto_id=f"id_follow{recommendation.pk}_%s"
                    )
        evaluators, others = evaluations.evaluators_shown(user, evaluation)
        context = {
            "evaluation": evaluation,
            "programme": evaluation.programme,
            "recommendations": recommendations,
            "evaluators": evaluators,
            "other_evaluators": others,
            "may_change": may_change,
        }
        if may_change:
            context["recommendation_form"] = forms.RecommendationForm(auto_id="id_new_%s")
        return render(request, "results/evaluation_detail.html", context)


class RecommendationAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        evaluation = _evaluation(request, pk, Action.CHANGE)
        back = evaluation.get_absolute_url()
        form = forms.RecommendationForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: evaluations.recommendation_save(
                user=request.user, evaluation=evaluation, data=form.cleaned_data
            ),
            ok=_("Recommendation added."),
            back=back,
        )


class RecommendationEditView(LoginRequiredMixin, View):
    def post(self, request, pk):
        recommendation = _recommendation(request, pk)
        back = recommendation.get_absolute_url()
        form = forms.RecommendationForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: evaluations.recommendation_save(
                user=request.user,
                evaluation=recommendation.evaluation,
                data=form.cleaned_data,
                recommendation=recommendation,
            ),
            ok=_("Recommendation saved."),
            back=back,
        )


class ResponseRecordView(LoginRequiredMixin, View):
    def post(self, request, pk):
        recommendation = _recommendation(request, pk)
        back = recommendation.get_absolute_url()
        form = forms.ResponseForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: evaluations.response_record(
                user=request.user,
                recommendation=recommendation,
                response=form.cleaned_data["response"],
                text=form.cleaned_data["response_text"],
            ),
            ok=_("Management response recorded."),
            back=back,
        )


class FollowUpAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        recommendation = _recommendation(request, pk)
        back = recommendation.get_absolute_url()
        form = forms.FollowUpForm(request.POST, user=request.user)
        if not form.is_valid():
            return form_error_back(request, form, back)
        data = form.cleaned_data
        return service_done(
            request,
            lambda: evaluations.follow_up_add(
                user=request.user,
                recommendation=recommendation,
                what=data["what"],
                owners=list(data["owners"]),
                due_on=data["due_on"],
            ),
            ok=_("Follow-up action added."),
            back=back,
        )


class FollowUpProgressView(LoginRequiredMixin, View):
    """The lead office, or an owner office of the action, moves its status."""

    def post(self, request, pk):
        from django.urls import reverse

        try:
            action = (
                evaluations.reachable_actions(request.user)
                .select_related("recommendation__evaluation")
                .get(pk=pk)
            )
        except (evaluations.FollowUpAction.DoesNotExist, ValueError, OverflowError):
            raise Http404(_("No follow-up action found.")) from None
        if not evaluations.may_progress(request.user, action):
            raise PermissionDenied(_("The lead office and the action's owner offices update its status."))
        if request.POST.get("from") == "follow-up" or not can(
            request.user, Action.VIEW, action.recommendation.evaluation
        ):
            back = reverse("results:our_follow_up") + f"#follow-up-{action.pk}"
        else:
            back = action.get_absolute_url()
        form = forms.ProgressForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: evaluations.follow_up_progress(
                user=request.user,
                action=action,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            ),
            ok=_("Follow-up action updated."),
            back=back,
        )


class OurFollowUpView(LoginRequiredMixin, View):
    """The open follow-up actions of evaluations that the user's office owns, overdue first."""

    def get(self, request):
        rows = evaluations.our_follow_up(request.user)
        readable = set(
            evaluations.Evaluation.objects.restrict(request.user)
            .filter(pk__in={row.recommendation.evaluation_id for row in rows})
            .values_list("pk", flat=True)
        )
        for row in rows:
            row.evaluation_readable = row.recommendation.evaluation_id in readable
            row.progress_form = forms.ProgressForm(
                initial={"status": row.status, "reason": row.reason}, auto_id=f"id_action{row.pk}_%s"
            )
        return render(request, "results/evaluation_follow_up.html", {"actions": rows})


# --- progress reports and the risk log (results.reports) -------------------------------------------


def _report(request, pk) -> ProgressReport:
    return get_scoped_object(
        ProgressReport.objects.select_related(
            "programme__lead_office__region", "submitted_by__office", "approved_by__office"
        ),
        request.user,
        Action.VIEW,
        pk=pk,
    )


def _may_add_report(user, programme) -> bool:
    return services.allowed_as_edited(user, Action.ADD, ProgressReport(programme=programme))


class ReportListView(LoginRequiredMixin, View):
    """A programme's progress reports the user may read, and the form that drafts one."""

    def get(self, request, pk):
        programme = _programme(request, pk)
        return self.page(
            request, programme, forms.ReportCreateForm(initial={"year": _default_year(programme)})
        )

    def post(self, request, pk):
        programme = _programme(request, pk)
        if not _may_add_report(request.user, programme):
            raise PermissionDenied(_("The programme's lead office drafts its progress reports."))
        form = forms.ReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = reports.report_create(
                    user=request.user,
                    programme=programme,
                    year=form.cleaned_data["year"],
                    quarter=form.cleaned_data["quarter"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Progress report drafted."))
                return redirect(report)
        return self.page(request, programme, form, status=400)

    def page(self, request, programme, form, status=200):
        context = {
            "programme": programme,
            "reports": list(
                ProgressReport.objects.restrict(request.user)
                .filter(programme=programme)
                .select_related("programme")
            ),
            "form": form if _may_add_report(request.user, programme) else None,
        }
        return render(request, "results/report_list.html", context, status=status)


def _default_year(programme) -> int:
    from django.utils import timezone

    year = timezone.localdate().year
    span = services.programme_years(programme)
    return min(max(year, span[0]), span[1]) if span else year


class ReportDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from core.i18n import localised

        report = _report(request, pk)
        user = request.user
        contents = reports.report_contents(report)
        editable = reports.may_edit(user, report)
        indicators = [
            {
                **row,
                "result": f"{row['code']} {localised(row['result_en'], row['result_fr'])}".strip(),
                "title": localised(row["title_en"], row["title_fr"]),
                "status_text": reports.status_label(row["status"]),
            }
            for row in contents["indicators"]
        ]
        risks = [
            {
                **risk,
                "owner_label": localised(risk["owner"], risk["owner_fr"]),
                "status_text": reports.risk_status_label(risk["status"]),
                "edit_url": (
                    reverse("results:risk_edit", args=[risk["id"]]) + f"?report={report.pk}"
                    if editable
                    else ""
                ),
            }
            for risk in contents["risks"]
        ]
        job = reports.report_job(report) if report.status == ReportStatus.APPROVED else None
        context = {
            "report": report,
            "programme": report.programme,
            "period": reports.period_label(report),
            "contents": contents,
            "indicators": indicators,
            "risks": risks,
            "budget_rows": reports.budget_rows(contents),
            "budget_note": reports.budget_note(contents),
            "editable": editable,
            "may_approve": report.status == ReportStatus.SUBMITTED and reports.may_approve(user, report),
            "job": job,
            "job_is_mine": job is not None and job.created_by_id == user.pk,
            "may_generate": report.status == ReportStatus.APPROVED
            and can(user, Action.CHANGE, report)
            and (job is None or job.status == "failed" or (job.is_finished and not report.pdf)),
        }
        if editable:
            context["narrative_form"] = forms.NarrativeForm(initial={"narrative": report.narrative})
        if context["may_approve"]:
            context["return_form"] = forms.ReturnForm()
        return render(request, "results/report_detail.html", context)


class ReportNarrativeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = _report(request, pk)
        form = forms.NarrativeForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, report.get_absolute_url())
        return service_done(
            request,
            lambda: reports.report_update(
                user=request.user, report=report, narrative=form.cleaned_data["narrative"]
            ),
            ok=_("Narrative saved."),
            back=report.get_absolute_url(),
        )


class ReportSubmitView(LoginRequiredMixin, View):
    """Submits the report, saving the narrative first when the form sends one."""

    def post(self, request, pk):
        report = _report(request, pk)
        back = report.get_absolute_url()
        if "narrative" in request.POST:
            form = forms.NarrativeForm(request.POST)
            if not form.is_valid():
                return form_error_back(request, form, back)

            def submit():
                with transaction.atomic():
                    saved = reports.report_update(
                        user=request.user, report=report, narrative=form.cleaned_data["narrative"]
                    )
                    reports.report_submit(user=request.user, report=saved)

        else:

            def submit():
                reports.report_submit(user=request.user, report=report)

        return service_done(request, submit, ok=_("Report submitted for approval."), back=back)


class ReportApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = _report(request, pk)
        return service_done(
            request,
            lambda: reports.report_approve(user=request.user, report=report),
            ok=_("Report approved; its Word and PDF documents are being written."),
            back=report.get_absolute_url(),
        )


class ReportReturnView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = _report(request, pk)
        form = forms.ReturnForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, report.get_absolute_url())
        return service_done(
            request,
            lambda: reports.report_return(
                user=request.user, report=report, comments=form.cleaned_data["comments"]
            ),
            ok=_("Report returned to the lead office with your comments."),
            back=report.get_absolute_url(),
        )


class ReportGenerateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = _report(request, pk)
        return service_done(
            request,
            lambda: reports.report_generate(user=request.user, report=report),
            ok=_("The documents are being written."),
            back=report.get_absolute_url(),
        )


class ReportFileView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt):
        report = _report(request, pk)
        stored = {"docx": report.docx, "pdf": report.pdf}.get(fmt)
        if not stored:
            raise Http404(_("This report has no such file yet."))
        try:
            handle = stored.open("rb")
        except FileNotFoundError:
            raise Http404(_("This report has no such file yet.")) from None
        return FileResponse(handle, as_attachment=True, filename=reports.file_name(report, fmt))


def _back_to_report(request, programme) -> str | None:
    """The report page a risk form was opened from (`?report=`), if the user may read it."""
    value = request.GET.get("report", "")
    if not (value.isdigit() and len(value) < 12):
        return None
    report = ProgressReport.objects.restrict(request.user).filter(pk=int(value), programme=programme).first()
    return report.get_absolute_url() if report else None


class RiskAddView(LoginRequiredMixin, View):
    def _programme(self, request, pk):
        programme = _programme(request, pk)
        if not services.allowed_as_edited(request.user, Action.ADD, Risk(programme=programme)):
            raise PermissionDenied(_("The programme's lead office keeps its risk log."))
        return programme

    def get(self, request, pk):
        programme = self._programme(request, pk)
        form = forms.RiskForm(user=request.user, initial={"owner": programme.lead_office_id})
        return self.page(request, programme, form)

    def post(self, request, pk):
        programme = self._programme(request, pk)
        form = forms.RiskForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                risk = reports.risk_save(user=request.user, programme=programme, data=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Risk added to the log."))
                return redirect(_back_to_report(request, programme) or risk.get_absolute_url())
        return self.page(request, programme, form, status=400)

    def page(self, request, programme, form, status=200):
        context = {"programme": programme, "form": form, "title": _("Add a risk")}
        return render(request, "results/form.html", context, status=status)


class RiskEditView(LoginRequiredMixin, View):
    def _risk(self, request, pk) -> Risk:
        return get_scoped_object(
            Risk.objects.select_related("programme__lead_office", "owner"), request.user, Action.CHANGE, pk=pk
        )

    def get(self, request, pk):
        risk = self._risk(request, pk)
        initial = {key: getattr(risk, key) for key in reports.RISK_FIELDS}
        return self.page(request, risk, forms.RiskForm(user=request.user, initial=initial))

    def post(self, request, pk):
        risk = self._risk(request, pk)
        form = forms.RiskForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                reports.risk_save(
                    user=request.user, programme=risk.programme, data=form.cleaned_data, risk=risk
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Risk saved."))
                return redirect(_back_to_report(request, risk.programme) or risk.get_absolute_url())
        return self.page(request, risk, form, status=400)

    def page(self, request, risk, form, status=200):
        context = {"programme": risk.programme, "form": form, "title": _("Edit a risk")}
        return render(request, "results/form.html", context, status=status)
