"""Results pages: a programme's results framework with each indicator's years, an indicator with its
targets and actuals (and the rows behind a computed value), the forms of the lead office, and the
strategic objectives with what serves them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from activities.models import Activity, Programme
from core.permissions import Action, can, get_scoped_object
from core.views import error_text, form_error_back, service_done
from results import forms, services
from results.measures import MEASURES, rows
from results.models import Indicator, Level, Result, Risk, StrategicObjective

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
                _add_errors(form, error)
            except PermissionDenied as error:
                raise PermissionDenied(str(error)) from None
            else:
                messages.success(request, _("Result added."))
                return redirect(result)
        return self.page(request, programme, form, status=400)

    def page(self, request, programme, form, status=200):
        context = {"programme": programme, "form": form, "title": _("Add a result")}
        return render(request, "results/form.html", context, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
                _add_errors(form, error)
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
            "value": services.computed_value(indicator, year),
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
        activities = Activity.objects.restrict(user).filter(
            pk__in=Activity.objects.filter(strategic_objectives=objective).values("pk")
        ) | Activity.objects.restrict(user).filter(project__programme__strategic_objectives=objective)
        by_year = list(
            activities.exclude(start_date=None)
            .values("start_date__year")
            .annotate(n=Count("pk", distinct=True))
            .order_by("start_date__year")
        )
        by_status = list(activities.values("status").annotate(n=Count("pk", distinct=True)).order_by("-n"))
        context = {
            "objective": objective,
            "programmes": programmes,
            "by_year": [(row["start_date__year"], row["n"]) for row in by_year],
            "by_status": [
                (Activity(status=row["status"]).get_status_display(), row["n"]) for row in by_status
            ],
            "total": activities.distinct().count(),
            "recent": list(
                activities.distinct().select_related("lead_office").order_by("-start_date", "pk")[:20]
            ),
        }
        return render(request, "results/objective_detail.html", context)
