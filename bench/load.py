"""Load test of the production-mode server on loopback: 50 simulated users of mixed roles.

    python bench/load.py                         # 5 minutes, SQLite file bench/load.sqlite3
    python bench/load.py --seconds 60            # a short run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cbhub_load python bench/load.py
    python bench/load.py --scale                 # on the 20,000-activity volume (built once)

What it does, all on 127.0.0.1 and stopping by itself:
1. prepares a production installation: `collectstatic` into a temporary folder, `migrate`, the
   reference data, demo users and demo data (built once into the database, then reused);
2. starts `gunicorn -w 2` with DEBUG=0 and the `jobs_worker` (database queue, or Redis when
   REDIS_URL is set), as the README's production steps do, behind no proxy: each request carries
   `X-Forwarded-Proto: https` as the documented proxy would add;
3. the mixed phase (`--seconds`, default 300): `--users` (50) simulated users, each a loop with its
   own sessions, signed in through the real sign-in form: anonymous and signed-in browsers of
   every role, searchers, exporters (CSV) and one uploader whose files the jobs worker ingests.
   Each user waits a random think time (mean `--think` seconds) between requests;
4. the saturation phase: each key list page, and the health view, requested for `--page-seconds`
   by `--page-clients` clients without pause; each page's throughput is given as a ratio of the
   health view's in the same run;
5. stops the server and the worker, and prints every figure as `name: value` on its own line.

An error is a connection failure, a timeout, a 5xx, or any status a step does not expect. The
load generator runs on the same cores as the server; its own CPU time is printed too.
Targets: 0 errors, and the anonymous activity list (as it opens, and the whole list) >= 100 req/s
with 2 workers on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "cbhub-demo-2026"  # the demo users' password (accounts.demo)
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0
TARGET_ACTIVITY_LIST_RPS = 100.0

SEARCH_TERMS = ["customs", "risk", "valuation", "training", "integrity", "border", "AEO", "tariff"]


# --- a small HTTP/1.0 client: one connection per request, read to the end -----------------------


@dataclass
class Response:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str:
        return (self.headers.get(name.lower()) or [""])[0]


@dataclass
class Stats:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def record(self, name: str, ms: float) -> None:
        self.timings.setdefault(name, []).append(ms)

    def error(self, name: str, what: str) -> None:
        key = f"{name} {what}"
        self.errors[key] = self.errors.get(key, 0) + 1
        if len(self.error_samples) < 20:
            self.error_samples.append(key)

    def all_timings(self) -> list[float]:
        return [ms for values in self.timings.values() for ms in values]


class Session:
    """One simulated browser: its cookies, and the server's address."""

    def __init__(self, port: int, stats: Stats):
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        content_type: str = "",
        headers: dict[str, str] | None = None,
    ) -> Response:
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            lines = [
                f"{method} {path} HTTP/1.0",
                f"Host: {HOST}:{self.port}",
                "X-Forwarded-Proto: https",
                "User-Agent: cbhub-load",
                "Accept-Language: en",
            ]
            if self.cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            if body or method == "POST":
                lines.append(f"Content-Length: {len(body)}")
                if content_type:
                    lines.append(f"Content-Type: {content_type}")
            for name, value in (headers or {}).items():
                lines.append(f"{name}: {value}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            raw = await reader.read(-1)
        finally:
            writer.close()
        head, _, content = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parsed: dict[str, list[str]] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            parsed.setdefault(name.strip().lower(), []).append(value.strip())
        for cookie in parsed.get("set-cookie", []):
            pair = cookie.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if value in ('""', ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return Response(int(status_line.split()[1]), parsed, content)

    async def timed(
        self, name: str, path: str, expect=(200,), method: str = "GET", **kwargs
    ) -> Response | None:
        """A request counted in the figures; None (and an error) if it failed or surprised."""
        started = time.perf_counter()
        try:
            response = await asyncio.wait_for(self.request(method, path, **kwargs), REQUEST_TIMEOUT)
        except (TimeoutError, OSError, ValueError, IndexError) as error:
            self.stats.error(name, type(error).__name__)
            return None
        self.stats.record(name, (time.perf_counter() - started) * 1000)
        if response.status not in expect:
            self.stats.error(name, str(response.status))
            return None
        return response

    def form_headers(self, referer: str) -> dict[str, str]:
        origin = f"https://{HOST}:{self.port}"
        token = self.cookies.get("csrftoken", "")
        return {"Origin": origin, "Referer": origin + referer, "X-CSRFToken": token}

    async def sign_in(self, username: str) -> bool:
        page = await self.timed("sign_in_form", "/accounts/login/")
        if page is None:
            return False
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        fields = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
        response = await self.timed(
            "sign_in",
            "/accounts/login/",
            expect=(302,),
            method="POST",
            body=urllib.parse.urlencode(fields).encode(),
            content_type="application/x-www-form-urlencoded",
            headers=self.form_headers("/accounts/login/"),
        )
        return response is not None and "sessionid" in self.cookies


# --- the simulated users -------------------------------------------------------------------------


@dataclass
class Plan:
    """What the users may ask for: ids and values read from the database before the run."""

    activities: list[int]
    months: list[str]
    years: list[int]
    members: list[int]
    documents: list[int]


def think(rng: random.Random, mean: float) -> float:
    return rng.uniform(0, 2 * mean) if mean > 0 else 0.0


async def browse_anonymously(session: Session, rng: random.Random, plan: Plan) -> None:
    step = rng.choice(["list", "all", "page", "detail", "detail", "calendar", "members", "home", "feed"])
    if step == "list":
        await session.timed("activities_list", "/activities/")
    elif step == "all":
        await session.timed("activities_list_all", "/activities/?start_after=")
    elif step == "page":
        await session.timed("activities_list_page", f"/activities/?start_after=&page={rng.randint(2, 20)}")
    elif step == "detail":
        await session.timed("activity_detail", f"/activities/{rng.choice(plan.activities)}/")
    elif step == "calendar":
        await session.timed("calendar_month", f"/activities/calendar/?month={rng.choice(plan.months)}")
    elif step == "members":
        await session.timed("members_list", "/network/members/")
    elif step == "home":
        await session.timed("home", "/")
    else:
        await session.timed("region_feed", "/activities/calendar/region/ap.ics")


async def browse_signed_in(session: Session, rng: random.Random, plan: Plan) -> None:
    step = rng.choice(
        ["list", "list", "filtered", "detail", "participants", "requests", "people", "dashboard", "documents"]
    )
    if step == "list":
        await session.timed("activities_list_signed_in", "/activities/")
    elif step == "filtered":
        await session.timed("activities_list_filtered", f"/activities/?year={rng.choice(plan.years)}")
    elif step == "detail":
        await session.timed("activity_detail", f"/activities/{rng.choice(plan.activities)}/")
    elif step == "participants":
        await session.timed("participations_list", "/activities/participations/")
    elif step == "requests":
        await session.timed("requests_list", "/activities/requests/")
    elif step == "people":
        await session.timed("people_list", "/people/")
    elif step == "dashboard":
        await session.timed("dashboard", "/activities/dashboard/")
    else:
        await session.timed("documents_list", "/knowledge/")


async def search(session: Session, rng: random.Random, plan: Plan) -> None:
    term = rng.choice(SEARCH_TERMS)
    step = rng.choice(["site", "activities", "knowledge", "api"])
    if step == "site":
        await session.timed("search", f"/search/?q={term}")
    elif step == "activities":
        await session.timed("activities_list_search", f"/activities/?q={term}")
    elif step == "knowledge":
        await session.timed("knowledge_search", f"/knowledge/?q={term}")
    else:
        await session.timed("api_activities_search", f"/api/activities/activities/?q={term}")


async def export(session: Session, rng: random.Random, plan: Plan) -> None:
    year = rng.choice(plan.years)
    step = rng.choice(["activities_csv", "activities_xlsx", "participants_csv", "api"])
    if step == "activities_csv":
        await session.timed("export_activities_csv", f"/activities/?year={year}&export=csv")
    elif step == "activities_xlsx":
        await session.timed("export_activities_xlsx", f"/activities/?year={year}&region=ap&export=xlsx")
    elif step == "participants_csv":
        await session.timed("export_participants_csv", f"/activities/participations/?year={year}&export=csv")
    else:
        await session.timed("api_participations", f"/api/activities/participations/?year={year}")


def multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        f"Content-Type: text/plain\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


async def upload(session: Session, rng: random.Random, plan: Plan, jobs: list[str]) -> None:
    form = await session.timed("upload_form", "/knowledge/upload/")
    if form is None:
        return
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1).decode()
    marker = uuid.uuid4().hex[:12]
    text = (
        f"Load test note {marker}. Customs risk management and border coordination in the network. "
        * rng.randint(5, 40)
    ).encode()
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": token,
            "title": f"Load test {marker}",
            "kind": "other",
            "visibility": "network",
        },
        f"load-{marker}.txt",
        text,
    )
    response = await session.timed(
        "upload",
        "/knowledge/upload/",
        expect=(302,),
        method="POST",
        body=body,
        content_type=content_type,
        headers=session.form_headers("/knowledge/upload/"),
    )
    if response is not None:
        job = re.search(r"/jobs/(\d+)/", response.header("location"))
        if job:
            jobs.append(job.group(1))


async def user_loop(kind, session: Session, rng: random.Random, plan: Plan, deadline: float, mean: float):
    while time.monotonic() < deadline:
        await kind(session, rng, plan)
        await asyncio.sleep(min(think(rng, mean), max(0.0, deadline - time.monotonic())))


def user_mix(users: int) -> list[tuple[str, str]]:
    """(behaviour, username or "") for each simulated user: mostly browsing, some searching and
    exporting, exactly one uploading, every role present."""
    roles = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor"]
    mix = [("upload", "rocb.ap")]
    searchers = max(1, users // 8)
    exporters = max(1, users // 12)
    anonymous = max(1, (users - 1 - searchers - exporters) * 2 // 5)
    mix += [("search", rng_role) for rng_role in (roles[i % len(roles)] for i in range(searchers - 1))]
    mix += [("search", "")]
    mix += [("export", ("secretariat", "rocb.ap", "rtc.japan")[i % 3]) for i in range(exporters)]
    mix += [("browse", "")] * anonymous
    index = 0
    while len(mix) < users:
        mix.append(("browse", roles[index % len(roles)]))
        index += 1
    return mix[:users]


async def mixed_phase(port: int, args, plan: Plan) -> tuple[Stats, list[str], list[Session], dict]:
    stats = Stats()
    jobs: list[str] = []
    mix = user_mix(args.users)
    sessions = []
    # Sign-ins come first and are counted apart: password hashing is slow by design.
    sign_ins = Stats()
    for _behaviour, username in mix:
        session = Session(port, sign_ins)
        if username and not await session.sign_in(username):
            stats.error("sign_in", f"failed for {username}")
        session.stats = stats
        sessions.append(session)
    behaviours = {
        "browse": None,
        "search": search,
        "export": export,
    }
    deadline = time.monotonic() + args.seconds
    tasks = []
    for index, ((behaviour, username), session) in enumerate(zip(mix, sessions, strict=True)):
        rng = random.Random(f"{args.seed}-{index}")
        if behaviour == "upload":

            async def uploader(session, rng, plan, _jobs=jobs):
                await upload(session, rng, plan, _jobs)

            kind, mean = uploader, max(args.think, 5.0)
        elif behaviour == "browse":
            kind, mean = (browse_signed_in if username else browse_anonymously), args.think
        else:
            kind, mean = behaviours[behaviour], args.think
        tasks.append(user_loop(kind, session, rng, plan, deadline, mean))
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    counts = {}
    for behaviour, username in mix:
        key = f"{behaviour}_{'signed_in' if username else 'anonymous'}"
        counts[key] = counts.get(key, 0) + 1
    return stats, jobs, sessions, {"elapsed": elapsed, "mix": counts, "sign_ins": sign_ins}


async def saturate(
    session: Session, path: str, seconds: float, clients: int
) -> tuple[float, list[float], int]:
    """Requests per second of one URL with `clients` concurrent clients that never pause."""
    stats = Stats()
    deadline = time.monotonic() + seconds

    async def client() -> None:
        worker = Session(session.port, stats)
        worker.cookies = dict(session.cookies)
        while time.monotonic() < deadline:
            await worker.timed("page", path)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    timings = stats.all_timings()
    return len(timings) / elapsed, timings, sum(stats.errors.values())


async def wait_for_jobs(session: Session, jobs: list[str], seconds: float) -> dict[str, int]:
    """Poll each uploaded file's job (through the API) until it finishes or time runs out."""
    outcome: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    pending = list(jobs)
    while pending and time.monotonic() < deadline:
        still = []
        for job in pending:
            response = await session.request("GET", f"/api/knowledge/jobs/{job}/")
            status = json.loads(response.body).get("status", "?") if response.status == 200 else "?"
            if status in {"succeeded", "partial", "failed"}:
                outcome[status] = outcome.get(status, 0) + 1
            else:
                still.append(job)
        pending = still
        if pending:
            await asyncio.sleep(1.0)
    if pending:
        outcome["unfinished"] = len(pending)
    return outcome


# --- the server ----------------------------------------------------------------------------------


def server_environment(args, workdir: Path) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cbhub.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only-" + "s" * 50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": args.database_url,
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Sign-in throttling counts failures only; the load signs in with the right passwords.
        "AXES_FAILURE_LIMIT": os.environ.get("AXES_FAILURE_LIMIT", "50"),
    }
    return environment


def manage(environment: dict[str, str], *command: str, timeout: float = 3600) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *command],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


PLAN_SCRIPT = """
import json
from activities.models import PUBLIC_STATUSES, Activity, Participation
from knowledge.models import Document
from network.models import Member
public = Activity.objects.filter(status__in=PUBLIC_STATUSES).order_by("-start_date")
dates = [d for d in public.values_list("start_date", flat=True)[:5000] if d]
print(json.dumps({
    "activities": Activity.objects.count(),
    "participations": Participation.objects.count(),
    "documents": Document.objects.count(),
    "sample": list(public.values_list("pk", flat=True)[:400]),
    "months": sorted({d.strftime("%Y-%m") for d in dates[:2000]})[-24:],
    "years": sorted({d.year for d in dates})[-6:],
    "members": list(Member.objects.values_list("pk", flat=True)[:50]),
    "document_ids": list(Document.objects.values_list("pk", flat=True)[:50]),
}))
"""


def prepare(args, environment: dict[str, str]) -> Plan:
    print("# collectstatic, migrate", flush=True)
    manage(environment, "collectstatic", "--noinput", "-v", "0")
    manage(environment, "migrate", "--noinput", "-v", "0")
    facts = json.loads(manage(environment, "shell", "-c", PLAN_SCRIPT).strip().splitlines()[-1])
    wanted = 20_000 if args.scale else 2_000
    if facts["activities"] < wanted:
        print(f"# building the {'scale' if args.scale else 'demo'} data (once)", flush=True)
        manage(environment, "load_reference", "-v", "0")
        manage(environment, "demo_users", "-v", "0")
        manage(environment, "demo_data", *(["--scale"] if args.scale else []), "-v", "0")
        manage(environment, "migrate", "--noinput", "-v", "0")  # refreshes the planner's statistics
        facts = json.loads(manage(environment, "shell", "-c", PLAN_SCRIPT).strip().splitlines()[-1])
    print(
        f"# data: {facts['activities']} activities, {facts['participations']} participations, "
        f"{facts['documents']} documents",
        flush=True,
    )
    return Plan(facts["sample"], facts["months"], facts["years"], facts["members"], facts["document_ids"])


def start_server(args, environment: dict[str, str], workdir: Path) -> list[subprocess.Popen]:
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed with the process
    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "cbhub.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"{HOST}:{args.port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--backlog",
            "2048",
        ],
        env=environment,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "jobs_worker"],
        env=environment,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return [gunicorn, worker]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


async def wait_until_up(port: int, processes: list[subprocess.Popen], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    session = Session(port, Stats())
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError("the server or the worker stopped while starting")
        try:
            response = await session.request("GET", "/healthz")
            if response.status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.25)
    raise RuntimeError("the server did not answer /healthz in time")


# --- figures -------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


KEY_PAGES = [
    # (name, role or "", path)
    ("healthz", "", "/healthz"),
    ("activities_list/anonymous", "", "/activities/"),
    ("activities_list_all/anonymous", "", "/activities/?start_after="),
    ("activities_list/secretariat", "secretariat", "/activities/"),
    ("activity_detail/anonymous", "", "/activities/{activity}/"),
    ("calendar_month/anonymous", "", "/activities/calendar/?month={month}"),
    ("members_list/anonymous", "", "/network/members/"),
    ("documents_list/anonymous", "", "/knowledge/"),
    ("requests_list/rocb.ap", "rocb.ap", "/activities/requests/"),
    ("participations_list/rocb.ap", "rocb.ap", "/activities/participations/"),
    ("people_list/focal.kenya", "focal.kenya", "/people/"),
    ("api_activities/secretariat", "secretariat", "/api/activities/activities/"),
]


async def run(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="cbhub-load-"))
    environment = server_environment(args, workdir)
    plan = prepare(args, environment)
    processes = start_server(args, environment, workdir)
    cpu_before = time.process_time()
    try:
        await wait_until_up(args.port, processes)
        print(f"# mixed phase: {args.users} users for {args.seconds:.0f} s", flush=True)
        stats, jobs, sessions, info = await mixed_phase(args.port, args, plan)
        uploader = sessions[0]
        ingested = await wait_for_jobs(uploader, jobs, seconds=120)
        timings = stats.all_timings()
        errors = sum(stats.errors.values())
        print(f"database: {environment['DATABASE_URL'].split(':', 1)[0]}")
        print(f"workers: {args.workers}")
        print(f"users: {args.users}")
        for key, count in sorted(info["mix"].items()):
            print(f"users_{key}: {count}")
        print(f"seconds: {info['elapsed']:.1f}")
        print(f"think_mean_s: {args.think}")
        print(f"requests: {len(timings)}")
        print(f"requests_per_s: {len(timings) / info['elapsed']:.1f}")
        print(f"p50_ms: {percentile(timings, 0.50):.1f}")
        print(f"p95_ms: {percentile(timings, 0.95):.1f}")
        print(f"p99_ms: {percentile(timings, 0.99):.1f}")
        print(f"max_ms: {max(timings, default=0):.1f}")
        print(f"errors: {errors}")
        sign_in_timings = info["sign_ins"].timings.get("sign_in", [])
        print(f"sign_ins: {len(sign_in_timings)}")
        print(f"sign_in_p50_ms: {percentile(sign_in_timings, 0.50):.1f}")
        for key, count in sorted(stats.errors.items()):
            print(f"error {key}: {count}")
        for name, values in sorted(stats.timings.items()):
            print(f"{name} requests: {len(values)}")
            print(f"{name} p50_ms: {percentile(values, 0.50):.1f}")
            print(f"{name} p95_ms: {percentile(values, 0.95):.1f}")
        print(f"uploads: {len(jobs)}")
        for status, count in sorted(ingested.items()):
            print(f"uploads_{status}: {count}")
        upload_errors = ingested.get("failed", 0) + ingested.get("unfinished", 0)

        print(
            f"# saturation: each key page {args.page_seconds:.0f} s, {args.page_clients} clients", flush=True
        )
        signed_in: dict[str, Session] = {"": Session(args.port, Stats())}
        values = {"activity": plan.activities[0], "month": plan.months[-1]}
        throughput: dict[str, float] = {}
        saturation_errors = 0
        for name, role, template in KEY_PAGES:
            if role not in signed_in:
                signed_in[role] = Session(args.port, Stats())
                await signed_in[role].sign_in(role)
            rps, page_timings, page_errors = await saturate(
                signed_in[role], template.format(**values), args.page_seconds, args.page_clients
            )
            throughput[name] = rps
            saturation_errors += page_errors
            print(f"{name} saturated_req_per_s: {rps:.1f}")
            print(f"{name} saturated_p95_ms: {percentile(page_timings, 0.95):.1f}")
            if page_errors:
                print(f"{name} saturated_errors: {page_errors}")
        health = throughput["healthz"] or 1.0
        for name, rps in throughput.items():
            if name != "healthz":
                print(f"{name} ratio_to_health: {rps / health:.3f}")
        print(f"saturation_errors: {saturation_errors}")
        print(f"load_generator_cpu_s: {time.process_time() - cpu_before:.1f}")
        lists = ("activities_list/anonymous", "activities_list_all/anonymous")
        activity_rps = min(throughput[name] for name in lists)
        met = not (errors or saturation_errors or upload_errors) and activity_rps >= TARGET_ACTIVITY_LIST_RPS
        print(f"target_activity_list_req_per_s: {TARGET_ACTIVITY_LIST_RPS:.0f}")
        print(f"target_met: {'yes' if met else 'no'}")
        if errors or saturation_errors:
            tail = (workdir / "server.log").read_text(errors="replace")[-3000:]
            print("# last lines of the server log:")
            print("\n".join(f"#   {line}" for line in tail.splitlines()))
        return 0 if met else 1
    finally:
        stop(processes)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=300, help="length of the mixed phase (300)")
    parser.add_argument("--users", type=int, default=50, help="simulated users (50)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between requests, s (1.0)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--page-seconds", type=float, default=10, help="saturation time per key page (10)")
    parser.add_argument("--page-clients", type=int, default=8, help="clients per saturated page (8)")
    parser.add_argument("--scale", action="store_true", help="the 20,000-activity volume")
    parser.add_argument("--seed", default="cbhub")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server log)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'load.sqlite3'}"),
    )
    args = parser.parse_args()
    if args.seconds <= 0 or args.users < 1 or args.workers < 1:
        parser.error("--seconds, --users and --workers must be positive")
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
