"""The pages as people use them: a respondent answering in French through their link, the builder,
XLSForm import and export, attaching a questionnaire, and every bad input the issue names, each with
a clear message and nothing stored lost."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from surveys import services
from surveys.models import Questionnaire, Response, ResponseStatus, Stage, Wave
from surveys.tests.factories import attach, links, template, workshop

pytestmark = pytest.mark.django_db

REACTION = {
    "reaction_overall": "4",
    "reaction_relevance": "5",
    "reaction_intention_apply": "4",
    "reaction_aspects__content": "4",
    "reaction_aspects__facilitators": "5",
    "reaction_aspects__materials": "3",
    "reaction_aspects__organisation": "4",
    "reaction_aspects__pace": "4",
    "reaction_recommend": "yes",
}


@pytest.fixture
def link(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((invitation, token),) = links(wave)
    return wave, invitation, f"/surveys/r/{token}/"


def test_a_respondent_answers_in_french_without_an_account(link):
    _wave, invitation, url = link
    page = Client().get(url, {"lang": "fr"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "Oui" in page.content.decode()  # the choices in French
    answered = Client().post(url, {**REACTION, "lang": "fr", "submit": "1", "nonce": "n1"})
    assert answered.status_code == 302
    response = Response.objects.get()
    assert response.status == ResponseStatus.SUBMITTED and response.language == "fr"
    invitation.refresh_from_db()
    assert invitation.language == "fr" and invitation.completed_at
    again = Client().get(url)
    assert 'id="submitted"' in again.content.decode() and 'value="4" checked' in again.content.decode()


def test_save_and_resume(link):
    _wave, _invitation, url = link
    saved = Client().post(url, {"reaction_overall": "2", "save": "1", "nonce": "n"})
    assert saved.status_code == 302
    assert Response.objects.get().status == ResponseStatus.DRAFT
    assert 'value="2" checked' in Client().get(url).content.decode()


def test_an_unknown_or_closed_link_says_so(link):
    wave, _invitation, url = link
    assert Client().get("/surveys/r/" + "a" * 40 + "/").status_code == 404
    assert Client().get("/surveys/r/%3Cscript%3E/").status_code == 404
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    wave.invitations.update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    closed = Client().post(url, {**REACTION, "submit": "1"})
    assert closed.status_code == 410 and "closed on" in closed.content.decode()
    assert not Response.objects.exists()


def test_an_answer_that_does_not_fit_and_a_missing_required_one_are_shown_beside_the_question(link):
    _wave, _invitation, url = link
    page = Client().post(url, {**REACTION, "reaction_overall": "11", "reaction_relevance": "", "submit": "1"})
    html = page.content.decode()
    assert page.status_code == 400
    assert "Give a whole number from 1 to 5." in html and "This question needs an answer." in html
    response = Response.objects.get()
    assert response.status == ResponseStatus.DRAFT
    assert services.answers_of(response)["reaction_recommend"] == "yes"  # the others are kept


def test_a_megabyte_of_text_and_a_huge_number_are_refused_clearly(link):
    _wave, _invitation, url = link
    page = Client().post(
        url, {**REACTION, "reaction_best_part": "é" * 1_000_000, "reaction_overall": "9" * 400, "submit": "1"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "At most 10000 characters" in html and "Give a whole number from 1 to 5." in html


def test_a_double_submit_is_received_once(link):
    _wave, invitation, url = link
    for _ in range(2):
        assert Client().post(url, {**REACTION, "submit": "1", "nonce": "same"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.uses == 1 and Response.objects.count() == 1


def test_a_questionnaire_edited_while_people_answer_keeps_the_version_they_opened(user_named):
    rocb = user_named("rocb.ap")
    own = services.questionnaire_copy(user=rocb, questionnaire=template("workshop_reaction"), code="ap-live")
    activity = workshop(participants=2)
    wave = services.wave_create(
        user=rocb, questionnaire=own, stage=Stage.REACTION, audience="participants", activity=activity
    )
    (_a, first), (_b, second) = links(wave)
    opened = Client().get(f"/surveys/r/{second}/").content.decode()
    version = services.current_version(own)
    assert f'name="version" value="{version.pk}"' in opened
    Client().post(f"/surveys/r/{first}/", {**REACTION, "submit": "1"})
    client = Client()
    client.force_login(rocb)
    client.post(f"/surveys/{own.pk}/questions/reaction_relevance/remove/")
    assert own.versions.count() == 2
    answered = Client().post(f"/surveys/r/{second}/", {**REACTION, "version": str(version.pk), "submit": "1"})
    assert answered.status_code == 302
    late = Response.objects.get(invitation__token_hash=services.token_hash(second))
    assert late.version == version and services.answers_of(late)["reaction_relevance"] == 5


def test_bad_version_and_language_values_are_ignored_not_errors(link):
    _wave, _invitation, url = link
    assert Client().get(url, {"lang": "xx"}).status_code == 200
    answered = Client().post(
        url, {**REACTION, "version": "999999999999999999999", "lang": "zz", "submit": "1"}
    )
    assert answered.status_code == 302


def test_attaching_a_questionnaire_to_an_activity(client_for):
    activity = workshop(participants=2)
    client = client_for("rocb.ap")
    form = client.get("/surveys/waves/add/", {"activity": activity.pk})
    assert form.status_code == 200 and "region_focal_points" not in form.content.decode()
    today = timezone.localdate()
    response = client.post(
        f"/surveys/waves/add/?activity={activity.pk}",
        {
            "questionnaire": template("needs_assessment").pk,
            "stage": "needs",
            "audience": "nominees",
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=9)).isoformat(),
            "reminder_days": "3",
        },
    )
    wave = Wave.objects.get()
    assert response.url == wave.get_absolute_url() and wave.region.code == "A/P"
    bad = client.post(
        f"/surveys/waves/add/?activity={activity.pk}",
        {
            "questionnaire": template("needs_assessment").pk,
            "stage": "needs",
            "audience": "nominees",
            "opens_on": "2026-13-45",
            "closes_on": "99999-01-01",
        },
    )
    assert bad.status_code == 400 and Wave.objects.count() == 1
    for activity_id in ("abc", "99999999999999999999", "-1"):
        assert client.get("/surveys/waves/add/", {"activity": activity_id}).status_code == 404


def test_the_builder_adds_a_question_in_english_and_french(client_for):
    client = client_for("rocb.ap")
    copied = client.post(f"/surveys/{template('workshop_reaction').pk}/copy/", {"code": "ap-mine"})
    own = Questionnaire.objects.get(code="ap-mine")
    assert copied.url == own.get_absolute_url()
    added = client.post(
        f"/surveys/{own.pk}/questions/add/",
        {
            "section": "extra",
            "code": "venue_rating",
            "kind": "single",
            "label_en": "Was the venue suitable?",
            "label_fr": "Le lieu convenait-il ?",
            "required": "on",
            "choices": "yes | Yes | Oui\nno | No | Non",
        },
    )
    assert added.status_code == 302
    definition = services.current_version(own).definition
    question = services.spec.question_map(definition)["venue_rating"]
    assert question["label"] == {"en": "Was the venue suitable?", "fr": "Le lieu convenait-il ?"}
    assert [c["label"]["fr"] for c in question["choices"]] == ["Oui", "Non"]
    edit = client.get(f"/surveys/{own.pk}/questions/venue_rating/")
    assert "yes | Yes | Oui" in edit.content.decode()
    broken = client.post(
        f"/surveys/{own.pk}/questions/add/",
        {
            "section": "extra",
            "code": "later",
            "kind": "single",
            "label_en": "Later?",
            "choices": "",
            "show_if_question": "nowhere",
            "show_if_value": "x",
        },
    )
    assert broken.status_code == 400 and "not an earlier question" in broken.content.decode()
    assert client.get(f"/surveys/{own.pk}/questions/not_there/").status_code == 404


def _xlsform(rows, choices=()):
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "relevant"])
    for row in rows:
        survey.append(list(row))
    sheet = workbook.create_sheet("choices")
    sheet.append(["list_name", "name", "label"])
    for row in choices:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsform_designed_in_excel_is_imported_and_exported_again(client_for):
    client = client_for("rocb.ap")
    content = _xlsform(
        [
            ("select_one yn", "satisfied", "Were you satisfied?", ""),
            ("text", "why", "Why not?", "${satisfied} = 'no'"),
        ],
        [("yn", "yes", "Yes"), ("yn", "no", "No")],
    )
    response = client.post(
        "/surveys/import/",
        {"file": SimpleUploadedFile("form.xlsx", content), "code": "excel-form", "purpose": "reaction"},
    )
    imported = Questionnaire.objects.get(code="excel-form")
    assert response.url == imported.get_absolute_url()
    exported = client.get(f"/surveys/{imported.pk}/xlsform/")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([("foo", "q1", "Unknown type", "")], "foo"),
        ([("text", "a", "A", "${b} = 'x'"), ("text", "b", "B", "${a} = 'y'")], "cycle"),
    ],
    ids=["unknown-type", "skip-logic-cycle"],
)
def test_an_xlsform_that_is_refused_shows_why_and_saves_nothing(client_for, rows, expected):
    response = client_for("rocb.ap").post(
        "/surveys/import/",
        {"file": SimpleUploadedFile("form.xlsx", _xlsform(rows)), "code": "refused", "purpose": "other"},
    )
    assert response.status_code == 400 and expected in response.content.decode().lower()
    assert not Questionnaire.objects.filter(code="refused").exists()


def test_results_filters_take_only_well_formed_values(link, client_for):
    wave, _invitation, url = link
    Client().post(url, {**REACTION, "submit": "1"})
    client = client_for("rocb.ap")
    for query in (
        {"member": "abc"},
        {"member": "9" * 30},
        {"gender": "<b>"},
        {"region": "-1"},
    ):
        assert client.get(f"/surveys/waves/{wave.pk}/results/", query).status_code == 200
    assert client.get(f"/surveys/waves/{wave.pk}/results/", {"chart": "nope"}).status_code == 404
    chart = client.get(f"/surveys/waves/{wave.pk}/results/", {"chart": "reaction_overall"})
    assert chart.status_code == 200 and chart.content.decode().splitlines()[4] == "4,1"


def test_the_wave_page_lists_the_links_and_sends_them(link, client_for, django_capture_on_commit_callbacks):
    wave, _invitation, _url = link
    page = client_for("rocb.ap").get(wave.get_absolute_url()).content.decode()
    assert 'id="invitations"' in page and 'id="send-form"' in page
    assert (
        client_for("rocb.ap")
        .post(f"/surveys/waves/{wave.pk}/change/", {"closes_on": "bad", "reminder_days": "x"})
        .status_code
        == 302
    )
    wave.refresh_from_db()
    assert wave.reminder_days == "7,14"


def test_a_bank_question_aggregates_every_questionnaire_that_asked_it(user_named, client_for):
    """`reaction_overall` asked in the template and in an office's copy: one question, one count."""
    rocb = user_named("rocb.ap")
    own = services.questionnaire_copy(user=rocb, questionnaire=template("workshop_reaction"), code="ap-bank")
    activity = workshop(participants=2)
    shipped = attach(rocb, activity, "workshop_reaction", Stage.REACTION)
    copied = services.wave_create(
        user=rocb, questionnaire=own, stage=Stage.REACTION, audience="participants", activity=activity
    )
    for wave in (shipped, copied):
        for _invitation, token in links(wave):
            Client().post(f"/surveys/r/{token}/", {**REACTION, "submit": "1"})
    page = client_for("rocb.ap").get("/surveys/bank/reaction_overall/")
    assert page.status_code == 200 and "4 answers" in page.content.decode()
    assert (
        client_for("researcher")
        .get("/surveys/bank/reaction_overall/")
        .content.decode()
        .count("No answers that you may see")
        == 1
    )
    assert client_for("rocb.ap").get("/surveys/bank/no_such_code/").status_code == 404
