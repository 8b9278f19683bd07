from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("activities:activity_list", _("Activities")),
    ("activities:calendar", _("Calendar")),
    ("activities:dashboard", _("Dashboard")),
    ("knowledge:search", _("Knowledge")),
    ("network:map", _("Map")),
    ("network:region_list", _("Regions")),
    ("network:office_list", _("Offices")),
    ("network:member_list", _("Members")),
    ("network:committee_list", _("Committees")),
    ("topics:topic_list", _("Topics")),
]


# Links for signed-in users only: these pages hold non-public data.
SIGNED_IN_NAVIGATION = [
    ("activities:request_list", _("Requests")),
    ("activities:participation_list", _("Participants")),
    ("funding:totals", _("Funding")),
]


def navigation(request):
    current = request.path
    items = []
    entries = (
        NAVIGATION[:3] + (SIGNED_IN_NAVIGATION if request.user.is_authenticated else []) + NAVIGATION[3:]
    )
    for name, label in entries:
        url = reverse(name)
        items.append({"url": url, "label": label, "current": current.startswith(url)})
    return {"nav_items": items, "languages": settings.LANGUAGES}
