"""Who sees and changes a programme's results, indicators, targets, actuals, progress reports and
risks.

- The lead office edits its programme's framework and reports: an RTC coordinator for a programme
  their centre leads, an ROCB officer for the programmes of their region's offices.
- The Secretariat and the region's ROCB approve reports (`results.services.report_approve`).
- A donor sees the frameworks, the risks, the evaluations and the approved reports of the
  programmes it funds (a funding agreement of the donor names the programme), and nothing else.
- The public, and every other role, sees the published results and their indicators and values.
"""

from django.db.models import Q

from accounts.roles import Role
from core.permissions import Policy, register_policy
from results.models import (
    Actual,
    Evaluation,
    FollowUpAction,
    Indicator,
    ProgressReport,
    Recommendation,
    ReportStatus,
    Result,
    Risk,
    StrategicObjective,
    Target,
)


def _funded_by(prefix: str):
    def grant(user) -> Q:
        from funding.models import FundingAgreement

        funded = FundingAgreement.objects.filter(donor=user.donor_id).values("programme")
        return Q(**{f"{prefix}__in": funded})

    return grant


def _lead(prefix: str, donor=True, extra: Q | None = None) -> dict:
    grants = {
        Role.ROCB_OFFICER: f"{prefix}__lead_office__region",
        Role.RTC_COORDINATOR: f"{prefix}__lead_office",
    }
    if donor:
        funded = _funded_by(prefix)
        grants[Role.DONOR] = funded if extra is None else (lambda user: funded(user) & extra)
    return grants


def _editors(prefix: str) -> dict:
    return {
        Role.ROCB_OFFICER: f"{prefix}__lead_office__region",
        Role.RTC_COORDINATOR: f"{prefix}__lead_office",
    }


def register() -> None:
    register_policy(StrategicObjective, Policy(public=Q()))
    for model, path, published in (
        (Result, "programme", Q(is_published=True)),
        (Indicator, "result__programme", Q(result__is_published=True)),
        (Target, "indicator__result__programme", Q(indicator__result__is_published=True)),
        (Actual, "indicator__result__programme", Q(indicator__result__is_published=True)),
    ):
        register_policy(
            model,
            Policy(
                public=published,
                view=_lead(path),
                add=_editors(path),
                change=_editors(path),
                delete=_editors(path),
            ),
        )
    register_policy(
        ProgressReport,
        Policy(
            view=_lead("programme", extra=Q(status=ReportStatus.APPROVED)),
            add=_editors("programme"),
            change=_editors("programme"),
        ),
    )
    for model, path in (
        (Evaluation, "programme"),
        (Recommendation, "evaluation__programme"),
        (FollowUpAction, "recommendation__evaluation__programme"),
    ):
        register_policy(
            model,
            Policy(view=_lead(path), add=_editors(path), change=_editors(path), delete=_editors(path)),
        )
    register_policy(
        Risk,
        Policy(
            view=_lead("programme"),
            add=_editors("programme"),
            change=_editors("programme"),
            delete=_editors("programme"),
        ),
    )
