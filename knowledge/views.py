"""Knowledge pages: hybrid search with facets, upload (a background job), a document, its topics."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.filtersets import year_from_text
from core.permissions import Action, get_scoped_object
from core.search import search as registry_search
from core.uploads import safe_filename
from core.views import ObjectDetailView, ObjectEditView
from jobs.services import job_enqueue
from knowledge import retrieval
from knowledge.forms import DocumentForm, UploadForm, VersionForm
from knowledge.jobs import INGEST
from knowledge.models import Document, SuggestionStatus, TopicSuggestion
from knowledge.services import topic_suggestion_decide


def search_filters(params) -> dict:
    """The facets a search is narrowed to; a ValidationError for a year no date can have."""
    filters = {
        name: params.get(name, "").strip() for name in retrieval.FACETS if params.get(name, "").strip()
    }
    if "year" in filters:
        try:
            filters["year"] = str(year_from_text(filters["year"]))
        except ValidationError as invalid:
            raise ValidationError({"year": invalid.messages}) from None
    return filters


class SearchView(View):
    """Documents by hybrid search, and the matching activities and registry entries beside them."""

    def get(self, request):
        query = request.GET.get("q", "").strip()
        try:
            filters, error = search_filters(request.GET), ""
        except ValidationError as invalid:
            filters, error = {}, " ".join(invalid.messages)
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        context = {"query": query, "filters": filters, "page": page, "error": error}
        status = 200
        if error:
            status = 400
        elif len(query) > retrieval.MAX_QUERY_LENGTH:
            context["error"] = _("Search terms are limited to %(limit)d characters.") % {
                "limit": retrieval.MAX_QUERY_LENGTH
            }
            status = 400
        elif query:
            results = retrieval.search(request.user, query, filters, page=page)
            context.update(
                results=results,
                has_next=page * 20 < results.total,
                others=[
                    group
                    for group in registry_search(request.user, query, per_group=5)
                    if group.index.model is not Document
                ],
            )
        else:
            context["recent"] = retrieval.visible_documents(request.user, filters).select_related("region")[
                :20
            ]
        return render(request, "knowledge/search.html", context, status=status)


class UploadView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "knowledge/upload.html", {"form": UploadForm(user=request.user)})

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return render(request, "knowledge/upload.html", {"form": form}, status=400)
        metadata = form.metadata(request.user)
        items = []
        for upload in form.cleaned_data["files"]:
            # The job reads the files back from storage, so a worker on another machine can too.
            name = safe_filename(upload.name)
            stored = default_storage.save(f"uploads/{uuid.uuid4().hex}/{name}", upload)
            items.append(
                {
                    "name": name,
                    "storage_name": stored,
                    "metadata": {
                        **metadata,
                        "title": metadata["title"] if len(form.cleaned_data["files"]) == 1 else "",
                    },
                }
            )
        # Files refused by the form were not stored; the job reports them beside the others.
        items += [{"name": name, "refused": reason} for name, reason in form.refused]
        job = job_enqueue(kind=INGEST, payload={"items": items}, user=request.user, total=len(items))
        messages.success(request, _("Your files are being processed; this page shows the progress."))
        return redirect(job)


class DocumentDetailView(ObjectDetailView):
    queryset = Document.objects.select_related("region", "office", "member", "activity", "uploaded_by")
    template_name = "knowledge/document_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document, user = self.object, self.request.user
        context.update(
            versions=document.versions.all(),
            topics=document.topics.all(),
            suggestions=document.topic_suggestions.filter(status=SuggestionStatus.SUGGESTED).select_related(
                "topic"
            ),
            similar=retrieval.more_like_this(user, document),
            preview=document.text[:3000],
            may_recommend=_may_recommend(user, document),
        )
        return context


def _may_recommend(user, document: Document) -> bool:
    """An ROCB officer recommends their region's reports to an open research call (conferences)."""
    from conferences.services import RECOMMENDABLE_KINDS

    return bool(
        user.is_authenticated
        and user.role == "rocb_officer"
        and document.region_id == user.region_id
        and document.kind in RECOMMENDABLE_KINDS
    )


class DocumentFileView(View):
    def get(self, request, pk):
        document = get_scoped_object(Document.objects.all(), request.user, Action.VIEW, pk=pk)
        version = document.current_version
        if version is None or not version.file:
            raise Http404(_("This document has no file."))
        return FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.filename,
            content_type=version.content_type,
        )


class SuggestionDecideView(LoginRequiredMixin, View):
    """A curator confirms a suggested topic (it joins the document's topics) or rejects it."""

    def post(self, request, pk):
        suggestion = get_scoped_object(
            TopicSuggestion.objects.select_related("document", "topic"), request.user, Action.CHANGE, pk=pk
        )
        confirm = request.POST.get("decision") == "confirm"
        topic_suggestion_decide(user=request.user, suggestion=suggestion, confirm=confirm)
        return redirect(suggestion.document)


class DocumentEditView(ObjectEditView):
    """Change a document's metadata or visibility (its uploader, the region's ROCB, the Secretariat)."""

    model = Document
    form_class = DocumentForm


class DocumentVersionView(LoginRequiredMixin, View):
    """Upload a new file for a document: ingested as its next version by a job."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.document = get_scoped_object(
                Document.objects.all(), request.user, Action.CHANGE, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return render(request, "knowledge/version.html", {"form": VersionForm(), "object": self.document})

    def post(self, request, pk):
        form = VersionForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, "knowledge/version.html", {"form": form, "object": self.document}, status=400
            )
        job = job_enqueue(
            kind=INGEST,
            user=request.user,
            total=1,
            payload={"items": [document_version_item(self.document, form.cleaned_data["file"])]},
        )
        return redirect(job)


def document_version_item(document: Document, upload) -> dict:
    """A job item that makes `upload` the next version of `document`, keeping its metadata."""
    if not document.source_key:
        document.source_key = f"document:{document.pk}"
        document.save(update_fields=["source_key", "updated_at"])
    name = safe_filename(upload.name)
    stored = default_storage.save(f"uploads/{uuid.uuid4().hex}/{name}", upload)
    metadata = {
        "title": document.title,
        "kind": document.kind,
        "visibility": document.visibility,
        "date": document.date.isoformat() if document.date else "",
        "authors": document.author_names,
        "region": document.region.slug if document.region else "",
        "office": document.office.code if document.office else "",
        "member": document.member.iso_alpha2 if document.member else "",
        "topics": ";".join(document.topics.values_list("slug", flat=True)),
        "restricted_offices": ";".join(document.restricted_offices.values_list("code", flat=True)),
        "restricted_users": list(document.restricted_users.values_list("pk", flat=True)),
        "activity": str(document.activity_id or ""),
    }
    return {
        "name": name,
        "storage_name": stored,
        "metadata": metadata,
        "source_key": document.source_key,
    }
