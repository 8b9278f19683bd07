"""The study-paper panel on an activity's page, drawn by insights so activities need not know it."""

from django import template

from insights.study_paper import DELIVERED, study_papers

register = template.Library()


@register.inclusion_tag("insights/study_paper_panel.html", takes_context=True)
def study_paper_panel(context, activity):
    """For the workshop's organisers once it is delivered: its study papers and the compiler's page.
    The page's own `can_change` answers who organises it, so the panel costs one query at most."""
    user = context["request"].user
    if not (user.is_authenticated and context.get("can_change") and activity.status in DELIVERED):
        return {"show": False}
    return {"show": True, "activity": activity, "papers": list(study_papers(user, activity)[:5])}
