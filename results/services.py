"""The rules of results frameworks: who writes them, what a result may serve, which years a target
or an actual may have, and how a year's value is judged against its target.

Every write is keyword-only, atomic and `full_clean()`ed. Computed indicators take no hand-typed
actual: their value comes from `results.measures`, whenever it is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import Action, allowed_as_edited, require, require_related_visible
from results.measures import MEASURES, computed_values
from results.models import PARENT_LEVEL, Actual, Indicator, Level, Result, Target

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _saved(instance, **clean):
    instance.full_clean(**clean)
    instance.save()
    return instance


def require_editor(user, instance) -> None:
    """Adding asks the policy about the row as it is in memory; changing asks about the stored row."""
    if instance.pk is None:
        if not allowed_as_edited(user, Action.ADD, instance):
            raise PermissionDenied(_("The programme's lead office writes its results framework."))
    else:
        require(user, Action.CHANGE, instance)


def programme_years(programme) -> tuple[int, int] | None:
    """The first and last year of the programme, when its dates are known."""
    if programme.start_date and programme.end_date:
        return programme.start_date.year, programme.end_date.year
    return None


def _check_year(programme, year: int, what: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": _("A year is a whole number from %(min)d to %(max)d.")
                % {"min": FIRST_YEAR, "max": LAST_YEAR}
            }
        )
    span = programme_years(programme)
    if span and not span[0] <= year <= span[1]:
        raise ValidationError(
            {
                "year": _("%(what)s for %(year)d is outside the programme (%(first)d–%(last)d).")
                % {"what": what, "year": year, "first": span[0], "last": span[1]}
            }
        )


def number(value) -> Decimal:
    """A value typed by a person: a clear error for anything that is not a number."""
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"value": _("“%(value)s” is not a number.") % {"value": str(value)[:40]}}
        ) from None
    if not result.is_finite():
        raise ValidationError({"value": _("“%(value)s” is not a number.") % {"value": str(value)[:40]}})
    if abs(result) >= Decimal("1e12"):
        raise ValidationError({"value": _("Give a number below a million million.")})
    return result.quantize(Decimal("0.01"))


# --- results ---------------------------------------------------------------------------------------


@transaction.atomic
def result_save(*, user, programme, data: dict[str, Any], result: Result | None = None) -> Result:
    """A goal, an outcome (serving a goal) or an output (serving an outcome) of the programme."""
    result = result or Result(programme=programme)
    for key in ("level", "code", "statement_en", "statement_fr", "assumptions", "position", "is_published"):
        if key in data:
            setattr(result, key, data[key])
    if "parent" in data:
        result.parent = data["parent"]
    require_editor(user, result)
    wanted = PARENT_LEVEL.get(result.level)
    if result.level == Level.GOAL and result.parent_id:
        raise ValidationError({"parent": _("A goal serves nothing above it.")})
    if wanted and result.parent is None:
        raise ValidationError({"parent": _("Say which result of the level above this one serves.")})
    if result.parent is not None:
        if result.parent.programme_id != programme.pk:
            raise ValidationError({"parent": _("A result serves a result of the same programme.")})
        if result.parent.level != wanted:
            raise ValidationError(
                {
                    "parent": _(
                        "A result serves one of the level above: "
                        "an outcome serves the goal, an output an outcome."
                    )
                }
            )
        _refuse_cycle(result)
    return _saved(result)


def _refuse_cycle(result: Result) -> None:
    """A result may not serve itself through its parents (a circular link)."""
    seen, current = {result.pk} if result.pk else set(), result.parent
    while current is not None:
        if current.pk in seen:
            raise ValidationError(
                {"parent": _("That link would make the results serve each other in a circle.")}
            )
        seen.add(current.pk)
        current = current.parent


# --- indicators ------------------------------------------------------------------------------------


@transaction.atomic
def indicator_save(
    *, user, result: Result, data: dict[str, Any], indicator: Indicator | None = None
) -> Indicator:
    from activities.models import ActivityKind
    from people.models import Gender

    indicator = indicator or Indicator(result=result)
    related = {key: data[key] for key in ("measure_topic",) if data.get(key) is not None}
    if related:
        require_related_visible(user, Indicator, related, instance=indicator if indicator.pk else None)
    for key, value in data.items():
        setattr(indicator, key, value)
    require_editor(user, indicator)
    if indicator.measure and indicator.measure not in MEASURES:
        raise ValidationError({"measure": _("Unknown measure.")})
    if indicator.measure_kind and indicator.measure_kind not in ActivityKind.values:
        raise ValidationError({"measure_kind": _("Unknown kind of activity.")})
    if indicator.measure_gender and indicator.measure_gender not in Gender.values:
        raise ValidationError({"measure_gender": _("Unknown gender.")})
    if indicator.measure and indicator.pk and indicator.actuals.exists():
        raise ValidationError(
            {"measure": _("Values recorded by hand exist: remove them before computing this indicator.")}
        )
    if not Decimal("0") < Decimal(indicator.at_risk_from) <= Decimal(indicator.on_track_from) <= Decimal("2"):
        raise ValidationError(
            {"at_risk_from": _("The at-risk share is above zero and at most the on-track share.")}
        )
    if indicator.baseline_value is not None:
        indicator.baseline_value = number(indicator.baseline_value)
    return _saved(indicator)


@transaction.atomic
def target_set(*, user, indicator: Indicator, year: int, value) -> Target:
    programme = indicator.result.programme
    _check_year(programme, year, _("A target"))
    target = Target.objects.filter(indicator=indicator, year=year).first() or Target(
        indicator=indicator, year=year
    )
    target.value = number(value)
    require_editor(user, target)
    return _saved(target, validate_unique=False)


@transaction.atomic
def actual_record(
    *, user, indicator: Indicator, year: int, value, note: str = "", document=None, activity=None
) -> Actual:
    """A value recorded by hand, with its evidence. A computed indicator takes none: its values come
    from the data."""
    if indicator.measure:
        raise ValidationError(
            {"value": _("This indicator is computed from cbhub's data; its values are not typed.")}
        )
    programme = indicator.result.programme
    _check_year(programme, year, _("An actual"))
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("An actual is recorded for a year that has begun.")})
    require_related_visible(user, Actual, {"evidence_document": document, "evidence_activity": activity})
    actual = Actual.objects.filter(indicator=indicator, year=year).first() or Actual(
        indicator=indicator, year=year
    )
    actual.value, actual.note, actual.recorded_by = number(value), note.strip(), user
    actual.evidence_document, actual.evidence_activity = document, activity
    require_editor(user, actual)
    return _saved(actual, validate_unique=False)


# --- selectors: values against targets -------------------------------------------------------------

ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"


@dataclass
class YearValue:
    year: int
    target: Decimal | None
    actual: Decimal | None
    status: str | None  # on_track, at_risk, off_track, or None without a target or a value
    recorded: Actual | None = None


def progress_share(indicator: Indicator, actual: Decimal, target: Decimal) -> Decimal | None:
    """How far the actual has come towards the target: from the baseline when there is one."""
    base = indicator.baseline_value
    if indicator.direction == "lower":
        if base is not None and base != target:
            return (base - actual) / (base - target)
        return (target / actual) if actual else None
    if base is not None and base != target:
        return (actual - base) / (target - base)
    return (actual / target) if target else None


def status_of(indicator: Indicator, actual: Decimal | None, target: Decimal | None) -> str | None:
    if actual is None or target is None:
        return None
    share = progress_share(indicator, Decimal(actual), Decimal(target))
    if share is None:
        return None
    if share >= Decimal(indicator.on_track_from):
        return ON_TRACK
    if share >= Decimal(indicator.at_risk_from):
        return AT_RISK
    return OFF_TRACK


def indicator_years(indicator: Indicator, years: list[int]) -> list[YearValue]:
    """Each year's target, actual (computed or recorded) and status. Uses the indicator's prefetched
    `targets` and `actuals` when there are."""
    targets = {target.year: target.value for target in indicator.targets.all()}
    recorded = {actual.year: actual for actual in indicator.actuals.all()}
    this_year = timezone.localdate().year
    computed = (
        computed_values(indicator, [year for year in years if year <= this_year]) if indicator.measure else {}
    )
    rows = []
    for year in years:
        if indicator.measure:
            actual = computed.get(year)
            entry = None
        else:
            entry = recorded.get(year)
            actual = entry.value if entry else None
        rows.append(
            YearValue(year, targets.get(year), actual, status_of(indicator, actual, targets.get(year)), entry)
        )
    return rows


def framework_years(programme) -> list[int]:
    """The years a framework page shows: the programme's, else its targets' and this year."""
    span = programme_years(programme)
    if span:
        return list(range(span[0], span[1] + 1))[-12:]
    years = set(Target.objects.filter(indicator__result__programme=programme).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years)[-12:]
