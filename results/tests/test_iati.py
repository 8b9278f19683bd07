"""A programme as IATI 2.03 XML: its results with indicators, baselines, targets and actuals per
year, its budgets and its transactions, valid against the shipped schema; through the API with a
token; the public gets only what is published."""

import pytest
from lxml import etree

from activities.iati import validation_errors
from results import services

pytestmark = pytest.mark.django_db


def _xml(client, programme, **headers):
    return client.get(f"/api/results/programmes/{programme.pk}/iati/", headers=headers)


def test_the_programme_with_its_results_is_valid_iati(framework, programme, client_for, user_named):
    rocb = user_named("rocb.ap")
    services.target_set(user=rocb, indicator=framework["women"], year=2025, value=4)
    services.target_set(user=rocb, indicator=framework["manual"], year=2025, value=2)
    services.actual_record(user=rocb, indicator=framework["manual"], year=2025, value=1)
    response = _xml(client_for("rocb.ap"), programme)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    document = response.content
    assert validation_errors(document) == []
    tree = etree.fromstring(document)
    activity = tree.find("iati-activity")
    assert activity.findtext("iati-identifier").endswith("-PROG-ap-pca")
    results = activity.findall("result")
    assert [result.get("type") for result in results] == [
        "2",
        "1",
    ]  # the outcome and the output with indicators
    women = results[0].find("indicator")
    period = [p for p in women.findall("period") if p.find("period-start").get("iso-date") == "2025-01-01"][0]
    assert period.find("target").get("value") == "4.00" and period.find("actual").get("value") == "3.00"
    assert women.find("baseline").get("value") == "0.00"
    types = [t.find("transaction-type").get("code") for t in activity.findall("transaction")]
    assert types == ["2"]  # committed; nothing disbursed yet


def test_a_token_reads_it_and_the_public_only_what_is_published(framework, programme, client, user_named):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=user_named("donor"))
    assert _xml(client, programme, Authorization=f"Token {token.key}").status_code == 200
    assert _xml(client, programme).status_code == 404  # nothing published
    services.result_save(
        user=user_named("rocb.ap"),
        programme=programme,
        result=framework["outcome"],
        data={"is_published": True},
    )
    public = etree.fromstring(_xml(client, programme).content)
    assert [r.get("type") for r in public.find("iati-activity").findall("result")] == ["2"]
    assert client.get("/api/results/programmes/999999999/iati/").status_code == 404
