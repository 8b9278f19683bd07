"""Funding is visible to those who manage it: the Secretariat (all), ROCB officers (read), and each
donor for its own agreements. Exchange rates are the Secretariat's to keep."""

from django.db.models import Q

from accounts.roles import Role
from core.permissions import ALL, ANY_ROLE, Policy, register_policy
from funding.models import Donor, ExchangeRate, FundingAgreement


def register() -> None:
    register_policy(Donor, Policy(public=Q()))
    register_policy(FundingAgreement, Policy(view={Role.ROCB_OFFICER: ALL, Role.DONOR: "donor"}))
    register_policy(ExchangeRate, Policy(view={ANY_ROLE: ALL}))
