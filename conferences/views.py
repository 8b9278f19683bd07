"""Conferences' pages: the conferences and their calls (public), submitting and completing a paper
(authors), the reviewer pool, bids, conflicts and the solver's assignment (chairs), reviews and the
discussion (reviewers), decisions, exports and the audit log, the programme, and the bridge with
practice (recommending a region's reports; what research says that workshops do not yet cover).
Every write goes through conferences.services; rows come from restricted querysets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from conferences import exports, forms, services
from conferences.filtersets import ConferenceFilterSet, SubmissionFilterSet
from conferences.models import (
    ACCEPTED,
    Assignment,
    AuditEntry,
    Authorship,
    Bid,
    Call,
    CallStatus,
    Comment,
    Conference,
    DeclaredConflict,
    ProgrammeSession,
    Review,
    Reviewer,
    ReviewPhase,
    StandingConflict,
    Submission,
    SubmissionFile,
    SubmissionStatus,
)
from core.permissions import Action, get_scoped_object, is_secretariat
from core.tables import Column
from core.views import ObjectDetailView, ObjectListView, error_text, form_error_back, service_done
from jobs.services import job_enqueue


def _call(request, pk: int) -> Call:
    return get_scoped_object(Call.objects.select_related("conference"), request.user, Action.VIEW, pk=pk)


def _submission(request, pk: int) -> Submission:
    return get_scoped_object(
        Submission.objects.select_related("call__conference", "on_behalf_of", "published_document"),
        request.user,
        Action.VIEW,
        pk=pk,
    )


def _chaired_call(request, pk: int) -> Call:
    call = _call(request, pk)
    if not services.is_chair(request.user, call.conference):
        raise PermissionDenied(_("Only the conference's chairs may do this."))
    return call


# --- conferences -----------------------------------------------------------------------------------


class ConferenceListView(ObjectListView):
    queryset = Conference.objects.select_related("region")
    filterset_class = ConferenceFilterSet
    export_name = "conferences"
    add_url = "/conferences/add/"
    columns = [
        Column(gettext_lazy("Conference"), "__str__"),
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Dates"), "dates"),
        Column(gettext_lazy("City"), "city"),
        Column(gettext_lazy("Theme"), "theme"),
        Column(gettext_lazy("Confidence"), "get_confidence_display"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = [(_("Research into practice"), reverse("conferences:research_to_practice"))]
        if self.request.user.is_authenticated:
            actions.insert(0, (_("My papers and reviews"), reverse("conferences:my_reviews")))
        if self.request.user.is_authenticated and self.request.user.role == "rocb_officer":
            actions.append((_("Recommend a report"), reverse("conferences:recommend")))
        context["extra_actions"] = actions
        return context


class ConferenceCreateView(LoginRequiredMixin, View):
    def get(self, request):
        if not (is_secretariat(request.user) or request.user.role == "rocb_officer"):
            raise PermissionDenied(_("You may not add conferences."))
        initial = {"kind": "regional" if request.user.role == "rocb_officer" else "picard"}
        form = forms.ConferenceForm(user=request.user, initial=initial)
        return render(request, "conferences/form.html", {"form": form, "title": _("New conference")})

    def post(self, request):
        form = forms.ConferenceForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                conference = services.conference_create(user=request.user, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                return redirect(conference)
        return render(
            request, "conferences/form.html", {"form": form, "title": _("New conference")}, status=400
        )


class ConferenceDetailView(ObjectDetailView):
    queryset = Conference.objects.select_related("region", "host_office")
    template_name = "conferences/conference_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference, user = self.object, self.request.user
        context.update(
            is_chair=services.is_chair(user, conference),
            calls=Call.objects.restrict(user).filter(conference=conference),
            papers=Submission.objects.restrict(user)
            .filter(call__conference=conference, status__in=ACCEPTED)
            .prefetch_related(Prefetch("authorships", Authorship.objects.select_related("person", "member")))
            .order_by("title")[:300],
            reviewer_count=Reviewer.objects.restrict(user).filter(conference=conference).count(),
        )
        return context


# --- calls -----------------------------------------------------------------------------------------


class CallCreateView(LoginRequiredMixin, View):
    def _conference(self, request, pk):
        conference = get_scoped_object(Conference.objects.all(), request.user, Action.VIEW, pk=pk)
        services.require_chair(request.user, conference)
        return conference

    def get(self, request, pk):
        conference = self._conference(request, pk)
        form = forms.CallForm(
            user=request.user,
            initial={"title": _("Call for papers: %(conference)s") % {"conference": conference}},
        )
        return render(
            request,
            "conferences/form.html",
            {"form": form, "title": _("New call for papers"), "back": conference},
        )

    def post(self, request, pk):
        conference = self._conference(request, pk)
        form = forms.CallForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                call = services.call_create(user=request.user, conference=conference, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                return redirect(call)
        return render(
            request,
            "conferences/form.html",
            {"form": form, "title": _("New call for papers"), "back": conference},
            status=400,
        )


class CallDetailView(ObjectDetailView):
    queryset = Call.objects.select_related("conference").prefetch_related("topics", "phases")
    template_name = "conferences/call_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call, user = self.object, self.request.user
        is_chair = services.is_chair(user, call.conference)
        submissions = Submission.objects.restrict(user).filter(call=call).prefetch_related("topics")
        filterset = SubmissionFilterSet(self.request.GET or None, queryset=submissions, request=self.request)
        rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else submissions.none()
        rows = rows.annotate(
            assigned=Count("assignments", distinct=True),
            reviewed=Count(
                "assignments", filter=Q(assignments__review__submitted_at__isnull=False), distinct=True
            ),
        )
        context.update(
            is_chair=is_chair,
            phases=list(call.phases.all()),
            active_phase=call.active_phase,
            submissions=rows[:500],
            filterset=filterset,
            may_submit=user.is_authenticated and call.status == CallStatus.OPEN,
            reviewer=services.reviewer_role(user, call.conference),
            status_form=forms.CallStatusForm(initial={"status": call.status}),
            counts=dict(Submission.objects.filter(call=call).values_list("status").annotate(n=Count("pk")))
            if is_chair
            else {},
        )
        return context


class CallStatusView(LoginRequiredMixin, View):
    def post(self, request, pk):
        call = _chaired_call(request, pk)
        form = forms.CallStatusForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, call.get_absolute_url())
        return service_done(
            request,
            lambda: services.call_update(
                user=request.user, call=call, data={"status": form.cleaned_data["status"]}
            ),
            ok=_("Status changed."),
            back=call.get_absolute_url(),
        )


class PhaseActivateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        phase = get_scoped_object(
            ReviewPhase.objects.select_related("call__conference"), request.user, Action.VIEW, pk=pk
        )
        return service_done(
            request,
            lambda: services.phase_activate(user=request.user, phase=phase),
            ok=_("Phase “%(name)s” started.") % {"name": phase.name},
            back=phase.call.get_absolute_url(),
        )


class PhaseEditView(LoginRequiredMixin, View):
    def _phase(self, request, pk):
        phase = get_scoped_object(
            ReviewPhase.objects.select_related("call__conference"), request.user, Action.VIEW, pk=pk
        )
        services.require_chair(request.user, phase.call.conference)
        return phase

    def get(self, request, pk):
        phase = self._phase(request, pk)
        fields = [
            "name",
            "ends_at",
            "may_review",
            "may_bid",
            "sees_all_papers",
            "other_reviews",
            "author_names_shown",
        ]
        form = forms.PhaseForm(initial={name: getattr(phase, name) for name in fields})
        return render(
            request, "conferences/form.html", {"form": form, "title": phase.name, "back": phase.call}
        )

    def post(self, request, pk):
        phase = self._phase(request, pk)
        form = forms.PhaseForm(request.POST)
        if form.is_valid():
            try:
                services.phase_save(user=request.user, call=phase.call, phase=phase, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                return redirect(phase.call)
        return render(
            request,
            "conferences/form.html",
            {"form": form, "title": phase.name, "back": phase.call},
            status=400,
        )


class CallAuditView(LoginRequiredMixin, View):
    def get(self, request, pk):
        call = _chaired_call(request, pk)
        entries = (
            AuditEntry.objects.restrict(request.user).filter(call=call).select_related("user", "submission")
        )
        if request.GET.get("export") in ("csv", "xlsx"):
            return exports.audit_export(entries, request.GET["export"], call)
        return render(request, "conferences/audit.html", {"call": call, "entries": entries[:1000]})


class CallReviewsExportView(LoginRequiredMixin, View):
    def get(self, request, pk, fmt):
        call = _chaired_call(request, pk)
        return exports.reviews_export(request.user, call, fmt)


class CallAssignView(LoginRequiredMixin, View):
    """The solver over the call's submitted papers and the conference's reviewer pool, as a job."""

    def post(self, request, pk):
        from conferences.jobs import ASSIGN

        call = _chaired_call(request, pk)
        job = job_enqueue(kind=ASSIGN, payload={"call": call.pk}, user=request.user, total=1)
        return redirect("jobs:job_detail", pk=job.pk)


class CallAssignmentsView(LoginRequiredMixin, View):
    """Every paper with its reviewers, affinity, explanation and conflicts (none may be there)."""

    def get(self, request, pk):
        from conferences.conflicts import conflicts_between

        call = _chaired_call(request, pk)
        papers = list(
            Submission.objects.restrict(request.user)
            .filter(call=call, status=SubmissionStatus.SUBMITTED)
            .prefetch_related(
                Prefetch(
                    "assignments",
                    Assignment.objects.select_related("reviewer__person__member__region", "review"),
                )
            )
        )
        reviewers = list(Reviewer.objects.filter(conference=call.conference).select_related("person"))
        conflicts = conflicts_between(reviewers, papers)
        rows = []
        for paper in papers:
            assigned = list(paper.assignments.all())
            rows.append(
                {
                    "paper": paper,
                    "assignments": [
                        (assignment, conflicts.get((assignment.reviewer_id, paper.pk), []))
                        for assignment in assigned
                    ],
                    "short": max(0, call.reviewers_per_paper - len(assigned)),
                    "conflicted": sum(1 for reviewer in reviewers if (reviewer.pk, paper.pk) in conflicts),
                }
            )
        loads = (
            Assignment.objects.filter(submission__call=call)
            .values("reviewer__person__first_name", "reviewer__person__last_name")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        broken = sum(1 for row in rows for _assignment, causes in row["assignments"] if causes)
        return render(
            request,
            "conferences/assignments.html",
            {"call": call, "rows": rows, "loads": loads, "broken": broken},
        )


class ConflictCheckView(LoginRequiredMixin, View):
    """Suggested reviewers checked for conflicts against every paper of the call, before anyone is invited."""

    def get(self, request, pk):
        call = _chaired_call(request, pk)
        form = forms.ConflictCheckForm(request.GET or None, user=request.user)
        results = None
        if form.is_bound and form.is_valid():
            from conferences.conflicts import check_people

            people = list(form.cleaned_data["people"])
            found = check_people(people, call)
            results = [(person, found.get(person.pk, [])) for person in people]
        return render(
            request, "conferences/conflict_check.html", {"call": call, "form": form, "results": results}
        )


def _is_id(value: str) -> bool:
    """A primary key as typed: ASCII digits ("²".isdigit() is True), short enough for any column."""
    return value.isascii() and value.isdigit() and len(value) < 10


# --- submissions -----------------------------------------------------------------------------------


class SubmissionCreateView(LoginRequiredMixin, View):
    def get(self, request, pk):
        call = _call(request, pk)
        form = forms.SubmissionForm(
            user=request.user, call=call, initial={"language": call.languages[0] if call.languages else "en"}
        )
        return render(
            request,
            "conferences/form.html",
            {"form": form, "title": _("Submit a paper to %(call)s") % {"call": call}, "back": call},
        )

    def post(self, request, pk):
        call = _call(request, pk)
        form = forms.SubmissionForm(request.POST, user=request.user, call=call)
        if form.is_valid():
            try:
                submission = services.submission_create(user=request.user, call=call, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Draft saved. Add your co-authors and the full paper, then submit.")
                )
                return redirect(submission)
        return render(
            request,
            "conferences/form.html",
            {"form": form, "title": _("Submit a paper to %(call)s") % {"call": call}, "back": call},
            status=400,
        )


def _reviews_for(user, submission: Submission, is_chair: bool):
    reviews = list(
        Review.objects.restrict(user)
        .filter(assignment__submission=submission)
        .select_related("assignment__reviewer__person")
        .order_by("assignment__pk")
    )
    if not is_chair:
        for review in reviews:
            if review.assignment.reviewer.person.user_id != user.pk:
                review.to_committee = ""  # for the committee only
    return reviews


class SubmissionDetailView(ObjectDetailView):
    model = Submission
    template_name = "conferences/submission_detail.html"

    def base_queryset(self):
        return Submission.objects.select_related(
            "call__conference", "on_behalf_of", "published_document", "recommended_document"
        ).prefetch_related("topics")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission, user = self.object, self.request.user
        call = submission.call
        is_chair = services.is_chair(user, call.conference)
        is_author = services.is_author(user, submission)
        reviewer = services.reviewer_role(user, call.conference)
        assignment = (
            Assignment.objects.filter(submission=submission, reviewer=reviewer)
            .select_related("review")
            .first()
            if reviewer
            else None
        )
        own_review = getattr(assignment, "review", None) if assignment else None
        phase = call.active_phase
        authors = list(
            Authorship.objects.restrict(user)
            .filter(submission=submission)
            .select_related("person", "member", "office")
        )
        reviews = _reviews_for(user, submission, is_chair)
        if is_author and not is_chair and reviewer is None:
            # Authors see what reviewers wrote to them, never who wrote it.
            for review in reviews:
                review.to_committee = ""
        context.update(
            call=call,
            is_chair=is_chair,
            is_author=is_author,
            authors=authors,
            authors_hidden=not authors and not is_author,
            files=list(
                SubmissionFile.objects.restrict(user).filter(submission=submission).order_by("-number")
            ),
            reviews=reviews,
            summary=services.score_summary(reviews) if (is_chair or reviews) else None,
            assignment=assignment,
            phase=phase,
            review_refusal=services.may_write_review(assignment) if assignment else None,
            review_form=forms.ReviewForm(initial=_review_initial(own_review)) if assignment else None,
            own_review=own_review,
            comments=list(
                Comment.objects.restrict(user).filter(submission=submission).select_related("author")
            ),
            may_discuss=is_chair or assignment is not None,
            editable=(is_author or is_chair)
            and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED),
            declared=list(
                DeclaredConflict.objects.restrict(user).filter(submission=submission).select_related("person")
            ),
            bid=Bid.objects.filter(reviewer=reviewer, submission=submission).first() if reviewer else None,
            may_bid=bool(
                reviewer and phase and phase.may_bid and submission.status == SubmissionStatus.SUBMITTED
            ),
        )
        if context["editable"]:
            context.update(
                edit_form=forms.SubmissionForm(
                    user=user,
                    call=call,
                    initial={
                        "title": submission.title,
                        "abstract": submission.abstract,
                        "language": submission.language,
                        "topics": list(submission.topics.all()),
                    },
                ),
                author_form=forms.AuthorForm(user=user),
                file_form=forms.FileForm(),
                declare_form=forms.DeclareConflictForm(user=user, conference=call.conference),
            )
        if context["may_bid"]:
            context["bid_form"] = forms.BidForm(
                initial={"value": context["bid"].value if context["bid"] else 0}
            )
        if is_chair:
            context.update(self._chair_context(submission))
        return context

    def _chair_context(self, submission: Submission) -> dict:
        from conferences.affinity import reviewer_ranking
        from conferences.conflicts import conflicts_between

        conference = submission.call.conference
        reviewers = list(Reviewer.objects.filter(conference=conference).select_related("person__member"))
        conflicts = conflicts_between(reviewers, [submission])
        assigned = {
            assignment.reviewer_id: assignment
            for assignment in submission.assignments.select_related("reviewer__person")
        }
        ranking = []
        if submission.status == SubmissionStatus.SUBMITTED and reviewers:
            for reviewer, score, explanation in reviewer_ranking(submission, reviewers)[:15]:
                ranking.append(
                    {
                        "reviewer": reviewer,
                        "score": score,
                        "explanation": explanation,
                        "conflicts": conflicts.get((reviewer.pk, submission.pk), []),
                        "assigned": reviewer.pk in assigned,
                    }
                )
        return {
            "assignments": list(assigned.values()),
            "ranking": ranking,
            "conflicted": [
                (reviewer, conflicts[(reviewer.pk, submission.pk)])
                for reviewer in reviewers
                if (reviewer.pk, submission.pk) in conflicts
            ],
            "pins": list(submission.conflict_pins.select_related("reviewer__person", "decided_by")),
            "assign_form": forms.AssignForm(user=self.request.user, conference=conference),
            "pin_form": forms.PinForm(user=self.request.user, conference=conference),
            "decision_form": forms.DecisionForm(
                initial={"status": submission.status if submission.status in services.DECISIONS else None}
            ),
            "duplicates": _near_duplicates(submission, self.request.user),
        }


def _near_duplicates(submission: Submission, user):
    from conferences.duplicates import near_duplicates

    return near_duplicates(submission, user=user)


def _review_initial(review: Review | None) -> dict:
    if review is None:
        return {}
    from conferences.models import SCORE_FIELDS

    return {
        name: getattr(review, name) for name in [*SCORE_FIELDS, "confidence", "to_authors", "to_committee"]
    }


class SubmissionEditView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.SubmissionForm(request.POST, user=request.user, call=submission.call)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        return service_done(
            request,
            lambda: services.submission_update(
                user=request.user, submission=submission, data=form.cleaned_data
            ),
            ok=_("Saved."),
            back=submission.get_absolute_url(),
        )


class AuthorAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.AuthorForm(request.POST, user=request.user)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        return service_done(
            request,
            lambda: services.author_add(user=request.user, submission=submission, **form.cleaned_data),
            ok=_("Co-author added."),
            back=submission.get_absolute_url(),
        )


class AuthorRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk, authorship_pk):
        submission = _submission(request, pk)
        authorship = Authorship.objects.filter(submission=submission, pk=authorship_pk).first()
        if authorship is None:
            raise Http404
        return service_done(
            request,
            lambda: services.author_remove(user=request.user, authorship=authorship),
            ok=_("Author removed."),
            back=submission.get_absolute_url(),
        )


class FileUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.FileForm(request.POST, request.FILES)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        upload = form.cleaned_data["file"]
        stage = request.POST.get("stage") or "full"
        return service_done(
            request,
            lambda: services.file_upload(
                user=request.user,
                submission=submission,
                name=upload.name or "paper",
                content=upload.read(services.max_file_bytes() + 1),
                stage=stage,
            ),
            ok=_("File uploaded."),
            back=submission.get_absolute_url(),
        )


class FileDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk, number):
        submission = _submission(request, pk)
        upload = (
            SubmissionFile.objects.restrict(request.user).filter(submission=submission, number=number).first()
        )
        if upload is None:
            raise Http404
        return FileResponse(
            upload.file.open("rb"),
            as_attachment=True,
            filename=upload.filename,
            content_type=upload.content_type,
        )


class SubmissionSubmitView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        return service_done(
            request,
            lambda: services.submission_submit(user=request.user, submission=submission),
            ok=_("Submitted. You can still change it until the full paper deadline."),
            back=submission.get_absolute_url(),
        )


class SubmissionWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        return service_done(
            request,
            lambda: services.submission_withdraw(user=request.user, submission=submission),
            ok=_("Withdrawn."),
            back=submission.get_absolute_url(),
        )


class DeclareConflictView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.DeclareConflictForm(
            request.POST, user=request.user, conference=submission.call.conference
        )
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        return service_done(
            request,
            lambda: services.conflict_declare(user=request.user, submission=submission, **form.cleaned_data),
            ok=_("Conflict declared."),
            back=submission.get_absolute_url(),
        )


class BidView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        reviewer = services.reviewer_role(request.user, submission.call.conference)
        form = forms.BidForm(request.POST)
        if reviewer is None or not form.is_valid():
            messages.error(request, _("Only the conference's reviewers bid."))
            return redirect(submission)
        return service_done(
            request,
            lambda: services.bid_set(
                user=request.user, reviewer=reviewer, submission=submission, value=form.cleaned_data["value"]
            ),
            ok=_("Bid saved."),
            back=submission.get_absolute_url(),
        )


class ReviewSaveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        reviewer = services.reviewer_role(request.user, submission.call.conference)
        assignment = (
            Assignment.objects.filter(submission=submission, reviewer=reviewer).first() if reviewer else None
        )
        if assignment is None:
            raise Http404
        form = forms.ReviewForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        submit = "submit" in request.POST
        return service_done(
            request,
            lambda: services.review_save(
                user=request.user, assignment=assignment, data=form.cleaned_data, submit=submit
            ),
            ok=_("Review submitted.") if submit else _("Review saved as a draft."),
            back=submission.get_absolute_url(),
        )


class CommentView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.CommentForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        return service_done(
            request,
            lambda: services.comment_post(
                user=request.user, submission=submission, text=form.cleaned_data["text"]
            ),
            ok=_("Comment posted."),
            back=submission.get_absolute_url() + "#discussion",
        )


class DecisionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.DecisionForm(request.POST)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        return service_done(
            request,
            lambda: services.decision_record(user=request.user, submission=submission, **form.cleaned_data),
            ok=_("Decision recorded; the authors are told."),
            back=submission.get_absolute_url(),
        )


class AssignView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.AssignForm(request.POST, user=request.user, conference=submission.call.conference)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        return service_done(
            request,
            lambda: services.assignment_add(
                user=request.user, submission=submission, reviewer=form.cleaned_data["reviewer"]
            ),
            ok=_("Reviewer assigned."),
            back=submission.get_absolute_url(),
        )


class UnassignView(LoginRequiredMixin, View):
    def post(self, request, pk, assignment_pk):
        submission = _submission(request, pk)
        assignment = (
            Assignment.objects.filter(submission=submission, pk=assignment_pk)
            .select_related("reviewer__person")
            .first()
        )
        if assignment is None:
            raise Http404
        return service_done(
            request,
            lambda: services.assignment_remove(user=request.user, assignment=assignment),
            ok=_("Reviewer removed."),
            back=submission.get_absolute_url(),
        )


class PinView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = _submission(request, pk)
        form = forms.PinForm(request.POST, user=request.user, conference=submission.call.conference)
        if not form.is_valid():
            return form_error_back(request, form, submission.get_absolute_url())
        return service_done(
            request,
            lambda: services.conflict_pin(user=request.user, submission=submission, **form.cleaned_data),
            ok=_("Conflict decision recorded."),
            back=submission.get_absolute_url(),
        )


# --- reviewers -------------------------------------------------------------------------------------


class MyConferenceWorkView(LoginRequiredMixin, View):
    """An author's papers and a reviewer's assignments, in one place."""

    def get(self, request):
        user = request.user
        papers = (
            Submission.objects.restrict(user)
            .filter(authorships__person__user=user)
            .select_related("call__conference")
            .order_by("-pk")
        )
        assignments = (
            Assignment.objects.restrict(user)
            .filter(reviewer__person__user=user)
            .select_related("submission__call__conference", "review")
            .order_by("-submission__call__paper_deadline", "submission__pk")
        )
        roles = Reviewer.objects.restrict(user).filter(person__user=user).select_related("conference")
        return render(
            request, "conferences/my.html", {"papers": papers, "assignments": assignments, "roles": roles}
        )


class ReviewerListView(LoginRequiredMixin, View):
    def get(self, request):
        conference_pk = request.GET.get("conference", "")
        conference = None
        if _is_id(conference_pk):
            conference = Conference.objects.restrict(request.user).filter(pk=int(conference_pk)).first()
        reviewers = (
            Reviewer.objects.restrict(request.user)
            .select_related("person__member", "conference")
            .prefetch_related("topics")
        )
        if conference is not None:
            reviewers = reviewers.filter(conference=conference)
        reviewers = reviewers.annotate(load=Count("assignments"))
        is_chair = conference is not None and services.is_chair(request.user, conference)
        context = {
            "conference": conference,
            "reviewers": reviewers[:500],
            "is_chair": is_chair,
            "form": forms.ReviewerForm(user=request.user) if is_chair else None,
            "calls": Call.objects.filter(conference=conference) if is_chair else [],
        }
        return render(request, "conferences/reviewer_list.html", context)

    def post(self, request):
        conference_pk = request.POST.get("conference", "")
        conference = (
            Conference.objects.restrict(request.user).filter(pk=int(conference_pk)).first()
            if _is_id(conference_pk)
            else None
        )
        if conference is None:
            raise Http404
        back = reverse("conferences:reviewer_list") + f"?conference={conference.pk}"
        form = forms.ReviewerForm(request.POST, user=request.user)
        if not form.is_valid():
            return form_error_back(request, form, back)
        data = dict(form.cleaned_data)
        person = data.pop("person")
        return service_done(
            request,
            lambda: services.reviewer_add(user=request.user, conference=conference, person=person, data=data),
            ok=_("Reviewer added and invited."),
            back=back,
        )


class ReviewerDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = Reviewer.objects.select_related("person__member", "conference").prefetch_related("topics")
    template_name = "conferences/reviewer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reviewer, user = self.object, self.request.user
        own = reviewer.person.user_id == user.pk
        context.update(
            own=own,
            is_chair=services.is_chair(user, reviewer.conference),
            standing=StandingConflict.objects.restrict(user)
            .filter(person=reviewer.person)
            .select_related("other_person", "member"),
            assignments=Assignment.objects.restrict(user)
            .filter(reviewer=reviewer)
            .select_related("submission", "review"),
            bids=Bid.objects.restrict(user).filter(reviewer=reviewer).select_related("submission"),
            profile_form=forms.ReviewerProfileForm(
                user=user,
                initial={
                    "institution": reviewer.institution,
                    "expertise": reviewer.expertise,
                    "topics": list(reviewer.topics.all()),
                    "languages": reviewer.languages,
                    "max_load": reviewer.max_load,
                },
            )
            if context["can_change"]
            else None,
            conflict_form=forms.StandingConflictForm(user=user) if own else None,
        )
        return context

    def post(self, request, pk):
        reviewer = get_scoped_object(Reviewer.objects.all(), request.user, Action.VIEW, pk=pk)
        if "kind" in request.POST and "expertise" not in request.POST:
            form = forms.StandingConflictForm(request.POST, user=request.user)
            if not form.is_valid():
                return form_error_back(request, form, reviewer.get_absolute_url())
            return service_done(
                request,
                lambda: services.standing_conflict_declare(user=request.user, **form.cleaned_data),
                ok=_("Conflict added to your profile."),
                back=reviewer.get_absolute_url(),
            )
        form = forms.ReviewerProfileForm(request.POST, user=request.user)
        if not form.is_valid():
            return form_error_back(request, form, reviewer.get_absolute_url())
        return service_done(
            request,
            lambda: services.reviewer_update(user=request.user, reviewer=reviewer, data=form.cleaned_data),
            ok=_("Profile saved."),
            back=reviewer.get_absolute_url(),
        )


class StandingConflictRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        conflict = get_scoped_object(StandingConflict.objects.all(), request.user, Action.VIEW, pk=pk)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("conferences:my_reviews")
        return service_done(
            request,
            lambda: services.standing_conflict_remove(user=request.user, conflict=conflict),
            ok=_("Removed."),
            back=back,
        )


# --- the bridge: practice into research --------------------------------------------------------------


class RecommendView(LoginRequiredMixin, View):
    def get(self, request):
        if request.user.role != "rocb_officer" and not is_secretariat(request.user):
            raise PermissionDenied(_("Regional offices recommend their reports."))
        initial = {}
        document = request.GET.get("document", "")
        if _is_id(document):
            initial["document"] = int(document)
        form = forms.RecommendForm(user=request.user, initial=initial)
        return render(
            request,
            "conferences/form.html",
            {
                "form": form,
                "title": _("Recommend a report to PICARD"),
                "intro": _(
                    "On behalf of your region's research series: the report becomes a draft submission, "
                    "and its authors are invited by email to complete it."
                ),
            },
        )

    def post(self, request):
        form = forms.RecommendForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                submission = services.recommendation_create(
                    user=request.user,
                    call=form.cleaned_data["call"],
                    document=form.cleaned_data["document"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Recommended; the authors are invited to complete the submission.")
                )
                return redirect(submission)
        return render(
            request,
            "conferences/form.html",
            {"form": form, "title": _("Recommend a report to PICARD")},
            status=400,
        )


# --- the programme ---------------------------------------------------------------------------------


def _conference(request, pk: int) -> Conference:
    return get_scoped_object(Conference.objects.select_related("region"), request.user, Action.VIEW, pk=pk)


def _programme_page(request, conference: Conference, form=None, status: int = 200):
    from conferences.programme import programme_context

    is_chair = services.is_chair(request.user, conference)
    context = programme_context(conference, user=request.user)
    if is_chair and form is None:
        form = forms.SessionForm(user=request.user, conference=conference)
    context.update(is_chair=is_chair, form=form if is_chair else None)
    return render(request, "conferences/programme.html", context, status=status)


class ProgrammeView(View):
    """The programme, public: sessions in time order with chair, room and papers; chairs add and
    remove sessions."""

    def get(self, request, pk):
        return _programme_page(request, _conference(request, pk))


class SessionAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        conference = _conference(request, pk)
        services.require_chair(request.user, conference)
        form = forms.SessionForm(request.POST, user=request.user, conference=conference)
        if form.is_valid():
            try:
                session = services.session_save(
                    user=request.user, conference=conference, data=form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Session “%(title)s” added.") % {"title": session.title})
                return redirect("conferences:programme", pk=conference.pk)
        return _programme_page(request, conference, form=form, status=400)


class SessionDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = get_scoped_object(
            ProgrammeSession.objects.select_related("conference"), request.user, Action.DELETE, pk=pk
        )
        return service_done(
            request,
            lambda: services.session_delete(user=request.user, session=session),
            ok=_("Session “%(title)s” removed.") % {"title": session.title},
            back=reverse("conferences:programme", args=[session.conference_id]),
        )


class ProgrammeFeedView(View):
    """The programme as an iCalendar file, one event per session."""

    def get(self, request, pk):
        from conferences.programme import programme_ics

        conference = _conference(request, pk)
        response = HttpResponse(
            programme_ics(conference, user=request.user), content_type="text/calendar; charset=utf-8"
        )
        name = slugify(conference.title) or f"conference-{conference.pk}"
        response["Content-Disposition"] = f'attachment; filename="{name}-programme.ics"'
        return response


# --- the bridge: research into practice ----------------------------------------------------------------


def _gap_region(request, code: str | None = None):
    """The region whose gaps the user sees: an ROCB officer's own (another region is refused), the
    region the Secretariat picks (the first by default; an unknown code is a 404), or None for
    anyone else."""
    from network.models import Region

    user = request.user
    code = (code if code is not None else request.GET.get("region", "")).strip()
    regions = Region.objects.restrict(user)
    if user.is_authenticated and user.role == "rocb_officer" and not is_secretariat(user):
        if user.region_id is None:
            return None
        region = user.region
        if code and code != region.code:
            raise PermissionDenied(_("Regional offices see the research gaps of their own region."))
        return region
    if not is_secretariat(user):
        return None
    if code:
        region = regions.filter(code=code[:8]).first()
        if region is None:
            raise Http404(_("No region with this code."))
        return region
    return regions.order_by("name", "pk").first()


class ResearchToPracticeView(View):
    """What research says that a region's workshops do not yet cover: topics with recent accepted
    papers and few of the region's activities, with the papers, possible speakers, and a button
    that proposes a workshop."""

    def get(self, request):
        from conferences.bridge import research_gaps
        from network.models import Region

        region = _gap_region(request)
        context = {"region": region, "gaps": [], "regions": []}
        if region is not None:
            context["gaps"] = research_gaps(region, user=request.user)
            if is_secretariat(request.user):
                context["regions"] = list(Region.objects.restrict(request.user).order_by("name", "pk"))
        return render(request, "conferences/research_to_practice.html", context)


class WorkshopProposeView(LoginRequiredMixin, View):
    """One click: a proposed regional workshop on a gap's topic, with the gap's papers as reading."""

    def post(self, request):
        from conferences.bridge import research_gaps
        from topics.models import Topic

        code = request.POST.get("region") or request.GET.get("region", "")
        region = _gap_region(request, code)
        if region is None:
            raise PermissionDenied(_("Regional offices and the Secretariat propose workshops."))
        back = reverse("conferences:research_to_practice")
        if is_secretariat(request.user):
            back += "?" + urlencode({"region": region.code})
        topic_id = request.POST.get("topic", "")
        if not _is_id(topic_id):
            raise Http404(_("No topic found."))
        topic = Topic.objects.filter(pk=int(topic_id)).first()
        if topic is None:
            raise Http404(_("No topic found."))
        gap = next(
            (gap for gap in research_gaps(region, user=request.user) if gap.topic.pk == topic.pk), None
        )
        if gap is None or not gap.papers:
            messages.error(
                request, _("Research on this topic is already covered by the region's activities.")
            )
            return redirect(back)
        chosen = {value for value in request.POST.getlist("papers") if _is_id(value)}
        papers = [paper for paper in gap.papers if str(paper.pk) in chosen] or gap.papers
        try:
            activity = services.workshop_from_research(
                user=request.user, region=region, topic=topic, papers=papers
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this."))
        else:
            messages.success(request, _("Workshop proposed, with the papers as its reading."))
            return redirect(activity)
        return redirect(back)
