"""Experts' pages: the roster, a profile, pools, an activity's expert slots with their shortlist,
deployments with the step that waits for the viewer, evaluations, "what waits for me", the roster
import and the year's staffing plan. Every write goes through experts.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from activities.imports import import_may_upload, import_preview
from activities.models import Activity, ImportBatch
from activities.views import _errors
from core.permissions import Action, can, can_add_any, get_scoped_object
from core.tables import Column
from core.views import ObjectDetailView, ObjectEditView, ObjectListView
from experts import forms, services
from experts.filtersets import ExpertFilterSet, PoolFilterSet
from experts.models import (
    Accreditation,
    Deployment,
    DeploymentStatus,
    Evaluation,
    EvaluatorKind,
    ExpertProfile,
    Pool,
    ShortlistPick,
    Slot,
)
from experts.policies import may_see_private
from jobs.models import Job
from jobs.services import job_enqueue


class ExpertListView(LoginRequiredMixin, ObjectListView):
    queryset = ExpertProfile.objects.select_related("person", "home_member", "region")
    filterset_class = ExpertFilterSet
    export_name = "experts"
    add_url = reverse_lazy("experts:expert_add")
    columns = [
        Column(gettext_lazy("Expert"), "__str__"),
        Column(gettext_lazy("Home administration"), "home_member.name"),
        Column(gettext_lazy("Region"), "region.name"),
        Column(gettext_lazy("Current post"), "current_post"),
        Column(gettext_lazy("Years of experience"), "years_experience"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = [
            (_("Pools"), reverse("experts:pool_list")),
            (_("What waits for me"), reverse("experts:waiting")),
        ]
        if can_add_any(self.request.user, ExpertProfile):
            actions.append((_("Import a roster"), reverse("experts:roster_import")))
        if can_add_any(self.request.user, Deployment):
            actions.append((_("Plan the year"), reverse("experts:plan")))
        context["extra_actions"] = actions
        return context


class ExpertDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = ExpertProfile.objects.select_related("person__user", "home_member", "region", "confirmed_by")
    template_name = "experts/expert_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, profile = self.request.user, self.object
        deployments = (
            Deployment.objects.restrict(user)
            .filter(profile=profile)
            .select_related("slot__activity__host_member")
            .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.restrict(user)))
        )
        private = may_see_private(user, profile)
        context.update(
            private=private,
            expert_languages=profile.languages.all(),
            topics=profile.topics.all(),
            accreditations=Accreditation.objects.restrict(user)
            .filter(profile=profile)
            .select_related("pool")
            .prefetch_related("steps"),
            deployments=deployments,
            feedback=services.feedback_summary(profile),
            unavailable=profile.unavailable_periods.all() if private else [],
            conflicts=profile.conflicts.select_related("member") if private else [],
            is_own=profile.person.user_id == user.pk,
            can_confirm=context["can_change"] and user.role != "expert" and profile.confirmed_at is None,
            language_form=forms.LanguageForm(),
            unavailability_form=forms.UnavailabilityForm(),
            conflict_form=forms.ConflictForm(user=user),
            cv_form=forms.CvForm(),
        )
        return context


class ExpertEditView(ObjectEditView):
    model = ExpertProfile
    form_class = forms.ProfileForm

    def create(self, data):
        raise PermissionDenied(_("Experts are added from a person or by importing a roster."))

    def update(self, data):
        return services.profile_update(user=self.request.user, profile=self.object, data=data)


class ExpertAddView(ObjectEditView):
    """ "Add an expert": the person, the profile, a language and a pool, in one service call."""

    model = ExpertProfile
    form_class = forms.ExpertAddForm

    def form_valid(self, form):
        self.expert_form = form
        return super().form_valid(form)

    def create(self, data):
        return services.expert_add(user=self.request.user, **self.expert_form.expert_fields())


class MyProfileView(LoginRequiredMixin, View):
    """The expert's own profile (the "My profile" link)."""

    def get(self, request):
        profile = ExpertProfile.objects.filter(person__user=request.user).first()
        if profile is None:
            messages.info(request, _("You have no expert profile yet; ask your focal point or ROCB."))
            return redirect("experts:waiting")
        return redirect(profile)


class ProfilePartView(LoginRequiredMixin, View):
    """The small forms of a profile: confirm, CV, a language, an unavailable period, a conflict."""

    def post(self, request, pk, part):
        profile = get_scoped_object(ExpertProfile.objects.all(), request.user, Action.CHANGE, pk=pk)
        try:
            self.apply(request, profile, part)
        except ValidationError as error:
            messages.error(request, _errors(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect(profile)

    def apply(self, request, profile, part):
        user = request.user
        if part == "confirm":
            services.profile_confirm(user=user, profile=profile)
            messages.success(request, _("Profile confirmed."))
            return
        form_class = {
            "cv": forms.CvForm,
            "language": forms.LanguageForm,
            "unavailability": forms.UnavailabilityForm,
            "conflict": forms.ConflictForm,
        }.get(part)
        if form_class is None:
            raise Http404
        kwargs = {"user": user} if form_class is forms.ConflictForm else {}
        form = form_class(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]
            )
        data = form.cleaned_data
        if part == "cv":
            upload = data["cv"]
            services.profile_attach_cv(user=user, profile=profile, name=upload.name, content=upload.read())
        elif part == "language":
            services.language_set(user=user, profile=profile, **data)
        elif part == "unavailability":
            services.unavailability_declare(user=user, profile=profile, **data)
        else:
            services.conflict_declare(user=user, profile=profile, **data)
        messages.success(request, _("Saved."))


class PoolListView(ObjectListView):
    queryset = Pool.objects.select_related("region", "specialty")
    filterset_class = PoolFilterSet
    export_name = "pools"
    columns = [
        Column(gettext_lazy("Pool"), "__str__"),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Region"), "region.name"),
    ]


class PoolDetailView(ObjectDetailView):
    queryset = Pool.objects.select_related("region", "specialty")
    template_name = "experts/pool_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accreditations"] = (
            Accreditation.objects.restrict(self.request.user)
            .filter(pool=self.object)
            .select_related("profile__person", "profile__home_member")
            .order_by("status", "profile__person__last_name")[:200]
        )
        return context


# --- slots, shortlists, deployments --------------------------------------------------------------


class SlotCreateView(LoginRequiredMixin, View):
    def post(self, request, activity_pk):
        activity = get_scoped_object(Activity.objects.all(), request.user, Action.CHANGE, pk=activity_pk)
        form = forms.SlotForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _errors(ValidationError(form.errors)))
            return redirect(activity)
        try:
            slot = services.slot_create(user=request.user, activity=activity, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
            return redirect(activity)
        return redirect(slot)


class SlotDetailView(LoginRequiredMixin, ObjectDetailView):
    """A slot: its expert if it has one, else the ranked shortlist with reasons and the excluded."""

    queryset = Slot.objects.select_related("activity__host_member", "activity__region", "pool")
    template_name = "experts/slot_detail.html"

    def get_context_data(self, **kwargs):
        from experts.matching import COMPONENT_LABELS, WEIGHTS, shortlist

        context = super().get_context_data(**kwargs)
        slot, user = self.object, self.request.user
        deployments = slot.deployments.restrict(user).select_related("profile__person")
        active = next((d for d in deployments if d.status not in _ENDED), None)
        context.update(deployments=deployments, active=active)
        if context["can_change"] and active is None:
            result = shortlist(user, slot, limit=10)
            context.update(
                shortlist=result,
                weights=[(COMPONENT_LABELS.get(name, name), weight) for name, weight in WEIGHTS.items()],
            )
        return context


_ENDED = {DeploymentStatus.DECLINED, DeploymentStatus.REFUSED, DeploymentStatus.CANCELLED}


class ProposeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        slot = get_scoped_object(Slot.objects.select_related("activity"), request.user, Action.CHANGE, pk=pk)
        profile = get_scoped_object(
            ExpertProfile.objects.all(), request.user, Action.VIEW, pk=_int(request.POST.get("profile"))
        )
        try:
            deployment = services.deployment_propose(
                user=request.user,
                slot=slot,
                profile=profile,
                override_reason=request.POST.get("override_reason", ""),
                rank=_int(request.POST.get("rank")) or None,
                shortlist_size=_int(request.POST.get("shortlist_size")),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
            return redirect(slot)
        messages.success(request, _("%(expert)s is proposed; invite them next.") % {"expert": profile})
        return redirect(deployment)


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


class DeploymentDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = Deployment.objects.select_related(
        "slot__activity__host_member", "profile__person__user", "profile__home_member"
    )
    template_name = "experts/deployment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deployment, user = self.object, self.request.user
        context.update(
            events=deployment.events.select_related(
                "user__office", "user__region", "user__member", "user__donor"
            ),
            evaluations=deployment.evaluations.restrict(user),
            steps=deployment_steps(user, deployment),
            evaluation_form=forms.EvaluationForm(initial={"kind": evaluator_kind_for(user, deployment)}),
            may_rate=deployment.status in (DeploymentStatus.DELIVERED, DeploymentStatus.EVALUATED)
            and evaluator_kind_for(user, deployment) is not None,
            is_expert=deployment.profile.person.user_id == user.pk,
        )
        return context


def evaluator_kind_for(user, deployment: Deployment) -> str | None:
    if user.role == "focal_point" and user.member_id == deployment.slot.activity.host_member_id:
        return EvaluatorKind.BENEFICIARY
    if can(user, Action.CHANGE, deployment.slot):
        return EvaluatorKind.ORGANISER
    return None


def deployment_steps(user, deployment: Deployment) -> list[tuple[str, str, bool]]:
    """The steps the viewer may take now: (step, label, needs a comment)."""
    is_expert = deployment.profile.person.user_id == user.pk
    home_focal = user.role == "focal_point" and user.member_id == deployment.profile.home_member_id
    organiser = can(user, Action.CHANGE, deployment.slot)
    status = deployment.status
    steps = []
    if organiser and status == DeploymentStatus.PROPOSED:
        steps.append(("invite", _("Invite the expert"), False))
    if is_expert and status == DeploymentStatus.INVITED:
        steps += [("accept", _("Accept"), False), ("decline", _("Decline"), True)]
    if (
        home_focal or user.is_superuser or user.role == "secretariat"
    ) and status == DeploymentStatus.ACCEPTED:
        steps += [("release", _("Release the expert"), False), ("refuse", _("Refuse the release"), True)]
    if organiser and status == DeploymentStatus.RELEASED:
        steps.append(("confirm", _("Confirm"), False))
    if organiser and status == DeploymentStatus.CONFIRMED:
        steps.append(("deliver", _("Record the delivery"), False))
    if organiser and status in (
        DeploymentStatus.PROPOSED,
        DeploymentStatus.INVITED,
        DeploymentStatus.ACCEPTED,
        DeploymentStatus.RELEASED,
        DeploymentStatus.CONFIRMED,
    ):
        steps.append(("cancel", _("Cancel"), True))
    return steps


class DeploymentStepView(LoginRequiredMixin, View):
    def post(self, request, pk, step):
        deployment = get_scoped_object(
            Deployment.objects.select_related("slot__activity", "profile__person"),
            request.user,
            Action.VIEW,
            pk=pk,
        )
        comment = request.POST.get("comment", "")
        user = request.user
        actions = {
            "invite": lambda: services.deployment_invite(user=user, deployment=deployment),
            "accept": lambda: services.deployment_respond(
                user=user, deployment=deployment, accept=True, comment=comment
            ),
            "decline": lambda: services.deployment_respond(
                user=user, deployment=deployment, accept=False, comment=comment
            ),
            "release": lambda: services.deployment_release(
                user=user, deployment=deployment, agree=True, comment=comment
            ),
            "refuse": lambda: services.deployment_release(
                user=user, deployment=deployment, agree=False, comment=comment
            ),
            "confirm": lambda: services.deployment_confirm(user=user, deployment=deployment),
            "deliver": lambda: services.deployment_deliver(user=user, deployment=deployment),
            "cancel": lambda: services.deployment_cancel(user=user, deployment=deployment, reason=comment),
        }
        if step not in actions:
            raise Http404
        try:
            actions[step]()
            deployment.refresh_from_db()
            messages.success(request, _("Done: %(status)s.") % {"status": deployment.get_status_display()})
        except ValidationError as error:
            messages.error(request, _errors(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect(deployment)


class EvaluationView(LoginRequiredMixin, View):
    def post(self, request, pk):
        deployment = get_scoped_object(
            Deployment.objects.select_related("slot__activity"), request.user, Action.VIEW, pk=pk
        )
        form = forms.EvaluationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _errors(ValidationError(form.errors)))
            return redirect(deployment)
        try:
            services.evaluation_submit(user=request.user, deployment=deployment, **form.cleaned_data)
            messages.success(request, _("Thank you: the rating is recorded."))
        except ValidationError as error:
            messages.error(request, _errors(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect(deployment)


class DisagreeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        evaluation = get_scoped_object(
            Evaluation.objects.select_related("deployment"), request.user, Action.VIEW, pk=pk
        )
        try:
            services.evaluation_disagree(
                user=request.user, evaluation=evaluation, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("Your disagreement is recorded beside the evaluation."))
        except ValidationError as error:
            messages.error(request, _errors(error))
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect(evaluation.deployment)


class WaitingView(LoginRequiredMixin, View):
    """What waits for me: the steps of deployments that are the viewer's to take."""

    def get(self, request):
        return render(request, "experts/waiting.html", {"items": services.waiting_for(request.user)})


# --- roster import and the year's plan -----------------------------------------------------------


class RosterImportView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not import_may_upload(
            request.user, kind=ImportBatch.Kind.EXPERTS
        ):
            raise PermissionDenied(_("You may not add experts."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(forms.RosterForm())

    def render(self, form, status=200):
        return render(self.request, "experts/roster_import.html", {"form": form}, status=status)

    def post(self, request):
        form = forms.RosterForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, 400)
        upload = form.cleaned_data["file"]
        try:
            batch = import_preview(
                user=request.user, kind=ImportBatch.Kind.EXPERTS, name=upload.name, content=upload.read()
            )
        except ValidationError as error:
            form.add_error("file", _errors(error))
            return self.render(form, 400)
        return redirect("activities:import_preview", pk=batch.pk)


class PlanView(LoginRequiredMixin, View):
    """Start the year's staffing plan (a job), then review its proposal and confirm the picks."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_add_any(request.user, Deployment):
            raise PermissionDenied(_("Only organisers staff missions."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, job_pk=None):
        from django.utils import timezone

        context = {
            "form": forms.PlanForm(initial={"year": timezone.localdate().year}),
            "acceptance": services.shortlist_acceptance(
                ShortlistPick.objects.filter(slot__in=Slot.objects.restrict(request.user, Action.CHANGE))
            ),
        }
        if job_pk is not None:
            job = get_scoped_object(_plan_jobs(), request.user, Action.VIEW, pk=job_pk)
            context.update(job=job, rows=_plan_rows(request.user, job))
        return render(request, "experts/plan.html", context)

    def post(self, request, job_pk=None):
        from experts.jobs import PLAN_YEAR

        if job_pk is not None:
            return self.confirm(request, job_pk)
        form = forms.PlanForm(request.POST)
        if not form.is_valid():
            return render(request, "experts/plan.html", {"form": form}, status=400)
        region = request.user.region_id if request.user.role == "rocb_officer" else None
        job = job_enqueue(
            kind=PLAN_YEAR,
            payload={"year": form.cleaned_data["year"], "region": region},
            user=request.user,
            total=1,
        )
        return redirect("experts:plan_result", job_pk=job.pk)

    def confirm(self, request, job_pk):
        job = get_scoped_object(_plan_jobs(), request.user, Action.VIEW, pk=job_pk)
        proposed, problems = 0, []
        for row in _plan_rows(request.user, job):
            chosen = _int(request.POST.get(f"slot-{row['slot'].pk}"))
            # Only one of the plan's own picks for this slot (an expert the plan did not propose is
            # proposed from the slot's page, where the rules are shown).
            profile = next((p for p, _detail in row["choices"] if p.pk == chosen), None)
            if profile is None:
                continue
            try:
                services.deployment_propose(
                    user=request.user, slot=row["slot"], profile=profile, override_reason=_("Year's plan")
                )
                proposed += 1
            except (ValidationError, PermissionDenied) as error:
                problems.append(
                    f"{row['slot']}: {_errors(error) if isinstance(error, ValidationError) else error}"
                )
        messages.success(request, _("%(count)d experts proposed from the plan.") % {"count": proposed})
        for problem in problems[:10]:
            messages.error(request, problem)
        return redirect("experts:waiting")


def _plan_jobs():
    from experts.jobs import PLAN_YEAR

    return Job.objects.filter(kind=PLAN_YEAR)


def _plan_rows(user, job: Job) -> list[dict]:
    result = job.result if isinstance(job.result, dict) else {}
    # Only the plan job's own rows: slot ids as digit strings, picks as ids (a job of another kind,
    # or a damaged result, shows nothing rather than failing).
    assignments = {
        key: [pk for pk in picks if isinstance(pk, int) and 0 < pk < 2**31]
        for key, picks in (result.get("assignments") or {}).items()
        if isinstance(key, str) and key.isdigit() and int(key) < 2**31 and isinstance(picks, list)
    }
    slots = (
        Slot.objects.restrict(user, Action.CHANGE)
        .select_related("activity")
        .in_bulk([int(pk) for pk in assignments])
    )
    ids = {pk for picks in assignments.values() for pk in picks}
    profiles = ExpertProfile.objects.restrict(user).select_related("person").in_bulk(list(ids))
    rows = []
    for slot_pk, picks in assignments.items():
        slot = slots.get(int(slot_pk))
        if slot is None:
            continue
        choices = [profiles[pk] for pk in picks if pk in profiles]
        details = {row.get("profile"): row for row in result.get("details", {}).get(slot_pk, [])}
        rows.append({"slot": slot, "choices": [(p, details.get(p.pk, {})) for p in choices]})
    return sorted(
        rows, key=lambda row: (row["slot"].activity.start_date or job.created_at.date(), row["slot"].pk)
    )
