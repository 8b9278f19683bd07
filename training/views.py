"""Training pages: the catalogue (public, with CSV/XLSX export), a product with its curriculum,
coverage, versions and deliveries, the owning office's forms and lifecycle buttons, a session request,
the product's iCalendar feed, a region's matrix of topics × centres with its gaps and invitations,
the competency frameworks, and e-learning completions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.roles import Role
from activities.calendar import activities_feed
from activities.models import PUBLIC_STATUSES, Activity
from core.filtersets import year_from_text
from core.permissions import Action, can, get_scoped_object, is_secretariat
from core.tables import Column
from core.views import (
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_service_errors,
    form_error_back,
    service_done,
)
from knowledge.models import Document
from network.models import Region
from training import completions, figures, forms, services
from training.filtersets import CompletionFilterSet, ProductFilterSet
from training.models import (
    CompetencyFramework,
    Completion,
    Module,
    Product,
    ProductStatus,
    Session,
)

MATRIX_YEARS = 3
FIRST_YEAR = 1900  # training records start long after; earlier years are typing mistakes


def _next_session():
    today = timezone.localdate()
    return Subquery(
        Session.objects.filter(
            product=OuterRef("pk"), activity__start_date__gte=today, activity__status__in=PUBLIC_STATUSES
        )
        .order_by()
        .values("product")
        .annotate(first=Min("activity__start_date"))
        .values("first")[:1]
    )


class CatalogueView(ObjectListView):
    """Offered products across the network, filtered by topic, kind, level, language, delivery mode
    and centre; each with its next announced session."""

    queryset = Product.objects.select_related("owner_office")
    filterset_class = ProductFilterSet
    export_name = "training-catalogue"
    add_url = reverse_lazy("training:product_add")
    columns = [
        Column(gettext_lazy("Product"), "__str__"),
        Column(gettext_lazy("Centre"), "owner_office"),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Level"), "level"),
        Column(gettext_lazy("Hours"), "duration_hours"),
        Column(gettext_lazy("Languages"), "languages"),
        Column(gettext_lazy("Next session"), "next_session"),
    ]

    def default_filters(self) -> dict[str, str]:
        return {"status": ProductStatus.OFFERED}

    def get_queryset(self):
        return super().get_queryset().annotate(next_session=_next_session())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actions = [
            (_("Competency frameworks"), reverse("training:framework_list")),
            (_("Recognised programmes"), reverse("training:recognition_list")),
        ]
        region = _user_region(user)
        if region is not None:
            actions.append(
                (_("The region's training matrix"), reverse("training:region_matrix", args=[region.slug]))
            )
        if user.is_authenticated:
            actions.append((_("Recognition applications"), reverse("training:application_list")))
            actions.append((_("E-learning completions"), reverse("training:completion_list")))
        context.update(extra_actions=actions, title=_("Training catalogue"))
        return context


def _user_region(user):
    if not user.is_authenticated or user.role not in (Role.ROCB_OFFICER, Role.RTC_COORDINATOR):
        return None
    return Region.objects.filter(pk=user.region_id).first()


def _product(request, pk, action=Action.VIEW) -> Product:
    return get_scoped_object(
        Product.objects.select_related("owner_office__region", "assessment", "invited_by"),
        request.user,
        action,
        pk=pk,
    )


class ProductDetailView(View):
    def get(self, request, pk):
        product = _product(request, pk)
        user = request.user
        may_edit = services.may_edit_content(user, product) and can(user, Action.CHANGE, product)
        context = {
            "product": product,
            "modules": list(product.modules.prefetch_related("competencies").order_by("position", "pk")),
            "topics": list(product.topics.all()),
            "materials": list(
                Document.objects.restrict(user).filter(training_products=product).order_by("title")
            ),
            "assessment": _visible_assessment(user, product),
            "coverage": figures.coverage(product),
            "versions": list(product.versions.order_by("-number")[:20]),
            "moves": list(
                product.moves.select_related("user__office", "user__region").order_by("created_at", "pk")
            )
            if can(user, Action.CHANGE, product)
            else [],
            "may_edit": may_edit and product.status != ProductStatus.RETIRED,
            "moves_allowed": services.allowed_moves(user, product) if user.is_authenticated else [],
            "status_labels": dict(ProductStatus.choices),
            "module_form": forms.ModuleForm(user=user) if may_edit else None,
            "schedule_form": forms.ScheduleForm(user=user, product=product)
            if product.status in (ProductStatus.ENDORSED, ProductStatus.OFFERED)
            and can(user, Action.CHANGE, product)
            else None,
            "may_request": user.is_authenticated
            and user.role == Role.FOCAL_POINT
            and product.status == ProductStatus.OFFERED,
            **figures.product_figures(user, product),
        }
        return render(request, "training/product_detail.html", context)


def _visible_assessment(user, product):
    from surveys.models import Questionnaire

    if product.assessment_id is None:
        return None
    return Questionnaire.objects.restrict(user).filter(pk=product.assessment_id).first()


class ProductEditView(ObjectEditView):
    model = Product
    form_class = forms.ProductForm

    def create(self, data):
        owner = data.pop("owner_office", None) or getattr(self.request.user, "office", None)
        if owner is None:
            raise ValidationError({"owner_office": _("Choose the office that offers the product.")})
        return services.product_create(user=self.request.user, owner_office=owner, data=data)

    def update(self, data):
        return services.product_update(user=self.request.user, product=self.object, data=data)


class ProductHistoryView(LoginRequiredMixin, ObjectHistoryView):
    """Every change of the text, drafts included: for those who may change the product."""

    model = Product
    permission_action = Action.CHANGE


class ProductMoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        product = _product(request, pk)
        form = forms.MoveForm(request.POST)
        back = product.get_absolute_url()
        if not form.is_valid():
            return form_error_back(request, form, back)
        status = form.cleaned_data["to_status"]
        return service_done(
            request,
            lambda: services.product_move(
                user=request.user, product=product, to_status=status, comment=form.cleaned_data["comment"]
            ),
            ok=_("The product is now “%(status)s”.") % {"status": ProductStatus(status).label},
            back=back,
        )


class ModuleAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        product = _product(request, pk)
        form = forms.ModuleForm(request.POST, user=request.user)
        back = product.get_absolute_url() + "#curriculum"
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.module_save(user=request.user, product=product, data=form.cleaned_data),
            ok=_("Module added."),
            back=back,
        )


def _module(request, pk) -> Module:
    return get_scoped_object(
        Module.objects.select_related("product__owner_office"), request.user, Action.VIEW, pk=pk
    )


class ModuleEditView(LoginRequiredMixin, View):
    def get(self, request, pk):
        module = _module(request, pk)
        if not (
            services.may_edit_content(request.user, module.product)
            and can(request.user, Action.CHANGE, module)
        ):
            raise PermissionDenied(_("The office that owns a product writes its text."))
        form = forms.ModuleForm(
            user=request.user,
            initial={
                "title": module.title,
                "title_fr": module.title_fr,
                "hours": module.hours,
                "objectives": module.objectives,
                "competencies": list(module.competencies.all()),
            },
        )
        return render(request, "training/module_form.html", {"module": module, "form": form})

    def post(self, request, pk):
        module = _module(request, pk)
        form = forms.ModuleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.module_save(
                    user=request.user, product=module.product, module=module, data=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Module saved."))
                return redirect(module.product.get_absolute_url() + "#curriculum")
        return render(request, "training/module_form.html", {"module": module, "form": form}, status=400)


class ModuleDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        module = _module(request, pk)
        return service_done(
            request,
            lambda: services.module_delete(user=request.user, module=module),
            ok=_("Module removed."),
            back=module.product.get_absolute_url() + "#curriculum",
        )


class SessionAddView(LoginRequiredMixin, View):
    """From the product's page: this activity delivers the product."""

    def post(self, request, pk):
        product = _product(request, pk)
        form = forms.ScheduleForm(request.POST, user=request.user, product=product)
        back = product.get_absolute_url() + "#sessions"
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.session_link(
                user=request.user, activity=form.cleaned_data["activity"], product=product
            ),
            ok=_("The activity is now a session of this product."),
            back=back,
        )


class ActivitySessionView(LoginRequiredMixin, View):
    """From the activity's page: name the product it delivers."""

    def post(self, request, pk):
        activity = get_scoped_object(Activity.objects.all(), request.user, Action.CHANGE, pk=pk)
        form = forms.SessionForm(request.POST, user=request.user, activity=activity)
        back = activity.get_absolute_url()
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.session_link(
                user=request.user, activity=activity, product=form.cleaned_data["product"]
            ),
            ok=_("The activity delivers “%(product)s”.") % {"product": form.cleaned_data["product"]},
            back=back,
        )


class SessionDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = get_scoped_object(
            Session.objects.select_related("product"), request.user, Action.VIEW, pk=pk
        )
        return service_done(
            request,
            lambda: services.session_unlink(user=request.user, session=session),
            ok=_("The activity no longer counts as a session of the product."),
            back=session.product.get_absolute_url() + "#sessions",
        )


class SessionRequestView(LoginRequiredMixin, View):
    """A focal point asks for a session of an offered product (an assistance request naming it)."""

    def get(self, request, pk):
        product = _product(request, pk)
        form = forms.SessionRequestForm(user=request.user)
        return render(request, "training/session_request.html", {"product": product, "form": form})

    def post(self, request, pk):
        product = _product(request, pk)
        form = forms.SessionRequestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                assistance = services.session_request_submit(
                    user=request.user, product=product, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your request was sent to the region's ROCB."))
                return redirect(assistance.get_absolute_url())
        return render(
            request, "training/session_request.html", {"product": product, "form": form}, status=400
        )


def product_feed(request, pk):
    """The product's sessions as an iCalendar feed; subscribers without an account get the announced ones."""
    product = _product(request, pk)
    return activities_feed(
        request, figures.product_sessions(request.user, product), f"cbhub-product-{product.pk}"
    )


# --- the region's matrix ---------------------------------------------------------------------------


def _matrix_years(request) -> tuple[int, int]:
    this_year = timezone.localdate().year
    try:
        year_to = year_from_text(request.GET["to"]) if request.GET.get("to") else this_year
        year_from = (
            year_from_text(request.GET["from"]) if request.GET.get("from") else year_to - MATRIX_YEARS + 1
        )
    except ValidationError as error:
        raise ValidationError(error.messages) from None
    if year_from > year_to:
        raise ValidationError(_("The first year is after the last."))
    if year_from < FIRST_YEAR:
        raise ValidationError(_("Show years from %(first)d on.") % {"first": FIRST_YEAR})
    if year_to - year_from > 20:
        raise ValidationError(_("Show at most 20 years at a time."))
    return year_from, year_to


class RegionMatrixView(LoginRequiredMixin, View):
    def get(self, request, slug):
        region = get_object_or_404(Region.objects.restrict(request.user), slug=slug)
        try:
            year_from, year_to = _matrix_years(request)
        except ValidationError as error:
            this_year = timezone.localdate().year
            return render(
                request,
                "training/region_matrix.html",
                {
                    "region": region,
                    "error": " ".join(error.messages),
                    "year_from": this_year - 2,
                    "year_to": this_year,
                },
                status=400,
            )
        matrix = figures.region_matrix(request.user, region, year_from=year_from, year_to=year_to)
        may_invite = is_secretariat(request.user) or (
            request.user.role == Role.ROCB_OFFICER and request.user.region_id == region.pk
        )
        context = {
            "region": region,
            "matrix": matrix,
            "year_from": year_from,
            "year_to": year_to,
            "invitation_form": forms.InvitationForm(user=request.user, region=region) if may_invite else None,
        }
        return render(request, "training/region_matrix.html", context)


class InvitationView(LoginRequiredMixin, View):
    """An ROCB turns a gap into an invitation to one of its centres: a draft product for it."""

    def post(self, request, slug):
        region = get_object_or_404(Region.objects.restrict(request.user), slug=slug)
        form = forms.InvitationForm(request.POST, user=request.user, region=region)
        back = reverse("training:region_matrix", args=[region.slug])
        if not form.is_valid():
            return form_error_back(request, form, back)
        return service_done(
            request,
            lambda: services.product_invite(user=request.user, **form.cleaned_data),
            ok=_("The centre was invited: the draft waits on its home page."),
            back=back,
        )


# --- competency frameworks -------------------------------------------------------------------------


class FrameworkListView(View):
    def get(self, request):
        frameworks = (
            CompetencyFramework.objects.restrict(request.user).select_related("member").order_by("code")
        )
        return render(request, "training/framework_list.html", {"frameworks": list(frameworks)})


class FrameworkDetailView(View):
    """Each competency of a framework with the products that teach it, network-wide or in a region."""

    def get(self, request, pk):
        framework = get_scoped_object(CompetencyFramework.objects.all(), request.user, Action.VIEW, pk=pk)
        regions = list(Region.objects.restrict(request.user).order_by("name"))
        region = next((r for r in regions if r.slug == request.GET.get("region")), None)
        teaching = figures.framework_coverage(request.user, framework, region)
        areas = list(framework.areas.prefetch_related("competencies").order_by("level", "position", "code"))
        for area in areas:
            area.rows = [
                (competency, teaching.get(competency.pk, [])) for competency in area.competencies.all()
            ]
        context = {"framework": framework, "areas": areas, "regions": regions, "region": region}
        return render(request, "training/framework_detail.html", context)


# --- e-learning completions ------------------------------------------------------------------------


class CompletionListView(LoginRequiredMixin, ObjectListView):
    queryset = Completion.objects.select_related("person", "product", "member")
    filterset_class = CompletionFilterSet
    export_name = "elearning-completions"
    columns = [
        Column(gettext_lazy("Product"), "product"),
        Column(gettext_lazy("Person"), "person"),
        Column(gettext_lazy("Administration"), "member"),
        Column(gettext_lazy("Status"), "status"),
        Column(gettext_lazy("Completed on"), "completed_on"),
        Column(gettext_lazy("Score"), "score"),
        Column(gettext_lazy("Source"), "source"),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("E-learning completions")
        if completions.may_upload(self.request.user):
            context["extra_actions"] = [(_("Import an LMS export"), reverse("training:completion_import"))]
        return context


class CompletionImportView(LoginRequiredMixin, View):
    """An LMS export on the imports' preview → confirm flow (confirmed as a job)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not completions.may_upload(request.user):
            raise PermissionDenied(_("You may not record e-learning completions."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(forms.CompletionFileForm())

    def render(self, form, status=200):
        return render(self.request, "training/completion_import.html", {"form": form}, status=status)

    def post(self, request):
        form = forms.CompletionFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, 400)
        upload = form.cleaned_data["file"]
        try:
            batch = completions.completion_import_preview(
                user=request.user, name=upload.name, content=upload.read()
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
            return self.render(form, 400)
        return redirect("activities:import_preview", pk=batch.pk)
