"""Form widgets every app shares.

Long selects (the 187 member administrations, the 39 topics, the ISO 4217 currencies) become
searchable with Tom Select: the widget only marks the <select> with `data-searchable`, and
`core/static/js/forms.js` turns every marked select into a searchable one, on page load and after
each htmx swap. Without JavaScript the plain <select> still works.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# A single select with fewer options than this stays a plain <select>: faster to use as it is.
SEARCHABLE_MIN_OPTIONS = 15


def _searchable_attrs(multiple: bool) -> dict[str, str]:
    attrs = {
        "data-searchable": "multiple" if multiple else "single",
        "data-no-results": str(_("No match")),
        "data-placeholder": str(_("Type to search")),
    }
    if multiple:
        attrs["data-remove-label"] = str(_("Remove"))
    return attrs


def _option_count(context) -> int:
    return sum(len(options) for _group, options, _index in context["widget"]["optgroups"])


class SearchableSelect(forms.Select):
    """A single select that becomes searchable once it has SEARCHABLE_MIN_OPTIONS options.

    The options are counted from the ones rendered, so a model choice field costs no extra query."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if _option_count(context) >= SEARCHABLE_MIN_OPTIONS:
            context["widget"]["attrs"].update(_searchable_attrs(multiple=False))
        return context


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multiple select is always searchable: a native one needs Ctrl-click, which few people know."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(_searchable_attrs(multiple=True))
        return context


_REPLACEMENTS = {forms.Select: SearchableSelect, forms.SelectMultiple: SearchableSelectMultiple}


def make_selects_searchable(form: forms.BaseForm) -> forms.BaseForm:
    """Give every plain select of `form` its searchable counterpart; other widgets stay as they are.

    Only the exact Select / SelectMultiple classes are replaced, so radio buttons, checkboxes and
    special selects (e.g. a yes/no NullBooleanSelect) keep their own widget. Idempotent."""
    for field in form.fields.values():
        replacement = _REPLACEMENTS.get(type(field.widget))
        if replacement is None:
            continue
        widget = replacement(attrs=field.widget.attrs, choices=field.widget.choices)
        widget.is_required = field.widget.is_required
        widget.is_localized = field.widget.is_localized
        field.widget = widget
    return form


class SearchableSelectsMixin:
    """For a form: make its long selects searchable (see make_selects_searchable)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_selects_searchable(self)
