"""The activity page's expert slots panel, drawn by the experts app so activities need not know it."""

from django import template

from core.permissions import Action, can, can_add_any
from experts.forms import SlotForm
from experts.models import Deployment, Slot

register = template.Library()


@register.inclusion_tag("experts/_activity_slots.html", takes_context=True)
def activity_slots(context, activity):
    user = context["request"].user
    if not user.is_authenticated:
        return {"show": False}
    slots = list(Slot.objects.restrict(user).filter(activity=activity).select_related("pool"))
    deployments = {}
    for deployment in (
        Deployment.objects.restrict(user).filter(slot__in=slots).select_related("profile__person")
    ):
        deployments.setdefault(deployment.slot_id, []).append(deployment)
    may_add = can_add_any(user, Slot) and can(user, Action.CHANGE, activity)
    return {
        "show": bool(slots) or may_add,
        "activity": activity,
        "rows": [(slot, deployments.get(slot.pk, [])) for slot in slots],
        "form": SlotForm(user=user) if may_add else None,
        "csrf_token": context.get("csrf_token"),
    }
