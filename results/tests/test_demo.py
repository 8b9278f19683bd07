"""The demo results frameworks: every demo programme gets a goal, outcomes and outputs, indicators
mostly computed from its own activities, targets for each of its years, yearly actuals for the
indicators recorded by hand, a risk log and strategic objectives; a second run changes nothing."""

import datetime

import pytest

from activities.models import Programme, Project
from activities.tests.factories import ActivityFactory, ParticipationFactory
from network.models import Office
from results.demo import demo_results_create
from results.models import Actual, Indicator, Result, Risk, StrategicObjective, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_programmes(db):
    for index in range(1, 4):
        programme = Programme.objects.create(
            code=f"demo-prog-{index}",
            title=f"Risk management programme, Asia/Pacific {2022 + index}–{2025 + index}",
            lead_office=Office.objects.get(code="rocb-ap"),
            start_date=datetime.date(2022 + index, 1, 1),
            end_date=datetime.date(2025 + index, 12, 31),
        )
        project = Project.objects.create(programme=programme, code=f"demo-proj-{index}-1", title="Phase 1")
        activity = ActivityFactory(
            project=project,
            status="delivered",
            start_date=datetime.date(2023 + index, 4, 1),
            end_date=datetime.date(2023 + index, 4, 3),
        )
        for _ in range(3):
            ParticipationFactory(activity=activity, attendance="attended")
    return list(Programme.objects.order_by("code"))


def test_every_demo_programme_has_a_monitored_framework(demo_programmes):
    counts = demo_results_create(progress=lambda _message: None)
    assert counts["programmes"] == 3
    for programme in demo_programmes:
        results = Result.objects.filter(programme=programme)
        assert set(results.values_list("level", flat=True)) == {"goal", "outcome", "output"}
        indicators = Indicator.objects.filter(result__programme=programme)
        computed = indicators.exclude(measure="")
        assert computed.count() > indicators.count() / 2
        years = list(range(programme.start_date.year, programme.end_date.year + 1))
        for indicator in indicators:
            assert sorted(Target.objects.filter(indicator=indicator).values_list("year", flat=True)) == years
        manual = indicators.filter(measure="").get()
        assert Actual.objects.filter(indicator=manual).exists()
        assert Risk.objects.filter(programme=programme).count() == 3
        assert programme.strategic_objectives.count() == 2
    assert StrategicObjective.objects.count() == 5
    from results.models import ProgressReport

    ended = [p for p in demo_programmes if p.start_date.year < datetime.date.today().year]
    assert ProgressReport.objects.filter(programme__in=ended, status="approved").exists()


def test_a_second_run_changes_nothing(demo_programmes):
    demo_results_create(progress=lambda _message: None)
    from results.models import Evaluation, ProgressReport

    models = (Result, Indicator, Target, Actual, Risk, ProgressReport, Evaluation)
    before = [model.objects.count() for model in models]
    demo_results_create(progress=lambda _message: None)
    assert [model.objects.count() for model in models] == before
