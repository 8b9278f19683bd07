"""Pages of the recognition of university programmes: the public list of recognised programmes, the
applications a user works on (the Secretariat's queue), the apply and edit forms, an application's
page with what each role may do, and the Secretariat's and reviewers' forms. Each write is one call
of training.recognition: form → service → message → redirect; rows come from restricted querysets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.pagination import CappedPaginator
from core.permissions import Action, can_add_any, get_scoped_object, is_secretariat
from core.views import add_service_errors, error_text, service_done
from training import recognition
from training import recognition_forms as forms
from training.filtersets import OPEN, ApplicationFilterSet, RecognisedFilterSet
from training.models import (
    CoverageScore,
    ProgrammeCourse,
    RecognitionApplication,
    RecognitionReviewer,
)

PAGE_SIZE = 25


def _application(request, pk) -> RecognitionApplication:
    """The application the user may view; 404 otherwise (the restricted rows join the reviewers, so
    they are made distinct before one is picked)."""
    return get_scoped_object(
        RecognitionApplication.objects.select_related(
            "institution__country", "framework", "applicant", "renews"
        ).distinct(),
        request.user,
        Action.VIEW,
        pk=pk,
    )


def _page(request, rows, query=None):
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = (query or request.GET).copy()
    query.pop("page", None)
    return page, query.urlencode()


def _filtered(filterset) -> tuple:
    """The filtered rows and the page's status: a bad filter is a 400 with an empty list."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none(), 400
    return filterset.qs, 200


def _refused(request, application, error: ValidationError):
    """A step the applicant side may take, but not now (under review, decided): say why, go back."""
    messages.error(request, error_text(error))
    return redirect(application)


# --- lists ---------------------------------------------------------------------------------------


class RecognisedListView(View):
    """Programmes recognised today, by country and institution; filtered by country and framework."""

    def get(self, request):
        filterset = RecognisedFilterSet(
            request.GET or None, queryset=recognition.recognised_programmes(request.user), request=request
        )
        rows, status, form = *_filtered(filterset), filterset.form
        page, query_string = _page(request, rows)
        context = {
            "form": form,
            "page_obj": page,
            "applications": page.object_list,
            "query_string": query_string,
        }
        return render(request, "training/recognition/recognised_list.html", context, status=status)


class ApplicationListView(LoginRequiredMixin, View):
    """The applications the user works on; the Secretariat's queue opens on those still open."""

    def get(self, request):
        user = request.user
        data = request.GET
        if not (set(data) - {"page"}) and is_secretariat(user):
            data = data.copy()
            data["status"] = OPEN
        rows = recognition.applications_for(user).select_related(
            "institution__country", "framework", "applicant"
        )
        filterset = ApplicationFilterSet(data, queryset=rows, request=request)
        rows, status, form = *_filtered(filterset), filterset.form
        page, query_string = _page(request, rows.order_by("-created_at", "-pk"), data)
        context = {
            "form": form,
            "page_obj": page,
            "applications": page.object_list,
            "query_string": query_string,
            "can_apply": can_add_any(user, RecognitionApplication),
            "is_secretariat": is_secretariat(user),
        }
        return render(request, "training/recognition/application_list.html", context, status=status)


# --- applying and editing ----------------------------------------------------------------------------


class ApplicationCreateView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_add_any(request.user, RecognitionApplication):
            raise PermissionDenied(_("Your role may not apply for the recognition of a programme."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = forms.ApplicationForm(user=request.user)
        courses = forms.CourseFormSet(prefix="courses", form_kwargs={"user": request.user})
        return self.page(request, form, courses)

    def post(self, request):
        form = forms.ApplicationForm(request.POST, user=request.user)
        courses = forms.CourseFormSet(request.POST, prefix="courses", form_kwargs={"user": request.user})
        if form.is_valid() and courses.is_valid():
            data = form.application_data()
            try:
                application = recognition.application_submit(
                    user=request.user,
                    institution=data["institution"],
                    new_institution=form.new_institution(),
                    framework=data["framework"],
                    programme=data["programme"],
                    curriculum=data["curriculum"],
                    documents=data["documents"],
                    courses=courses.courses(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Application for “%(programme)s” submitted.") % {"programme": application.programme},
                )
                return redirect(application)
        return self.page(request, form, courses, status=400)

    def page(self, request, form, courses, status=200):
        context = {"form": form, "courses": courses, "title": _("Apply for recognition")}
        return render(request, "training/recognition/application_form.html", context, status=status)


class ApplicationEditView(LoginRequiredMixin, View):
    def get(self, request, pk):
        application = _application(request, pk)
        try:
            recognition.require_editable(request.user, application)
        except ValidationError as error:
            return _refused(request, application, error)
        initial = {
            "institution": application.institution_id,
            "framework": application.framework_id,
            "programme": application.programme,
            "curriculum": application.curriculum,
            "documents": list(application.documents.values_list("pk", flat=True)),
        }
        form = forms.ApplicationForm(user=request.user, application=application, initial=initial)
        return self.page(request, application, form)

    def post(self, request, pk):
        application = _application(request, pk)
        try:
            recognition.require_editable(request.user, application)
        except ValidationError as error:
            return _refused(request, application, error)
        form = forms.ApplicationForm(request.POST, user=request.user, application=application)
        if form.is_valid():
            try:
                recognition.application_update(
                    user=request.user, application=application, data=form.application_data()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Application saved."))
                return redirect(application)
        return self.page(request, application, form, status=400)

    def page(self, request, application, form, status=200):
        context = {"form": form, "application": application, "title": _("Edit the application")}
        return render(request, "training/recognition/application_form.html", context, status=status)


class CourseAddView(LoginRequiredMixin, View):
    def get(self, request, pk):
        application = _application(request, pk)
        try:
            recognition.require_editable(request.user, application)
        except ValidationError as error:
            return _refused(request, application, error)
        return self.page(
            request, application, forms.CourseForm(user=request.user, framework=application.framework)
        )

    def post(self, request, pk):
        application = _application(request, pk)
        form = forms.CourseForm(request.POST, user=request.user, framework=application.framework)
        if form.is_valid():
            try:
                course = recognition.course_add(
                    user=request.user, application=application, **form.course_data()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Course “%(course)s” added.") % {"course": course})
                return redirect(application.get_absolute_url() + "#courses")
        return self.page(request, application, form, status=400)

    def page(self, request, application, form, status=200):
        context = {"form": form, "application": application, "title": _("Add a course")}
        return render(request, "training/recognition/form.html", context, status=status)


class CourseDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        course = get_scoped_object(
            ProgrammeCourse.objects.select_related("application__institution").distinct(),
            request.user,
            Action.VIEW,
            pk=pk,
        )
        application = course.application
        return service_done(
            request,
            lambda: recognition.course_delete(user=request.user, course=course),
            ok=_("Course “%(course)s” removed.") % {"course": course},
            back=application.get_absolute_url() + "#courses",
        )


class ApplicationWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = _application(request, pk)
        form = forms.WithdrawForm(request.POST)
        reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
        return service_done(
            request,
            lambda: recognition.application_withdraw(
                user=request.user, application=application, reason=reason
            ),
            ok=_("Application withdrawn."),
            back=application.get_absolute_url(),
        )


class ApplicationRenewView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = _application(request, pk)
        try:
            renewal = recognition.application_renew(user=request.user, application=application)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(application)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(application)
        messages.success(request, _("Renewal application submitted: review and complete it."))
        if renewal.dropped_competencies:
            messages.warning(
                request,
                _("Retired since, left out of the courses: %(competencies)s.")
                % {"competencies": ", ".join(renewal.dropped_competencies)},
            )
        return redirect(renewal)


# --- the application's page ----------------------------------------------------------------------


class ApplicationDetailView(View):
    def get(self, request, pk):
        application = _application(request, pk)
        return render(
            request, "training/recognition/application_detail.html", _detail_context(request, application)
        )


def _detail_context(request, application: RecognitionApplication) -> dict:
    user = request.user
    actions = recognition.actions_for(user, application)
    courses = (
        ProgrammeCourse.objects.restrict(user)
        .filter(application=application)
        .prefetch_related("competencies")
        .distinct()
        .order_by("pk")
    )
    documents = application.documents.restrict(user).order_by("title")
    reviewers = (
        RecognitionReviewer.objects.restrict(user)
        .filter(application=application)
        .select_related("person__member")
        .prefetch_related(
            Prefetch(
                "scores", CoverageScore.objects.select_related("competency").order_by("competency__code")
            )
        )
        .order_by("pk")
    )
    context = {
        "application": application,
        "actions": actions,
        "courses": courses,
        "documents": documents,
        "reviewers": reviewers,
        "summary": recognition.coverage_summary(application)
        if recognition.summary_visible(user, application)
        else None,
        "renewals": RecognitionApplication.objects.restrict(user).filter(renews=application).distinct(),
        "renews": application.renews
        if application.renews_id
        and RecognitionApplication.objects.restrict(user).filter(pk=application.renews_id).exists()
        else None,
        "is_secretariat": is_secretariat(user),
        "expired": application.expires_on is not None and application.expires_on < recognition.today(),
    }
    if actions["review"] or is_secretariat(user):
        context["hidden_documents"] = application.documents.count() - documents.count()
    if actions["edit"]:
        context["course_form"] = forms.CourseForm(user=user, framework=application.framework)
    if actions["withdraw"]:
        context["withdraw_form"] = forms.WithdrawForm()
    return context


# --- the Secretariat's and the reviewers' forms ------------------------------------------------------------


class ReviewerAssignView(LoginRequiredMixin, View):
    def get(self, request, pk):
        application = _application(request, pk)
        recognition.require_secretariat(request.user)
        return self.page(
            request, application, forms.ReviewerAssignForm(user=request.user, application=application)
        )

    def post(self, request, pk):
        application = _application(request, pk)
        recognition.require_secretariat(request.user)
        form = forms.ReviewerAssignForm(request.POST, user=request.user, application=application)
        if form.is_valid():
            try:
                reviewer = recognition.reviewer_assign(
                    user=request.user, application=application, person=form.cleaned_data["person"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("%(person)s reviews the application.") % {"person": reviewer.person}
                )
                return redirect(application)
        return self.page(request, application, form, status=400)

    def page(self, request, application, form, status=200):
        context = {
            "form": form,
            "application": application,
            "title": _("Assign a reviewer"),
            "reviewers": application.reviewers.select_related("person").order_by("pk"),
        }
        return render(request, "training/recognition/form.html", context, status=status)


class ReviewView(LoginRequiredMixin, View):
    """The assigned reviewer's scores: saved as they go, then submitted once (final)."""

    def reviewer(self, request, application):
        reviewer = recognition.own_reviewer(request.user, application)
        if reviewer is None:
            raise PermissionDenied(_("Only the assigned reviewer scores their review."))
        return reviewer

    def get(self, request, pk):
        application = _application(request, pk)
        reviewer = self.reviewer(request, application)
        if not recognition.actions_for(request.user, application)["review"]:
            messages.info(request, _("Your review of this application is closed."))
            return redirect(application)
        form = forms.ReviewForm(
            user=request.user,
            competencies=recognition.competencies_to_score(application),
            reviewer=reviewer,
        )
        return self.page(request, application, form)

    def post(self, request, pk):
        application = _application(request, pk)
        reviewer = self.reviewer(request, application)
        form = forms.ReviewForm(
            request.POST, user=request.user, competencies=recognition.competencies_to_score(application)
        )
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                if submit:
                    recognition.review_submit(
                        user=request.user,
                        reviewer=reviewer,
                        scores=form.scores(),
                        comments=form.cleaned_data["comments"],
                    )
                else:
                    recognition.scores_record(
                        user=request.user,
                        reviewer=reviewer,
                        scores=form.scores(),
                        comments=form.cleaned_data["comments"],
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Review submitted.") if submit else _("Scores saved."))
                return redirect(application if submit else request.path)
        return self.page(request, application, form, status=400)

    def page(self, request, application, form, status=200):
        context = {"form": form, "application": application, "title": _("Review the coverage")}
        return render(request, "training/recognition/review_form.html", context, status=status)


class DecideView(LoginRequiredMixin, View):
    def get(self, request, pk):
        application = _application(request, pk)
        recognition.require_secretariat(request.user)
        return self.page(request, application, forms.DecisionForm(user=request.user))

    def post(self, request, pk):
        application = _application(request, pk)
        recognition.require_secretariat(request.user)
        form = forms.DecisionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                recognition.application_decide(
                    user=request.user, application=application, **form.decision_data()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Decision recorded: %(outcome)s.") % {"outcome": application.get_status_display()},
                )
                return redirect(application)
        return self.page(request, application, form, status=400)

    def page(self, request, application, form, status=200):
        context = {
            "form": form,
            "application": application,
            "title": _("Decide on the recognition"),
            "summary": recognition.coverage_summary(application),
        }
        return render(request, "training/recognition/form.html", context, status=status)
