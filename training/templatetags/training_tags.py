"""Training on other apps' pages: on an activity's page, the product it delivers, and for its
organisers the form that names one."""

from django import template

from core.permissions import Action, can, can_add_any
from training.forms import SessionForm
from training.models import Session

register = template.Library()


@register.inclusion_tag("training/_activity_session.html")
def activity_session_panel(activity, user):
    session = (
        Session.objects.restrict(user)
        .filter(activity=activity)
        .select_related("product__owner_office", "version")
        .first()
    )
    requested = _requested_product(activity) if session is None else None
    form = (
        SessionForm(user=user, activity=activity, initial={"product": requested})
        if user.is_authenticated and can_add_any(user, Session) and can(user, Action.CHANGE, activity)
        else None
    )
    return {"activity": activity, "session": session, "form": form}


def _requested_product(activity):
    """The product the assistance request behind the activity named, if any."""
    from training.models import SessionRequest

    link = SessionRequest.objects.filter(request__activity=activity).values_list("product", flat=True).first()
    return link
