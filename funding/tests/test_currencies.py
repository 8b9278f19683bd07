"""Currencies are chosen from the shipped ISO 4217 list, in every form, serializer and import."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from funding.currencies import currency_choices, currency_codes
from funding.models import ExchangeRate

pytestmark = pytest.mark.django_db


def test_the_shipped_list_holds_real_currencies_and_no_funds_or_metals():
    codes = currency_codes()
    assert {"EUR", "USD", "JPY", "KRW", "SEK", "XOF", "XAF", "GBP", "CHF"} <= codes
    assert not {"XAU", "XTS", "XXX", "XDR", "USN"} & codes
    assert 150 <= len(codes) <= 170


def test_the_names_follow_the_language():
    assert ("EUR", "EUR · Euro") in currency_choices()
    with translation.override("fr"):
        assert ("USD", "USD · Dollar américain") in currency_choices()


@pytest.mark.parametrize("code", ["ABC", "eur", "EU", "XAU"])
def test_a_code_outside_the_list_is_refused(code):
    rate = ExchangeRate(currency=code, valid_from=datetime.date(2025, 1, 1), eur_per_unit=Decimal("1.1"))
    with pytest.raises(ValidationError) as raised:
        rate.full_clean()
    assert "currency" in raised.value.message_dict


def test_the_activity_form_offers_a_choice_of_currencies_with_none_chosen(client_for):
    page = client_for("rocb.ap").get("/activities/add/").content.decode()
    select = page.split('name="budget_currency"')[1].split("</select>")[0]
    assert '<option value="" selected>' in select
    assert '<option value="EUR">EUR · Euro</option>' in select
    assert 'value="XAU"' not in select
    assert 'type="text" name="budget_currency"' not in page


def test_the_exchange_rate_form_and_api_refuse_a_made_up_currency(client_for):
    client = client_for("secretariat")
    form = client.get("/funding/rates/add/").content.decode()
    assert '<select name="currency"' in form and '<option value="JPY">' in form
    response = client.post(
        "/api/funding/rates/",
        {"currency": "ABC", "valid_from": "2025-01-01", "eur_per_unit": "1.1"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "currency" in response.json()
    response = client.post(
        "/api/funding/rates/",
        {"currency": "JPY", "valid_from": "2025-01-01", "eur_per_unit": "0.0061"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_an_import_refuses_a_code_outside_the_list(user_named):
    from activities.imports import import_preview
    from activities.models import ImportBatch

    content = (
        b"title,kind,lead_office,start_date,end_date,budget_amount,budget_currency\n"
        b"Made-up money,national_workshop,rocb-ap,2027-03-01,2027-03-02,100,ABC\n"
        b"Gold,national_workshop,rocb-ap,2027-03-01,2027-03-02,100,XAU\n"
        b"Yen,national_workshop,rocb-ap,2027-03-01,2027-03-02,100,jpy\n"
    )
    batch = import_preview(
        user=user_named("rocb.ap"), kind=ImportBatch.Kind.ACTIVITIES, name="a.csv", content=content
    )
    refused = {error["row"] for error in batch.errors if error["column"] == "budget_currency"}
    assert refused == {2, 3}


def test_the_rate_list_filters_by_a_listed_currency(client_for):
    ExchangeRate.objects.create(
        currency="JPY", valid_from=datetime.date(2025, 1, 1), eur_per_unit=Decimal("0.006")
    )
    client = client_for("secretariat")
    html = client.get("/funding/rates/").content.decode()
    assert '<select name="currency"' in html and 'data-searchable="single"' in html
    assert client.get("/api/funding/rates/?currency=JPY").json()["count"] == 1
    assert client.get("/api/funding/rates/?currency=ABC").status_code == 400
