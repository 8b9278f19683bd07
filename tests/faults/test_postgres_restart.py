"""PostgreSQL restarted while the app serves: during the restart requests answer 503 at once (not a
hang, not a 500 page), and after it they succeed without restarting the app, the very first one
included (CONN_HEALTH_CHECKS replaces the persistent connection the restart broke).

The test runs its own short-lived PostgreSQL cluster (initdb/pg_ctl on a temporary folder and port)
and a gunicorn serving the app from it; the shared server on 5432 is never touched."""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from tests.faults.conftest import ROOT, app_env, manage, need

PAGES = ["/healthz", "/activities/", "/api/network/regions/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, timeout: float = 20) -> tuple[int, str, dict, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return (
                response.status,
                response.read().decode(),
                dict(response.headers),
                time.monotonic() - started,
            )
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers), time.monotonic() - started


class Cluster:
    """A throwaway PostgreSQL cluster, run as the postgres user when the tests run as root."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        need("PostgreSQL server binaries (/usr/lib/postgresql/*/bin)", bool(binaries))
        self.bin = Path(binaries[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="cbhub-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            need("a postgres system user", shutil.which("runuser") is not None and _user_exists("postgres"))
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/cbhub"


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture
def cluster():
    cluster = Cluster()
    cluster.init()
    cluster.start()
    cluster.run(
        str(cluster.bin / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "cbhub"
    )
    yield cluster
    try:
        cluster.stop()
    except subprocess.CalledProcessError:
        pass  # already stopped
    shutil.rmtree(cluster.folder, ignore_errors=True)


@pytest.fixture
def server(cluster, tmp_path):
    # The test settings serve static files from the apps, so pages need no collectstatic here.
    env = app_env(cluster.url, tmp_path / "media", DJANGO_SETTINGS_MODULE="cbhub.settings_test")
    manage("migrate", "--noinput", "-v0", env=env, timeout=600)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cbhub.wsgi",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if get(base + "/healthz", timeout=2)[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def test_requests_answer_503_during_a_postgresql_restart_and_succeed_after_it(cluster, server):
    for page in PAGES:  # the worker now holds a persistent connection (CONN_MAX_AGE)
        assert get(server + page)[0] == 200, page

    # A restart between two requests: the worker's connection is dead, and the next request finds
    # out before using it (CONN_HEALTH_CHECKS), instead of failing.
    cluster.stop()
    cluster.start()
    for page in PAGES:
        status, body, _, _ = get(server + page)
        assert status == 200, (page, status, body[:300])

    # Requests while the database is down.
    cluster.stop()
    for page in PAGES * 2:
        status, body, headers, seconds = get(server + page)
        assert status == 503, (page, status, body[:300])
        assert seconds < 10, (page, seconds)  # refused at once, no hang
        assert "Traceback" not in body and "Exception" not in body
        if page.startswith("/api/"):
            assert "briefly unavailable" in body and body.startswith("{")
        elif page != "/healthz":
            assert "Service unavailable" in body and headers.get("Retry-After") == "30"

    cluster.start()
    # No restart of the app: the first request after the restart already succeeds.
    for page in PAGES * 2:
        status, body, _, _ = get(server + page)
        assert status == 200, (page, status, body[:300])


@pytest.mark.django_db
def test_a_database_error_in_a_view_is_a_503_not_a_500_page(monkeypatch):
    from activities import views

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.ActivityListView, "get", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/activities/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Service unavailable" in response.content.decode()


@pytest.mark.django_db
def test_any_other_error_is_still_the_500_page(monkeypatch):
    from activities import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.ActivityListView, "get", broken)
    response = Client(raise_request_exception=False).get("/activities/")
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()
