"""Who sees and generates an office's annual report: an ROCB officer for the offices of their region
(the ROCB and the RTCs it coordinates), an RTC coordinator for their centre, and the Secretariat for
every office. Once approved, a report is public (it is published to the knowledge base as a public
document)."""

from django.db.models import Q

from accounts.roles import Role
from core.permissions import Policy, register_policy
from insights.models import AnnualReport, ReportStatus


def register() -> None:
    # Paths, not callables, so a new report's office is checked in memory before it is saved.
    grants = {Role.ROCB_OFFICER: "office__region", Role.RTC_COORDINATOR: "office"}
    register_policy(
        AnnualReport,
        Policy(public=Q(status=ReportStatus.APPROVED), view=grants, add=grants, change=grants),
    )
