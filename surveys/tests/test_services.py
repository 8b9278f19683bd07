"""The rules: versions frozen by their answers, the question bank, waves, personal links enforced on
the server, saving and resuming, anonymous mode, scores and needs."""

import copy
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from surveys import services
from surveys.models import (
    Audience,
    BankQuestion,
    Invitation,
    Need,
    Questionnaire,
    Response,
    ResponseStatus,
    Stage,
)
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


def test_the_six_templates_are_loaded_with_their_codes_in_the_bank():
    assert set(Questionnaire.objects.filter(is_template=True).values_list("code", flat=True)) == {
        "needs_assessment",
        "workshop_reaction",
        "knowledge_test",
        "follow_up",
        "administration_impact",
        "regional_needs_yearly",
    }
    # `priority_topics` is in both needs questionnaires, and one question of the bank.
    assert BankQuestion.objects.filter(code="priority_topics", kind="topic").count() == 1
    assert services.templates_load() == 0  # idempotent


def test_an_answered_version_is_never_changed_a_change_makes_a_new_one(user_named):
    rocb = user_named("rocb.ap")
    own = services.questionnaire_copy(
        user=rocb, questionnaire=template("workshop_reaction"), code="ap-reaction"
    )
    first = services.current_version(own)
    changed = copy.deepcopy(first.definition)
    changed["sections"][0]["questions"][0]["label"]["en"] = "How satisfied are you overall?"
    # No answers yet: the version is changed in place.
    assert services.questionnaire_revise(user=rocb, questionnaire=own, definition=changed).pk == first.pk
    activity = workshop(participants=1)
    wave = services.wave_create(
        user=rocb, questionnaire=own, stage=Stage.REACTION, audience=Audience.PARTICIPANTS, activity=activity
    )
    ((_invitation, token),) = links(wave)
    services.response_save(token=token, raw={"reaction_overall": "4"}, submit=False)
    changed["sections"][0]["questions"][0]["label"]["en"] = "Overall, how was it?"
    second = services.questionnaire_revise(user=rocb, questionnaire=own, definition=changed)
    assert second.number == 2
    first.refresh_from_db()
    assert first.definition["sections"][0]["questions"][0]["label"]["en"] == "How satisfied are you overall?"
    assert Response.objects.get().version == first  # the answer keeps its version


def test_a_code_keeps_its_type_across_questionnaires(user_named):
    rocb = user_named("rocb.ap")
    definition = {
        "sections": [
            {
                "code": "s",
                "questions": [{"code": "priority_topics", "kind": "text", "label": {"en": "Which topics?"}}],
            }
        ]
    }
    with pytest.raises(ValidationError, match="topic question in the question bank"):
        services.questionnaire_create(
            user=rocb, code="clash", purpose="other", titles={"en": "Clash"}, definition=definition
        )
    assert not Questionnaire.objects.filter(code="clash").exists()


def test_templates_are_the_secretariats_others_copy_them(user_named):
    needs = template("needs_assessment")
    with pytest.raises(PermissionDenied):
        services.question_remove(user=user_named("rocb.ap"), questionnaire=needs, code="current_role")
    services.question_remove(user=user_named("secretariat"), questionnaire=needs, code="reform_description")
    from surveys.definition import question_map

    assert "reform_description" not in question_map(services.current_version(needs).definition)


def test_an_rtc_attaches_a_questionnaire_only_to_its_own_activities(user_named):
    activity = workshop(participants=1)  # led by the ROCB Asia/Pacific
    with pytest.raises(PermissionDenied):
        attach(user_named("rtc.japan"), activity, "needs_assessment", Stage.NEEDS)
    assert attach(user_named("rocb.ap"), activity, "needs_assessment", Stage.NEEDS).region.code == "A/P"


def test_each_participant_gets_one_link_and_sending_again_adds_none(user_named):
    activity = workshop(participants=3)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    assert len(links(wave)) == 3
    assert services.wave_issue_invitations(wave) == []
    assert Invitation.objects.filter(wave=wave).values("person").distinct().count() == 3
    # The database keeps the hash, never the token.
    invitation, token = links(wave)[0]
    assert token not in {invitation.token_hash, invitation.token_salt}


def test_a_follow_up_opens_months_after_the_end_and_asks_supervisors_too(user_named):
    activity = workshop(participants=3)  # from Japan, Korea and Kenya
    wave = attach(
        user_named("rocb.ap"),
        activity,
        "follow_up",
        Stage.FOLLOW_UP,
        months_after=4,
        include_supervisors=True,
        opens_on=None,
        closes_on=None,
    )
    assert wave.send_when_open and wave.opens_on == services._add_months(activity.end_date, 4)
    roles = sorted(r["role"] for r in services.wave_recipients(wave))
    # Kenya's participant's supervisor is reached through focal.kenya; Japan and Korea have none.
    assert roles.count("participant") == 3 and roles.count("supervisor") == 1


def test_a_link_is_checked_on_the_server_every_time(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((_invitation, token),) = links(wave)
    with pytest.raises(services.LinkRefused, match="not valid"):
        services.invitation_by_token("0" * 40)
    with pytest.raises(services.LinkRefused, match="not valid"):
        services.invitation_by_token("<script>")
    with pytest.raises(services.LinkRefused, match="closed on"):
        services.invitation_by_token(token, on=wave.closes_on + datetime.timedelta(days=1))
    with pytest.raises(services.LinkRefused, match="opens on"):
        services.invitation_by_token(token, on=wave.opens_on - datetime.timedelta(days=1))
    assert services.invitation_by_token(token).wave == wave


def test_a_draft_keeps_what_fits_and_submitting_needs_the_required_answers(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((invitation, token),) = links(wave)
    response, errors, _ = services.response_save(
        token=token, raw={"reaction_overall": "5", "reaction_relevance": "9"}, submit=False
    )
    assert errors == {"reaction_relevance": "Give a whole number from 1 to 5."}
    assert services.answers_of(response) == {"reaction_overall": 5}
    response, errors, _ = submit(token, {"reaction_overall": "4"})
    assert response.status == ResponseStatus.DRAFT
    assert "reaction_relevance" in errors and "reaction_aspects" in errors
    assert services.answers_of(response) == {"reaction_overall": 4}  # saved, nothing lost


def test_a_submitted_response_can_be_edited_until_the_close_and_a_double_submit_counts_once(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((invitation, token),) = links(wave)
    response, errors, repeated = submit(token, reaction_answers(), nonce="abc")
    assert not errors and not repeated and response.status == ResponseStatus.SUBMITTED
    _again, _errors, repeated = submit(token, reaction_answers(), nonce="abc")
    assert repeated
    invitation.refresh_from_db()
    assert invitation.uses == 1 and invitation.completed_at
    submit(token, reaction_answers(reaction_overall="2"), nonce="def")
    assert services.answers_of(Response.objects.get())["reaction_overall"] == 2
    assert Response.objects.count() == 1


def test_a_link_used_up_is_refused(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((invitation, token),) = links(wave)
    Invitation.objects.filter(pk=invitation.pk).update(uses=invitation.max_uses)
    with pytest.raises(services.LinkRefused, match="used as many times"):
        submit(token, reaction_answers(), nonce="x")


def test_a_megabyte_of_text_is_refused_with_its_length_and_the_rest_kept(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((_invitation, token),) = links(wave)
    response, errors, _ = submit(token, reaction_answers(reaction_best_part="x" * 1_000_000))
    assert "At most 10000 characters; this answer has 1000000" in errors["reaction_best_part"]
    assert services.answers_of(response)["reaction_overall"] == 4


def test_skip_logic_drops_the_answers_of_hidden_questions(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((_invitation, token),) = links(wave)
    response, errors, _ = submit(
        token, reaction_answers(reaction_recommend_no_reason="Shown only after a no")
    )
    assert not errors
    assert "reaction_recommend_no_reason" not in services.answers_of(response)


def test_people_answering_an_old_version_keep_it_when_the_questionnaire_changes(user_named):
    rocb = user_named("rocb.ap")
    own = services.questionnaire_copy(user=rocb, questionnaire=template("workshop_reaction"), code="ap-r2")
    activity = workshop(participants=2)
    wave = services.wave_create(
        user=rocb, questionnaire=own, stage=Stage.REACTION, audience=Audience.PARTICIPANTS, activity=activity
    )
    (_first, early), (_second, late) = links(wave)
    opened = services.current_version(own)
    submit(early, reaction_answers())  # the first version now has an answer
    changed = copy.deepcopy(opened.definition)
    changed["sections"][0]["questions"] = [
        q for q in changed["sections"][0]["questions"] if q["code"] != "reaction_relevance"
    ]
    services.questionnaire_revise(user=rocb, questionnaire=own, definition=changed)
    # The second respondent had the first version open: their answers are kept against it.
    response, errors, _ = submit(late, reaction_answers(), version_id=opened.pk)
    assert not errors and response.version == opened
    assert services.answers_of(response)["reaction_relevance"] == 5


def test_anonymous_responses_keep_no_link_to_the_person_but_resume_from_the_link(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION, anonymous=True)
    ((invitation, token),) = links(wave)
    services.response_save(token=token, raw={"reaction_overall": "3"}, submit=False)
    response = Response.objects.get()
    assert response.person_id is None and response.invitation_id is None
    assert services.response_for(invitation, token) == response
    submit(token, reaction_answers())
    assert Response.objects.count() == 1 and Response.objects.get().status == ResponseStatus.SUBMITTED


def test_a_knowledge_test_is_scored(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "knowledge_test", Stage.PRE_TEST)
    ((_invitation, token),) = links(wave)
    definition = services.current_version(template("knowledge_test")).definition
    response, errors, _ = submit(token, scored_answers(definition, right=7))
    assert not errors and response.score == pytest.approx(0.7)


def test_needs_answers_become_the_administrations_needs_for_the_year(user_named):
    activity = workshop(participants=2, members=("JP", "TH"))
    wave = attach(
        user_named("rocb.ap"), activity, "needs_assessment", Stage.NEEDS, audience=Audience.PARTICIPANTS
    )
    definition = services.current_version(template("needs_assessment")).definition
    (_a, japan), (_b, thailand) = links(wave)
    import random

    from surveys.demo import fake_answers

    topics = sorted(services.topic_values())
    for token, picks in ((japan, [topics[0], topics[1]]), (thailand, [topics[0]])):
        answers = fake_answers(definition, random.Random(1), topics=topics, members=["JP"])
        answers.update(priority_topics=picks, top_priority_topic=topics[2])
        _response, errors, _ = submit(token, answers)
        assert not errors
    needs = Need.objects.filter(year=wave.year, region__code="A/P")
    assert needs.filter(topic__slug=topics[0]).count() == 2
    assert needs.get(topic__slug=topics[2], member__iso_alpha2="JP").weight == 3


def test_a_wave_cannot_close_before_it_opens_or_stay_open_for_years(user_named):
    activity = workshop(participants=1)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="before the opening"):
        attach(
            user_named("rocb.ap"),
            activity,
            "workshop_reaction",
            Stage.REACTION,
            opens_on=today,
            closes_on=today - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="two years"):
        attach(
            user_named("rocb.ap"),
            activity,
            "workshop_reaction",
            Stage.REACTION,
            opens_on=today,
            closes_on=today + datetime.timedelta(days=5000),
        )
    with pytest.raises(ValidationError, match="six days"):
        attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION, reminder_days="1,x")


def test_a_submitted_response_saved_as_a_draft_stays_complete_and_counts_a_use(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((invitation, token),) = links(wave)
    submit(token, reaction_answers(), nonce="a")
    response, errors, _ = services.response_save(token=token, raw={"reaction_overall": "1"}, submit=False)
    assert "reaction_relevance" in errors  # a submitted response cannot lose its required answers
    assert (
        response.status == ResponseStatus.SUBMITTED and services.answers_of(response)["reaction_overall"] == 4
    )


def test_a_nul_character_in_an_answer_is_refused_not_stored(user_named):
    activity = workshop(participants=1)
    wave = attach(user_named("rocb.ap"), activity, "workshop_reaction", Stage.REACTION)
    ((_invitation, token),) = links(wave)
    response, errors, _ = submit(token, reaction_answers(reaction_best_part="a\x00b"), nonce="\x00")
    assert "cannot be stored" in errors["reaction_best_part"]


def test_a_need_weight_that_is_not_a_number_is_refused(user_named):
    definition = {
        "sections": [
            {
                "code": "s",
                "questions": [
                    {
                        "code": "weighted_topics",
                        "kind": "topic",
                        "label": {"en": "Topics?"},
                        "need_weight": "high",
                    }
                ],
            }
        ]
    }
    with pytest.raises(ValidationError, match="need weight"):
        services.questionnaire_create(
            user=user_named("rocb.ap"),
            code="weights",
            purpose="needs",
            titles={"en": "W"},
            definition=definition,
        )
