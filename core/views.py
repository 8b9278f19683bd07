"""Base views. Every HTML view of a model derives from these, and they restrict every queryset by
the user and the action, so no page can list, show, count or export what the user may not see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from core import services
from core.exports import EXPORTERS
from core.pagination import CappedPaginator
from core.permissions import Action, can, can_add_any, get_scoped_object
from core.search import MAX_QUERY_LENGTH, search
from core.tables import Column
from core.widgets import make_selects_searchable


class ScopedQuerysetMixin:
    """The one place HTML views get their rows: the model's queryset, restricted."""

    model = None
    queryset = None
    permission_action = Action.VIEW

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.model is None:
            self.model = self.queryset.model

    def base_queryset(self):
        return self.queryset.all() if self.queryset is not None else self.model.objects.all()

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, self.permission_action)

    def get_object(self, queryset=None):
        return get_scoped_object(
            self.base_queryset(), self.request.user, self.permission_action, pk=self.kwargs["pk"]
        )


class ObjectListView(ScopedQuerysetMixin, ListView):
    """A filtered, paginated list with CSV export. htmx requests get only the results fragment."""

    filterset_class = None
    columns: list[Column] = []
    paginate_by = 50
    paginator_class = CappedPaginator  # counts at most 10,000 rows
    template_name = "core/object_list.html"
    export_name = "export"

    # Query keys that choose an export or a page, not which rows: a list with only these opens
    # on its default filters, as the page without them does.
    NOT_FILTERS = frozenset({"export", "page"})

    def default_filters(self) -> dict[str, str]:
        """The filters a list opens with when the user has chosen none (subclasses override)."""
        return {}

    def filter_data(self):
        chosen = set(self.request.GET) - self.NOT_FILTERS
        self.defaults_applied = {} if chosen else self.default_filters()
        if self.defaults_applied:
            return {**self.request.GET.dict(), **self.defaults_applied}
        return self.request.GET or None

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.filter_data(), queryset=super().get_queryset(), request=self.request
        )
        make_selects_searchable(self.filterset.form)
        # An invalid filter shows its error and an empty list rather than everything.
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in EXPORTERS:
            return EXPORTERS[export](self.get_queryset(), self.columns, self.export_name)
        response = super().get(request, *args, **kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400  # the page shows the filter's errors (htmx swaps a 400 in too)
        return response

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["core/_object_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.update(getattr(self, "defaults_applied", {}))
        context.update(
            filterset=self.filterset,
            columns=self.columns,
            rows=[(obj, [column.value(obj) for column in self.columns]) for obj in context["object_list"]],
            query_string=query.urlencode(),
            can_add=can_add_any(self.request.user, self.model) and hasattr(self, "add_url"),
            add_url=getattr(self, "add_url", ""),
            title=self.model._meta.verbose_name_plural,
        )
        return context


class ObjectDetailView(ScopedQuerysetMixin, DetailView):
    """One object; 404 if the user may not view it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = can(self.request.user, Action.CHANGE, self.object)
        return context


class ObjectEditView(LoginRequiredMixin, ScopedQuerysetMixin, FormView):
    """Create (no pk) or change (pk) one object through the generic record services."""

    form_class = None
    template_name = "core/object_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = None
        if "pk" in kwargs:
            self.permission_action = Action.CHANGE
            self.object = self.get_object()
        elif not can_add_any(request.user, self.model):
            raise PermissionDenied(_("You may not add records of this kind."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.object, user=self.request.user)
        return kwargs

    def get_form(self, form_class=None):
        return make_selects_searchable(super().get_form(form_class))

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.changed_data or form.cleaned_data}
        try:
            self.object = self.create(data) if self.object is None else self.update(data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(self.object.get_absolute_url())

    def create(self, data):
        """Save a new object; apps with their own rules override this to call their service."""
        return services.record_create(user=self.request.user, model=self.model, data=data)

    def update(self, data):
        return services.record_update(user=self.request.user, instance=self.object, data=data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, verbose_name=self.model._meta.verbose_name)
        return context


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field where the form has it, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ObjectHistoryView(ScopedQuerysetMixin, DetailView):
    """Who changed what and when, newest first, with each change's differences."""

    template_name = "core/object_history.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = list(
            self.object.history.select_related(
                "history_user__office", "history_user__region", "history_user__member", "history_user__donor"
            )[: self.paginate_by + 1]
        )
        changes = []
        for newer, older in zip(records, records[1:] + [None], strict=False):
            if newer is records[-1] and len(records) > self.paginate_by:
                break
            diff = newer.diff_against(older).changes if older is not None else []
            changes.append({"record": newer, "changes": diff})
        context.update(changes=changes, truncated=len(records) > self.paginate_by)
        return context


class SearchView(View):
    """Search across every registered model, inside the user's scope."""

    def get(self, request):
        query = request.GET.get("q", "").strip()
        error = ""
        groups = []
        if len(query) > MAX_QUERY_LENGTH:
            error = _("Search terms are limited to %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}
        elif query:
            groups = search(request.user, query)
        status = 400 if error else 200
        return render(
            request, "core/search.html", {"query": query, "groups": groups, "error": error}, status=status
        )


def healthz(request):
    """Liveness and database check for the proxy and the orchestrator."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means unhealthy, whatever its type
        return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# --- the thin POST views of the apps' pages: run a service, say what happened, go back -------------


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def service_done(request, action, *, ok: str, back: str):
    """Run a service call; say what happened; go back. A refusal keeps what is stored."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, error_text(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    else:
        messages.success(request, ok)
    return redirect(back)


def form_error_back(request, form, back: str):
    """An invalid form's errors as one message, then back to the page it was posted from."""
    errors = [
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(messages_)}".lstrip(": ")
        for name, messages_ in form.errors.items()
    ]
    messages.error(request, " ".join(errors) or _("Check the form."))
    return redirect(back)
