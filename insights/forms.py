"""The annual report's form: which office and year (the offices the user may report on)."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedForm
from insights.annual_report import FIRST_YEAR, offices_reported_by
from network.models import Office


class ReportForm(ScopedForm):
    office = forms.ModelChoiceField(queryset=Office.objects.none(), label=_("Office"))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)

    def setup_fields(self) -> None:
        allowed = [office.pk for office in offices_reported_by(self.user)]
        self.fields["office"].queryset = Office.objects.filter(pk__in=allowed).order_by("kind", "name")
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(this_year))
        self.fields["year"].widget.attrs["max"] = this_year
        self.fields["year"].initial = this_year - 1 if timezone.localdate().month < 4 else this_year
        # The user's own office, else the first (an ROCB officer's ROCB: "rocb" sorts before "rtc").
        own = getattr(self.user, "office_id", None)
        if allowed:
            self.fields["office"].initial = own if own in allowed else allowed[0]
