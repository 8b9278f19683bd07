"""Forms a person can fill in: searchable long selects, only the administrations one may request
for, no pre-chosen gender, boxes next to their labels."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from activities.forms import NominateForm, RequestForm
from activities.tests.factories import ActivityFactory
from core.widgets import SEARCHABLE_MIN_OPTIONS, make_selects_searchable

pytestmark = pytest.mark.django_db


def select_of(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return match.group(0)


def test_a_focal_points_request_form_offers_only_their_administration(client_for):
    html = client_for("focal.kenya").get("/activities/requests/new/").content.decode()
    member = select_of(html, "member")
    assert re.findall(r"<option[^>]*>([^<]*)</option>", member) == ["Kenya"]
    assert "selected" in member


def test_an_rocb_officer_requests_for_the_administrations_of_their_region(user_named):
    form = RequestForm(user=user_named("rocb.ap"))
    names = set(form.fields["member"].queryset.values_list("name", flat=True))
    assert {"Japan", "Fiji"} <= names and "Kenya" not in names
    assert form.fields["member"].empty_label  # the officer has to choose one


def test_a_request_for_another_administration_is_refused_by_the_form(user_named):
    from network.models import Member

    japan = Member.objects.get(iso_alpha2="JP")
    form = RequestForm(
        {"member": japan.pk, "need_statement": "Training", "urgency": "medium"},
        user=user_named("focal.kenya"),
    )
    assert not form.is_valid() and "member" in form.errors


def test_long_selects_are_searchable_and_short_ones_stay_plain(client_for):
    html = client_for("rocb.ap").get("/activities/add/").content.decode()
    for name in ("topics", "beneficiary_members", "organising_offices"):
        assert 'data-searchable="multiple"' in select_of(html, name)
    for name in ("host_member", "budget_currency", "actual_currency"):
        assert 'data-searchable="single"' in select_of(html, name)
    for name in ("kind", "delivery_mode"):
        assert "data-searchable" not in select_of(html, name)
    assert 'data-no-results="No match"' in html
    # The widget and its start-up script are served from the app, not a CDN.
    assert "/static/vendor/tom-select-2.6.2.complete.min.js" in html and "/static/js/forms.js" in html


def test_list_filters_get_searchable_selects_too(client):
    html = client.get("/activities/").content.decode()
    assert 'data-searchable="single"' in select_of(html, "topic")
    assert "data-searchable" not in select_of(html, "region")


def test_searchable_selects_speak_french(client_for):
    client = client_for("rocb.ap")
    client.cookies["django_language"] = "fr"
    html = client.get("/activities/add/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'data-no-results="Aucun résultat"' in html
    assert '<option value="USD">USD · Dollar américain</option>' in html


def test_the_widget_counts_options_without_an_extra_query(django_assert_num_queries):
    class Form(forms.Form):
        few = forms.ChoiceField(choices=[(str(n), str(n)) for n in range(SEARCHABLE_MIN_OPTIONS - 1)])
        many = forms.ChoiceField(choices=[(str(n), str(n)) for n in range(SEARCHABLE_MIN_OPTIONS)])
        boxes = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)

    form = make_selects_searchable(make_selects_searchable(Form()))  # idempotent
    html = str(form)
    assert 'data-searchable="single"' in str(form["many"]) and "data-searchable" not in str(form["few"])
    assert 'type="checkbox"' in html and html.count("data-searchable") == 1


def test_gender_is_chosen_by_the_user_not_preselected(client_for):
    form = NominateForm()
    assert form.fields["gender"].choices[0][0] == ""
    assert form.fields["gender"].required
    html = client_for("focal.kenya").get(f"/activities/{ActivityFactory().pk}/nominate/").content.decode()
    gender = select_of(html, "gender")
    assert re.search(r'<option value="" selected>', gender)
    assert not NominateForm({"first_name": "A", "last_name": "B"}).is_valid()


def test_a_checkbox_sits_before_its_label_and_a_group_of_boxes_is_a_fieldset():
    class Form(forms.Form):
        public = forms.BooleanField(label="Public", required=False)
        languages = forms.MultipleChoiceField(
            label="Languages",
            choices=[("en", "English"), ("fr", "French")],
            widget=forms.CheckboxSelectMultiple,
        )

    form = Form()
    box = render_to_string("core/_field.html", {"field": form["public"]})
    assert re.search(
        r'<input type="checkbox" name="public" id="id_public">\s*<label for="id_public">Public', box
    )
    group = render_to_string("core/_field.html", {"field": form["languages"]})
    assert "<fieldset" in group and "<legend>Languages</legend>" in group
    assert re.search(r'<label for="id_languages_0"><input type="checkbox"[^>]*>\s*English</label>', group)


def test_every_scoped_form_gets_searchable_selects(user_named, client_for):
    from knowledge.forms import UploadForm

    assert 'data-searchable="multiple"' in str(
        UploadForm(user=user_named("secretariat"))["restricted_offices"]
    )
    html = client_for("secretariat").get("/funding/rates/add/").content.decode()
    assert 'data-searchable="single"' in select_of(html, "currency")


def test_the_participant_list_filters_by_a_chosen_gender_and_attendance(client_for):
    client = client_for("rocb.ap")
    html = client.get("/activities/participations/").content.decode()
    assert '<option value="female">Female</option>' in select_of(html, "gender")
    assert '<option value="attended">Attended</option>' in select_of(html, "attendance")
    assert client.get("/activities/participations/?gender=woman").status_code == 400
