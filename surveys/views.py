"""Questionnaires' pages: the list and builder, XLSForm import and export, waves attached to
activities or regions with their links and results, the respondent's page (a personal link, no
account), the activity's panel export and the region's ranked needs. Every write goes through
surveys.services."""

from __future__ import annotations

import json
import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_protect

from activities.models import Activity
from activities.views import _errors
from core.filtersets import year_from_text
from core.permissions import Action, can, can_add_any, get_scoped_object, is_secretariat
from core.tables import Column
from core.views import ObjectDetailView, ObjectListView
from network.models import Member, Region
from surveys import definition as spec
from surveys import exports, forms, results, services
from surveys.filtersets import BankFilterSet, QuestionnaireFilterSet, WaveFilterSet
from surveys.models import (
    BankQuestion,
    Invitation,
    Need,
    Questionnaire,
    Response,
    ResponseStatus,
    Wave,
)
from surveys.needs import regional_needs


def _language(request) -> str:
    return (translation.get_language() or "en")[:2]


def may_change_questionnaire(user, questionnaire: Questionnaire) -> bool:
    if questionnaire.is_template:
        return is_secretariat(user)
    return can(user, Action.CHANGE, questionnaire)


# --- questionnaires ----------------------------------------------------------------------------


class QuestionnaireListView(LoginRequiredMixin, ObjectListView):
    queryset = Questionnaire.objects.select_related("owner_office")
    filterset_class = QuestionnaireFilterSet
    export_name = "questionnaires"
    columns = [
        Column(gettext_lazy("Questionnaire"), "__str__"),
        Column(gettext_lazy("Code"), "code"),
        Column(gettext_lazy("Purpose"), "purpose"),
        Column(gettext_lazy("Template"), "is_template"),
        Column(gettext_lazy("Office"), "owner_office"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = [(_("Waves"), reverse("surveys:wave_list")), (_("Question bank"), reverse("surveys:bank"))]
        if can_add_any(self.request.user, Questionnaire):
            actions.append((_("Import an XLSForm"), reverse("surveys:import")))
        if can_add_any(self.request.user, Wave):
            actions.append((_("Yearly needs survey"), reverse("surveys:wave_add")))
        if Need.objects.restrict(self.request.user).exists() or is_secretariat(self.request.user):
            actions.append((_("Regional needs"), reverse("surveys:needs")))
        context["extra_actions"] = actions
        return context


class QuestionnaireDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = Questionnaire.objects.select_related("owner_office")
    template_name = "surveys/questionnaire_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questionnaire = self.object
        versions = list(questionnaire.versions.order_by("-number"))
        current = versions[0]
        language = _language(self.request)
        context.update(
            version=current,
            versions=versions,
            language=language,
            sections=_sections_for_display(current.definition, language),
            may_change=may_change_questionnaire(self.request.user, questionnaire),
            may_copy=can_add_any(self.request.user, Questionnaire),
            waves=Wave.objects.restrict(self.request.user)
            .filter(questionnaire=questionnaire)
            .select_related("activity", "region")[:50],
            question_form=forms.QuestionForm(),
        )
        return context


def _sections_for_display(definition: dict, language: str) -> list[dict]:
    return [
        {
            "code": section["code"] if "code" in section else "",
            "title": spec.text_in(section.get("title"), language),
            "questions": [
                {
                    "code": question["code"],
                    "kind": question["kind"],
                    "label": spec.text_in(question["label"], language),
                    "help": spec.text_in(question.get("help"), language),
                    "required": question.get("required"),
                    "options": [
                        (spec.text_in(option["label"], language), option.get("correct", False))
                        for option in question.get("choices", []) + question.get("rows", [])
                    ],
                    "show_if": question.get("show_if"),
                }
                for question in section["questions"]
            ],
        }
        for section in definition["sections"]
    ]


class QuestionnaireCopyView(LoginRequiredMixin, View):
    def post(self, request, pk):
        questionnaire = get_scoped_object(Questionnaire.objects.all(), request.user, Action.VIEW, pk=pk)
        form = forms.CopyForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(ValidationError(form.errors)))
            return redirect(questionnaire)
        try:
            copied = services.questionnaire_copy(
                user=request.user, questionnaire=questionnaire, code=form.cleaned_data["code"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
            return redirect(questionnaire)
        messages.success(request, _("Your copy is ready to change."))
        return redirect(copied)


class QuestionnaireXLSFormView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from surveys.xlsform import definition_to_xlsform
        from topics.models import Topic

        questionnaire = get_scoped_object(Questionnaire.objects.all(), request.user, Action.VIEW, pk=pk)
        content = definition_to_xlsform(
            definition=services.current_version(questionnaire).definition,
            title=questionnaire.titles,
            form_id=questionnaire.code,
            topics=[(t.slug, t.label_en, t.label_fr) for t in Topic.objects.all()],
            members=[(m.iso_alpha2, m.name, m.name_fr) for m in Member.objects.all()],
        )
        return HttpResponse(
            content,
            content_type=exports.XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{questionnaire.code}.xlsx"'},
        )


class QuestionnaireImportView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_add_any(request.user, Questionnaire):
            raise PermissionDenied(_("You may not add questionnaires."))
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        return render(self.request, "surveys/import.html", {"form": form}, status=status)

    def get(self, request):
        return self.render(forms.XLSFormImportForm())

    def post(self, request):
        form = forms.XLSFormImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, 400)
        try:
            questionnaire = services.questionnaire_import(
                user=request.user,
                content=form.cleaned_data["file"].read(),
                code=form.cleaned_data["code"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as error:
            form.add_error("code" if "code" in getattr(error, "error_dict", {}) else "file", error.messages)
            return self.render(form, 400)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.render(form, 403)
        messages.success(request, _("Imported %(questionnaire)s.") % {"questionnaire": questionnaire})
        return redirect(questionnaire)


class QuestionEditView(LoginRequiredMixin, View):
    """Add a question, or change one; a questionnaire already answered gets a new version."""

    def setup_objects(self, request, pk, code):
        self.questionnaire = get_scoped_object(Questionnaire.objects.all(), request.user, Action.VIEW, pk=pk)
        if not may_change_questionnaire(request.user, self.questionnaire):
            raise PermissionDenied(_("You may not change this questionnaire; make your own copy."))
        definition = services.current_version(self.questionnaire).definition
        self.section, self.question = "main", None
        for section in definition["sections"]:
            for question in section["questions"]:
                if question["code"] == code:
                    self.section, self.question = section.get("code", "main"), question
        if code and self.question is None:
            raise Http404(_("No such question."))

    def render(self, form, status=200):
        return render(
            self.request,
            "surveys/question_edit.html",
            {"form": form, "questionnaire": self.questionnaire, "question": self.question},
            status=status,
        )

    def get(self, request, pk, code=""):
        self.setup_objects(request, pk, code)
        initial = forms.QuestionForm.initial_for(self.question, self.section) if self.question else None
        return self.render(forms.QuestionForm(initial=initial))

    def post(self, request, pk, code=""):
        self.setup_objects(request, pk, code)
        form = forms.QuestionForm(request.POST)
        if not form.is_valid():
            return self.render(form, 400)
        try:
            version = services.question_save(
                user=request.user,
                questionnaire=self.questionnaire,
                section=form.cleaned_data["section"],
                question=form.question(),
                replacing=code,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.render(form, 400)
        messages.success(
            request, _("Saved; the questionnaire is at version %(number)d.") % {"number": version.number}
        )
        return redirect(self.questionnaire)


class QuestionRemoveView(QuestionEditView):
    def get(self, request, pk, code=""):
        raise Http404

    def post(self, request, pk, code=""):
        self.setup_objects(request, pk, code)
        try:
            services.question_remove(user=request.user, questionnaire=self.questionnaire, code=code)
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect(self.questionnaire)


class BankView(LoginRequiredMixin, ObjectListView):
    queryset = BankQuestion.objects.all()
    filterset_class = BankFilterSet
    columns = [
        Column(gettext_lazy("Code"), "code"),
        Column(gettext_lazy("Type"), "kind"),
        Column(gettext_lazy("Question"), "__str__"),
    ]
    export_name = "question-bank"


class BankQuestionView(LoginRequiredMixin, View):
    """One question of the bank across every questionnaire, language and year that asked it: the
    answers the user may see counted, in one chart, and by year."""

    def get(self, request, code):
        question = get_scoped_object(BankQuestion.objects.all(), request.user, Action.VIEW, code=code[:63])
        language = _language(request)
        wording = services.bank_wording(question.code)
        # The rows the user may read (no anonymous wave's, no donor's): no threshold to mind.
        responses = Response.objects.restrict(request.user).filter(status=ResponseStatus.SUBMITTED)
        summary, years = None, []
        if wording is not None:
            definition = {"sections": [{"code": "bank", "questions": [wording]}]}
            summary = results.question_results(definition, responses, language)[0]
            years = results.respondents_by_year(responses, question.code)
        return render(
            request,
            "surveys/bank_question.html",
            {
                "question": question,
                "wording": wording,
                "summary": summary,
                "years": years,
                "label": spec.text_in(question.labels, language),
            },
        )


# --- waves -------------------------------------------------------------------------------------


class WaveListView(LoginRequiredMixin, ObjectListView):
    queryset = Wave.objects.select_related("questionnaire", "activity", "region")
    filterset_class = WaveFilterSet
    export_name = "questionnaire-waves"
    columns = [
        Column(gettext_lazy("Wave"), "__str__"),
        Column(gettext_lazy("Stage"), "stage"),
        Column(gettext_lazy("Opens on"), "opens_on"),
        Column(gettext_lazy("Closes on"), "closes_on"),
        Column(gettext_lazy("Anonymous"), "anonymous"),
    ]


class WaveAddView(LoginRequiredMixin, View):
    """Attach a questionnaire: `?activity=<id>` for an activity, none for a yearly needs survey."""

    def setup_activity(self, request):
        self.activity = None
        raw = request.GET.get("activity") or request.POST.get("activity") or ""
        if raw:
            if not raw.isdigit() or len(raw) > 12:
                raise Http404(_("No activity found."))
            self.activity = get_scoped_object(
                Activity.objects.all(), request.user, Action.CHANGE, pk=int(raw)
            )
        if not can_add_any(request.user, Wave):
            raise PermissionDenied(_("You may not send questionnaires."))

    def render(self, form, status=200):
        return render(
            self.request, "surveys/wave_add.html", {"form": form, "activity": self.activity}, status=status
        )

    def get(self, request):
        self.setup_activity(request)
        initial = {}
        if self.activity is not None and self.activity.start_date:
            initial["opens_on"] = timezone.localdate()
            initial["closes_on"] = self.activity.start_date
        return self.render(forms.WaveForm(user=request.user, activity=self.activity, initial=initial))

    def post(self, request):
        self.setup_activity(request)
        form = forms.WaveForm(request.POST, user=request.user, activity=self.activity)
        if not form.is_valid():
            return self.render(form, 400)
        data = dict(form.cleaned_data)
        try:
            wave = services.wave_create(user=request.user, activity=self.activity, **data)
        except ValidationError as error:
            for name, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
            return self.render(form, 400)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.render(form, 403)
        messages.success(request, _("The questionnaire is attached. Send it when you are ready."))
        return redirect(wave)


class WaveDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = Wave.objects.select_related("questionnaire", "activity", "region")
    template_name = "surveys/wave_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wave = self.object
        invitations = (
            Invitation.objects.restrict(self.request.user).filter(wave=wave).select_related("member")
        )
        context.update(
            invitations=invitations[:500],
            invitation_count=invitations.count(),
            answered=invitations.filter(completed_at__isnull=False).count(),
            change_form=forms.WaveChangeForm(
                initial={"closes_on": wave.closes_on, "reminder_days": wave.reminder_days}
            ),
            show_names=not wave.anonymous,
        )
        return context


class WaveSendView(LoginRequiredMixin, View):
    def post(self, request, pk):
        wave = get_scoped_object(Wave.objects.all(), request.user, Action.CHANGE, pk=pk)
        try:
            job = services.wave_send(user=request.user, wave=wave)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect(wave)
        messages.success(request, _("The links are being sent (job %(job)d).") % {"job": job.pk})
        return redirect(wave)


class WaveChangeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        wave = get_scoped_object(Wave.objects.all(), request.user, Action.CHANGE, pk=pk)
        form = forms.WaveChangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(ValidationError(form.errors)))
            return redirect(wave)
        try:
            services.wave_update(user=request.user, wave=wave, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect(wave)
        messages.success(request, _("Saved."))
        return redirect(wave)


class WaveResultsView(LoginRequiredMixin, View):
    """Charts and tables per question, filtered by administration, region, gender and role."""

    def get(self, request, pk):
        wave = get_scoped_object(
            Wave.objects.select_related("questionnaire", "activity", "region"),
            request.user,
            Action.VIEW,
            pk=pk,
        )
        language = _language(request)
        filters = results.clean_filters(request.GET)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export(wave, filters, language, export)
        summary = results.wave_results(request.user, wave, filters, language)
        chart = request.GET.get("chart")
        if chart:
            return self.chart_csv(summary, chart)
        return render(
            request,
            "surveys/wave_results.html",
            {
                "wave": wave,
                "summary": summary,
                "filters": filters,
                "members": Member.objects.filter(region=wave.region_id).order_by("name"),
                "regions": Region.objects.order_by("name"),
                "genders": Response._meta.get_field("gender").choices,
                "roles": Response._meta.get_field("role").choices,
                "minimum": results.MIN_CELL,
                # Rows leave only for those who may read them: never a donor; an anonymous wave's
                # organisers once it has 5 responses (checked by the export itself).
                "may_export": request.user.role != "donor"
                and (not wave.anonymous or _organiser(request.user, wave)),
                "query": request.GET.urlencode(),
            },
        )

    def chart_csv(self, summary, code):
        for question in summary.questions:
            if question.code == code:
                rows = list(zip(question.labels, question.values, strict=True))
                return exports.table_response([(question.label, ""), (_("Count"), "")], rows, code, "csv")
        raise Http404(_("No such question."))

    def export(self, wave, filters, language, export):
        if self.request.user.role == "donor":
            raise PermissionDenied(_("Donors see aggregated results only."))
        # Rows, not aggregates: the response grants alone (a focal point's anonymous rows are only
        # ever counted).
        responses = Response.objects.restrict(self.request.user).filter(
            wave=wave, status=ResponseStatus.SUBMITTED, **filters
        )
        if (
            wave.anonymous
            and results.must_suppress(self.request.user, wave)
            and responses.count() < results.MIN_CELL
        ):
            raise PermissionDenied(_("Fewer than 5 responses: an anonymous wave is not exported yet."))
        headings, rows = exports.wave_table(wave, responses, language)
        return exports.table_response(headings, rows, f"responses-{wave.pk}", export)


def _organiser(user, wave) -> bool:
    return can(user, Action.CHANGE, wave)


class ResponseDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = Response.objects.select_related("wave__questionnaire", "person", "member", "version")
    template_name = "surveys/response_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.object
        language = _language(self.request)
        answers = services.answers_of(response)
        context["answers"] = [
            (
                spec.text_in(question["label"], language),
                _shown_value(question, answers.get(question["code"]), language),
            )
            for question in spec.questions(response.version.definition)
            if question["code"] in answers
        ]
        return context


def _shown_value(question, value, language):
    if question["kind"] == "matrix":
        rows = {row["value"]: spec.text_in(row["label"], language) for row in question["rows"]}
        return "; ".join(f"{rows.get(row, row)}: {point}" for row, point in value.items())
    if question["kind"] in ("single", "multiple"):
        values = value if isinstance(value, list) else [value]
        return "; ".join(spec.choice_label(question, item, language) for item in values)
    if isinstance(value, list):
        return "; ".join(value)
    return value


# --- the respondent's page ---------------------------------------------------------------------


@method_decorator(csrf_protect, name="dispatch")
class RespondView(View):
    """A personal link: no account, the token checked on the server at every request."""

    def refused(self, error: services.LinkRefused):
        return render(
            self.request, "surveys/respond_refused.html", {"message": str(error)}, status=error.status
        )

    def language_for(self, invitation, definition) -> str:
        wanted = self.request.GET.get("lang") or self.request.POST.get("lang") or invitation.language
        return wanted if wanted in definition.get("languages", []) else definition["languages"][0]

    def get(self, request, token):
        try:
            invitation = services.invitation_by_token(token)
        except services.LinkRefused as error:
            return self.refused(error)
        services.invitation_mark_opened(invitation)
        response = services.response_for(invitation, token)
        version = response.version if response else services.current_version(invitation.wave.questionnaire)
        language = self.language_for(invitation, version.definition)
        return self.render(invitation, version, language, services.answers_of(response), {}, response)

    def post(self, request, token):
        try:
            invitation = services.invitation_by_token(token)
        except services.LinkRefused as error:
            return self.refused(error)
        version_id = request.POST.get("version", "")
        version_id = int(version_id) if version_id.isdigit() and len(version_id) < 12 else None
        response = services.response_for(invitation, token)
        version = (
            response.version
            if response
            else (
                invitation.wave.questionnaire.versions.filter(pk=version_id).first()
                or services.current_version(invitation.wave.questionnaire)
            )
        )
        language = self.language_for(invitation, version.definition)
        submit = "submit" in request.POST
        raw = forms.raw_answers(version.definition, request.POST)
        try:
            response, errors, repeated = services.response_save(
                token=token,
                raw=raw,
                submit=submit,
                nonce=request.POST.get("nonce", "")[:32],
                language=language,
                version_id=version.pk,
            )
        except services.LinkRefused as error:
            return self.refused(error)
        with translation.override(language):
            if repeated:
                messages.info(request, _("Your answers had already been received."))
            elif errors:
                messages.error(request, _("Some answers need your attention; the others are saved."))
            elif submit:
                messages.success(
                    request,
                    _(
                        "Thank you: your answers are received. "
                        "You may change them until the questionnaire closes."
                    ),
                )
            else:
                messages.success(request, _("Saved. Come back to this link to go on."))
        if errors:
            # Show what was typed, the invalid values included, beside the messages.
            return self.render(invitation, response.version, language, raw, errors, response, status=400)
        return redirect(reverse("surveys:respond", args=[token]) + f"?lang={language}")

    def render(self, invitation, version, language, answers, errors, response, status=200):
        with translation.override(language):
            context = {
                "invitation": invitation,
                "wave": invitation.wave,
                "version": version,
                "language": language,
                "languages": version.definition.get("languages", ["en"]),
                "sections": _respondent_sections(version.definition, language, answers, errors),
                "errors": errors,
                "response": response,
                "submitted": response is not None and response.status == ResponseStatus.SUBMITTED,
                "nonce": secrets.token_hex(16),
                "title": spec.text_in(invitation.wave.questionnaire.titles, language),
            }
            page = render(self.request, "surveys/respond.html", context, status=status)
        page["Cache-Control"] = "no-store"  # a personal page: no shared cache keeps it
        # The token stays out of other sites' logs ("no-referrer" would send `Origin: null` with the
        # form, which the CSRF check refuses).
        page["Referrer-Policy"] = "same-origin"
        return page


def _respondent_sections(definition: dict, language: str, answers: dict, errors: dict) -> list[dict]:
    from topics.models import Topic

    needs_topics = any(q["kind"] == "topic" for q in spec.questions(definition))
    needs_members = any(q["kind"] == "member" for q in spec.questions(definition))
    topics = [(t.slug, t.label) for t in Topic.objects.order_by("position", "slug")] if needs_topics else []
    members = [(m.iso_alpha2, m.label) for m in Member.objects.order_by("name")] if needs_members else []
    sections = []
    for section in definition["sections"]:
        items = []
        for question in section["questions"]:
            kind = question["kind"]
            value = answers.get(question["code"])
            options = [(o["value"], spec.text_in(o["label"], language)) for o in question.get("choices", [])]
            if kind == "topic":
                options = topics
            elif kind == "member":
                options = members
            scale = question.get("scale") or {}
            items.append(
                {
                    "code": question["code"],
                    "kind": kind,
                    "label": spec.text_in(question["label"], language),
                    "help": spec.text_in(question.get("help"), language),
                    "required": question.get("required", False),
                    "options": options,
                    "many": kind == "multiple" or (kind == "topic" and question.get("many")),
                    "points": [str(p) for p in range(scale.get("min", 1), scale.get("max", 5) + 1)]
                    if scale
                    else [],
                    "min_label": spec.text_in(scale.get("min_label"), language),
                    "max_label": spec.text_in(scale.get("max_label"), language),
                    "rows": [
                        (
                            row["value"],
                            spec.text_in(row["label"], language),
                            str((value or {}).get(row["value"], "")),
                        )
                        for row in question.get("rows", [])
                    ],
                    "value": value if isinstance(value, list) else ("" if value is None else str(value)),
                    "values": [str(item) for item in value]
                    if isinstance(value, list)
                    else [str(value)]
                    if value not in (None, "")
                    else [],
                    "error": errors.get(question["code"], ""),
                    "show_if": json.dumps(question["show_if"]) if question.get("show_if") else "",
                }
            )
        sections.append({"title": spec.text_in(section.get("title"), language), "questions": items})
    return sections


# --- an activity's panel, a region's needs ------------------------------------------------------


class ActivityPanelView(LoginRequiredMixin, View):
    """One row per person across the activity's waves (needs, pre-test, post-test, reaction, follow-up)."""

    def get(self, request, pk):
        activity = get_scoped_object(Activity.objects.all(), request.user, Action.VIEW, pk=pk)
        export = request.GET.get("export") if request.GET.get("export") in ("csv", "xlsx") else "csv"
        headings, rows = exports.activity_panel(request.user, activity, _language(request))
        return exports.table_response(headings, rows, f"panel-{activity.pk}", export)


class NeedsView(LoginRequiredMixin, View):
    """A region's ranked needs over the years chosen, with their trend, and "plan from needs"."""

    def get(self, request):
        needs = Need.objects.restrict(request.user)
        regions = Region.objects.filter(pk__in=self.visible_regions(request.user)).order_by("name")
        region, year_from, year_to, error = self.choice(request, regions)
        rows = []
        if region is not None and not error:
            rows = regional_needs(needs, region_id=region.pk, year_from=year_from, year_to=year_to)
        return render(
            request,
            "surveys/needs.html",
            {
                "regions": regions,
                "region": region,
                "year_from": year_from,
                "year_to": year_to,
                "rows": rows,
                "error": error,
                "may_plan": region is not None and self.may_plan(request.user, region),
                "plan_form": forms.PlanFromNeedsForm(),
            },
            status=400 if error else 200,
        )

    def visible_regions(self, user):
        from accounts.roles import Role

        if is_secretariat(user):
            return Region.objects.values("pk")
        if user.role == Role.ROCB_OFFICER:
            return Region.objects.filter(pk=user.region_id).values("pk")
        if user.role == Role.RTC_COORDINATOR and user.office_id:
            return Region.objects.filter(offices=user.office_id).values("pk")
        if user.role == Role.FOCAL_POINT and user.member_id:
            return Region.objects.filter(members=user.member_id).values("pk")
        return Region.objects.none().values("pk")

    def may_plan(self, user, region) -> bool:
        from surveys.models import ActivityNeed

        return can(user, Action.ADD, ActivityNeed(region=region))

    def choice(self, request, regions):
        this_year = timezone.localdate().year
        region = None
        slug = request.GET.get("region", "")
        if slug:
            region = regions.filter(slug=slug[:80]).first()
        elif len(regions) == 1 or request.user.region_id:
            region = regions.filter(pk=request.user.region_id).first() or regions.first()
        try:
            year_to = year_from_text(request.GET["to"]) if request.GET.get("to") else this_year
            year_from = year_from_text(request.GET["from"]) if request.GET.get("from") else year_to
        except ValidationError as error:
            return region, this_year, this_year, " ".join(error.messages)
        if year_from > year_to or year_to - year_from > 30:
            return region, year_from, year_to, _("Choose a range of at most 30 years, the first year first.")
        # A region outside the user's scope shows no needs, as one with none would.
        return region, year_from, year_to, ""

    def post(self, request):
        """Plan from needs: a proposed activity on the chosen topics for the administrations behind them."""
        from topics.models import Topic

        regions = Region.objects.filter(pk__in=self.visible_regions(request.user))
        region = regions.filter(slug=request.POST.get("region", "")[:80]).first()
        form = forms.PlanFromNeedsForm(request.POST)
        try:
            year = year_from_text(request.POST.get("year", ""))
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("surveys:needs")
        ids = [int(v) for v in request.POST.getlist("topic") if v.isdigit() and len(v) < 10]
        if region is None or not form.is_valid():
            messages.error(request, _("Choose a region, a title and a kind."))
            return redirect("surveys:needs")
        topics = list(Topic.objects.filter(pk__in=ids))
        needs = Need.objects.restrict(request.user).filter(region=region, year=year, topic__in=topics)
        members = list(Member.objects.filter(pk__in=needs.values("member")))
        try:
            activity = services.plan_from_needs(
                user=request.user,
                region=region,
                year=year,
                topics=topics,
                members=members,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
            return redirect(reverse("surveys:needs") + f"?region={region.slug}&from={year}&to={year}")
        messages.success(request, _("Proposed activity created from the needs."))
        return redirect(activity)
