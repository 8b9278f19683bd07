from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedForm, ScopedModelForm
from core.uploads import safe_filename
from knowledge.extraction import check_upload
from knowledge.models import Document, DocumentKind, Visibility
from network.models import Office


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(ScopedForm):
    """Metadata shared by the uploaded files; each file's title defaults to its name."""

    files = MultipleFileField(
        label=_("Files"), help_text=_("PDF, DOCX, HTML, Markdown or text; several at once.")
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=300, help_text=_("Leave empty to use each file's name.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    authors = forms.CharField(label=_("Authors"), required=False, max_length=500)
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=Visibility.choices, initial=Visibility.NETWORK
    )
    restricted_offices = forms.ModelMultipleChoiceField(
        label=_("Offices that may see it"),
        queryset=Office.objects.order_by("kind", "name"),
        required=False,
        to_field_name="code",
    )

    def clean_files(self):
        """The files that can be ingested. The others are not stored: `self.refused` lists them with
        the reason, for the job to report beside the rest; if no file is left, the form says why."""
        self.refused, accepted, reasons = [], [], []
        for upload in self.cleaned_data["files"]:
            try:
                check_upload(upload)
            except forms.ValidationError as error:
                reason = " ".join(error.messages)
                self.refused.append((safe_filename(upload.name), reason))
                reasons.append(reason)
                continue
            accepted.append(upload)
        if not accepted:
            raise forms.ValidationError(reasons)
        return accepted

    def metadata(self, user) -> dict:
        data = self.cleaned_data
        metadata = {
            "title": data["title"],
            "kind": data["kind"],
            "date": data["date"].isoformat() if data["date"] else "",
            "authors": data["authors"],
            "visibility": data["visibility"],
            "restricted_offices": ";".join(office.code for office in data["restricted_offices"]),
            "restricted_users": [user.pk] if data["visibility"] == "restricted" else [],
        }
        # A document belongs to the uploader's administration, centre or region.
        if user.member_id:
            metadata["member"] = user.member.iso_alpha2
        elif user.office_id:
            metadata["office"] = user.office.code
        elif user.region_id:
            metadata["region"] = user.region.slug
        return metadata


class DocumentForm(ScopedModelForm):
    """A document's metadata and who may see it; the text comes from its files."""

    class Meta:
        model = Document
        fields = [
            "title",
            "kind",
            "date",
            "author_names",
            "visibility",
            "region",
            "office",
            "member",
            "restricted_offices",
            "activity",
            "topics",
        ]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("New file"), help_text=_("The new version replaces the text that is searched.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload
