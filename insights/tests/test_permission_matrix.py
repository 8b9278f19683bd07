"""Who views, generates and approves each annual report, for every demo role: the ROCB's report of
Asia/Pacific and of East and Southern Africa, and RTC Japan's, each as a draft and once approved."""

import pytest

from accounts.models import User
from core.permissions import Action
from insights.models import AnnualReport, ReportStatus
from network.models import Office

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]
EVERYONE = set(ROLES)

# report: (office code, status) -> (who views, who changes)
MATRIX = {
    ("rocb-ap", ReportStatus.DRAFT): ({"secretariat", "rocb.ap"}, {"secretariat", "rocb.ap"}),
    ("rocb-ap", ReportStatus.APPROVED): (EVERYONE, {"secretariat", "rocb.ap"}),
    ("rtc-japan", ReportStatus.DRAFT): (
        {"secretariat", "rocb.ap", "rtc.japan"},
        {"secretariat", "rocb.ap", "rtc.japan"},
    ),
    ("rocb-esa", ReportStatus.DRAFT): ({"secretariat"}, {"secretariat"}),
}


def user(username):
    from django.contrib.auth.models import AnonymousUser

    return User.objects.get(username=username) if username else AnonymousUser()


def who(pk, action):
    return {
        name for name in ROLES if AnnualReport.objects.restrict(user(name), action).filter(pk=pk).exists()
    }


@pytest.mark.parametrize("row", list(MATRIX), ids=lambda row: f"{row[0]}-{row[1]}")
def test_who_views_and_changes_each_report(row):
    code, status = row
    office = (
        Office.objects.get(code=code)
        if code != "rocb-esa"
        else Office.objects.get(kind="rocb", region__code="ESA")
    )
    report = AnnualReport.objects.create(office=office, year=2025, status=status)
    assert (who(report.pk, Action.VIEW), who(report.pk, Action.CHANGE)) == MATRIX[row]


def test_the_report_pages_do_not_grow_with_the_reports(client_for):
    from core.tests.test_query_counts import count_queries

    rocb = client_for("rocb.ap")
    office = Office.objects.get(code="rocb-ap")
    first = AnnualReport.objects.create(office=office, year=2020)
    before = (count_queries(rocb, "/insights/reports/"), count_queries(rocb, first.get_absolute_url()))
    for year in range(2021, 2026):
        AnnualReport.objects.create(office=office, year=year, status=ReportStatus.APPROVED)
    assert (
        count_queries(rocb, "/insights/reports/"),
        count_queries(rocb, first.get_absolute_url()),
    ) == before
