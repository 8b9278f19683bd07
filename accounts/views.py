"""People directory (inside the user's scope) and the signed-in user's own page."""

import django_filters
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import ResetThrottle, password_reset_throttle
from core.tables import Column
from core.throttling import client_ip
from core.views import ObjectDetailView, ObjectListView
from network.filtersets import SearchFilterSet


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email")
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))

    class Meta:
        model = User
        fields = ["q", "role"]


class UserListView(LoginRequiredMixin, ObjectListView):
    queryset = User.objects.select_related("region", "office", "member")
    filterset_class = UserFilterSet
    export_name = "users"
    columns = [
        Column(_("User"), "username"),
        Column(_("First name"), "first_name"),
        Column(_("Last name"), "last_name"),
        Column(_("Role"), "role"),
        Column(_("Scope"), "scope"),
    ]


class UserDetailView(LoginRequiredMixin, ObjectDetailView):
    queryset = User.objects.select_related("region", "office", "member")
    template_name = "accounts/user_detail.html"
    context_object_name = "person"


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, throttled per client address and per email (accounts.services)."""

    def form_valid(self, form):
        verdict = password_reset_throttle(address=client_ip(self.request), email=form.cleaned_data["email"])
        if verdict == ResetThrottle.ADDRESS:
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        if verdict == ResetThrottle.EMAIL:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
