"""The results pages: the lead office adds a computed indicator with its baseline and targets and
sees this year's value fill in; the rows behind a value; the donor reads, the public sees only what
is published; bad input gets a clear answer."""

import datetime

import pytest
from django.urls import reverse

from results.models import Indicator, Result, StrategicObjective

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_lead_office_adds_a_computed_indicator_with_targets_and_sees_its_values(
    framework, programme, client_for
):
    rocb = client_for("rocb.ap")
    url = reverse("results:indicator_add", args=[framework["outcome"].pk])
    assert rocb.get(url).status_code == 200
    response = rocb.post(
        url,
        {
            "title_en": "Participants trained",
            "direction": "higher",
            "measure": "participants_trained",
            "baseline_value": "0",
            "baseline_date": "2024-01-01",
            "on_track_from": "0.9",
            "at_risk_from": "0.6",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator = Indicator.objects.get(title_en="Participants trained")
    for year, value in ((2024, "2"), (2025, "5")):
        rocb.post(reverse("results:target_set", args=[indicator.pk]), {"year": year, "value": value})
    assert indicator.targets.count() == 2
    page = rocb.get(programme and reverse("results:programme_results", args=[programme.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and f'id="indicator-{indicator.pk}"' in html
    detail = rocb.get(indicator.get_absolute_url()).content.decode()
    assert 'id="year-2025"' in detail and "on track" in detail
    rows = rocb.get(reverse("results:indicator_rows", args=[indicator.pk]), {"year": 2025})
    assert rows.status_code == 200 and len(rows.context["rows"]) == 5
    assert 'id="actual-form"' not in detail  # computed: nothing to type


def test_bad_input_gets_a_clear_message_and_changes_nothing(framework, client_for):
    rocb = client_for("rocb.ap")
    indicator = framework["manual"]
    outside = rocb.post(
        reverse("results:target_set", args=[indicator.pk]), {"year": 2031, "value": "3"}, follow=True
    )
    assert "outside the programme" in _messages(outside)
    text = rocb.post(
        reverse("results:actual_record", args=[indicator.pk]), {"year": 2025, "value": "many"}, follow=True
    )
    assert "not a number" in _messages(text)
    huge = rocb.post(
        reverse("results:target_set", args=[indicator.pk]),
        {"year": 99999999999999999999, "value": "3"},
        follow=True,
    )
    assert huge.status_code == 200 and not indicator.targets.exists()
    assert not indicator.actuals.exists()
    assert (
        rocb.get(reverse("results:indicator_rows", args=[framework["women"].pk]), {"year": "0"}).status_code
        == 400
    )
    assert (
        rocb.get(reverse("results:indicator_rows", args=[indicator.pk]), {"year": "2025"}).status_code == 404
    )
    assert rocb.get("/results/indicators/99999999999/").status_code == 404
    assert rocb.get("/results/programmes/abc/").status_code == 404
    circular = rocb.post(
        reverse("results:result_add", args=[framework["goal"].programme_id]),
        {"level": "output", "parent": framework["goal"].pk, "statement_en": "Wrong level"},
    )
    assert circular.status_code == 400 and "level above" in circular.content.decode()


def test_the_donor_reads_and_the_public_sees_only_what_is_published(framework, programme, client_for):
    url = reverse("results:programme_results", args=[programme.pk])
    donor = client_for("donor").get(url)
    assert donor.status_code == 200 and "Women trained" in donor.content.decode()
    assert 'id="add-result"' not in donor.content.decode()
    assert (
        client_for("donor").get(reverse("results:indicator_add", args=[framework["outcome"].pk])).status_code
        == 403
    )
    assert client_for(None).get(url).status_code == 404  # nothing published yet
    Result.objects.filter(pk=framework["goal"].pk).update(is_published=True)
    public = client_for(None).get(url).content.decode()
    assert "Audit works" in public and "Women trained" not in public
    assert client_for("focal.kenya").get(framework["women"].get_absolute_url()).status_code == 404


def test_a_strategic_objectives_dashboard_shows_what_serves_it(framework, programme, client_for):
    objective = StrategicObjective.objects.create(
        code="professional-development", title_en="Professional development"
    )
    objective.programmes.add(programme)
    page = client_for("rocb.ap").get(objective.get_absolute_url())
    assert page.status_code == 200 and page.context["total"] == 2
    assert programme.title in page.content.decode()
    assert client_for(None).get(objective.get_absolute_url()).status_code == 200
    assert client_for(None).get("/results/objectives/nope/").status_code == 404
    assert client_for(None).get(reverse("results:objective_list")).status_code == 200


def test_programme_dates_bound_the_years_shown(framework, programme, client_for):
    page = client_for("rocb.ap").get(reverse("results:programme_results", args=[programme.pk]))
    assert page.context["years"] == [2024, 2025, 2026, 2027]
    programme.start_date, programme.end_date = None, None
    programme.save()
    page = client_for("rocb.ap").get(reverse("results:programme_results", args=[programme.pk]))
    assert datetime.date.today().year in page.context["years"]
