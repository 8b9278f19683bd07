"""One writer process for test_sqlite_writers: `python -m tests.faults.sqlite_writer MODE N NAME START`.

Each write is a transaction that reads before it writes, as the app and the jobs worker do (count,
then insert; load a job, then save its progress). MODE "legacy" runs with the SQLite options of the
old settings (none); "configured" with the project's settings. Prints a JSON summary."""

import json
import os
import sys
import time

mode, count, name, start_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

import cbhub.settings as project_settings  # noqa: E402

if mode == "legacy":
    project_settings.DATABASES["default"]["OPTIONS"] = {}

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection, transaction  # noqa: E402

from jobs.models import Job  # noqa: E402

connection.ensure_connection()
while not os.path.exists(start_file):  # start together with the other writer
    time.sleep(0.001)
done, errors = 0, []
for number in range(count):
    try:
        with transaction.atomic():
            seen = Job.objects.filter(kind=name).count()
            job = Job.objects.create(kind=name, payload={"number": number, "seen": seen})
            job.done = seen + 1
            job.save(update_fields=["done"])
        done += 1
    except OperationalError as error:
        errors.append(str(error))
print(json.dumps({"done": done, "errors": len(errors), "first_error": errors[0] if errors else ""}))
