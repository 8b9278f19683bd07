"""A workshop's questionnaires in a real browser: rocb.ap attaches the needs template and sends it to
the nominees; a nominee answers in French through their personal link; rocb.ap reads the summary;
after the workshop two participants take the post-test (they took the pre-test), and the activity
page shows their learning gain."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from activities.models import Nomination, Participation, Status
from activities.tests.factories import ActivityFactory, PersonFactory
from jobs.queues import DatabaseQueue
from network.models import Member
from surveys import services
from surveys.models import Audience, Stage
from surveys.tests.factories import scored_answers, template
from topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def workshop(network_server):
    services.templates_load()  # a browser test's flush empties the tables the migration filled
    rocb = User.objects.get(username="rocb.ap")
    activity = ActivityFactory(
        title="Regional workshop on post-clearance audit",
        status=Status.SCHEDULED,
        languages="en,fr",
        start_date=datetime.date.today() + datetime.timedelta(days=20),
        end_date=datetime.date.today() + datetime.timedelta(days=23),
    )
    japan, thailand = Member.objects.get(iso_alpha2="JP"), Member.objects.get(iso_alpha2="TH")
    nominees = [
        PersonFactory(first_name="Aiko", last_name="Tanaka", member=japan, email="aiko@example.org"),
        PersonFactory(first_name="Somchai", last_name="Dee", member=thailand, email="somchai@example.org"),
    ]
    for person in nominees:
        Nomination.objects.create(activity=activity, person=person, member=person.member, nominated_by=rocb)
    activity.topics.add(Topic.objects.filter(parent__isnull=False).first())
    return activity, nominees


def the_link(address: str) -> str:
    message = next(m for m in reversed(mail.outbox) if address in m.to)
    return re.search(r"(/surveys/r/\w+/)", message.body).group(1)


def answer_needs_in_french(page, url):
    page.goto(url)
    page.get_by_role("link", name="FR").click()
    expect(page.locator("html")).to_have_attribute("lang", re.compile("fr"))
    form = page.locator("#survey-form")
    form.locator("#q-current_role input[type=radio]").first.check()
    form.locator("#q-proficiency_self input[value='3']").check()
    form.locator("#q-main_challenges input[type=checkbox]").first.check()
    topic = Topic.objects.filter(parent__isnull=False).order_by("position", "slug").first()
    name = topic.label_fr or topic.label_en
    for select_id in ("id-priority_topics", "id-top_priority_topic"):
        page.locator(f"#{select_id} + .ts-wrapper .ts-control").click()
        expect(page.locator(f"#{select_id}-ts-dropdown")).to_be_visible()
        search = page.locator(f"#{select_id}-ts-control")  # the searchable select's text box
        search.fill(name[:12])
        expect(page.locator(f"#{select_id}-ts-dropdown .option.active")).to_contain_text(name[:12])
        search.press("Enter")
        expect(page.locator(f"#{select_id} option:checked")).to_have_text(name)
        page.locator("h1").click()  # away from the widget: its dropdown closes
    for row in form.locator("#q-readiness_aspects tbody tr").all():
        row.locator("input[value='4']").check()
    # Skip logic: the reform's description appears only once a reform is said to be planned.
    expect(form.locator("#q-reform_description")).to_be_hidden()
    form.locator("#q-reform_planned input[value='yes']").check()
    expect(form.locator("#q-reform_description")).to_be_visible()
    form.locator("#id-reform_description").fill("Une réforme du contrôle a posteriori est prévue en 2027.")
    page.locator("#submit-answers").click()
    expect(page.locator("#submitted")).to_be_visible()


def test_needs_before_and_learning_gain_after(page, sign_in, workshop, browser, network_server):
    activity, nominees = workshop
    # 1. rocb.ap attaches the needs template to the workshop and sends it to the nominees.
    sign_in("rocb.ap")
    page.goto(activity.get_absolute_url())
    page.locator("#attach-questionnaire").click()
    page.get_by_label("Questionnaire").select_option(str(template("needs_assessment").pk))
    page.get_by_label("Stage").select_option(Stage.NEEDS)
    page.get_by_label("Send to").select_option(Audience.NOMINEES)
    page.get_by_role("button", name="Attach").click()
    page.get_by_role("button", name="Send the links now").click()
    DatabaseQueue().work(burst=True)  # the worker process, run here
    page.reload()
    expect(page.locator("#invitations tbody tr")).to_have_count(2)

    # 2. A nominee opens their link, without an account, and answers in French.
    respondent = browser.new_context(base_url=network_server.url).new_page()
    answer_needs_in_french(respondent, the_link("aiko@example.org"))
    respondent.context.close()

    # 3. rocb.ap sees the summary: one response, the topic picked.
    page.reload()
    expect(page.locator("#answered")).to_contain_text("1 / 2")
    page.locator("#results-link").click()
    expect(page.locator("#respondents")).to_contain_text("1 response")
    expect(page.locator("#result-priority_topics canvas")).to_be_visible()

    # 4. After the workshop, the two take the post-test (they took the pre-test on the first day).
    activity.status = Status.DELIVERED
    activity.start_date = datetime.date.today() - datetime.timedelta(days=4)
    activity.end_date = datetime.date.today() - datetime.timedelta(days=1)
    activity.save()
    for person in nominees:
        Participation.objects.create(
            activity=activity, person=person, member=person.member, attendance="attended"
        )
    rocb = User.objects.get(username="rocb.ap")
    definition = services.current_version(template("knowledge_test")).definition
    waves = {}
    for stage in (Stage.PRE_TEST, Stage.POST_TEST):
        waves[stage] = services.wave_create(
            user=rocb,
            questionnaire=template("knowledge_test"),
            stage=stage,
            audience=Audience.PARTICIPANTS,
            activity=activity,
            opens_on=activity.start_date,
            closes_on=datetime.date.today() + datetime.timedelta(days=7),
        )
        services.wave_issue_invitations(waves[stage])
    for invitation, right in zip(waves[Stage.PRE_TEST].invitations.order_by("pk"), (4, 5), strict=True):
        services.response_save(
            token=services.invitation_token(invitation), raw=scored_answers(definition, right), submit=True
        )
    for invitation, right in zip(waves[Stage.POST_TEST].invitations.order_by("pk"), (8, 7), strict=True):
        taker = browser.new_context(base_url=network_server.url).new_page()
        taker.goto(f"/surveys/r/{services.invitation_token(invitation)}/")
        for code, value in scored_answers(definition, right).items():
            for choice in value if isinstance(value, list) else [value]:
                taker.locator(f"#q-{code} input[value='{choice}']").check()
        taker.locator("#submit-answers").click()
        expect(taker.locator("#submitted")).to_be_visible()
        taker.context.close()

    # 5. The activity page shows their learning gain: (0.8 - 0.4 + 0.7 - 0.5) / 2 = +30 points.
    page.goto(activity.get_absolute_url())
    expect(page.locator("#figure-gain")).to_contain_text("+30")
    expect(page.locator("#figure-gain")).to_contain_text("2 participants paired")
    expect(page.locator("#figure-pre")).to_have_text("45%")
    expect(page.locator("#figure-post")).to_have_text("75%")
