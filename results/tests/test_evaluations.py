"""Evaluations with management responses followed to completion: the lead office records a mid-term
evaluation with its evaluators, recommendations and responses, commits to actions owned by offices,
and the owners move them to done; a rejection says why and takes no action; the donor reads, other
offices see nothing, an RTC updates only the actions its centre owns; bad input gets a clear answer."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.tests.factories import PersonFactory
from experts.tests.factories import ExpertProfileFactory
from network.models import Member, Office
from results import evaluations
from results.demo import demo_evaluation, demo_evaluations_create
from results.models import Evaluation, FollowUpAction, FollowUpStatus, Recommendation, Response

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _messages(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


@pytest.fixture
def offices():
    return {
        "rocb": Office.objects.get(code="rocb-ap"),
        "japan": Office.objects.get(code="rtc-japan"),
        "other_rtc": Office.objects.filter(kind="rtc").exclude(code="rtc-japan").order_by("code").first(),
    }


@pytest.fixture
def evaluation(programme, user_named, offices):
    """A mid-term evaluation by an accredited-roster expert of Japan, with an accepted recommendation
    and two actions: one owned by RTC Japan (overdue), one by the ROCB only."""
    rocb = user_named("rocb.ap")
    expert = ExpertProfileFactory(person=PersonFactory(first_name="Aiko", last_name="Evaluator"))
    evaluation = evaluations.evaluation_save(
        user=rocb,
        programme=programme,
        data={
            "kind": "mid_term",
            "evaluators": [expert.person],
            "terms_of_reference": "Assess the first phase.",
            "findings": "Trainers are missing.",
            "completed_on": datetime.date(2025, 6, 30),
        },
    )
    recommendation = evaluations.recommendation_save(
        user=rocb, evaluation=evaluation, data={"text": "Train national trainers."}
    )
    evaluations.response_record(user=rocb, recommendation=recommendation, response="accepted", text="")
    japan = evaluations.follow_up_add(
        user=rocb,
        recommendation=recommendation,
        what="Run a train-the-trainers course",
        owners=[offices["japan"], offices["rocb"]],
        due_on=TODAY - datetime.timedelta(days=5),
    )
    rocb_only = evaluations.follow_up_add(
        user=rocb,
        recommendation=recommendation,
        what="Agree the trainers' certification",
        owners=[offices["rocb"]],
        due_on=TODAY + datetime.timedelta(days=30),
    )
    return {
        "evaluation": evaluation,
        "recommendation": recommendation,
        "japan": japan,
        "rocb_only": rocb_only,
        "expert": expert,
        "rocb": rocb,
    }


# --- services --------------------------------------------------------------------------------------


def test_the_lead_office_records_an_evaluation_and_follows_it_to_completion(evaluation, user_named):
    rocb, record = evaluation["rocb"], evaluation["evaluation"]
    assert list(record.evaluators.all()) == [evaluation["expert"].person]
    second = evaluations.recommendation_save(user=rocb, evaluation=record, data={"text": "Go online."})
    assert [r.position for r in record.recommendations.all()] == [1, 2]
    evaluations.response_record(
        user=rocb, recommendation=second, response=Response.PARTLY, text="Theory online only."
    )
    action = evaluation["japan"]
    evaluations.follow_up_progress(user=rocb, action=action, status=FollowUpStatus.IN_PROGRESS)
    evaluations.follow_up_progress(user=user_named("rtc.japan"), action=action, status=FollowUpStatus.DONE)
    action.refresh_from_db()
    assert action.status == FollowUpStatus.DONE and action.reason == ""
    dropped = evaluations.follow_up_progress(
        user=rocb, action=evaluation["rocb_only"], status="dropped", reason="Done by the Secretariat."
    )
    assert dropped.reason == "Done by the Secretariat."
    # Back to open: the reason of dropping goes.
    assert evaluations.follow_up_progress(user=rocb, action=dropped, status="open").reason == ""


def test_the_rules_of_responses_and_actions(evaluation, offices):
    rocb, recommendation = evaluation["rocb"], evaluation["recommendation"]
    with pytest.raises(ValidationError, match="accepted, partly accepted or rejected"):
        evaluations.response_record(user=rocb, recommendation=recommendation, response="maybe")
    with pytest.raises(ValidationError, match="Say why"):
        evaluations.response_record(user=rocb, recommendation=recommendation, response="rejected", text=" ")
    with pytest.raises(ValidationError, match="open follow-up actions"):
        evaluations.response_record(
            user=rocb, recommendation=recommendation, response="rejected", text="Too costly."
        )
    rejected = evaluations.recommendation_save(
        user=rocb, evaluation=evaluation["evaluation"], data={"text": "A sixth workshop."}
    )
    with pytest.raises(ValidationError, match="management response before"):
        evaluations.follow_up_add(
            user=rocb, recommendation=rejected, what="x", owners=[offices["rocb"]], due_on=TODAY
        )
    evaluations.response_record(user=rocb, recommendation=rejected, response="rejected", text="No budget.")
    with pytest.raises(ValidationError, match="rejected recommendation has no follow-up"):
        evaluations.follow_up_add(
            user=rocb, recommendation=rejected, what="x", owners=[offices["rocb"]], due_on=TODAY
        )
    for kwargs, message in (
        ({"what": " ", "owners": [offices["rocb"]], "due_on": TODAY}, "Say what must be done"),
        ({"what": "x", "owners": [], "due_on": TODAY}, "at least one office"),
        ({"what": "x", "owners": [offices["rocb"]], "due_on": None}, "date the action is due"),
        ({"what": "x", "owners": [offices["rocb"]], "due_on": datetime.date(1, 1, 1)}, "from 2000"),
        ({"what": "x" * 20001, "owners": [offices["rocb"]], "due_on": TODAY}, "under 20000"),
    ):
        with pytest.raises(ValidationError, match=message):
            evaluations.follow_up_add(user=rocb, recommendation=recommendation, **kwargs)
    action = evaluation["japan"]
    with pytest.raises(ValidationError, match="Say why the action is dropped"):
        evaluations.follow_up_progress(user=rocb, action=action, status="dropped")
    with pytest.raises(ValidationError, match="Unknown status"):
        evaluations.follow_up_progress(user=rocb, action=action, status="finished")
    with pytest.raises(ValidationError, match="Write the recommendation"):
        evaluations.recommendation_save(user=rocb, evaluation=evaluation["evaluation"], data={"text": ""})
    assert FollowUpAction.objects.count() == 2


def test_an_evaluation_checks_its_kind_dates_and_evaluators(programme, user_named):
    rocb = user_named("rocb.ap")
    kenyan = PersonFactory(member=Member.objects.get(iso_alpha2="KE"))
    for data, message in (
        ({"kind": "annual"}, "mid-term or a final"),
        ({"kind": "final", "completed_on": TODAY + datetime.timedelta(days=2)}, "day that has come"),
        ({"kind": "final", "completed_on": datetime.date(2023, 5, 1)}, "after the programme has started"),
        ({"kind": "final", "evaluators": [kenyan]}, "not one of the available choices"),
    ):
        with pytest.raises(ValidationError, match=message):
            evaluations.evaluation_save(user=rocb, programme=programme, data=data)
    assert not Evaluation.objects.exists()
    # The Secretariat may name anyone.
    saved = evaluations.evaluation_save(
        user=user_named("secretariat"), programme=programme, data={"kind": "final", "evaluators": [kenyan]}
    )
    # Editing keeps an evaluator the lead office may not see.
    evaluations.evaluation_save(
        user=rocb,
        programme=programme,
        data={"findings": "Good.", "evaluators": [kenyan]},
        evaluation=saved,
    )
    assert list(saved.evaluators.all()) == [kenyan]


# --- scope -----------------------------------------------------------------------------------------


def test_the_donor_reads_focal_points_see_nothing_and_an_rtc_updates_only_its_own_actions(
    evaluation, user_named, programme
):
    donor, focal, japan = user_named("donor"), user_named("focal.kenya"), user_named("rtc.japan")
    record = evaluation["evaluation"]
    assert Evaluation.objects.restrict(donor).filter(pk=record.pk).exists()
    assert FollowUpAction.objects.restrict(donor).count() == 2
    for model in (Evaluation, Recommendation, FollowUpAction):
        assert not model.objects.restrict(focal).exists()
        assert not model.objects.restrict(japan).exists()  # not the lead office
    with pytest.raises(PermissionDenied):
        evaluations.evaluation_save(user=donor, programme=programme, data={"kind": "final"})
    with pytest.raises(PermissionDenied):
        evaluations.response_record(
            user=donor, recommendation=evaluation["recommendation"], response="accepted"
        )
    with pytest.raises(PermissionDenied):
        evaluations.follow_up_progress(user=donor, action=evaluation["japan"], status="done")
    with pytest.raises(PermissionDenied):
        evaluations.follow_up_progress(user=focal, action=evaluation["japan"], status="done")
    with pytest.raises(PermissionDenied):
        evaluations.follow_up_progress(user=japan, action=evaluation["rocb_only"], status="done")
    with pytest.raises(PermissionDenied):
        evaluations.follow_up_add(
            user=japan,
            recommendation=evaluation["recommendation"],
            what="x",
            owners=[Office.objects.get(code="rtc-japan")],
            due_on=TODAY,
        )
    evaluations.follow_up_progress(user=japan, action=evaluation["japan"], status="in_progress")
    assert [action.pk for action in evaluations.our_follow_up(japan)] == [evaluation["japan"].pk]
    # The ROCB officer's office owns both, the overdue one first.
    mine = evaluations.our_follow_up(user_named("rocb.ap"))
    assert [action.pk for action in mine] == [evaluation["japan"].pk, evaluation["rocb_only"].pk]
    assert mine[0].overdue and not mine[1].overdue
    assert evaluations.our_follow_up(donor) == [] and evaluations.our_follow_up(focal) == []


# --- pages -----------------------------------------------------------------------------------------


def test_the_lead_office_works_through_the_pages(programme, client_for, offices):
    rocb = client_for("rocb.ap")
    expert = ExpertProfileFactory()
    results_page = rocb.get(reverse("results:programme_results", args=[programme.pk])).content.decode()
    assert 'id="add-evaluation"' in results_page and 'id="no-evaluations"' in results_page
    add = reverse("results:evaluation_add", args=[programme.pk])
    form = rocb.get(add)
    assert form.status_code == 200 and expert.person in form.context["form"].fields["evaluators"].queryset
    response = rocb.post(
        add,
        {
            "kind": "final",
            "evaluators": [expert.person.pk],
            "terms_of_reference": "Assess the programme.",
            "findings": "It worked.",
            "completed_on": "2025-12-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Evaluation.objects.get()
    detail = record.get_absolute_url()
    assert response["Location"] == detail
    rocb.post(reverse("results:recommendation_add", args=[record.pk]), {"text": "Keep the surveys."})
    recommendation = record.recommendations.get()
    rocb.post(
        reverse("results:response_record", args=[recommendation.pk]),
        {"response": "accepted", "response_text": ""},
    )
    done = rocb.post(
        reverse("results:follow_up_add", args=[recommendation.pk]),
        {"what": "Add the indicators to the survey", "owners": [offices["japan"].pk], "due_on": "2026-03-01"},
        follow=True,
    )
    assert "Follow-up action added." in _messages(done)
    action = FollowUpAction.objects.get()
    rocb.post(reverse("results:follow_up_progress", args=[action.pk]), {"status": "done", "reason": ""})
    action.refresh_from_db()
    assert action.status == "done"
    page = rocb.get(detail)
    html = page.content.decode()
    assert page.status_code == 200
    for fragment in (
        "Assess the programme.",
        "It worked.",
        str(expert.person),
        "Keep the surveys.",
        f'id="follow-up-{action.pk}"',
        f'id="response-form-{recommendation.pk}"',
        'id="recommendation-add-form"',
        "Accepted",
        "Done",
    ):
        assert fragment in html, fragment
    edit = rocb.post(
        reverse("results:evaluation_edit", args=[record.pk]),
        {"kind": "final", "evaluators": [expert.person.pk], "findings": "It worked well."},
    )
    assert edit.status_code == 302
    record.refresh_from_db()
    assert record.findings == "It worked well." and record.completed_on is None
    listed = rocb.get(reverse("results:programme_results", args=[programme.pk])).content.decode()
    assert f'id="evaluation-{record.pk}"' in listed


def test_who_sees_the_pages(evaluation, client_for, programme):
    record, action = evaluation["evaluation"], evaluation["japan"]
    detail = record.get_absolute_url()
    donor = client_for("donor").get(detail)
    assert donor.status_code == 200 and 'id="recommendation-add-form"' not in donor.content.decode()
    assert "Aiko Evaluator" not in donor.content.decode()  # a person the donor may not see
    assert "1 evaluator you may not see" in donor.content.decode()
    assert (
        client_for("donor")
        .post(
            reverse("results:response_record", args=[evaluation["recommendation"].pk]),
            {"response": "accepted"},
        )
        .status_code
        == 403
    )
    assert client_for("donor").get(reverse("results:evaluation_edit", args=[record.pk])).status_code == 403
    assert (
        client_for("donor")
        .post(reverse("results:follow_up_progress", args=[action.pk]), {"status": "done"})
        .status_code
        == 403
    )
    for username in ("focal.kenya", "rtc.japan", None):
        assert client_for(username).get(detail).status_code == 404, username
    assert (
        client_for("focal.kenya")
        .post(reverse("results:follow_up_progress", args=[action.pk]), {"status": "done"})
        .status_code
        == 404
    )
    assert (
        client_for("rtc.japan")
        .post(reverse("results:follow_up_progress", args=[evaluation["rocb_only"].pk]), {"status": "done"})
        .status_code
        == 404
    )
    page = client_for("donor").get(reverse("results:programme_results", args=[programme.pk])).content.decode()
    assert f'id="evaluation-{record.pk}"' in page and 'id="add-evaluation"' not in page


def test_an_rtc_finds_and_updates_its_follow_up_actions(evaluation, client_for):
    japan = client_for("rtc.japan")
    page = japan.get(reverse("results:our_follow_up"))
    html = page.content.decode()
    action = evaluation["japan"]
    assert page.status_code == 200 and f'id="follow-up-{action.pk}"' in html
    assert "Train national trainers." in html and "overdue" in html
    assert f'id="follow-up-{evaluation["rocb_only"].pk}"' not in html
    response = japan.post(
        reverse("results:follow_up_progress", args=[action.pk]),
        {"status": "dropped", "reason": "", "from": "follow-up"},
        follow=True,
    )
    assert "Say why the action is dropped." in _messages(response)
    assert response.redirect_chain[-1][0].startswith(reverse("results:our_follow_up"))
    japan.post(
        reverse("results:follow_up_progress", args=[action.pk]), {"status": "done", "from": "follow-up"}
    )
    action.refresh_from_db()
    assert action.status == "done"
    after = japan.get(reverse("results:our_follow_up")).content.decode()
    assert 'id="our-follow-up"' in after and f'id="follow-up-{action.pk}"' not in after
    assert client_for(None).get(reverse("results:our_follow_up")).status_code == 302  # sign in first


def test_bad_input_gets_a_clear_answer_and_changes_nothing(evaluation, client_for, programme):
    rocb = client_for("rocb.ap")
    record, recommendation, action = (
        evaluation["evaluation"],
        evaluation["recommendation"],
        evaluation["japan"],
    )
    for url in (
        "/results/evaluations/abc/",
        "/results/evaluations/99999999999/",
        "/results/evaluations/100000000000000000000/",
        "/results/evaluations/99999999/edit/",
    ):
        assert rocb.get(url).status_code == 404, url
    for url in (
        "/results/follow-up/abc/progress/",
        "/results/follow-up/100000000000000000000/progress/",
        "/results/recommendations/99999999/response/",
        "/results/recommendations/99999999/actions/",
        "/results/evaluations/99999999/recommendations/",
    ):
        assert rocb.post(url, {"status": "done"}).status_code == 404, url
    status = rocb.post(
        reverse("results:follow_up_progress", args=[action.pk]), {"status": "finished"}, follow=True
    )
    assert "Status" in _messages(status) and "valid choice" in _messages(status)
    long = rocb.post(
        reverse("results:recommendation_add", args=[record.pk]), {"text": "x" * 20001}, follow=True
    )
    assert "at most 20000 characters" in _messages(long)
    date = rocb.post(
        reverse("results:follow_up_add", args=[recommendation.pk]),
        {"what": "x", "owners": [evaluation["japan"].owners.first().pk], "due_on": "2025-02-31"},
        follow=True,
    )
    assert "valid date" in _messages(date)
    far = rocb.post(
        reverse("results:follow_up_add", args=[recommendation.pk]),
        {"what": "x", "owners": [evaluation["japan"].owners.first().pk], "due_on": "0001-01-01"},
        follow=True,
    )
    assert "from 2000 to 2100" in _messages(far)
    reject = rocb.post(
        reverse("results:response_record", args=[recommendation.pk]),
        {"response": "rejected", "response_text": "Too costly."},
        follow=True,
    )
    assert "open follow-up actions" in _messages(reject)
    nul = rocb.post(reverse("results:recommendation_add", args=[record.pk]), {"text": "a\x00b"}, follow=True)
    assert nul.status_code == 200
    bad_form = rocb.post(
        reverse("results:evaluation_add", args=[programme.pk]),
        {"kind": "final", "completed_on": "2025-13-45"},
    )
    assert bad_form.status_code == 400 and "valid date" in bad_form.content.decode()
    future = rocb.post(
        reverse("results:evaluation_add", args=[programme.pk]),
        {"kind": "final", "completed_on": (TODAY + datetime.timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 400 and "day that has come" in future.content.decode()
    assert record.recommendations.count() == 1 and FollowUpAction.objects.count() == 2
    assert Evaluation.objects.count() == 1
    recommendation.refresh_from_db()
    assert recommendation.response == "accepted"


# --- the demo --------------------------------------------------------------------------------------


def test_the_demo_evaluations_have_responses_and_actions_in_several_statuses(programme, user_named):
    secretariat = user_named("secretariat")
    ExpertProfileFactory()
    created = demo_evaluation(user=secretariat, programme=programme, kind="mid_term")
    assert created is not None and created.completed_on <= TODAY
    assert created.evaluators.count() == 1
    responses = set(created.recommendations.values_list("response", flat=True))
    assert responses == {"accepted", "partly", "rejected"}
    rejected = created.recommendations.get(response="rejected")
    assert rejected.response_text and not rejected.actions.exists()
    statuses = set(FollowUpAction.objects.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "done"}
    assert FollowUpAction.objects.filter(owners__code="rtc-japan").exists()
    assert demo_evaluation(user=secretariat, programme=programme, kind="mid_term") is None
    counts = demo_evaluations_create(user=secretariat, programmes=[programme])
    assert counts["evaluations"] == 1  # the final one; the mid-term exists already
    assert set(FollowUpAction.objects.values_list("status", flat=True)) == {
        "open",
        "in_progress",
        "done",
        "dropped",
    }
    before = (Evaluation.objects.count(), Recommendation.objects.count(), FollowUpAction.objects.count())
    assert demo_evaluations_create(user=secretariat, programmes=[programme])["evaluations"] == 0
    assert before == (
        Evaluation.objects.count(),
        Recommendation.objects.count(),
        FollowUpAction.objects.count(),
    )
    # RTC Japan finds the demo's actions it owns.
    assert evaluations.our_follow_up(user_named("rtc.japan"))


@pytest.mark.parametrize("username", ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "donor"])
def test_the_forms_offer_only_people_the_user_may_see(username, user_named):
    """`accounts/tests/test_write_scope.py` scans `results.forms` only; the same check here."""
    from people.models import Person
    from results.forms import EvaluationForm, FollowUpForm

    user = user_named(username)
    kenyan = ExpertProfileFactory(person=PersonFactory(member=Member.objects.get(iso_alpha2="KE"))).person
    offered = EvaluationForm(user=user).fields["evaluators"].queryset
    visible = Person.objects.restrict(user)
    assert set(offered.values_list("pk", flat=True)) <= set(visible.values_list("pk", flat=True))
    assert (kenyan in offered) == (username in ("secretariat", "focal.kenya"))
    assert FollowUpForm(user=user).fields["owners"].queryset.filter(code="rtc-japan").exists()


def test_the_pages_read_in_french(evaluation, client_for):
    rocb = client_for("rocb.ap")
    detail = rocb.get(evaluation["evaluation"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Évaluation à mi-parcours" in detail and "Réponse de la direction" in detail
    donor = client_for("donor").get(evaluation["evaluation"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "1 évaluateur que vous ne pouvez pas voir" in donor.content.decode()
    page = client_for("rtc.japan").get(reverse("results:our_follow_up"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Nos actions de suivi" in page.content.decode() and "en retard" in page.content.decode()
