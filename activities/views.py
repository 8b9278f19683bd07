"""Activity pages: list and export, detail with lifecycle and participants, requests, imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from activities import forms, iati, services
from activities.certificates import certificate_pdf
from activities.filtersets import (
    ActivityFilterSet,
    ParticipationFilterSet,
    ProgrammeFilterSet,
    RequestFilterSet,
    ServiceFilterSet,
)
from activities.imports import IMPORT_KINDS, import_commit, import_may_upload, import_preview
from activities.models import (
    Activity,
    AssistanceRequest,
    ImportBatch,
    Nomination,
    NominationStatus,
    Participation,
    Programme,
    ServiceItem,
    Status,
    newest_activity_first,
)
from core.page_cache import kept_page
from core.permissions import Action, can, can_add_any, get_scoped_object
from core.tables import Column
from core.uploads import safe_filename
from core.views import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView
from funding.models import FundingAgreement


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- activities ----------------------------------------------------------------------------------


class ActivityListView(ObjectListView):
    # Prefetched, not joined: with a text search PostgreSQL under-estimates the matching rows and
    # joins the three tables in nested loops (180 ms at scale); three small queries cost under 1 ms.
    queryset = Activity.objects.prefetch_related("lead_office", "region", "host_member")
    filterset_class = ActivityFilterSet
    export_name = "activities"
    add_url = reverse_lazy("activities:activity_add")
    columns = [
        Column(gettext_lazy("Title"), "title"),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Status"), "status"),
        Column(gettext_lazy("Start"), "start_date"),
        Column(gettext_lazy("End"), "end_date"),
        Column(gettext_lazy("Lead office"), "lead_office.label"),
        Column(gettext_lazy("Region"), "region.label"),
        Column(gettext_lazy("Host"), "host_member.label"),
        Column(gettext_lazy("City"), "city"),
    ]

    def default_filters(self) -> dict[str, str]:
        """Opens on the current and coming months, soonest first: what an organiser works on."""
        return {"start_after": timezone.localdate().replace(day=1).isoformat()}

    def get_queryset(self):
        queryset = super().get_queryset()
        # From a date onwards (the default, and its next pages) reads in date order, soonest first.
        chosen = (
            self.filterset.form.cleaned_data if self.filterset.is_bound and self.filterset.is_valid() else {}
        )
        if chosen.get("start_after") and not chosen.get("start_before"):
            # (start_date, -pk): the newest-first indexes (start_date DESC, id) read backwards, so
            # PostgreSQL serves the page from the index without sorting the coming activities.
            return queryset.order_by("start_date", "-pk")
        return queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "iati":
            activities = (
                self.get_queryset()
                .select_related("funding_agreement__donor")
                .prefetch_related("beneficiary_members")
            )
            response = HttpResponse(iati.iati_document(activities[:5000]), content_type="application/xml")
            response["Content-Disposition"] = 'attachment; filename="activities-iati.xml"'
            return response
        if "export" in request.GET:
            return super().get(request, *args, **kwargs)
        # The public list is the busiest page and the same for every visitor without a session.
        listed = super().get
        return kept_page(request, "activities", lambda: listed(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = context["query_string"]
        context["extra_exports"] = [(_("Export IATI XML"), f"?{query}{'&' if query else ''}export=iati")]
        if self.request.user.is_authenticated and can_add_any(self.request.user, Activity):
            context["extra_actions"] = [(_("Import activities"), reverse("activities:activity_import"))]
        return context


class ActivityDetailView(ObjectDetailView):
    queryset = Activity.objects.select_related(
        "lead_office", "region", "host_member", "project__programme", "funding_agreement__donor"
    ).prefetch_related("topics", "organising_offices", "beneficiary_members")
    template_name = "activities/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, activity = self.request.user, self.object
        participations = activity.participations.restrict(user).select_related("person", "member")
        nominations = activity.nominations.restrict(user).select_related("person", "member")
        context.update(
            transitions=activity.transitions.restrict(user).select_related(
                "user__office", "user__region", "user__member", "user__donor"
            ),
            funding_agreement_visible=bool(activity.funding_agreement_id)
            and FundingAgreement.objects.restrict(user).filter(pk=activity.funding_agreement_id).exists(),
            next_statuses=[
                (status, status.label) for status in map(Status, services.allowed_transitions(activity))
            ]
            if context["can_change"]
            else [],
            participations=participations,
            nominations=nominations.filter(status=NominationStatus.PENDING),
            # Only a member focal point nominates (organisers import or add participants), and only
            # while the activity takes participants: no button that can only lead to an error.
            can_nominate=bool(
                user.is_authenticated
                and user.member_id
                and activity.status in services.OPEN_FOR_PARTICIPANTS
                and can(user, Action.ADD, Nomination(activity=activity, member_id=user.member_id))
            ),
            attendance_choices=Participation._meta.get_field("attendance").choices,
            gender_counts=_gender_counts(participations),
        )
        return context


def _gender_counts(participations) -> dict[str, int]:
    counts: dict[str, int] = {}
    for participation in participations:
        label = participation.get_gender_display()
        counts[label] = counts.get(label, 0) + 1
    return counts


class ActivityEditView(ObjectEditView):
    model = Activity
    form_class = forms.ActivityForm

    def create(self, data):
        return services.activity_create(user=self.request.user, data=data)

    def update(self, data):
        return services.activity_update(user=self.request.user, activity=self.object, data=data)


class ActivityHistoryView(ObjectHistoryView):
    model = Activity


class ScopedActionView(LoginRequiredMixin, View):
    """A POST that acts on one object through a service, then returns to a page with a message."""

    model = None
    permission_action = Action.CHANGE

    def get_object(self, pk):
        return get_scoped_object(self.model.objects.all(), self.request.user, self.permission_action, pk=pk)


class ActivityTransitionView(ScopedActionView):
    model = Activity

    def post(self, request, pk):
        activity = self.get_object(pk)
        form = forms.TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a status."))
        else:
            try:
                services.activity_transition(
                    user=request.user,
                    activity=activity,
                    to_status=form.cleaned_data["to_status"],
                    comment=form.cleaned_data["comment"],
                )
                activity.refresh_from_db()
                messages.success(
                    request, _("The activity is now %(status)s.") % {"status": activity.get_status_display()}
                )
            except ValidationError as error:
                messages.error(request, _errors(error))
        return redirect(activity)


class NominateView(LoginRequiredMixin, View):
    """A focal point (or an organiser) nominates one person to an activity."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.activity = get_scoped_object(Activity.objects.all(), request.user, Action.VIEW, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render(forms.NominateForm())

    def render(self, form, status=200):
        return render(
            self.request, "activities/nominate.html", {"form": form, "activity": self.activity}, status=status
        )

    def post(self, request, pk):
        form = forms.NominateForm(request.POST)
        if not form.is_valid():
            return self.render(form, 400)
        member = request.user.member
        if member is None:
            form.add_error(
                None, _("Only a member focal point nominates; organisers import or add participants.")
            )
            return self.render(form, 400)
        try:
            nomination = services.nomination_submit(
                user=request.user, activity=self.activity, member=member, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _errors(error) if isinstance(error, ValidationError) else str(error))
            return self.render(form, 400)
        messages.success(request, _("%(person)s is nominated.") % {"person": nomination.person})
        return redirect(self.activity)


class NominationDecideView(ScopedActionView):
    model = Nomination

    def post(self, request, pk):
        nomination = self.get_object(pk)
        accept = request.POST.get("decision") == "accept"
        try:
            services.nomination_decide(
                user=request.user, nomination=nomination, accept=accept, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                _("Nomination of %(person)s %(status)s.")
                % {"person": nomination.person, "status": nomination.get_status_display().lower()},
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect(nomination.activity)


class AttendanceView(ScopedActionView):
    model = Participation

    def post(self, request, pk):
        participation = self.get_object(pk)
        try:
            services.participation_set_attendance(
                user=request.user, participation=participation, attendance=request.POST.get("attendance", "")
            )
            error = ""
        except ValidationError as invalid:
            error = _errors(invalid)
        if request.htmx:
            # The cell says what happened, and the certificate cell follows (an out-of-band swap).
            # A refusal is answered 200 too: htmx swaps only successful responses into the page.
            return render(
                request,
                "activities/_attendance.html",
                {
                    "participation": participation,
                    "error": error,
                    "saved": not error,
                    "oob": True,
                    "can_change": True,
                    "attendance_choices": Participation._meta.get_field("attendance").choices,
                },
            )
        if error:
            messages.error(request, error)
        return redirect(participation.activity)


class CertificateView(LoginRequiredMixin, View):
    def get(self, request, pk):
        participation = get_scoped_object(
            Participation.objects.select_related("activity__lead_office", "person", "member"),
            request.user,
            Action.VIEW,
            pk=pk,
        )
        try:
            pdf = certificate_pdf(participation)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect(participation.activity)
        response = HttpResponse(pdf, content_type="application/pdf")
        # A name may hold quotes, line breaks or any script: a safe file name, encoded for the header.
        name = safe_filename(
            f"certificate-{participation.activity_id}-{participation.person.last_name}.pdf".replace(" ", "-")
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


# --- imports -------------------------------------------------------------------------------------


class ImportUploadView(LoginRequiredMixin, View):
    """Upload a file of nominations (for one activity) or of activities, then see the preview."""

    def dispatch(self, request, *args, **kwargs):
        self.activity = None
        if request.user.is_authenticated and "pk" in kwargs:
            self.activity = get_scoped_object(
                Activity.objects.all(), request.user, Action.VIEW, pk=kwargs["pk"]
            )
        if request.user.is_authenticated and not import_may_upload(
            request.user, kind=self.kind, activity=self.activity
        ):
            # Refused before the upload is read: nobody without the right makes the server parse a file.
            raise PermissionDenied(_("You may not import these records."))
        return super().dispatch(request, *args, **kwargs)

    @property
    def kind(self):
        return ImportBatch.Kind.NOMINATIONS if self.activity else ImportBatch.Kind.ACTIVITIES

    def get(self, request, pk=None):
        return self.render(forms.UploadForm(initial={"kind": self.kind}))

    def render(self, form, status=200):
        return render(
            self.request,
            "activities/import_upload.html",
            {"form": form, "activity": self.activity, "kind": self.kind},
            status=status,
        )

    def post(self, request, pk=None):
        form = forms.UploadForm(request.POST, request.FILES, initial={"kind": self.kind})
        if not form.is_valid():
            return self.render(form, 400)
        upload = form.cleaned_data["file"]
        try:
            batch = import_preview(
                user=request.user,
                kind=self.kind,
                name=upload.name,
                content=upload.read(),
                activity=self.activity,
            )
        except ValidationError as error:
            form.add_error("file", _errors(error))
            return self.render(form, 400)
        return redirect("activities:import_preview", pk=batch.pk)


class ImportPreviewView(LoginRequiredMixin, DetailView):
    template_name = "activities/import_preview.html"
    context_object_name = "batch"

    def get_queryset(self):
        return ImportBatch.objects.restrict(self.request.user, Action.VIEW).select_related("activity")

    def post(self, request, pk):
        batch = get_scoped_object(ImportBatch.objects.all(), request.user, Action.CHANGE, pk=pk)
        spec = IMPORT_KINDS.get(batch.kind)
        if spec is not None and spec.enqueue is not None:
            try:
                job = spec.enqueue(user=request.user, batch=batch)
            except ValidationError as error:
                messages.error(request, _errors(error))
                return redirect("activities:import_preview", pk=batch.pk)
            return redirect(job)
        try:
            count = import_commit(user=request.user, batch=batch)
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect("activities:import_preview", pk=batch.pk)
        messages.success(request, _("%(count)d rows imported.") % {"count": count})
        if batch.kind in IMPORT_KINDS:
            return redirect(IMPORT_KINDS[batch.kind].done_url(batch))
        return redirect(batch.activity or reverse("activities:activity_list"))


# --- requests ------------------------------------------------------------------------------------


class RequestListView(LoginRequiredMixin, ObjectListView):
    queryset = AssistanceRequest.objects.select_related("member", "service", "region")
    filterset_class = RequestFilterSet
    export_name = "requests"
    add_url = reverse_lazy("activities:request_add")
    columns = [
        Column(gettext_lazy("Request"), "__str__"),
        Column(gettext_lazy("Urgency"), "urgency"),
        Column(gettext_lazy("Status"), "status"),
        Column(gettext_lazy("Region"), "region.label"),
        Column(gettext_lazy("Submitted"), "created_at.date"),
    ]


class RequestCreateView(LoginRequiredMixin, View):
    def get(self, request):
        # "Request this service" on a service page arrives with ?service=<id>; anything else is ignored.
        service = request.GET.get("service", "")
        initial = {"member": request.user.member_id, "service": int(service) if service.isdigit() else None}
        form = forms.RequestForm(initial=initial, user=request.user)
        return self.render(form)

    def render(self, form, status=200):
        form.fields["service"].queryset = ServiceItem.objects.restrict(self.request.user).filter(
            is_active=True
        )
        return render(self.request, "activities/request_form.html", {"form": form}, status=status)

    def post(self, request):
        form = forms.RequestForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form, 400)
        try:
            created = services.request_submit(user=request.user, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("member", _("You may request services only for your own administration."))
            return self.render(form, 403)
        except ValidationError as error:
            form.add_error(None, _errors(error))
            return self.render(form, 400)
        messages.success(request, _("Your request was sent to the regional office."))
        return redirect(created)


class RequestDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = AssistanceRequest.objects.select_related(
        "member", "service", "region", "activity", "merged_into", "requested_by"
    ).prefetch_related("topics")
    template_name = "activities/request_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.object
        merge_form = forms.MergeRequestForm(user=self.request.user)
        merge_form.fields["into"].queryset = (
            AssistanceRequest.objects.restrict(self.request.user, Action.CHANGE)
            .filter(region=request.region)
            .exclude(pk=request.pk)
            .select_related("member", "service")
        )
        rocb = request.region.offices.filter(kind="rocb").first()
        context.update(
            events=request.events.select_related(
                "user__office", "user__region", "user__member", "user__donor"
            ),
            accept_form=forms.AcceptRequestForm(
                initial={
                    "title": f"{request.service} — {request.member}",
                    "kind": "national_workshop",
                    "lead_office": rocb.pk if rocb else None,
                },
                user=self.request.user,
            ),
            decline_form=forms.DeclineRequestForm(),
            merge_form=merge_form,
        )
        return context


class RequestTriageView(ScopedActionView):
    model = AssistanceRequest

    def post(self, request, pk, decision):
        triaged = self.get_object(pk)
        try:
            if decision == "accept":
                form = forms.AcceptRequestForm(request.POST, user=request.user)
                if not form.is_valid():
                    raise ValidationError(
                        [
                            f"{form.fields[name].label}: {' '.join(errors)}"
                            for name, errors in form.errors.items()
                        ]
                    )
                activity = services.request_accept(
                    user=request.user, request=triaged, activity_data=form.cleaned_data
                )
                messages.success(request, _("Request accepted; the activity is proposed."))
                return redirect(activity)
            if decision == "decline":
                services.request_decline(
                    user=request.user, request=triaged, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Request declined."))
            elif decision == "merge":
                into = get_scoped_object(
                    AssistanceRequest.objects.all(),
                    request.user,
                    Action.CHANGE,
                    pk=request.POST.get("into") or 0,
                )
                services.request_merge(
                    user=request.user, request=triaged, into=into, comment=request.POST.get("comment", "")
                )
                messages.success(request, _("Request merged."))
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect(triaged)


# --- catalogue and programmes --------------------------------------------------------------------


class ServiceListView(ObjectListView):
    queryset = ServiceItem.objects.all()
    columns = [
        Column(gettext_lazy("Service"), "__str__"),
        Column(gettext_lazy("Category"), "category_label"),
        Column(gettext_lazy("Description"), "description"),
    ]
    export_name = "services"
    filterset_class = ServiceFilterSet


class ServiceDetailView(ObjectDetailView):
    """One service of the catalogue: what it is, and for a focal point the way to ask for it."""

    queryset = ServiceItem.objects.all()
    template_name = "activities/service_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        service = self.object
        context["can_request"] = bool(
            service.is_active
            and user.is_authenticated
            and user.member_id
            and can(user, Action.ADD, AssistanceRequest(member_id=user.member_id, service=service))
        )
        context["requests"] = (
            AssistanceRequest.objects.restrict(user).filter(service=service).select_related("member")[:20]
            if user.is_authenticated
            else []
        )
        context["activities"] = (
            Activity.objects.restrict(user)
            .filter(request__service=service)
            .select_related("lead_office")
            .order_by("-start_date")[:20]
        )
        return context


class ProgrammeListView(ObjectListView):
    queryset = Programme.objects.select_related("lead_office")
    filterset_class = ProgrammeFilterSet
    export_name = "programmes"
    columns = [
        Column(gettext_lazy("Programme"), "title"),
        Column(gettext_lazy("Lead office"), "lead_office.label"),
        Column(gettext_lazy("Start"), "start_date"),
        Column(gettext_lazy("End"), "end_date"),
    ]


class ProgrammeDetailView(ObjectDetailView):
    queryset = Programme.objects.select_related("lead_office").prefetch_related(Prefetch("projects"))
    template_name = "activities/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activities = list(
            Activity.objects.restrict(self.request.user)
            .filter(project__programme=self.object)
            .select_related("lead_office", "host_member")
            .order_by("start_date", "pk")[:300]
        )
        by_project: dict[int, list] = {}
        for activity in activities:
            by_project.setdefault(activity.project_id, []).append(activity)
        context["projects"] = [
            (project, by_project.get(project.pk, [])) for project in self.object.projects.all()
        ]
        context["activity_count"] = len(activities)
        context["agreements"] = (
            FundingAgreement.objects.restrict(self.request.user)
            .filter(programme=self.object)
            .select_related("donor")
        )
        return context


class ParticipationListView(LoginRequiredMixin, ObjectListView):
    # Newest activity first, read in order from an index: sorting 400,000 rows by name (or by key
    # behind a region's filter) for every page would dominate the request.
    queryset = newest_activity_first(Participation.objects.select_related("person", "member", "activity"))
    filterset_class = ParticipationFilterSet
    export_name = "participants"
    columns = [
        Column(gettext_lazy("Person"), "person"),
        Column(gettext_lazy("Administration"), "member.label"),
        Column(gettext_lazy("Gender"), "gender"),
        Column(gettext_lazy("Role"), "role"),
        Column(gettext_lazy("Attendance"), "attendance"),
        Column(gettext_lazy("Activity"), "activity.title"),
        Column(gettext_lazy("Start"), "activity.start_date"),
    ]
