from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.permissions import Action, permission_filter

# (url name, label, model whose rows the page lists: shown only to users who may see some rows)
NAVIGATION = [
    ("activities:activity_list", _("Activities"), None),
    ("activities:calendar", _("Calendar"), None),
    ("activities:dashboard", _("Dashboard"), None),
    ("activities:service_list", _("Services"), None),
    ("activities:programme_list", _("Programmes"), "activities.Programme"),
    ("knowledge:search", _("Knowledge"), None),
    ("network:map", _("Map"), None),
    ("network:region_list", _("Regions"), None),
    ("network:office_list", _("Offices"), None),
    ("network:member_list", _("Members"), None),
    ("network:committee_list", _("Committees"), None),
    ("topics:topic_list", _("Topics"), None),
    ("conferences:conference_list", _("Research"), None),
    ("meetings:meeting_list", _("Meetings"), None),
    ("results:objective_list", _("Results"), None),
    ("training:catalogue", _("Training"), None),
]


# Links for signed-in users only: these pages hold non-public data, shown to the roles that may
# see some of it (a donor has no requests to look at, a researcher no participants).
SIGNED_IN_NAVIGATION = [
    ("activities:request_list", _("Requests"), "activities.AssistanceRequest"),
    ("activities:participation_list", _("Participants"), "activities.Participation"),
    ("funding:totals", _("Funding"), None),
    ("experts:expert_list", _("Experts"), "experts.ExpertProfile"),
    ("surveys:questionnaire_list", _("Questionnaires"), "surveys.Wave"),
    ("insights:report_list", _("Annual reports"), "insights.AnnualReport"),
]


def _may_see_some(user, model_label: str | None) -> bool:
    if model_label is None:
        return True
    return permission_filter(user, apps.get_model(model_label), Action.VIEW) is not None


def current_item(path: str, urls: list[str]) -> str | None:
    """The one menu entry the page belongs to: the longest URL the path starts with."""
    matching = [url for url in urls if path.startswith(url)]
    return max(matching, key=len) if matching else None


def navigation(request):
    user = request.user
    entries = NAVIGATION[:5] + (SIGNED_IN_NAVIGATION if user.is_authenticated else []) + NAVIGATION[5:]
    visible = [(reverse(name), label) for name, label, model in entries if _may_see_some(user, model)]
    current = current_item(request.path, [url for url, _label in visible])
    items = [{"url": url, "label": label, "current": url == current} for url, label in visible]
    return {"nav_items": items, "languages": settings.LANGUAGES}
