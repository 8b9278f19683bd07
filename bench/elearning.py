"""E-learning completions at scale: 100,000 xAPI statements and an LMS export of 100,000 rows, each
through the code users reach (target: each in <= 60 s).

    .venv/bin/python bench/elearning.py                      # a fresh SQLite file of its own
    .venv/bin/python bench/elearning.py --keep               # keep the file (printed) afterwards
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cbhub_elearning .venv/bin/python bench/elearning.py

The database gets the shipped network and the demo users, 10 e-learning modules of RTC Japan,
its learning platform, and 50,000 officers of Asia/Pacific administrations (the platform's scope).

1. xAPI: a JSON-lines file of 100,000 statements (a completed and a passed statement per officer,
   with scores; 1 in 20 "experienced", stored as ignored) goes through the job a platform's file
   goes through (`training.xapi.xapi_file_enqueue` → `jobs.services.job_run`, which calls
   `statements_ingest` per chunk of 1,000); then 10 batches of 1,000 statements are POSTed to
   `/api/training/xapi/statements` through the whole Django stack, as a platform would.
2. Import: a CSV of 100,000 rows uploaded by RTC Japan's coordinator — 50,000 rows of officers the
   centre knows (completions the statements recorded, reported again: updated) and 50,000 of
   officers it adds (people created) —
   is previewed (`completion_import_preview`, as the upload page does) and confirmed as a job
   (`completion_import_enqueue` → `job_run` → `activities.imports.import_commit`).

Prints `name: value` lines: xapi_statements_per_s, xapi_100k_s, completion_rows_per_s,
completion_100k_s (preview + confirm), and the parts (xapi_endpoint_statements_per_s,
completion_preview_s, completion_confirm_s, setup_s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = 50_000
STATEMENTS = 100_000
ROWS = 100_000
MODULES = 10
ENDPOINT_BATCHES, ENDPOINT_BATCH = 10, 1000


def setup(database_url: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cbhub.settings_test")
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def build() -> dict:
    from django.core.management import call_command

    from accounts.demo import demo_users_create
    from accounts.models import User
    from network.models import Member, Office
    from network.reference import SHIPPED_REFERENCE_DIR, reference_load
    from people.models import Person
    from people.services import name_key
    from topics.reference import topics_load
    from training.elearning import platform_create
    from training.models import LearningPlatform, Product

    call_command("migrate", verbosity=0, interactive=False)
    if not Office.objects.filter(code="rtc-japan").exists():
        reference_load(directory=SHIPPED_REFERENCE_DIR)
        topics_load(path=SHIPPED_REFERENCE_DIR / "topics.md")
    if not User.objects.filter(username="rtc.japan").exists():
        demo_users_create()
    office = Office.objects.get(code="rtc-japan")
    modules = list(
        Product.objects.filter(owner_office=office, kind="elearning", title__startswith="Bench module")
    )
    for number in range(len(modules), MODULES):
        modules.append(
            Product.objects.create(
                owner_office=office,
                title=f"Bench module {number + 1}",
                kind="elearning",
                level="foundation",
                duration_hours=4,
                delivery_modes="virtual",
                languages="en",
                status="offered",
            )
        )
    LearningPlatform.objects.filter(name="Bench LMS").delete()
    platform, token = platform_create(
        user=User.objects.get(username="secretariat"), name="Bench LMS", office=office
    )
    members = list(Member.objects.filter(region=office.region_id).order_by("pk"))
    have = Person.objects.filter(email__endswith="@bench.example").count()
    people = []
    for number in range(have, PEOPLE):
        first, last = f"Officer{number}", f"Bench{number}"
        people.append(
            Person(
                first_name=first,
                last_name=last,
                email=f"officer{number}@bench.example",
                member=members[number % len(members)],
                name_key=name_key(first, last),
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    return {"platform": platform, "token": token, "modules": modules, "members": members}


def statement(number: int, verb: str, module_id: int, score: float) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "name": f"Officer{number} Bench{number}",
            "mbox": f"mailto:officer{number}@bench.example",
        },
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {
            "objectType": "Activity",
            "id": f"urn:cbhub:product:{module_id}",
            "definition": {
                "name": {"en-US": f"Module {module_id}"},
                "type": "http://adlnet.gov/expapi/activities/course",
            },
        },
        "result": {"score": {"scaled": score}, "completion": True, "success": score >= 0.5},
        "context": {"platform": "Bench LMS", "language": "en"},
        "timestamp": "2025-06-01T09:30:00+09:00",
    }


def statements(count: int, modules: list, offset: int = 0) -> list[dict]:
    from training.xapi import VERB_COMPLETED, VERB_PASSED

    rng = random.Random(offset + 1)
    bodies = []
    for index in range(count):
        number = (offset + index) // 2 % PEOPLE
        verb = VERB_COMPLETED if index % 2 == 0 else VERB_PASSED
        if index % 20 == 19:
            verb = "http://adlnet.gov/expapi/verbs/experienced"
        module = modules[((offset + index) // (2 * PEOPLE)) % len(modules)]
        bodies.append(statement(number, verb, module.pk, round(rng.uniform(0.3, 1.0), 3)))
    return bodies


def bench_xapi(context: dict, folder: Path) -> None:
    from django.test import Client

    from accounts.models import User
    from jobs.services import job_run
    from training.models import Completion, XapiStatement
    from training.xapi import xapi_file_enqueue

    path = folder / "statements.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for body in statements(STATEMENTS, context["modules"]):
            stream.write(json.dumps(body) + "\n")
    before = XapiStatement.objects.count()
    user = User.objects.get(username="rtc.japan")
    start = time.perf_counter()
    job = xapi_file_enqueue(user=user, platform=context["platform"], path=str(path))
    job = job_run(job.pk)
    seconds = time.perf_counter() - start
    stored = XapiStatement.objects.count() - before
    print(f"# xAPI job: {job.status}, {job.result}; {stored} statements stored", flush=True)
    print(f"xapi_100k_s: {seconds:.1f}")
    print(f"xapi_statements_per_s: {STATEMENTS / seconds:.0f}", flush=True)

    client = Client()
    batches = [
        statements(ENDPOINT_BATCH, context["modules"], offset=STATEMENTS + batch * ENDPOINT_BATCH)
        for batch in range(ENDPOINT_BATCHES)
    ]
    start = time.perf_counter()
    for batch in batches:
        response = client.post(
            "/api/training/xapi/statements",
            data=json.dumps(batch),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {context['token']}",
            HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        )
        if response.status_code != 200:
            print(f"# endpoint answered {response.status_code}: {response.content[:300]!r}")
            break
    seconds = time.perf_counter() - start
    print(f"xapi_endpoint_statements_per_s: {ENDPOINT_BATCHES * ENDPOINT_BATCH / seconds:.0f}", flush=True)
    print(f"# completions now: {Completion.objects.count()}")


def export_rows(context: dict) -> bytes:
    """50,000 officers the centre knows (completions it has, updated) and 50,000 new ones."""
    members = context["members"]
    modules = context["modules"]
    lines = ["email,first_name,last_name,member,product,status,enrolled_on,completed_on,score"]
    for number in range(ROWS // 2):  # their xAPI completions of the first module, reported again
        member = members[number % len(members)]
        lines.append(
            f"officer{number}@bench.example,Officer{number},Bench{number},{member.iso_alpha2},{modules[0].pk},"
            f"completed,2025-01-15,2025-06-01,77"
        )
    for number in range(ROWS // 2):
        member = members[number % len(members)]
        module = modules[number % len(modules)]
        lines.append(
            f"new{number}@lms.example,New{number},Learner{number},{member.iso_alpha2},{module.title},"
            f"completed,2025-02-01,2025-03-01,{number % 100}"
        )
    return ("\n".join(lines) + "\n").encode()


def bench_import(context: dict) -> None:
    from accounts.models import User
    from jobs.services import job_run
    from training.completions import completion_import_enqueue, completion_import_preview

    user = User.objects.get(username="rtc.japan")
    content = export_rows(context)
    print(f"# export: {len(content) / 1024 / 1024:.1f} MB", flush=True)
    start = time.perf_counter()
    batch = completion_import_preview(user=user, name="lms-export.csv", content=content)
    previewed = time.perf_counter()
    if batch.errors:
        print(f"# preview errors: {len(batch.errors)}, first {batch.errors[:3]}")
        return
    job = completion_import_enqueue(user=user, batch=batch)
    job = job_run(job.pk)
    done = time.perf_counter()
    print(f"# import job: {job.status}, {job.result}", flush=True)
    print(f"completion_preview_s: {previewed - start:.1f}")
    print(f"completion_confirm_s: {done - previewed:.1f}")
    print(f"completion_100k_s: {done - start:.1f}")
    print(f"completion_rows_per_s: {ROWS / (done - start):.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cbhub-bench-elearning-"))
    database = folder / "elearning.sqlite3"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{database}"
    setup(url)
    # The endpoint at its address, whether or not cbhub/urls.py lists it yet.
    import types

    from django.conf import settings
    from django.urls import include, path

    import training.completions  # noqa: F401 - registers the import kind and its job
    import training.xapi  # noqa: F401 - registers the job

    urls = types.ModuleType("bench_elearning_urls")
    urls.urlpatterns = [
        path("api/training/xapi/statements", training.xapi.StatementsView.as_view()),
        path("", include("cbhub.urls")),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__

    started = time.perf_counter()
    context = build()
    print(f"setup_s: {time.perf_counter() - started:.1f}", flush=True)
    try:
        bench_xapi(context, folder)
        bench_import(context)
    finally:
        if arguments.keep or not url.startswith("sqlite"):
            print(f"# database: {url}")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        (folder / "statements.jsonl").unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()


if __name__ == "__main__":
    main()
