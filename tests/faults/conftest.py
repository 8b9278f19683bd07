"""Fault tests run the app as separate processes (workers, servers, writers) against their own
database, so they can be killed, cut off or raced without touching the suite's database.

A test that needs a service this machine lacks (PostgreSQL binaries, Redis) is skipped, unless
CBHUB_REQUIRE_SERVICES=1 (set by .ci/run): then the missing service is a failure, so CI cannot
silently skip them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Production settings, with what a test machine lacks (TLS, a real secret) filled in.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cbhub.settings",
    "DEBUG": "0",
    "SECRET_KEY": "fault-tests-only-" + "f" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "JOBS_BACKEND": "database",
    "LOG_LEVEL": "WARNING",
}
DROPPED = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


def need(service: str, available: bool) -> None:
    if available:
        return
    if os.environ.get("CBHUB_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{service} is required here (CBHUB_REQUIRE_SERVICES=1) but is not available")
    pytest.skip(f"{service} is not available")


def app_env(database_url: str, media_root: Path, **extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    return {**env, **PRODUCTION, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root), **extra}


def manage(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def python(code: str, *, env: dict, timeout: float = 300) -> str:
    """Run Django code in a fresh process; returns what it printed."""
    script = "import django\ndjango.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated, empty SQLite file, copied by each test that needs one."""
    folder = tmp_path_factory.mktemp("faults-template")
    path = folder / "template.sqlite3"
    env = app_env(f"sqlite:///{path}", folder / "media")
    manage("migrate", "--noinput", "-v0", env=env)
    return path


@pytest.fixture
def sqlite_copy(migrated_sqlite, tmp_path) -> Path:
    path = tmp_path / "cbhub.sqlite3"
    shutil.copyfile(migrated_sqlite, path)
    return path
