"""Questionnaires' pages run a fixed number of queries, however many responses, links and needs."""

import pytest

from core.tests.test_query_counts import count_queries
from surveys.models import Stage
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

PAGES = [
    "/surveys/",
    "/surveys/{questionnaire}/",
    "/surveys/waves/",
    "/surveys/waves/{wave}/",
    "/surveys/waves/{wave}/results/",
    "/surveys/waves/{wave}/results/?export=csv",
    "/surveys/waves/{wave}/results/?export=xlsx",
    "/surveys/waves/{test}/results/",
    "/surveys/activities/{activity}/panel/",
    "/surveys/needs/?region=asia-pacific",
    "/surveys/bank/",
    "/surveys/bank/reaction_overall/",
    "/surveys/r/{token}/",
    "/activities/{activity}/",
    "/api/surveys/responses/",
    "/api/surveys/waves/{wave}/results/",
    "/api/surveys/needs/",
    "/api/surveys/questionnaires/",
]


def answer_all(wave, answers):
    for index, (_invitation, token) in enumerate(links(wave)):
        submit(token, answers(index))


def grow(activity, waves, count):
    from activities.tests.factories import ParticipationFactory, PersonFactory
    from network.models import Member

    members = list(Member.objects.filter(region__code="A/P")[:5])
    for index in range(count):
        person = PersonFactory(member=members[index % 5])
        ParticipationFactory(activity=activity, person=person, attendance="attended")
    for wave, answers in waves:
        answer_all(wave, answers)


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_responses(client_for, user_named, page):
    from network.models import Region

    rocb = user_named("rocb.ap")
    activity = workshop(participants=2)
    reaction_wave = attach(rocb, activity, "workshop_reaction", Stage.REACTION)
    test_wave = attach(rocb, activity, "knowledge_test", Stage.POST_TEST)
    definition = template("knowledge_test").versions.get().definition
    waves = [
        (
            reaction_wave,
            lambda index: reaction_answers(str(1 + index % 5), reaction_best_part=f"Part {index}"),
        ),
        (test_wave, lambda index: scored_answers(definition, index % 10)),
    ]
    grow(activity, waves, 0)
    (_invitation, token), *_ = links(reaction_wave)
    region = Region.objects.get(code="A/P")
    url = page.format(
        questionnaire=reaction_wave.questionnaire_id,
        wave=reaction_wave.pk,
        test=test_wave.pk,
        activity=activity.pk,
        token=token,
    ).replace("asia-pacific", region.slug)
    client = client_for("rocb.ap")
    before = count_queries(client, url)
    grow(activity, waves, 10)
    assert count_queries(client, url) <= before, url
