"""SQLite, the embedded default, with two concurrent writers (the app and its jobs worker).

The old settings (deferred transactions, rollback journal) answer "database is locked" as soon as
two read-then-write transactions overlap; WAL, a busy timeout and IMMEDIATE transactions make the
second writer wait its turn instead."""

import json
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from tests.faults.conftest import ROOT, app_env, python

WRITES = 200


def race(database: Path, mode: str, tmp_path) -> list[dict]:
    start = tmp_path / f"start-{mode}"
    env = app_env(f"sqlite:///{database}", tmp_path / "media")
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.faults.sqlite_writer",
                mode,
                str(WRITES),
                f"race.{name}",
                str(start),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("app", "worker")
    ]
    time.sleep(3)  # both have set Django up and connected
    start.touch()
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, out + err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_the_old_settings_lock_with_two_writers(sqlite_copy, tmp_path):
    """The race below is a real one: without the options, writes fail."""
    results = race(sqlite_copy, "legacy", tmp_path)
    assert sum(result["errors"] for result in results) > 0, results
    assert "database is locked" in " ".join(result["first_error"] for result in results)


def test_two_writers_both_succeed_with_wal_busy_timeout_and_immediate_transactions(sqlite_copy, tmp_path):
    results = race(sqlite_copy, "configured", tmp_path)
    assert [result["errors"] for result in results] == [0, 0], results
    assert [result["done"] for result in results] == [WRITES, WRITES]
    env = app_env(f"sqlite:///{sqlite_copy}", tmp_path / "media")
    printed = python(
        "from django.db import connection\n"
        "from jobs.models import Job\n"
        "print(Job.objects.filter(kind__startswith='race.').count())\n"
        "print(connection.cursor().execute('PRAGMA journal_mode').fetchone()[0])\n",
        env=env,
    )
    assert printed.split() == [str(2 * WRITES), "wal"]


def test_the_project_settings_ask_sqlite_for_it():
    options = settings.SQLITE_OPTIONS
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]
