"""People pages: the list (in scope), a person's participations, duplicates and merging."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.permissions import Action, get_scoped_object
from core.tables import Column
from core.views import ObjectDetailView, ObjectListView
from people.filtersets import PersonFilterSet
from people.models import Person
from people.services import person_duplicate_groups, person_merge


class PersonListView(LoginRequiredMixin, ObjectListView):
    queryset = Person.objects.select_related("member")
    filterset_class = PersonFilterSet
    export_name = "people"
    columns = [
        Column(gettext_lazy("Name"), "__str__"),
        Column(gettext_lazy("Administration"), "member.label"),
        Column(gettext_lazy("Email"), "email"),
        Column(gettext_lazy("Gender"), "gender"),
        Column(gettext_lazy("Job title"), "job_title"),
    ]


class PersonDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = Person.objects.select_related("member")
    template_name = "people/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participations"] = (
            self.object.participations.restrict(self.request.user)
            .select_related("activity")
            .order_by("-activity__start_date")
        )
        from training.elearning import person_completions  # training builds on people

        context["completions"] = person_completions(self.request.user, self.object)
        return context


class DuplicatesView(LoginRequiredMixin, TemplateView):
    template_name = "people/duplicates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = person_duplicate_groups(Person.objects.restrict(self.request.user, Action.CHANGE))
        return context


class MergeView(LoginRequiredMixin, View):
    def post(self, request):
        user = request.user
        try:
            keep = get_scoped_object(
                Person.objects.all(), user, Action.CHANGE, pk=int(request.POST.get("keep", 0))
            )
            duplicate = get_scoped_object(
                Person.objects.all(), user, Action.CHANGE, pk=int(request.POST.get("duplicate", 0))
            )
            person_merge(user=user, keep=keep, duplicate=duplicate)
            messages.success(
                request, _("Merged into %(person)s; every participation was kept.") % {"person": keep}
            )
        except (ValueError, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [_("Choose two people to merge.")])))
        return redirect("people:duplicates")
