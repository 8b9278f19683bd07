"""Who views and changes each results row, for every demo role: the lead office (rocb.ap for a
programme of ROCB A/P) writes; the funding donor reads the framework, the risks and the approved
reports; the public and every other role read published results only."""

import pytest

from accounts.models import User
from core.permissions import Action
from results import services
from results.models import (
    Actual,
    Indicator,
    ProgressReport,
    ReportStatus,
    Result,
    Risk,
    StrategicObjective,
    Target,
)

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]
EVERYONE = set(ROLES)
LEAD = {"secretariat", "rocb.ap"}
FUNDED = LEAD | {"donor"}


def user(username):
    from django.contrib.auth.models import AnonymousUser

    return User.objects.get(username=username) if username else AnonymousUser()


def who(model, pk, action):
    return {name for name in ROLES if model.objects.restrict(user(name), action).filter(pk=pk).exists()}


@pytest.fixture
def rows(framework, programme, user_named):
    rocb = user_named("rocb.ap")
    target = services.target_set(user=rocb, indicator=framework["manual"], year=2025, value=2)
    actual = services.actual_record(user=rocb, indicator=framework["manual"], year=2025, value=1)
    published = services.result_save(
        user=rocb,
        programme=programme,
        result=framework["goal"],
        data={"is_published": True},
    )
    published_indicator = services.indicator_save(
        user=rocb, result=published, data={"title_en": "Audits", "unit": "audits"}
    )
    return {
        "objective": StrategicObjective.objects.create(code="obj", title_en="Objective"),
        "unpublished result": framework["outcome"],
        "published result": published,
        "unpublished indicator": framework["women"],
        "published indicator": published_indicator,
        "target": target,
        "actual": actual,
        "draft report": ProgressReport.objects.create(programme=programme, year=2025),
        "approved report": ProgressReport.objects.create(
            programme=programme, year=2024, status=ReportStatus.APPROVED
        ),
        "risk": Risk.objects.create(programme=programme, description="Turnover"),
        **_evaluation(programme),
    }


def _evaluation(programme):
    from network.models import Office
    from results.models import Evaluation, FollowUpAction, Recommendation

    evaluation = Evaluation.objects.create(programme=programme, kind="mid_term", findings="Good")
    recommendation = Recommendation.objects.create(
        evaluation=evaluation, text="Train trainers", response="accepted"
    )
    action = FollowUpAction.objects.create(recommendation=recommendation, what="Plan a ToT")
    action.owners.add(Office.objects.get(code="rocb-ap"))
    return {"evaluation": evaluation, "recommendation": recommendation, "follow-up action": action}


MATRIX = {
    "objective": (StrategicObjective, EVERYONE, {"secretariat"}),
    "unpublished result": (Result, FUNDED, LEAD),
    "published result": (Result, EVERYONE, LEAD),
    "unpublished indicator": (Indicator, FUNDED, LEAD),
    "published indicator": (Indicator, EVERYONE, LEAD),
    "target": (Target, FUNDED, LEAD),
    "actual": (Actual, FUNDED, LEAD),
    "draft report": (ProgressReport, LEAD, LEAD),
    "approved report": (ProgressReport, FUNDED, LEAD),
    "risk": (Risk, FUNDED, LEAD),
    "evaluation": ("Evaluation", FUNDED, LEAD),
    "recommendation": ("Recommendation", FUNDED, LEAD),
    "follow-up action": ("FollowUpAction", FUNDED, LEAD),
}


def _model(model):
    from django.apps import apps

    return apps.get_model("results", model) if isinstance(model, str) else model


@pytest.mark.parametrize("row", list(MATRIX))
def test_who_views_and_changes_each_row(rows, row):
    model, viewers, changers = MATRIX[row]
    model = _model(model)
    instance = rows[row]
    assert isinstance(instance, model)
    assert (who(model, instance.pk, Action.VIEW), who(model, instance.pk, Action.CHANGE)) == (
        viewers,
        changers,
    )


def test_every_results_model_is_in_the_matrix():
    from django.apps import apps

    models = set(apps.get_app_config("results").get_models())
    assert {_model(model) for model, _v, _c in MATRIX.values()} == models


def test_a_write_naming_a_row_of_another_scope_is_refused(framework, user_named):
    """Evidence the writer may not see is refused like a row that does not exist, and nothing is stored."""
    from django.core.exceptions import ValidationError

    from knowledge.models import Document, Visibility

    hidden = Document.objects.create(
        title="Restricted", visibility=Visibility.RESTRICTED, uploaded_by=user_named("secretariat")
    )
    with pytest.raises(ValidationError):
        services.actual_record(
            user=user_named("rocb.ap"), indicator=framework["manual"], year=2025, value=1, document=hidden
        )
    assert not framework["manual"].actuals.exists()
    services.actual_record(
        user=user_named("secretariat"), indicator=framework["manual"], year=2025, value=1, document=hidden
    )
    assert framework["manual"].actuals.get().evidence_document == hidden
