"""Meetings' pages: the meetings (public), a meeting with its invitations, agenda, decisions,
actions, matters arising and minutes; an action item with its progress and evidence; the actions
an office owns; a committee's (or a region's coordination meetings') decisions register with its
exports and iCalendar feed. Every write goes through meetings.services; rows come from restricted
querysets."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exports import csv_response, xlsx_response
from core.pagination import CappedPaginator
from core.permissions import Action, can, can_add_any, get_scoped_object
from core.tables import Column
from core.views import error_text, form_error_back, service_done
from knowledge.models import Document
from meetings import forms, services
from meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Amendment,
    Decision,
    Invitation,
    InvitationStatus,
    Meeting,
    Minutes,
    MinutesStatus,
    ProgressUpdate,
)
from network.models import Committee, Region

PAGE_SIZE = 25
LIST_LIMIT = 500


def _meeting(request, pk, action: Action = Action.VIEW) -> Meeting:
    return get_scoped_object(
        Meeting.objects.select_related("committee", "region", "host_member", "host_office"),
        request.user,
        action,
        pk=pk,
    )


def _item(request, pk) -> AgendaItem:
    return get_scoped_object(AgendaItem.objects.select_related("meeting"), request.user, Action.VIEW, pk=pk)


def _action(request, pk) -> ActionItem:
    return get_scoped_object(
        ActionItem.objects.select_related("meeting", "item", "decision__meeting"),
        request.user,
        Action.VIEW,
        pk=pk,
    )


def _back(meeting: Meeting, anchor: str = "") -> str:
    return meeting.get_absolute_url() + (f"#{anchor}" if anchor else "")


# --- meetings ------------------------------------------------------------------------------------


class MeetingListView(View):
    """Every meeting the user may see, newest first; filtered by committee and region."""

    def get(self, request):
        user = request.user
        form = forms.MeetingFilterForm(request.GET or None, user=user)
        meetings = Meeting.objects.restrict(user).select_related("committee", "region")
        status = 200
        if form.is_bound:
            if form.is_valid():
                if form.cleaned_data.get("committee"):
                    meetings = meetings.filter(committee=form.cleaned_data["committee"])
                if form.cleaned_data.get("region"):
                    meetings = meetings.filter(region=form.cleaned_data["region"])
            else:
                meetings, status = meetings.none(), 400
        page = CappedPaginator(meetings.order_by("-starts_on", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page_obj": page,
            "meetings": page.object_list,
            "query_string": query.urlencode(),
            "can_add": can_add_any(user, Meeting),
        }
        return render(request, "meetings/meeting_list.html", context, status=status)


def _may_add_meetings(user) -> bool:
    return can_add_any(user, Meeting)


class MeetingCreateView(LoginRequiredMixin, View):
    def _page(self, request, form, status=200):
        return render(request, "meetings/form.html", {"form": form, "title": _("New meeting")}, status=status)

    def get(self, request):
        if not _may_add_meetings(request.user):
            raise PermissionDenied(_("You may not add meetings."))
        initial = {}
        if request.user.role == "rocb_officer" and request.user.region_id:
            initial["region"] = request.user.region_id
        return self._page(request, forms.MeetingForm(user=request.user, initial=initial))

    def post(self, request):
        if not _may_add_meetings(request.user):
            raise PermissionDenied(_("You may not add meetings."))
        form = forms.MeetingForm(request.POST, user=request.user)
        if form.is_valid():
            data = {key: value for key, value in form.cleaned_data.items()}
            for key in ("committee", "region"):
                if data.get(key) is None:
                    data.pop(key, None)  # the service gives an ROCB officer their own region
            try:
                meeting = services.meeting_create(user=request.user, data=data)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not do this."))
            else:
                messages.success(request, _("Meeting “%(meeting)s” created.") % {"meeting": meeting})
                return redirect(meeting)
        return self._page(request, form, status=400)


class MeetingEditView(LoginRequiredMixin, View):
    def _page(self, request, meeting, form, status=200):
        context = {"form": form, "title": _("Edit %(meeting)s") % {"meeting": meeting}, "back": meeting}
        return render(request, "meetings/form.html", context, status=status)

    def get(self, request, pk):
        meeting = _meeting(request, pk, Action.CHANGE)
        form = forms.MeetingForm(user=request.user, instance=meeting, initial=forms.meeting_initial(meeting))
        return self._page(request, meeting, form)

    def post(self, request, pk):
        meeting = _meeting(request, pk, Action.CHANGE)
        form = forms.MeetingForm(request.POST, user=request.user, instance=meeting)
        if form.is_valid():
            try:
                services.meeting_update(user=request.user, meeting=meeting, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not do this."))
            else:
                messages.success(request, _("Meeting saved."))
                return redirect(meeting)
        return self._page(request, meeting, form, status=400)


def _participates(user, meeting: Meeting) -> bool:
    from meetings.policies import participating

    if not user.is_authenticated:
        return False
    meetings = participating(user)
    if isinstance(meetings, list):  # read once for this page (core.memo)
        return meeting.pk in meetings
    return Meeting.objects.filter(pk=meeting.pk, pk__in=meetings).exists()


class MeetingDetailView(View):
    def get(self, request, pk):
        meeting = _meeting(request, pk)
        return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


def _detail_context(request, meeting: Meeting) -> dict:
    user = request.user
    organiser = services.is_organiser(user, meeting)
    decisions = (
        Decision.objects.restrict(user)
        .select_related("state", "meeting")
        .prefetch_related("state__next_states")
        .distinct()
        .order_by("number", "pk")
    )
    actions = services.with_latest_update(
        ActionItem.objects.restrict(user).select_related("decision__meeting").distinct(), user
    ).order_by("due_on", "pk")
    items = list(
        AgendaItem.objects.restrict(user)
        .filter(meeting=meeting)
        .prefetch_related(
            Prefetch(
                "documents",
                Document.objects.restrict(user).distinct().order_by("title"),
                to_attr="visible_documents",
            ),
            Prefetch("decisions", decisions, to_attr="visible_decisions"),
            Prefetch("actions", actions, to_attr="visible_actions"),
        )
        .order_by("position", "pk")
    )
    previous = services.previous_meeting(meeting)
    minutes = Minutes.objects.restrict(user).filter(meeting=meeting).first()
    participant = _participates(user, meeting)
    context = {
        "object": meeting,
        "meeting": meeting,
        "is_organiser": organiser,
        "organisers": list(meeting.organisers.all()),
        "invitations": list(
            Invitation.objects.restrict(user)
            .filter(meeting=meeting)
            .select_related("member", "office", "person")
            .distinct()
        ),
        "items": items,
        "previous": previous,
        "matters": list(services.matters_arising(meeting, user, previous=previous)) if previous else [],
        "minutes": minutes,
        "amendments": list(
            Amendment.objects.restrict(user).filter(minutes=minutes).distinct() if minutes else []
        ),
        "may_amend": bool(
            minutes and minutes.status == MinutesStatus.CIRCULATED and (organiser or participant)
        ),
        "today": timezone.localdate(),
        "item_form_kinds": [(kind, label) for kind, (label, _view, _button) in ITEM_FORMS.items()],
        "calendar_url": _calendar_url(meeting),
        "register_url": _register_url(meeting),
    }
    if organiser:
        context.update(
            invitation_statuses=InvitationStatus.choices,
            attendance_choices=forms.ATTENDANCE_CHOICES,
        )
        if minutes is None or minutes.status != MinutesStatus.APPROVED:
            context["minutes_form"] = forms.MinutesForm(
                initial={"text": minutes.text if minutes else ""}, auto_id="id_minutes_%s"
            )
            context["approve_form"] = forms.MinutesApproveForm(
                user=user, meeting=meeting, auto_id="id_approve_%s"
            )
    if context["may_amend"]:
        context["amendment_form"] = forms.AmendmentForm(auto_id="id_amend_%s")
    return context


def _calendar_url(meeting: Meeting) -> str:
    if meeting.committee_id:
        return reverse("meetings:committee_calendar", args=[meeting.committee_id])
    if meeting.region_id:
        return reverse("meetings:region_calendar", args=[meeting.region.slug])
    return ""


def _register_url(meeting: Meeting) -> str:
    if meeting.committee_id:
        return reverse("meetings:committee_meetings", args=[meeting.committee_id])
    if meeting.region_id:
        return reverse("meetings:region_meetings", args=[meeting.region.slug])
    return ""


# --- invitations ---------------------------------------------------------------------------------


class InvitationAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        back = _back(meeting, "invitations")
        form = forms.InvitationAddForm(request.POST, user=request.user)
        if not form.is_valid():
            return form_error_back(request, form, back)
        data = form.cleaned_data
        return service_done(
            request,
            lambda: services.invitation_add(
                user=request.user,
                meeting=meeting,
                member=data.get("member"),
                office=data.get("office"),
                person=data.get("person"),
            ),
            ok=_("Invitation added."),
            back=back,
        )


class InvitationUpdateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        invitation = get_scoped_object(
            Invitation.objects.select_related("meeting"), request.user, Action.VIEW, pk=pk
        )
        back = _back(invitation.meeting, "invitations")
        form = forms.InvitationUpdateForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.invitation_update(
                user=request.user, invitation=invitation, data=form.cleaned_data
            ),
            ok=_("Invitation updated."),
            back=back,
        )


# --- the agenda ----------------------------------------------------------------------------------


class ItemAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        form = forms.ItemForm(request.POST, user=request.user)
        if not form.is_valid():
            return form_error_back(request, form, _back(meeting, "add-item-form"))
        result = {}

        def save():
            result["item"] = services.item_save(user=request.user, meeting=meeting, data=form.cleaned_data)

        response = service_done(
            request, save, ok=_("Item added to the agenda."), back=_back(meeting, "agenda")
        )
        if "item" in result:
            return redirect(_back(meeting, f"item-{result['item'].pk}"))
        return response


# The organisers' forms are drawn when opened: a session of twenty items would otherwise render
# sixty forms on every visit, and the invitation form every administration as an option. htmx swaps
# the fragment in; without JavaScript the link opens it as a page of its own.
ITEM_FORMS = {
    "summary": (gettext_lazy("Summary of the discussion"), "meetings:item_summary", gettext_lazy("Save")),
    "decision": (gettext_lazy("Add a decision"), "meetings:decision_add", gettext_lazy("Add the decision")),
    "action": (gettext_lazy("Add an action"), "meetings:action_add", gettext_lazy("Add the action")),
}
MEETING_FORMS = {
    "invitation": (gettext_lazy("Invite a delegation"), "meetings:invitation_add", gettext_lazy("Invite")),
    "item": (gettext_lazy("Add an agenda item"), "meetings:item_add", gettext_lazy("Add the item")),
}


def _item_form(user, item: AgendaItem, kind: str):
    if kind == "summary":
        return f"summary-form-{item.pk}", forms.ItemSummaryForm(
            initial={"summary": item.summary}, auto_id=f"id_s{item.pk}_%s"
        )
    if kind == "decision":
        return f"add-decision-form-{item.pk}", forms.DecisionForm(auto_id=f"id_d{item.pk}_%s")
    return f"add-action-form-{item.pk}", forms.ActionForm(user=user, item=item, auto_id=f"id_a{item.pk}_%s")


def _meeting_form(user, meeting: Meeting, kind: str):
    if kind == "invitation":
        return "invitation-form", forms.InvitationAddForm(user=user, auto_id="id_inv_%s")
    return "add-item-form", forms.ItemForm(user=user, auto_id="id_item_%s")


def _organiser_form(request, meeting: Meeting, kinds: dict, kind: str, build, target, anchor: str):
    if kind not in kinds:
        raise Http404
    if not services.is_organiser(request.user, meeting):
        raise PermissionDenied(_("The meeting's organisers record its outcomes."))
    title, action, button = kinds[kind]
    form_id, form = build(request.user, target, kind)
    context = {
        "title": title,
        "form": form,
        "form_id": form_id,
        "action": reverse(action, args=[target.pk]),
        "button": button,
        "meeting": meeting,
        "heading": target if target is not meeting else "",
        "anchor": anchor,
    }
    template = "meetings/_organiser_form.html" if request.htmx else "meetings/organiser_form_page.html"
    return render(request, template, context)


class ItemFormView(LoginRequiredMixin, View):
    def get(self, request, pk, kind):
        item = _item(request, pk)
        return _organiser_form(request, item.meeting, ITEM_FORMS, kind, _item_form, item, f"item-{item.pk}")


class MeetingFormView(LoginRequiredMixin, View):
    def get(self, request, pk, kind):
        meeting = _meeting(request, pk)
        anchor = "invitations" if kind == "invitation" else "agenda"
        return _organiser_form(request, meeting, MEETING_FORMS, kind, _meeting_form, meeting, anchor)


class ItemSummaryView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = _item(request, pk)
        back = _back(item.meeting, f"item-{item.pk}")
        form = forms.ItemSummaryForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.item_save(
                user=request.user,
                meeting=item.meeting,
                item=item,
                data={"summary": form.cleaned_data["summary"]},
            ),
            ok=_("Summary saved."),
            back=back,
        )


# --- decisions -----------------------------------------------------------------------------------


class DecisionAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = _item(request, pk)
        back = _back(item.meeting, f"item-{item.pk}")
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.decision_add(user=request.user, item=item, data=form.cleaned_data),
            ok=_("Decision added as a draft."),
            back=back,
        )


class DecisionMoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        decision = get_scoped_object(
            Decision.objects.select_related("meeting", "state"), request.user, Action.VIEW, pk=pk
        )
        back = _back(decision.meeting, f"decision-{decision.pk}")
        form = forms.DecisionMoveForm(request.POST, user=request.user)
        if not form.is_valid():
            return form_error_back(request, form, back)
        state = form.cleaned_data["state"]
        return service_done(
            request,
            lambda: services.decision_move(user=request.user, decision=decision, state=state),
            ok=_("The decision is now %(state)s.") % {"state": state},
            back=back,
        )


# --- actions -------------------------------------------------------------------------------------


class ActionAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = _item(request, pk)
        back = _back(item.meeting, f"item-{item.pk}")
        form = forms.ActionForm(request.POST, user=request.user, item=item)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.action_add(user=request.user, item=item, data=form.cleaned_data),
            ok=_("Action added."),
            back=back,
        )


class ActionDetailView(View):
    def get(self, request, pk):
        action = _action(request, pk)
        return render(request, "meetings/action_detail.html", _action_context(request, action))


def _action_context(request, action: ActionItem, **forms_) -> dict:
    from activities.models import Activity
    from conferences.models import Submission

    user = request.user
    may_change = can(user, Action.CHANGE, action)

    def visible(model, pk):
        return model.objects.restrict(user).filter(pk=pk).first() if pk else None

    context = {
        "object": action,
        "action": action,
        "owners": list(action.owners.order_by("name")),
        "updates": list(
            ProgressUpdate.objects.restrict(user)
            .filter(action=action)
            .select_related("author__office", "author__region", "author__member", "author__donor")
            .distinct()
            .order_by("-on", "-pk")
        ),
        "decision": visible(Decision, action.decision_id),
        "activity": visible(Activity, action.activity_id),
        "document": visible(Document, action.document_id),
        "submission": visible(Submission, action.submission_id),
        "may_change": may_change,
        "overdue": bool(
            action.due_on
            and action.due_on < timezone.localdate()
            and action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        ),
    }
    if may_change:
        context["progress_form"] = forms_.get("progress_form") or forms.ProgressForm(
            initial={"status": action.status, "on": timezone.localdate()}
        )
        context["evidence_form"] = forms_.get("evidence_form") or forms.EvidenceForm(
            user=user,
            action=action,
            initial={
                "activity": action.activity_id,
                "document": action.document_id,
                "submission": action.submission_id,
            },
        )
    return context


class ActionProgressView(LoginRequiredMixin, View):
    def post(self, request, pk):
        action = _action(request, pk)
        form = forms.ProgressForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, action.get_absolute_url() + "#progress-form")
        data = form.cleaned_data
        return service_done(
            request,
            lambda: services.action_progress(
                user=request.user,
                action=action,
                text=data["text"],
                status=data["status"],
                on=data.get("on"),
                reason=data.get("reason") or "",
            ),
            ok=_("Progress recorded."),
            back=action.get_absolute_url(),
        )


class ActionEvidenceView(LoginRequiredMixin, View):
    def post(self, request, pk):
        action = _action(request, pk)
        form = forms.EvidenceForm(request.POST, user=request.user, action=action)
        if not form.is_valid():
            return form_error_back(request, form, action.get_absolute_url() + "#evidence-form")
        data = form.cleaned_data
        return service_done(
            request,
            lambda: services.action_evidence(
                user=request.user,
                action=action,
                activity=data.get("activity"),
                document=data.get("document"),
                submission=data.get("submission"),
            ),
            ok=_("Evidence linked."),
            back=action.get_absolute_url(),
        )


class ActionToActivityView(LoginRequiredMixin, View):
    def post(self, request, pk):
        action = _action(request, pk)
        # A workshop by default; "Plan a study" sends research_study. services checks the kind.
        kind = (request.POST.get("kind") or "regional_workshop")[:40]
        try:
            activity = services.action_to_activity(user=request.user, action=action, kind=kind)
        except ValidationError as error:
            messages.error(request, error_text(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this."))
        else:
            messages.success(
                request,
                _("Study planned for the action.")
                if kind == "research_study"
                else _("Activity proposed for the action."),
            )
            return redirect(activity)
        return redirect(action)


class OurActionsView(LoginRequiredMixin, View):
    """The open actions of the user's office, overdue first."""

    def get(self, request):
        today = timezone.localdate()
        rows = list(services.our_actions(request.user)[:LIST_LIMIT])
        for row in rows:
            row.overdue = bool(row.due_on and row.due_on < today)
        # Overdue first, then by due date (actions without one last).
        rows.sort(key=lambda row: (not row.overdue, row.due_on is None, row.due_on or today, row.pk))
        return render(request, "meetings/our_actions.html", {"actions": rows, "today": today})


# --- minutes -------------------------------------------------------------------------------------


class MinutesSaveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        form = forms.MinutesForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, _back(meeting, "minutes"))
        return service_done(
            request,
            lambda: services.minutes_save(user=request.user, meeting=meeting, text=form.cleaned_data["text"]),
            ok=_("Minutes saved."),
            back=_back(meeting, "minutes"),
        )


def _minutes_or_error(request, meeting: Meeting):
    minutes = Minutes.objects.restrict(request.user).filter(meeting=meeting).first()
    if minutes is None:
        messages.error(request, _("The meeting has no minutes yet."))
    return minutes


class MinutesCirculateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        back = _back(meeting, "minutes")
        minutes = _minutes_or_error(request, meeting)
        if minutes is None:
            return redirect(back)
        return service_done(
            request,
            lambda: services.minutes_circulate(user=request.user, minutes=minutes),
            ok=_("Minutes circulated for comments."),
            back=back,
        )


class MinutesApproveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        back = _back(meeting, "minutes")
        minutes = _minutes_or_error(request, meeting)
        if minutes is None:
            return redirect(back)
        form = forms.MinutesApproveForm(request.POST, user=request.user, meeting=meeting)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.minutes_approve(user=request.user, minutes=minutes, at=form.cleaned_data["at"]),
            ok=_("Minutes approved."),
            back=back,
        )


class AmendmentAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        meeting = _meeting(request, pk)
        back = _back(meeting, "minutes")
        minutes = _minutes_or_error(request, meeting)
        if minutes is None:
            return redirect(back)
        form = forms.AmendmentForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.amendment_propose(
                user=request.user,
                minutes=minutes,
                text=form.cleaned_data["text"],
                passage=form.cleaned_data["passage"],
            ),
            ok=_("Amendment proposed."),
            back=back,
        )


class AmendmentDecideView(LoginRequiredMixin, View):
    def post(self, request, pk):
        amendment = get_scoped_object(
            Amendment.objects.select_related("minutes__meeting"), request.user, Action.VIEW, pk=pk
        )
        back = _back(amendment.minutes.meeting, "minutes")
        form = forms.AmendmentDecideForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, back)
        accept = form.cleaned_data["accept"]
        return service_done(
            request,
            lambda: services.amendment_decide(user=request.user, amendment=amendment, accept=accept),
            ok=_("Amendment accepted and written into the minutes.") if accept else _("Amendment declined."),
            back=back,
        )


# --- a committee's or a region's meetings and decisions register ----------------------------------

REGISTER_COLUMNS = [
    Column(gettext_lazy("Reference"), "reference"),
    Column(gettext_lazy("Meeting"), "meeting.title"),
    Column(gettext_lazy("Date"), "meeting.starts_on"),
    Column(gettext_lazy("Kind"), "kind"),
    Column(gettext_lazy("State"), "state"),
    Column(gettext_lazy("Text (English)"), "text_en"),
    Column(gettext_lazy("Text (French)"), "text_fr"),
]


def _region(request, code: str) -> Region:
    code = (code or "").strip()[:16]
    region = (
        Region.objects.restrict(request.user).filter(Q(slug=code.lower()) | Q(code__iexact=code)).first()
        if code
        else None
    )
    if region is None:
        raise Http404(_("No region with this code."))
    return region


def _register(request, *, owner, meetings, decisions, name: str, calendar_url: str, register_url: str):
    form = forms.RegisterFilterForm(request.GET or None, user=request.user)
    status = 200
    decisions = decisions.select_related("meeting", "state")
    if form.is_bound and not form.is_valid():
        decisions, status = decisions.none(), 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        if data.get("state"):
            decisions = decisions.filter(state=data["state"])
        else:
            decisions = decisions.filter(state__numbers=True)
        if data.get("year"):
            decisions = decisions.filter(meeting__starts_on__year=data["year"])
        for word in (data.get("q") or "").split()[:10]:
            decisions = decisions.filter(Q(text_en__icontains=word) | Q(text_fr__icontains=word))
    decisions = decisions.distinct().order_by("-meeting__starts_on", "meeting__pk", "number", "pk")
    export = request.GET.get("export")
    if export == "csv" and status == 200:
        return csv_response(decisions, REGISTER_COLUMNS, name)
    if export == "xlsx" and status == 200:
        return xlsx_response(decisions, REGISTER_COLUMNS, name)
    page = CappedPaginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "owner": owner,
        "meetings": meetings.select_related("committee", "region").order_by("-starts_on", "-pk")[:LIST_LIMIT],
        "form": form,
        "page_obj": page,
        "decisions": page.object_list,
        "query_string": query.urlencode(),
        "calendar_url": calendar_url,
        "register_url": register_url,
    }
    return render(request, "meetings/register.html", context, status=status)


class CommitteeMeetingsView(View):
    def get(self, request, pk):
        committee = get_scoped_object(Committee.objects.all(), request.user, Action.VIEW, pk=pk)
        return _register(
            request,
            owner=committee,
            meetings=Meeting.objects.restrict(request.user).filter(committee=committee),
            decisions=Decision.objects.restrict(request.user).filter(meeting__committee=committee),
            name=f"decisions-{committee.code}",
            calendar_url=reverse("meetings:committee_calendar", args=[committee.pk]),
            register_url=reverse("meetings:committee_meetings", args=[committee.pk]),
        )


class RegionMeetingsView(View):
    def get(self, request, code):
        region = _region(request, code)
        return _register(
            request,
            owner=region,
            meetings=Meeting.objects.restrict(request.user).filter(region=region, committee__isnull=True),
            decisions=Decision.objects.restrict(request.user).filter(
                meeting__region=region, meeting__committee__isnull=True
            ),
            name=f"decisions-{region.slug}",
            calendar_url=reverse("meetings:region_calendar", args=[region.slug]),
            register_url=reverse("meetings:region_meetings", args=[region.slug]),
        )


def _feed(request, meetings, name: str) -> HttpResponse:
    """One all-day event per meeting."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//cbhub//WCO capacity building//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = request.get_host()
    for meeting in meetings.order_by("starts_on", "pk")[:2000]:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_on)
        event.add("dtend", (meeting.ends_on or meeting.starts_on) + datetime.timedelta(days=1))
        event.add("dtstamp", meeting.updated_at)
        if meeting.venue:
            event.add("location", meeting.venue)
        event.add("description", meeting.get_mode_display())
        event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
        event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


class CommitteeCalendarView(View):
    def get(self, request, pk):
        committee = get_scoped_object(Committee.objects.all(), request.user, Action.VIEW, pk=pk)
        meetings = Meeting.objects.restrict(request.user).filter(committee=committee)
        return _feed(request, meetings, f"cbhub-{committee.code}")


class RegionCalendarView(View):
    def get(self, request, code):
        region = _region(request, code)
        meetings = Meeting.objects.restrict(request.user).filter(region=region, committee__isnull=True)
        return _feed(request, meetings, f"cbhub-meetings-{region.slug}")


class MinutesDocumentView(View):
    """The minutes generated from the recorded outcomes (attendance, agenda, decisions, actions), as
    DOCX or PDF, with only what the reader may see."""

    TYPES = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }

    def get(self, request, pk, fmt):
        from meetings.minutes_docs import minutes_docx, minutes_pdf

        if fmt not in self.TYPES:
            raise Http404
        meeting = _meeting(request, pk)
        content = (minutes_docx if fmt == "docx" else minutes_pdf)(meeting, request.user)
        response = HttpResponse(content, content_type=self.TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}.{fmt}"'
        return response
