"""Results frameworks: what a result may serve, computed values that follow the data, targets and
actuals inside the programme's years, the on-track rules, and who may write."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Participation
from activities.tests.factories import ActivityFactory, ParticipationFactory, PersonFactory
from results import services
from results.measures import computed_value
from results.models import Level
from results.services import AT_RISK, OFF_TRACK, ON_TRACK

pytestmark = pytest.mark.django_db


def test_a_computed_indicator_follows_the_data(framework, programme):
    women = framework["women"]
    assert computed_value(women, 2025) == Decimal(3)  # the absent man and the men are not counted
    assert computed_value(women, 2024) == Decimal(0)
    another = ActivityFactory(
        project=programme.projects.get(),
        status="delivered",
        start_date=datetime.date(2025, 6, 1),
        end_date=datetime.date(2025, 6, 2),
    )
    ParticipationFactory(activity=another, person=PersonFactory(gender="female"), attendance="partial")
    assert computed_value(women, 2025) == Decimal(4)
    Participation.objects.filter(activity=another).update(attendance="absent")
    assert computed_value(women, 2025) == Decimal(3)


def test_each_measure_computes(framework, programme, user_named):
    rocb = user_named("rocb.ap")
    for measure, expected in [
        ("activities_delivered", 1),
        ("participants_trained", 5),
        ("certificates_issued", 5),
        ("administrations_reached", 2),
        ("experts_deployed", 0),
        ("needs_answered", 0),
        ("actions_done", 0),
    ]:
        indicator = services.indicator_save(
            user=rocb, result=framework["outcome"], data={"title_en": measure, "measure": measure}
        )
        assert computed_value(indicator, 2025) == Decimal(expected), measure
    gain = services.indicator_save(
        user=rocb, result=framework["outcome"], data={"title_en": "g", "measure": "learning_gain"}
    )
    assert computed_value(gain, 2025) is None  # no tests taken


def test_a_result_serves_the_level_above_in_its_programme_and_never_in_a_circle(
    framework, programme, user_named
):
    rocb = user_named("rocb.ap")
    with pytest.raises(ValidationError, match="level above"):
        services.result_save(
            user=rocb,
            programme=programme,
            data={"level": Level.OUTPUT, "parent": framework["goal"], "statement_en": "x"},
        )
    with pytest.raises(ValidationError, match="Say which result"):
        services.result_save(
            user=rocb, programme=programme, data={"level": Level.OUTCOME, "statement_en": "x"}
        )
    with pytest.raises(ValidationError, match="nothing above"):
        services.result_save(
            user=rocb,
            programme=programme,
            data={"level": Level.GOAL, "parent": framework["goal"], "statement_en": "x"},
        )
    goal = framework["goal"]
    goal.level, goal.parent = Level.OUTPUT, framework["outcome"]
    with pytest.raises(ValidationError):
        services.result_save(
            user=rocb,
            programme=programme,
            result=goal,
            data={"level": Level.OUTCOME, "parent": framework["output"]},
        )


def test_targets_and_actuals_stay_inside_the_programme_and_are_numbers(framework, user_named):
    rocb = user_named("rocb.ap")
    with pytest.raises(ValidationError, match="outside the programme"):
        services.target_set(user=rocb, indicator=framework["women"], year=2031, value=10)
    with pytest.raises(ValidationError, match="not a number"):
        services.target_set(user=rocb, indicator=framework["women"], year=2025, value="ten")
    with pytest.raises(ValidationError, match="below a million million"):
        services.target_set(user=rocb, indicator=framework["women"], year=2025, value="1e20")
    with pytest.raises(ValidationError, match="not typed"):
        services.actual_record(user=rocb, indicator=framework["women"], year=2025, value=3)
    with pytest.raises(ValidationError, match="not a number"):
        services.actual_record(user=rocb, indicator=framework["manual"], year=2025, value="NaN")
    actual = services.actual_record(
        user=rocb, indicator=framework["manual"], year=2025, value="2,5", note="Adopted in JP"
    )
    assert actual.value == Decimal("2.50")
    assert (
        services.actual_record(user=rocb, indicator=framework["manual"], year=2025, value=3).pk == actual.pk
    )


def test_a_year_is_on_track_at_risk_or_off_track_by_the_indicators_rules(framework, user_named):
    rocb = user_named("rocb.ap")
    women = framework["women"]
    for target, expected in [(3, ON_TRACK), (4, AT_RISK), (10, OFF_TRACK)]:
        services.target_set(user=rocb, indicator=women, year=2025, value=target)
        women.refresh_from_db()
        row = next(row for row in services.indicator_years(women, [2025]) if row.year == 2025)
        assert (row.actual, row.status) == (Decimal(3), expected), target
    lower = services.indicator_save(
        user=rocb,
        result=framework["output"],
        data={"title_en": "Days to clear", "direction": "lower", "baseline_value": 10},
    )
    services.target_set(user=rocb, indicator=lower, year=2025, value=4)
    services.actual_record(user=rocb, indicator=lower, year=2025, value=5)
    # Lower is better: from 10 towards 4, 5 is five sixths of the way, below 0.9, above 0.6.
    assert services.indicator_years(lower, [2025])[0].status == AT_RISK


def test_only_the_lead_office_writes_the_framework(framework, programme, user_named):
    for username in ("rtc.japan", "focal.kenya", "donor", "expert"):
        with pytest.raises(PermissionDenied):
            services.result_save(
                user=user_named(username),
                programme=programme,
                data={"level": Level.GOAL, "statement_en": "x"},
            )
        with pytest.raises(PermissionDenied):
            services.target_set(user=user_named(username), indicator=framework["women"], year=2025, value=1)
    services.target_set(user=user_named("secretariat"), indicator=framework["women"], year=2025, value=1)


def test_counting_every_year_at_once_gives_each_years_value(framework, programme, user_named):
    from results.measures import MEASURES, computed_values

    rocb = user_named("rocb.ap")
    ActivityFactory(
        project=programme.projects.get(),
        status="delivered",
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 5, 2),
    ).beneficiary_members.set(framework["goal"].programme.lead_office.region.members.all()[:3])
    for code, measure in MEASURES.items():
        if measure.counted is None:
            continue
        for gender in ("", "female"):
            indicator = services.indicator_save(
                user=rocb,
                result=framework["outcome"],
                data={"title_en": code, "measure": code, "measure_gender": gender},
            )
            years = [2023, 2024, 2025, 2026]
            assert computed_values(indicator, years) == {
                year: computed_value(indicator, year) for year in years
            }, code
