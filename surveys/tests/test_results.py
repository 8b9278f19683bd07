"""What the answers say: counts per question, breakdowns, suppression under 5, learning gain paired
through the person, reaction, follow-up, the activity page's summary and the exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from surveys import results, services
from surveys.models import Audience, Stage
from surveys.tests.factories import (
    attach,
    links,
    reaction_answers,
    scored_answers,
    submit,
    template,
    workshop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(user_named):
    """A workshop of six (Japan, Korea, Kenya, Thailand in turn) whose reaction all six gave."""
    activity = workshop(participants=6)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    for index, (_invitation, token) in enumerate(links(wave)):
        _response, errors, _ = submit(
            token, reaction_answers(overall=str(2 + index % 4), reaction_best_part=f"Part {index}")
        )
        assert not errors
    return activity, wave


def by_code(summary):
    return {question.code: question for question in summary.questions}


def test_each_question_is_counted(answered, user_named):
    _activity, wave = answered
    summary = results.wave_results(user_named("rocb.ap"), wave, {}, "en")
    assert summary.respondents == 6 and not summary.suppressed
    overall = by_code(summary)["reaction_overall"]
    assert overall.labels == ["1", "2", "3", "4", "5"] and overall.values == [0, 2, 2, 1, 1]
    assert overall.mean == pytest.approx(3.17, abs=0.01)
    recommend = by_code(summary)["reaction_recommend"]
    assert recommend.labels == ["Yes", "No"] and recommend.values == [6, 0]
    aspects = by_code(summary)["reaction_aspects"]
    definition = services.current_version(template("workshop_reaction")).definition
    matrix = next(q for q in services.spec.questions(definition) if q["code"] == "reaction_aspects")
    facilitators = next(row["label"]["en"] for row in matrix["rows"] if row["value"] == "facilitators")
    assert (facilitators, 5.0, 6) in aspects.rows
    assert len(by_code(summary)["reaction_best_part"].texts) == 6


def test_french_labels_for_a_french_reader(answered, user_named):
    _activity, wave = answered
    summary = results.wave_results(user_named("rocb.ap"), wave, {}, "fr")
    assert by_code(summary)["reaction_recommend"].labels == ["Oui", "Non"]


def test_a_breakdown_by_administration_and_gender(answered, user_named):
    _activity, wave = answered
    from network.models import Member

    japan = Member.objects.get(iso_alpha2="JP")
    summary = results.wave_results(user_named("rocb.ap"), wave, {"member_id": japan.pk}, "en")
    assert summary.respondents == 2
    assert results.wave_results(user_named("rocb.ap"), wave, {"gender": "female"}, "en").respondents == 3


def test_an_anonymous_wave_never_shows_a_cell_of_fewer_than_five(user_named):
    activity = workshop(participants=6)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION, anonymous=True)
    for _invitation, token in links(wave):
        submit(token, reaction_answers())
    rocb = user_named("rocb.ap")
    assert not results.wave_results(rocb, wave, {}, "en").suppressed
    from network.models import Member

    japan = Member.objects.get(iso_alpha2="JP")
    narrowed = results.wave_results(rocb, wave, {"member_id": japan.pk}, "en")
    assert narrowed.suppressed and narrowed.questions == []
    # The table by administration hides the small counts too.
    assert all(count is None for _name, count in results.wave_results(rocb, wave, {}, "en").by_member)


def test_learning_gain_pairs_the_pre_and_post_test_of_each_person(user_named):
    rocb = user_named("rocb.ap")
    activity = workshop(participants=3)
    definition = services.current_version(template("knowledge_test")).definition
    pre = attach(rocb, activity, "knowledge_test", Stage.PRE_TEST)
    post = attach(rocb, activity, "knowledge_test", Stage.POST_TEST)
    pre_links, post_links = links(pre), links(post)
    for (_i, token), right in zip(pre_links, (4, 5, 6), strict=True):
        submit(token, scored_answers(definition, right))
    for (_i, token), right in zip(post_links[:2], (8, 6), strict=True):  # the third skipped the post-test
        submit(token, scored_answers(definition, right))
    learning = results.learning_gain(rocb, results.visible_responses(rocb, wave__activity=activity))
    assert learning.paired == 2
    assert learning.gain_mean == pytest.approx(((0.8 - 0.4) + (0.6 - 0.5)) / 2)
    assert learning.pre_mean == pytest.approx(0.5) and learning.post_mean == pytest.approx(0.7)
    assert sorted(round(gain, 2) for _name, _pre, _post, gain in learning.people) == [0.1, 0.4]


def test_the_activity_page_shows_the_evaluation_summary(answered, client_for):
    activity, _wave = answered
    page = client_for("rocb.ap").get(activity.get_absolute_url()).content.decode()
    assert 'id="evaluation-summary"' in page and 'id="figure-reaction"' in page
    assert 'id="attach-questionnaire"' in page
    # Anonymous visitors see the activity without it.
    assert 'id="evaluation"' not in client_for(None).get(activity.get_absolute_url()).content.decode()


def test_follow_up_rate_of_applying_the_learning(user_named):
    rocb = user_named("rocb.ap")
    activity = workshop(participants=4)
    wave = attach(rocb, activity, "follow_up", Stage.FOLLOW_UP)
    for (_i, token), applied in zip(links(wave), ("fully", "partly", "no", "not_yet"), strict=True):
        _r, errors, _ = submit(
            token, {"applied_learning": applied, "performance_change": "3", "shared_with_colleagues": "no"}
        )
        assert not errors
    evaluation = results.activity_evaluation(rocb, activity)
    assert evaluation.applied == pytest.approx(0.5) and evaluation.follow_up_respondents == 4


def test_the_csv_export_has_labels_not_codes_and_keeps_a_matrix_whole(answered, client_for):
    _activity, wave = answered
    response = client_for("rocb.ap").get(f"/surveys/waves/{wave.pk}/results/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    heading = rows[0]
    matrix = [i for i, name in enumerate(heading) if " — " in name]
    assert len(matrix) == 5 and matrix == list(range(matrix[0], matrix[0] + 5))  # adjacent
    assert "Yes" in rows[1] and "yes" not in rows[1]
    assert "Person" in heading and len(rows) == 7


def test_the_xlsx_export_merges_a_matrix_heading(answered, client_for):
    _activity, wave = answered
    response = client_for("rocb.ap").get(f"/surveys/waves/{wave.pk}/results/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any(merged.max_col - merged.min_col == 4 for merged in sheet.merged_cells.ranges)
    assert sheet.max_row == 8  # two heading rows, six responses


def test_an_anonymous_export_has_no_column_that_points_at_a_person(user_named, client_for):
    activity = workshop(participants=5)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION, anonymous=True)
    for _invitation, token in links(wave):
        submit(token, reaction_answers())
    heading = (
        client_for("rocb.ap")
        .get(f"/surveys/waves/{wave.pk}/results/", {"export": "csv"})
        .content.decode()
        .splitlines()[0]
    )
    assert "Person" not in heading and "Administration" not in heading and "Gender" not in heading


def test_the_panel_has_one_row_per_person_across_the_waves(user_named, client_for):
    rocb = user_named("rocb.ap")
    activity = workshop(participants=2)
    definition = services.current_version(template("knowledge_test")).definition
    for stage, right in ((Stage.PRE_TEST, 3), (Stage.POST_TEST, 9)):
        for _invitation, token in links(attach(rocb, activity, "knowledge_test", stage)):
            submit(token, scored_answers(definition, right))
    for _invitation, token in links(attach(rocb, activity, "workshop_reaction", Stage.REACTION)):
        submit(token, reaction_answers())
    rows = list(
        csv.reader(
            io.StringIO(
                client_for("rocb.ap").get(f"/surveys/activities/{activity.pk}/panel/").content.decode()
            )
        )
    )
    assert len(rows) == 3
    assert rows[1][4:7] == ["30.0", "90.0", "60.0"]
    assert rows[1][7] == "4.33"  # the mean of their three ratings at the end (4, 5, 4)


def test_a_needs_wave_of_focal_points_records_the_region(user_named):
    rocb = user_named("rocb.ap")
    activity = workshop(participants=1)
    wave = attach(rocb, activity, "needs_assessment", Stage.NEEDS, audience=Audience.FOCAL_POINTS)
    recipients = services.wave_recipients(wave)
    assert [r["name"] for r in recipients] and all(r["role"] == "focal_point" for r in recipients)


def test_the_activity_pages_summary_is_kept_until_an_answer_changes(user_named, client_for):
    rocb = user_named("rocb.ap")
    activity = workshop(participants=2)
    wave = attach(rocb, activity, "follow_up", Stage.FOLLOW_UP)
    (_a, first), (_b, second) = links(wave)
    follow = {"performance_change": "3", "shared_with_colleagues": "no"}
    submit(first, {"applied_learning": "fully", **follow})
    client = client_for("rocb.ap")
    assert client.get(activity.get_absolute_url()).context["evaluation"].applied == 1.0
    submit(second, {"applied_learning": "no", **follow})
    assert client.get(activity.get_absolute_url()).context["evaluation"].applied == 0.5
