"""Reviews, decisions and the audit log as CSV or XLSX, for the chairs (the conference tools people
use instead cannot export reviews for audit). The same columns as the pages, through core.exports,
so no cell starts like a formula."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from conferences.models import Call, Review
from core.exports import EXPORTERS
from core.tables import Column

REVIEW_COLUMNS = [
    Column(_("Paper"), "assignment.submission.pk"),
    Column(_("Title"), "assignment.submission.title"),
    Column(_("Decision"), "assignment.submission.status"),
    Column(_("Reviewer"), "assignment.reviewer.person"),
    Column(_("Background"), "assignment.reviewer.kind"),
    Column(_("Affinity"), "assignment.affinity"),
    Column(_("Assigned by hand"), "assignment.by_hand"),
    Column(_("Relevance to customs"), "relevance"),
    Column(_("Originality"), "originality"),
    Column(_("Rigour"), "rigour"),
    Column(_("Practical value"), "practical_value"),
    Column(_("Clarity"), "clarity"),
    Column(_("Overall"), "overall"),
    Column(_("Confidence"), "confidence"),
    Column(_("Comments to the authors"), "to_authors"),
    Column(_("Comments to the committee"), "to_committee"),
    Column(_("Submitted"), "submitted_at"),
]
AUDIT_COLUMNS = [
    Column(_("When"), "created_at"),
    Column(_("Who"), "user.acting_as"),
    Column(_("Account"), "user"),
    Column(_("Paper"), "submission_id"),
    Column(_("Action"), "action"),
    Column(_("Detail"), "detail"),
]


def reviews_export(user, call: Call, fmt: str):
    if fmt not in EXPORTERS:
        raise Http404
    reviews = (
        Review.objects.restrict(user)
        .filter(assignment__submission__call=call)
        .select_related("assignment__submission", "assignment__reviewer__person")
        .order_by("assignment__submission__pk", "assignment__pk")
    )
    return EXPORTERS[fmt](reviews, REVIEW_COLUMNS, f"reviews-call-{call.pk}")


def audit_export(entries, fmt: str, call: Call):
    if fmt not in EXPORTERS:
        raise Http404
    return EXPORTERS[fmt](entries, AUDIT_COLUMNS, f"audit-call-{call.pk}")
