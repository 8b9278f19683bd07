"""The activity page's questionnaires panel and evaluation summary, drawn by the surveys app so
activities need not know it."""

from django import template

from core.permissions import Action, can, can_add_any
from surveys.models import Wave
from surveys.results import MIN_CELL, cached_activity_evaluation, must_suppress

register = template.Library()


@register.inclusion_tag("surveys/_activity_evaluation.html", takes_context=True)
def activity_evaluation_panel(context, activity):
    user = context["request"].user
    if not user.is_authenticated:
        return {"show": False}
    waves = list(
        Wave.objects.restrict(user)
        .filter(activity=activity)
        .select_related("questionnaire")
        .order_by("opens_on", "pk")
    )
    may_attach = can_add_any(user, Wave) and can(user, Action.CHANGE, activity)
    if not waves and not may_attach:
        return {"show": False}
    if not waves:  # nothing to count: no query at all
        return {"show": True, "activity": activity, "evaluation": None, "may_attach": may_attach}
    evaluation = cached_activity_evaluation(user, activity, waves)
    # Where any wave is anonymous (or the viewer is a donor) a figure over fewer than 5 is withheld.
    careful = any(must_suppress(user, wave) for wave in waves)
    return {
        "show": True,
        "activity": activity,
        "evaluation": evaluation,
        "reaction_shown": evaluation.reaction is not None
        and (not careful or evaluation.reaction_respondents >= MIN_CELL),
        "applied_shown": evaluation.applied is not None
        and (not careful or evaluation.follow_up_respondents >= MIN_CELL),
        "may_attach": may_attach,
        "minimum": MIN_CELL,
    }


@register.filter
def percent(value):
    """0.734 -> 73 (a share shown as a whole percentage)."""
    return "" if value is None else round(value * 100)


@register.filter
def points(value):
    """A gain of 0.25 -> +25 (percentage points, signed)."""
    if value is None:
        return ""
    number = round(value * 100)
    return f"+{number}" if number > 0 else str(number)
