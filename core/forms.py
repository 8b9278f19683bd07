"""Base forms. A form that offers related objects (a select of offices, agreements, people) derives
from `ScopedModelForm` or `ScopedForm`: it takes the user, and every model choice it offers is
narrowed to what that user may view, so a form never lists a title the user may not read."""

from __future__ import annotations

from django import forms
from django.db import models

from core.permissions import linked_ids, visible_choices
from core.widgets import make_selects_searchable


def restrict_form_choices(form: forms.BaseForm, user, instance: models.Model | None = None) -> None:
    """Narrow every model choice field of `form` to the rows `user` may view, keeping the objects
    `instance` already links to (an edit must not lose a link its editor cannot see)."""
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = visible_choices(field.queryset, user, keep=linked_ids(instance, name))


class ScopedFormMixin:
    """Takes `user=`; subclasses adjust their fields in `setup_fields()`, which runs before the
    choices are narrowed, so no subclass can widen a queryset again by accident."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.setup_fields()
        restrict_form_choices(self, user, getattr(self, "instance", None))
        make_selects_searchable(self)  # long selects (members, topics, currencies) get a search box

    def setup_fields(self) -> None:
        """Override to change fields (querysets, initial values) before they are narrowed."""


class ScopedForm(ScopedFormMixin, forms.Form):
    pass


class ScopedModelForm(ScopedFormMixin, forms.ModelForm):
    pass
