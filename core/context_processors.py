from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("activities:activity_list", _("Activities")),
    ("activities:calendar", _("Calendar")),
    ("activities:dashboard", _("Dashboard")),
    ("network:map", _("Map")),
    ("network:region_list", _("Regions")),
    ("network:office_list", _("Offices")),
    ("network:member_list", _("Members")),
    ("network:committee_list", _("Committees")),
    ("topics:topic_list", _("Topics")),
]


def navigation(request):
    current = request.path
    items = []
    for name, label in NAVIGATION:
        url = reverse(name)
        items.append({"url": url, "label": label, "current": current.startswith(url)})
    return {"nav_items": items, "languages": settings.LANGUAGES}
