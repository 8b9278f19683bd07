"""cbhub in production mode on a loopback port: DEBUG=0, the manifest static files, gunicorn workers,
Redis jobs and `jobs_worker` processes, with realistic production settings (secret key, allowed hosts,
secure cookies, HSTS, the proxy headers).

Used by tools/production_smoke.py (CI) and the load benchmark; also runnable by hand:

    .venv/bin/python tools/production_server.py --port 8100 \
        --database-url postgres://postgres@127.0.0.1:5432/cbhub_load --fresh --demo

prepares a fresh database (migrate, reference data, demo users and a little demo data) and serves
until Ctrl-C. In Python:

    from tools.production_server import ProductionServer
    with ProductionServer(port=8100, database_url=url) as server:   # collectstatic + migrate + start
        server.manage("load_reference")
        ...  # requests to server.base_url, each with server.proxy_headers(client_ip)

The app sits behind a reverse proxy in production; requests sent to it here must carry what that
proxy adds: `X-Forwarded-Proto: https` and `X-Forwarded-For` (see `proxy_headers`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied at start


def fresh_postgres_database(url: str) -> str:
    """Drop and create the database named in a postgres:// URL; returns the URL."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"not a plain database name: {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def drop_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


class ProductionServer:
    """gunicorn + jobs workers in production mode, their files in a throwaway folder."""

    def __init__(
        self,
        *,
        port: int,
        database_url: str,
        redis_url: str = DEFAULT_REDIS_URL,
        workers: int = 2,
        job_workers: int = 1,
        trusted_proxy_count: int = 1,
        workdir: Path | None = None,
        extra_env: dict[str, str] | None = None,
        log=print,
    ):
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.workers = workers
        self.job_workers = job_workers
        self.log = log
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="cbhub-production-"))
        self.redis_url = redis_url
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DEBUG", "PYTEST"))
        }
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "cbhub.settings",
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "JOBS_BACKEND": "redis",
                "STATIC_ROOT": str(self.workdir / "static"),
                "MEDIA_ROOT": str(self.workdir / "media"),
                "SECURE_SSL_REDIRECT": "1",
                "TRUSTED_PROXY_COUNT": str(trusted_proxy_count),
                "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.env.update(extra_env or {})

    # Commands ---------------------------------------------------------------------------------
    def manage(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def prepare(self) -> None:
        """collectstatic and migrate (the database must exist)."""
        self.manage("collectstatic", "--noinput")
        self.manage("migrate", "--noinput")

    def load_demo(self, *, activities: int = 60, participations: int = 600, years: int = 2) -> None:
        """Reference data, the demo users and a little demo data."""
        # One process: each manage.py start costs seconds (the app imports the embedding runtime).
        self.manage(
            "shell",
            "-c",
            "from django.core.management import call_command; "
            "from activities.demo import Volume, demo_data_create; "
            "call_command('load_reference'); call_command('demo_users'); "
            f"demo_data_create(Volume(activities={activities}, participations={participations}, "
            f"years={years}), progress=lambda *a: None)",
        )

    # Processes --------------------------------------------------------------------------------
    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log_file = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )
        process.log_file = log_file
        self.processes.append((name, process))
        return process

    def start(self, *, timeout: float = 60) -> None:
        """gunicorn with `workers` workers and `job_workers` jobs workers; waits for /healthz."""
        if self.redis_url:
            flush_redis(self.redis_url)
        for number in range(self.job_workers):
            self._spawn(f"jobs_worker-{number + 1}", [str(PYTHON), "manage.py", "jobs_worker"])
        self._spawn(
            "gunicorn",
            [
                str(GUNICORN),
                "cbhub.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--access-logfile",
                "-",
            ],
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.tail(name)}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout} s:\n{self.tail('gunicorn')}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.workdir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def alive(self) -> dict[str, bool]:
        return {name: process.poll() is None for name, process in self.processes}

    def stop(self) -> None:
        """SIGTERM to each process group, SIGKILL to what is left after 15 s."""
        for _name, process in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for _name, process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(process.pid, signal.SIGKILL)  # also any child the group still holds
            except ProcessLookupError:
                pass
            process.wait()
            process.log_file.close()
        self.processes = []

    def cleanup(self) -> None:
        self.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> ProductionServer:
        try:
            self.prepare()
            self.start()
        except BaseException:
            self.cleanup()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()

    # Requests ---------------------------------------------------------------------------------
    @staticmethod
    def proxy_headers(client_ip: str = "198.51.100.1") -> dict[str, str]:
        """What the reverse proxy in front of the app adds to every request."""
        return {"X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip}


def stop_on_signals() -> None:
    """SIGTERM and SIGHUP end the program through its `finally` blocks, as Ctrl-C does."""

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--job-workers", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="drop and create the PostgreSQL database")
    parser.add_argument("--demo", action="store_true", help="load the reference, demo users and demo data")
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='cbhub-db-')}/cbhub.sqlite3"
    if args.fresh and database_url.startswith("postgres"):
        fresh_postgres_database(database_url)
    stop_on_signals()
    server = ProductionServer(
        port=args.port,
        database_url=database_url,
        redis_url=args.redis_url,
        workers=args.workers,
        job_workers=args.job_workers,
    )
    try:
        server.prepare()
        if args.demo:
            server.load_demo()
        server.start()
        print(f"cbhub (production mode) on {server.base_url}; logs in {server.workdir}. Ctrl-C stops it.")
        while all(server.alive().values()):
            time.sleep(1)
        print("a process exited:", server.alive(), file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
