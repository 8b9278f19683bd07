"""Who sees which answers and who may send or change questionnaires, for every role.

- organisers (rocb.ap for an Asia/Pacific workshop) see the answers to their activities';
- focal points see their own administration's (focal.kenya: the Kenyan participant's), named waves only;
- respondents with an account see their own (the `expert` account answered);
- the Secretariat sees everything;
- donors see only anonymous aggregates of the activities they fund, never rows or exports;
- researchers, other RTCs and anonymous visitors see no answers at all.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from activities.tests.factories import ParticipationFactory, PersonFactory
from funding.models import Donor, FundingAgreement
from network.models import Member
from surveys.models import Stage
from surveys.tests.factories import attach, links, reaction_answers, submit, workshop

pytestmark = pytest.mark.django_db

ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor", None]


@pytest.fixture
def answered(user_named):
    """An Asia/Pacific workshop funded by the demo donor: five participants (one Kenyan, and the
    `expert` account's person) answered a named reaction and an anonymous one."""
    donor = Donor.objects.create(name="Matrix Fund", kind="government")
    agreement = FundingAgreement.objects.create(
        donor=donor,
        title="Matrix",
        currency="EUR",
        signed_on=datetime.date(2025, 1, 1),
        amount_committed=1000,
    )
    donor_user = user_named("donor")
    donor_user.donor = donor
    donor_user.save(update_fields=["donor"])
    activity = workshop(participants=4, members=("JP", "KE", "TH", "KR"), funding_agreement=agreement)
    expert_person = PersonFactory(member=Member.objects.get(iso_alpha2="ES"), user=user_named("expert"))
    ParticipationFactory(activity=activity, person=expert_person, attendance="attended")
    rocb = user_named("rocb.ap")
    named = attach(rocb, activity, "workshop_reaction", Stage.REACTION)
    anonymous = attach(rocb, activity, "workshop_reaction", Stage.REACTION, anonymous=True)
    for wave in (named, anonymous):
        for _invitation, token in links(wave):
            assert not submit(token, reaction_answers())[1]
    return {"activity": activity, "named": named, "anonymous": anonymous}


def client_as(username):
    client = APIClient()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


# (named responses listed by the API, may open the named wave's results, its CSV export)
SEES = {
    "secretariat": (10, True, True),  # both waves' rows
    "rocb.ap": (5, True, True),  # the named wave's; the anonymous one only counted
    "rtc.japan": (0, False, False),
    "focal.kenya": (1, True, True),  # Kenya's named answer; the anonymous one only counted
    "expert": (1, False, False),  # their own
    "researcher": (0, False, False),
    "donor": (0, True, False),  # results of the funded activity, aggregates only
    None: (0, False, False),
}


@pytest.mark.parametrize("username", ROLES)
def test_who_sees_which_answers(answered, username):
    client = client_as(username)
    listed, results_page, export = SEES[username]
    api = client.get("/api/surveys/responses/")
    assert (api.json()["count"] if api.status_code == 200 else 0) == listed
    named = answered["named"]
    page = client.get(f"/surveys/waves/{named.pk}/results/")
    assert (page.status_code == 200) == results_page, page.status_code
    csv = client.get(f"/surveys/waves/{named.pk}/results/", {"export": "csv"})
    assert (csv.status_code == 200) == export, csv.status_code
    if export:
        rows = csv.content.decode().strip().splitlines()
        assert len(rows) - 1 == {"focal.kenya": 1}.get(username, 5)


def test_a_focal_point_counts_its_administrations_answers_but_reads_no_anonymous_row(answered):
    from surveys.results import wave_results

    kenya = User.objects.get(username="focal.kenya")
    assert wave_results(kenya, answered["named"], {}, "en").respondents == 1
    anonymous = wave_results(kenya, answered["anonymous"], {}, "en")
    assert anonymous.suppressed and anonymous.respondents == 0  # one Kenyan: not even counted aloud


def test_a_donor_sees_the_anonymous_aggregates_of_what_it_funds_and_nothing_named(answered):
    from surveys.results import wave_results

    donor = User.objects.get(username="donor")
    assert wave_results(donor, answered["anonymous"], {}, "en").respondents == 5
    assert wave_results(donor, answered["named"], {}, "en").respondents == 0
    assert (
        client_as("donor")
        .get(f"/surveys/activities/{answered['activity'].pk}/panel/")
        .content.decode()
        .count("\n")
        == 1
    )


@pytest.mark.parametrize("username", ROLES)
def test_who_may_attach_and_send_a_questionnaire(answered, username):
    client = client_as(username)
    activity = answered["activity"]
    response = client.post(
        f"/surveys/waves/add/?activity={activity.pk}",
        {"questionnaire": answered["named"].questionnaire_id, "stage": "needs", "audience": "participants"},
    )
    may = username in ("secretariat", "rocb.ap")
    attached = response.status_code == 302 and response.url.startswith("/surveys/waves/")
    assert attached == may, response.status_code
    from jobs.models import Job

    before = Job.objects.count()
    send = client.post(f"/surveys/waves/{answered['named'].pk}/send/")
    assert send.status_code < 500
    assert (Job.objects.count() == before + 1) == may


@pytest.mark.parametrize("username", ROLES)
def test_who_may_change_the_shipped_templates(answered, username):
    questionnaire = answered["named"].questionnaire
    response = client_as(username).post(f"/surveys/{questionnaire.pk}/questions/reaction_best_part/remove/")
    questionnaire.refresh_from_db()
    from surveys import services
    from surveys.definition import question_map

    still = "reaction_best_part" in question_map(services.current_version(questionnaire).definition)
    assert still == (username != "secretariat"), response.status_code


@pytest.mark.parametrize("username", ROLES)
def test_respondents_detail_page(answered, username):
    from surveys.models import Response

    kenyan = Response.objects.get(wave=answered["named"], member__iso_alpha2="KE")
    status = client_as(username).get(kenyan.get_absolute_url()).status_code
    assert (status == 200) == (username in ("secretariat", "rocb.ap", "focal.kenya")), status


def test_no_one_but_the_secretariat_reads_an_anonymous_waves_rows(answered):
    url = f"/surveys/waves/{answered['anonymous'].pk}/results/"
    secretariat = client_as("secretariat").get(url, {"export": "csv"})
    assert secretariat.status_code == 200 and len(secretariat.content.decode().strip().splitlines()) == 6
    # The organisers and focal.kenya count the anonymous answers but never read them as rows.
    for username in ("rocb.ap", "focal.kenya", "donor"):
        assert client_as(username).get(url, {"export": "csv"}).status_code == 403
    anonymous_ids = set(answered["anonymous"].responses.values_list("pk", flat=True))
    listed = {row["id"] for row in client_as("rocb.ap").get("/api/surveys/responses/").json()["results"]}
    assert not listed & anonymous_ids
    from surveys.results import wave_results

    assert (
        wave_results(User.objects.get(username="rocb.ap"), answered["anonymous"], {}, "en").respondents == 5
    )


def test_a_filter_that_leaves_fewer_than_five_out_shows_nothing(answered):
    from surveys.results import wave_results

    rocb = User.objects.get(username="rocb.ap")
    japan = Member.objects.get(iso_alpha2="JP")
    # Japan's 2 of 5: too few, and the other 3 it leaves out are too few as well.
    assert wave_results(rocb, answered["anonymous"], {"member_id": japan.pk}, "en").suppressed
    everyone = wave_results(rocb, answered["anonymous"], {}, "en")
    recommend = next(q for q in everyone.questions if q.code == "reaction_recommend")
    assert recommend.values == [5, 0]
    # Fewer than 5 answered the question shown only after a "no": it shows nothing.
    hidden = next(q for q in everyone.questions if q.code == "reaction_recommend_no_reason")
    assert hidden.values == [] and hidden.texts == []


@pytest.mark.parametrize(
    "username, region, may",
    [
        ("rocb.ap", "A/P", True),
        ("rocb.ap", "EUR", False),
        ("secretariat", "EUR", True),
        ("rtc.japan", "A/P", False),
    ],
)
def test_a_yearly_survey_only_for_a_region_of_ones_own(answered, username, region, may):
    from network.models import Region
    from surveys.models import Wave
    from surveys.tests.factories import template

    before = Wave.objects.count()
    response = client_as(username).post(
        "/surveys/waves/add/",
        {
            "questionnaire": template("regional_needs_yearly").pk,
            "stage": "yearly_needs",
            "audience": "region_focal_points",
            "region": Region.objects.get(code=region).pk,
            "year": "2027",
        },
    )
    assert response.status_code < 500
    assert (Wave.objects.count() == before + 1) == may
