"""Server time and query count of every key page and API list, for every role, on the scale volume.

    python bench/pages.py                                    # SQLite file bench/bench.sqlite3
    createdb -h 127.0.0.1 -U postgres cbhub_bench   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cbhub_bench python bench/pages.py
    python bench/pages.py --only activities --roles anonymous,secretariat --runs 10

`--scale` (the default) is the 10-year WCO-wide volume of `manage.py demo_data --scale`: 20,000
activities, 400,000 participations. The first run builds it into the database (minutes); later runs
reuse it, and `migrate` adds any new index to it. Each URL is requested in-process through the
whole Django stack (middleware, permissions, templates) RUNS times after WARMUP requests, as each
role in turn: the seven demo users and an anonymous visitor. A page a role may not open (a sign-in
redirect, a 403) is reported with its status and not timed. The figures are server time, not
network time. "first" is the first request with empty caches (dashboards keep their figures for
DASHBOARD_CACHE_SECONDS, as in production). Target: p95 <= 50 ms for every page and role, except the
questionnaires' own targets (`TARGETS`: a 40-question respondent page 150 ms, the results of 500
responses 300 ms, a region's needs over ten years 1 s), the outputs' (the region's home 150 ms, its
topic map over ten years 300 ms) and PICARD's (a paper's page with the chairs' ranking of the pool
150 ms, the call's assignments with every conflict checked 300 ms).

Every figure is printed as `name: value` on its own line, e.g. `activities_list/anonymous p95_ms: 12.3`.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Production settings, but static files served without a collectstatic manifest.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings_test")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGET_MS = 50.0
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, "secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor"]

# (name, URL template). Templates are filled by `url_values()`.
PAGES = [
    ("home", "/"),
    ("activities_list", "/activities/"),  # opens on the coming activities, soonest first
    ("activities_list_all", "/activities/?start_after="),  # every activity, newest first
    ("activities_list_filtered", "/activities/?region=ap&kind=regional_workshop&status=closed"),
    ("activities_list_year", "/activities/?year={year}"),
    ("activities_list_search", "/activities/?q=customs"),
    ("activity_detail", "/activities/{activity}/"),
    ("activity_history", "/activities/{activity}/history/"),
    ("calendar_month", "/activities/calendar/?month={month}"),
    ("calendar_list", "/activities/calendar/?month={month}&view=list"),
    ("dashboard", "/activities/dashboard/"),
    ("dashboard_network", "/activities/dashboard/?scope=all"),
    ("requests_list", "/activities/requests/"),
    ("participations_list", "/activities/participations/"),
    ("participations_list_year", "/activities/participations/?year={year}"),
    ("participations_list_page", "/activities/participations/?page=20"),
    ("programmes_list", "/activities/programmes/"),
    ("services_list", "/activities/services/"),
    ("people_list", "/people/"),
    ("documents_list", "/knowledge/"),
    ("regions_list", "/network/regions/"),
    ("offices_list", "/network/offices/"),
    ("members_list", "/network/members/"),
    ("committees_list", "/network/committees/"),
    ("map", "/network/map/"),
    ("topics_list", "/topics/"),
    ("donors_list", "/funding/donors/"),
    ("funding_totals", "/funding/totals/"),
    ("rates_list", "/funding/rates/"),
    ("search", "/search/?q=customs"),
    ("api_activities", "/api/activities/activities/"),
    ("api_activities_filtered", "/api/activities/activities/?region=ap&year={year}"),
    ("api_requests", "/api/activities/requests/"),
    ("api_nominations", "/api/activities/nominations/"),
    ("api_participations", "/api/activities/participations/"),
    ("api_people", "/api/people/people/"),
    ("api_members", "/api/network/members/"),
    ("api_documents", "/api/knowledge/documents/"),
    ("api_agreements", "/api/funding/agreements/"),
    # Experts (issue 9): the roster, a profile, pools, an open slot with its shortlist, a deployment,
    # what waits for the viewer, and the API's profiles and shortlist.
    ("experts_list", "/experts/"),
    ("experts_list_filtered", "/experts/?region=ap&accredited=true&language=en"),
    ("experts_detail", "/experts/{expert}/"),
    ("experts_pools", "/experts/pools/"),
    ("experts_slot", "/experts/slots/{slot}/"),
    ("experts_deployment", "/experts/deployments/{deployment}/"),
    ("experts_waiting", "/experts/waiting/"),
    ("experts_add", "/experts/add/"),
    ("api_experts_profiles", "/api/experts/profiles/"),
    ("api_experts_shortlist", "/api/experts/slots/{slot}/shortlist/"),
    ("surveys_list", "/surveys/"),
    ("surveys_respond_40_questions", "/surveys/r/{survey_token}/"),  # a respondent's personal link
    ("surveys_results_500_responses", "/surveys/waves/{results_wave}/results/"),
    ("surveys_wave", "/surveys/waves/{results_wave}/"),
    ("surveys_needs_10_years", "/surveys/needs/?region={region_slug}&from={first_year}&to={last_year}"),
    ("surveys_panel", "/surveys/activities/{activity}/panel/"),
    ("api_surveys_responses", "/api/surveys/responses/"),
    ("insights_reports", "/insights/reports/"),
    # Programme results (issue 15): the framework of the programme with the most activities, a
    # strategic objective's dashboard, and the indicators API.
    ("results_programme", "/results/programmes/{programme}/"),
    ("results_objective", "/results/objectives/{objective}/"),
    ("results_reports", "/results/programmes/{programme}/reports/"),
    ("results_follow_up", "/results/follow-up/"),
    ("api_results_indicators", "/api/results/indicators/"),
    (
        "insights_topic_map_10_years",
        "/insights/topics/?region={region_slug}&from={first_year}&to={last_year}",
    ),  # noqa: E501
    # PICARD (issue 11): the conferences, a past edition with its papers, the open call, a paper
    # under review (its chairs' panel ranks the pool and checks conflicts), the call's assignments,
    # the programme, the region's research-to-practice page, and the API's submissions.
    ("conferences_list", "/conferences/"),
    ("conferences_detail", "/conferences/{conference}/"),
    ("conferences_programme", "/conferences/{conference}/programme/"),
    ("conferences_call", "/conferences/calls/{open_call}/"),
    ("conferences_submission", "/conferences/submissions/{open_submission}/"),
    ("conferences_assignments", "/conferences/calls/{open_call}/assignments/"),
    ("conferences_my", "/conferences/my/"),
    ("conferences_research_to_practice", "/conferences/research-to-practice/"),
    ("api_conferences_submissions", "/api/conferences/submissions/"),
    # Meetings (issue 12): a committee's page with its decisions register, the busiest meeting's
    # page (agenda, outcomes, matters arising) and an office's open actions.
    ("meetings_committee", "/meetings/committees/{committee}/"),
    ("meetings_meeting", "/meetings/{meeting}/"),
    ("meetings_our_actions", "/meetings/actions/"),
    ("api_meetings_decisions", "/api/meetings/decisions/"),
    # Training products (issue 17): the catalogue, the product with the most sessions (200 at
    # least), the region's matrix of topics × centres over ten years, and the API's products.
    ("training_catalogue", "/training/"),
    ("training_product_200_sessions", "/training/products/{product}/"),
    ("training_matrix_10_years", "/training/regions/{region_slug}/matrix/?from={first_year}&to={last_year}"),
    ("api_training_products", "/api/training/products/"),
]
# Pages with a target of their own (the questionnaires and outputs issues): p95 in ms.
TARGETS = {
    "home": 150.0,  # the region's home for an ROCB officer (the centre's, the administration's)
    "insights_topic_map_10_years": 300.0,
    "results_programme": 150.0,
    "surveys_respond_40_questions": 150.0,
    "surveys_results_500_responses": 300.0,
    "surveys_needs_10_years": 1000.0,
    "conferences_submission": 150.0,
    "conferences_assignments": 300.0,
    "training_catalogue": 150.0,
    "training_product_200_sessions": 150.0,
    "training_matrix_10_years": 300.0,
}


def ensure_data(scale: bool) -> None:
    # migrate also refreshes the planner's statistics (core.dbstats), as the daily job does.
    call_command("migrate", verbosity=0)
    from activities.demo import DEFAULT, SCALE
    from activities.models import Activity, Participation

    volume = SCALE if scale else DEFAULT
    if (
        Activity.objects.count() < volume.activities
        or Participation.objects.count() < volume.participations * 0.9
    ):
        build_activities(scale)
    ensure_experts(scale)
    ensure_surveys(scale)
    ensure_conferences()
    ensure_meetings()
    ensure_results()
    ensure_training()


def build_activities(scale: bool) -> None:
    print(f"# building the {'--scale' if scale else 'default'} data (once)...", flush=True)
    call_command("load_reference", verbosity=0)
    call_command("demo_users", verbosity=0)
    started = time.perf_counter()
    call_command("demo_data", scale=scale, verbosity=0)
    from core.dbstats import database_statistics_refresh

    database_statistics_refresh()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: the visibility map for index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"# built in {time.perf_counter() - started:.0f} s", flush=True)


def ensure_experts(scale: bool) -> None:
    """`manage.py demo_experts` (5,000 experts with --scale, else 400) on the demo activities, and one
    open lead slot on an upcoming Asia/Pacific mission, so the slot page shows a shortlist."""
    import io

    from accounts.models import User
    from activities.models import Activity
    from experts import services
    from experts.demo import DEFAULT_EXPERTS, MISSION_KINDS, SCALE_EXPERTS
    from experts.models import ExpertProfile, SlotRole

    if ExpertProfile.objects.count() < (SCALE_EXPERTS if scale else DEFAULT_EXPERTS):
        print(f"# building the {'--scale' if scale else 'default'} experts (once)...", flush=True)
        started = time.perf_counter()
        call_command("demo_experts", scale=scale, verbosity=0, stdout=io.StringIO())
        from core.dbstats import database_statistics_refresh

        database_statistics_refresh()
        print(f"# experts built in {time.perf_counter() - started:.0f} s", flush=True)
    if open_slot() is None:
        mission = (
            Activity.objects.filter(region__code="A/P", kind__in=MISSION_KINDS, start_date__gte=today())
            .order_by("start_date", "pk")
            .first()
        )
        if mission is not None:
            services.slot_create(
                user=User.objects.get(username="secretariat"),
                activity=mission,
                role=SlotRole.LEAD,
                language=(mission.language_list or ["en"])[0],
                terms_of_reference=mission.objectives[:500],
            )


def ensure_surveys(scale: bool) -> None:
    """`manage.py demo_surveys` (about 50,000 needs responses over ten years with --scale), a
    40-question questionnaire with one personal link, and a reaction wave of 500 responses on the
    busiest announced Asia/Pacific activity."""
    import io

    from surveys.demo import SCALE_NEEDS_RESPONSES
    from surveys.models import Response

    wanted = SCALE_NEEDS_RESPONSES if scale else 1_000
    if Response.objects.filter(wave__stage__in=["needs", "yearly_needs"]).count() < wanted * 0.9:
        print("# building the demo answers (once)...", flush=True)
        started = time.perf_counter()
        call_command("demo_surveys", scale=scale, stdout=io.StringIO())
        from core.dbstats import database_statistics_refresh

        database_statistics_refresh()
        print(f"# answers built in {time.perf_counter() - started:.0f} s", flush=True)
    from surveys.demo import bench_waves

    bench_waves(busiest_announced_activity())


def busiest_announced_activity():
    from django.db.models import Count

    from activities.models import PUBLIC_STATUSES, Activity

    return (
        Activity.objects.filter(region__code="A/P", status__in=PUBLIC_STATUSES)
        .annotate(taking_part=Count("participations"))
        .order_by("-taking_part", "pk")
        .first()
    )


def ensure_conferences() -> None:
    """`manage.py demo_conferences`: the past PICARD editions with about 200 papers, and the open call
    with its submissions under review (the same at every volume: conferences do not grow with it)."""
    import io

    from conferences.models import Submission

    if not Submission.objects.exists():
        call_command("load_reference", verbosity=0)
        call_command("demo_conferences", stdout=io.StringIO())


def ensure_meetings() -> None:
    """`manage.py demo_meetings`: eight years of RTC heads meetings per region and of committee
    sessions (the same at every volume)."""
    import io

    from meetings.models import Meeting

    if not Meeting.objects.exists():
        call_command("demo_meetings", stdout=io.StringIO())


def ensure_results() -> None:
    """`manage.py demo_results`: the demo programmes' results frameworks (at every volume)."""
    import io

    from results.models import Result

    if not Result.objects.exists():
        call_command("demo_results", stdout=io.StringIO())


def ensure_training() -> None:
    """`manage.py demo_training` (the centres' products, sessions on past activities, recognised
    programmes, completions), and one RTC Japan product delivered by 200 Asia/Pacific activities."""
    import io

    from activities.models import Activity
    from training.models import Product, ProductStatus, Session

    if not Product.objects.exists():
        call_command("demo_training", stdout=io.StringIO())
    product = training_product()
    if product is None or product.sessions.count() >= BENCH_SESSIONS:
        return
    version = product.versions.order_by("-number").first()
    free = (
        Activity.objects.filter(
            region__code="A/P", training_session__isnull=True, status__in=["delivered", "closed"]
        )
        .order_by("-start_date")
        .values_list("pk", flat=True)[: BENCH_SESSIONS - product.sessions.count()]
    )
    Session.objects.bulk_create(Session(activity_id=pk, product=product, version=version) for pk in free)
    assert product.status == ProductStatus.OFFERED


BENCH_SESSIONS = 200


def training_product():
    from django.db.models import Count

    from training.models import Product, ProductStatus

    return (
        Product.objects.filter(owner_office__code="rtc-japan", status=ProductStatus.OFFERED)
        .annotate(n=Count("sessions"))
        .order_by("-n", "pk")
        .first()
    )


def results_values() -> dict[str, object]:
    """The programme with the most activities (its framework computes over them), and the strategic
    objective with the most programmes."""
    from django.db.models import Count

    from activities.models import Programme
    from results.models import StrategicObjective

    programme = (
        Programme.objects.filter(results__isnull=False)
        .annotate(n=Count("projects__activities", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    objective = StrategicObjective.objects.annotate(n=Count("programmes")).order_by("-n", "pk").first()
    return {
        "programme": programme.pk if programme else 0,
        "objective": objective.code if objective else "none",
    }


def meeting_values() -> dict[str, int]:
    """The committee with the most meetings, and the meeting with the most agenda items."""
    from django.db.models import Count

    from meetings.models import Meeting
    from network.models import Committee

    committee = Committee.objects.annotate(sessions=Count("meetings")).order_by("-sessions", "pk").first()
    meeting = Meeting.objects.annotate(entries=Count("items")).order_by("-entries", "-starts_on").first()
    return {"committee": committee.pk if committee else 0, "meeting": meeting.pk if meeting else 0}


def conference_values() -> dict[str, int]:
    """The past PICARD edition with the most papers, the open call and its first paper under review."""
    from django.db.models import Count

    from conferences.models import Call, Conference, Submission

    conference = (
        Conference.objects.annotate(papers=Count("calls__submissions")).order_by("-papers", "pk").first()
    )
    call = Call.objects.filter(status="open").order_by("pk").first()
    submission = (
        Submission.objects.filter(call=call, status="submitted").order_by("pk").first() if call else None
    )
    return {
        "conference": conference.pk if conference else 0,
        "open_call": call.pk if call else 0,
        "open_submission": submission.pk if submission else 0,
    }


def survey_values() -> dict[str, object]:
    from network.models import Region
    from surveys.demo import bench_waves

    token, results_wave = bench_waves(busiest_announced_activity())
    year = today().year
    return {
        "survey_token": token,
        "results_wave": results_wave.pk,
        "region_slug": Region.objects.get(code="A/P").slug,
        "first_year": year - 9,
        "last_year": year,
    }


def today():
    from django.utils import timezone

    return timezone.localdate()


def open_slot():
    """An Asia/Pacific slot with no active deployment (so rocb.ap sees its shortlist), soonest first."""
    from experts.models import ACTIVE_DEPLOYMENT, Slot

    return (
        Slot.objects.filter(activity__region__code="A/P", activity__start_date__gte=today())
        .exclude(deployments__status__in=ACTIVE_DEPLOYMENT)
        .order_by("activity__start_date", "pk")
        .first()
    )


def url_values() -> dict[str, object]:
    from activities.models import Activity

    # The busiest announced Asia/Pacific activity: every role, anonymous included, may open it.
    activity = busiest_announced_activity()
    busiest = Activity.objects.order_by("-start_date").first()
    return {
        "activity": activity.pk,
        "month": busiest.start_date.strftime("%Y-%m"),
        "year": busiest.start_date.year - 1,
        **expert_values(),
        **survey_values(),
        **conference_values(),
        **meeting_values(),
        **results_values(),
        "product": getattr(training_product(), "pk", 0),
    }


def expert_values() -> dict[str, int]:
    """An Asia/Pacific expert with the most deployments, an open Asia/Pacific slot, and the latest
    deployment of an Asia/Pacific expert on an Asia/Pacific activity: rocb.ap organises them; other
    roles see what their scope allows."""
    from django.db.models import Count

    from experts.models import Deployment, ExpertProfile

    expert = (
        ExpertProfile.objects.filter(region__code="A/P")
        .annotate(missions=Count("deployments"))
        .order_by("-missions", "pk")
        .first()
    )
    deployment = (
        Deployment.objects.filter(slot__activity__region__code="A/P", profile__region__code="A/P")
        .order_by("-start_date", "pk")
        .first()
    ) or Deployment.objects.filter(slot__activity__region__code="A/P").order_by("-start_date", "pk").first()
    slot = open_slot()
    return {
        "expert": expert.pk if expert else 0,
        "slot": slot.pk if slot else 0,
        "deployment": deployment.pk if deployment else 0,
    }


def measure(client: Client, url: str, runs: int, warmup: int) -> tuple[int, float, list, list, int]:
    """(status, first request ms, later requests' wall ms, their CPU ms, queries of a later request).

    The CPU time is this process's: with SQLite it includes the database's work, and it does not
    grow when other programs share the cores, as wall time does."""
    cache.clear()
    first, timings, cpu, queries = 0.0, [], [], 0
    for run in range(warmup + runs):
        connection.queries_log.clear()  # it keeps 9,000 queries: a full log would count 0
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
            elapsed_cpu = (time.process_time() - started_cpu) * 1000
        if response.status_code != 200:
            assert response.status_code < 500, (url, response.status_code)
            return response.status_code, elapsed, [], [], len(captured)
        if run == 0:
            first = elapsed
        if run >= warmup:
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
            queries = len(captured)
    return 200, first, timings, cpu, queries


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def client_for(role: str) -> Client:
    from accounts.models import User

    client = Client()
    if role != ANONYMOUS:
        client.force_login(User.objects.get(username=role))
    return client


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", action="store_true", default=True, help="the scale volume (default)")
    parser.add_argument("--default-volume", dest="scale", action="store_false", help="demo volume only")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "20")))
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", default="", help="regular expression on page names")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles")
    args = parser.parse_args()

    ensure_data(args.scale)
    values = url_values()
    roles = [role for role in args.roles.split(",") if role]
    pages = [(name, template.format(**values)) for name, template in PAGES if re.search(args.only, name)]
    print(f"# database: {connection.vendor}; {args.runs} runs per page and role after {args.warmup} warm-up")
    # As in production: dashboards keep their figures for a few minutes (the test settings do not).
    settings.DASHBOARD_CACHE_SECONDS = 300
    # As a production worker does after loading the application (cbhub/wsgi.py).
    from core.runtime import tune_garbage_collector

    tune_garbage_collector()
    worst, worst_name, over, timed = 0.0, "", [], 0
    for role in roles:
        client = client_for(role)
        for name, url in pages:
            key = f"{name}/{role}"
            status, first, timings, cpu, queries = measure(client, url, args.runs, args.warmup)
            if status != 200:
                print(f"{key} status: {status}", flush=True)
                continue
            timed += 1
            wall = p95(timings)
            print(f"{key} first_ms: {first:.1f}")
            print(f"{key} p50_ms: {statistics.median(timings):.1f}")
            print(f"{key} p95_ms: {wall:.1f}")
            print(f"{key} p95_cpu_ms: {p95(cpu):.1f}")
            print(f"{key} queries: {queries}", flush=True)
            if wall > worst:
                worst, worst_name = wall, key
            if wall > TARGETS.get(name, TARGET_MS):
                over.append(key)
    print(f"pages_timed: {timed}")
    print(f"worst_p95_ms: {worst:.1f}")
    print(f"worst_page: {worst_name}")
    print(f"target_p95_ms: {TARGET_MS:.0f}")
    print(f"pages_over_target: {len(over)}")
    for key in over:
        print(f"over_target: {key}")
    print(f"target_met: {'yes' if not over else 'no'}")


if __name__ == "__main__":
    main()
