"""Production smoke test, run by .ci/run on PostgreSQL: cbhub really runs in production mode.

1. `collectstatic` with DEBUG=0 (WhiteNoise's compressed manifest storage);
2. `migrate` into a fresh database;
3. `check --deploy --fail-level WARNING` with production settings;
4. gunicorn with 2 workers, DEBUG=0, JOBS_BACKEND=redis and a `jobs_worker`, on a loopback port;
5. over loopback, as the reverse proxy would send them: the key pages and every API list answer 200
   for anonymous callers and each demo role, static files are served hashed and compressed, the
   security headers are there, and a document uploaded through the page is ingested by the worker.

Prints one PASS or FAIL line per check and exits 1 if any failed. Always stops its processes and
drops its database.

    .venv/bin/python tools/production_smoke.py [--database-url postgres://postgres@127.0.0.1:5432/cbhub_smoke]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.production_server import (  # noqa: E402
    ProductionServer,
    drop_postgres_database,
    fresh_postgres_database,
    stop_on_signals,
)

PASSWORD = "cbhub-demo-2026"
ROLES = ["secretariat", "rocb.ap", "rtc.japan", "focal.kenya", "expert", "researcher", "donor"]
PUBLIC_PAGES = [
    "/",
    "/network/members/",
    "/network/offices/",
    "/network/regions/",
    "/network/committees/",
    "/network/map/",
    "/activities/",
    "/activities/calendar/",
    "/activities/calendar/?view=list",
    "/activities/dashboard/",
    "/topics/",
    "/search/?q=customs",
    "/knowledge/",
    "/knowledge/?q=risk+management",
    "/conferences/",
    "/conferences/research-to-practice/",
    "/meetings/",
    "/results/objectives/",
    "/training/",
    "/training/frameworks/",
    "/training/recognition/",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/api/docs/",
    "/api/schema/",
    "/healthz",
]
SIGNED_IN_PAGES = [
    "/accounts/users/",
    "/people/",
    "/activities/participations/",
    "/activities/requests/",
    "/knowledge/upload/",
    "/accounts/password_change/",
    "/surveys/",
    "/surveys/waves/",
    "/surveys/bank/",
    "/surveys/needs/",
    "/conferences/my/",
    "/conferences/reviewers/",
    "/meetings/actions/",
    "/insights/reports/",
]
REPORT = """# Smoke test: post-clearance audit at the border

A customs administration created a post-clearance audit unit. Risk profiles select the importers
whose records are examined after release, and fewer consignments are stopped at the border.
"""


class Results:
    def __init__(self):
        self.failed: list[str] = []
        self.passed = 0
        self.started = time.monotonic()

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"PASS {name} [{time.monotonic() - self.started:.0f} s]", flush=True)
        else:
            self.failed.append(name)
            print(f"FAIL {name}{': ' + detail if detail else ''}", flush=True)
        return ok


class Client:
    """A minimal HTTP client that talks to gunicorn as the TLS-terminating proxy would."""

    def __init__(self, server: ProductionServer, client_ip: str):
        self.server = server
        self.client_ip = client_ip
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, *, body: bytes | None = None, headers=None, proxied=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        all_headers = {"Host": f"127.0.0.1:{self.server.port}", "Accept-Encoding": "identity"}
        if proxied:
            all_headers.update(self.server.proxy_headers(self.client_ip))
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for key, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[key] = morsel.value
                else:
                    self.cookies.pop(key, None)
        connection.close()
        return response.status, response.headers, content

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def origin_headers(self, path: str) -> dict[str, str]:
        origin = f"https://127.0.0.1:{self.server.port}"
        return {"Origin": origin, "Referer": origin + path, "X-CSRFToken": self.cookies.get("csrftoken", "")}

    def post_form(self, path: str, fields: dict[str, str]):
        token = self.csrf_token(path)
        body = urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **self.origin_headers(path)}
        return self.request("POST", path, body=body, headers=headers)

    def post_multipart(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]):
        token = self.csrf_token(path)
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        for key, (name, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                "Content-Type: text/markdown\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", **self.origin_headers(path)}
        return self.request("POST", path, body=body, headers=headers)

    def csrf_token(self, path: str) -> str:
        status, _headers, content = self.get(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return match.group(1).decode()

    def sign_in(self, username: str) -> bool:
        status, headers, _ = self.post_form("/accounts/login/", {"username": username, "password": PASSWORD})
        return status == 302 and "sessionid" in self.cookies


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_lists(client: Client) -> list[str]:
    """Every list endpoint the OpenAPI schema declares, so a new app's lists are checked too."""
    status, _headers, content = client.get("/api/schema/?format=json", headers={"Accept": "application/json"})
    if status != 200:
        return [f"/api/schema/?format=json#{status}"]  # reported as a failure below
    schema = json.loads(content)
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if "{" not in path and operations.get("get", {}).get("operationId", "").endswith("_list")
    )


def detail_pages(client: Client) -> list[str]:
    """A public activity's page and a member administration's page, found through the API."""
    paths = []
    for api, page in (
        ("/api/activities/activities/", "/activities/{id}/"),
        ("/api/network/members/", "/network/members/{id}/"),
    ):
        status, _headers, content = client.get(api, headers={"Accept": "application/json"})
        rows = json.loads(content).get("results", []) if status == 200 else []
        paths.append(page.format(id=rows[0]["id"]) if rows else f"/no-rows-in{api}")  # a 404: reported
    return paths


def check_pages(results: Results, client: Client, who: str, paths: list[str]) -> None:
    bad = []
    for path in paths:
        status, _headers, _content = client.get(path, headers={"Accept": "text/html,application/json"})
        if status != 200:
            bad.append(f"{path} -> {status}")
    results.check(f"{who}: {len(paths)} pages and API lists answer 200", not bad, "; ".join(bad))


def check_production_headers(results: Results, server: ProductionServer) -> None:
    client = Client(server, "198.51.100.2")
    status, headers, content = client.get("/")
    policy = headers.get("Content-Security-Policy", "")
    results.check("home page answers 200 with DEBUG=0", status == 200, str(status))
    results.check("Content-Security-Policy sent", "script-src 'self'" in policy, policy)
    results.check("HSTS sent", "max-age=" in (headers.get("Strict-Transport-Security") or ""))
    results.check("nosniff sent", headers.get("X-Content-Type-Options") == "nosniff")
    stylesheet = re.search(rb'href="(/static/css/cbhub\.[0-9a-f]{12}\.css)"', content)
    results.check("pages name hashed static files", bool(stylesheet), "no hashed cbhub.css link")
    if stylesheet:
        status, headers, body = client.get(stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip"})
        results.check(
            "WhiteNoise serves the hashed stylesheet compressed, cached for good",
            status == 200
            and headers.get("Content-Encoding") in {"gzip", "br"}
            and "immutable" in (headers.get("Cache-Control") or ""),
            f"{status} {headers.get('Content-Encoding')} {headers.get('Cache-Control')}",
        )
    status, headers, _ = client.get("/activities/", proxied=False)
    results.check(
        "plain HTTP is redirected to HTTPS",
        status == 301 and (headers.get("Location") or "").startswith("https://"),
        f"{status} {headers.get('Location')}",
    )
    status, _headers, _ = client.get("/healthz", proxied=False)
    results.check("/healthz answers over plain HTTP (proxy probe)", status == 200, str(status))
    status, _headers, _ = client.get("/no-such-page/")
    results.check("an unknown page is a 404, not a 500", status == 404, str(status))


def check_upload_is_ingested(results: Results, server: ProductionServer, timeout: float = 120) -> None:
    client = Client(server, "198.51.100.3")
    if not results.check("focal.kenya signs in", client.sign_in("focal.kenya")):
        return
    status, headers, content = client.post_multipart(
        "/knowledge/upload/",
        {"title": "Smoke test audit report", "kind": "good_practice", "visibility": "network"},
        {"files": ("smoke-report.md", REPORT.encode())},
    )
    location = headers.get("Location") or ""
    match = re.search(r"/jobs/(\d+)/", location)
    if not results.check(
        "upload accepted, job queued", status == 302 and bool(match), f"{status} {location}"
    ):
        print(content[:2000].decode(errors="replace"))
        return
    job_id = match.group(1)
    deadline = time.monotonic() + timeout
    job = {}
    while time.monotonic() < deadline:
        status, _headers, content = client.get(f"/api/knowledge/jobs/{job_id}/")
        job = json.loads(content) if status == 200 else {"status": f"HTTP {status}"}
        if job.get("status") in {"succeeded", "partial", "failed"}:
            break
        time.sleep(0.5)
    results.check(
        "the jobs worker ingested the upload (Redis queue)",
        job.get("status") == "succeeded",
        json.dumps(job)[:500] + "\n" + server.tail("jobs_worker-1"),
    )
    status, _headers, content = client.get(
        "/api/knowledge/documents/?" + urlencode({"search": "Smoke test audit"}),
        headers={"Accept": "application/json"},
    )
    found = status == 200 and "Smoke test audit report" in content.decode(errors="replace")
    results.check("the ingested document is listed", found, f"{status}")
    status, _headers, content = client.get(
        "/knowledge/?" + urlencode({"q": "post-clearance audit importers"})
    )
    results.check(
        "the ingested document is found by search",
        status == 200 and "Smoke test audit report" in content.decode(errors="replace"),
        str(status),
    )


def check_lockout_behind_proxy(results: Results, server: ProductionServer) -> None:
    """Five wrong passwords from one client lock that client out, not the user behind the same proxy."""
    attacker = Client(server, "203.0.113.66")
    for _ in range(5):
        attacker.post_form("/accounts/login/", {"username": "expert", "password": "wrong"})
    status, _headers, _ = attacker.post_form("/accounts/login/", {"username": "expert", "password": PASSWORD})
    results.check("an attacker's failed sign-ins lock the attacker out (429)", status == 429, str(status))
    results.check(
        "the real user behind the same proxy still signs in",
        Client(server, "198.51.100.77").sign_in("expert"),
    )


def check_sign_in_cookies(results: Results, server: ProductionServer) -> Client | None:
    client = Client(server, "198.51.100.4")
    if not results.check("secretariat signs in through the proxy", client.sign_in("secretariat")):
        return None
    session = [header for header in client.set_cookie_headers if header.startswith("sessionid=")]
    results.check(
        "session cookie is Secure and HttpOnly",
        bool(session) and "Secure" in session[-1] and "HttpOnly" in session[-1],
        str(session),
    )
    return client


def run(database_url: str, fresh: bool) -> int:
    results = Results()
    started = time.monotonic()
    if fresh and database_url.startswith("postgres"):
        fresh_postgres_database(database_url)
    server = ProductionServer(port=free_port(), database_url=database_url)
    print(f"production smoke: {urlsplit(database_url).scheme} database, port {server.port}, {server.workdir}")
    try:
        try:
            result = server.manage("collectstatic", "--noinput", check=False)
            results.check("collectstatic with DEBUG=0", result.returncode == 0, result.stderr[-2000:])
            manifest = Path(server.env["STATIC_ROOT"]) / "staticfiles.json"
            results.check("static manifest written", manifest.exists())
            result = server.manage("migrate", "--noinput", check=False)
            results.check("migrate into a fresh database", result.returncode == 0, result.stderr[-2000:])
            result = server.manage("check", "--deploy", "--fail-level", "WARNING", check=False)
            results.check(
                "check --deploy with production settings",
                result.returncode == 0,
                (result.stdout + result.stderr)[-2000:],
            )
            if any(name.startswith(("collectstatic", "migrate")) for name in results.failed):
                return 1  # nothing to serve; a failed deploy check alone does not stop the rest
            server.load_demo()
            results.check("reference data, demo users and demo data loaded", True)
            server.start()
            results.check(
                f"gunicorn ({server.workers} workers) and jobs_worker started, /healthz answers", True
            )
        except RuntimeError as error:
            results.check("production server starts", False, str(error)[-3000:])
            return 1

        check_production_headers(results, server)
        anonymous = Client(server, "198.51.100.5")
        lists = api_lists(anonymous)
        results.check(f"the schema names {len(lists)} API list endpoints", len(lists) >= 15, str(lists))
        lists += detail_pages(anonymous)
        check_pages(results, anonymous, "anonymous", PUBLIC_PAGES + lists)
        check_sign_in_cookies(results, server)
        for number, username in enumerate(ROLES):
            client = Client(server, f"198.51.100.{20 + number}")
            if results.check(f"{username} signs in", client.sign_in(username)):
                check_pages(results, client, username, PUBLIC_PAGES + SIGNED_IN_PAGES + lists)
        check_upload_is_ingested(results, server)
        check_lockout_behind_proxy(results, server)
        results.check(
            "gunicorn and the worker are still running", all(server.alive().values()), str(server.alive())
        )
        errors = [line for line in server.tail("gunicorn", 100000).splitlines() if "Traceback" in line]
        results.check("no traceback in gunicorn's log", not errors, server.tail("gunicorn", 40))
    finally:
        if results.failed:
            for name in ("gunicorn", "jobs_worker-1"):
                print(f"--- last lines of {name}'s log\n{server.tail(name, 60)}")
        server.cleanup()
        if fresh and database_url.startswith("postgres"):
            drop_postgres_database(database_url)
    elapsed = time.monotonic() - started
    total = results.passed + len(results.failed)
    if results.failed:
        print(f"production smoke: FAILED {len(results.failed)} of {total} checks ({elapsed:.0f} s)")
    else:
        print(f"production smoke: all {total} checks passed ({elapsed:.0f} s)")
    return 1 if results.failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cbhub_smoke"),
        help="a PostgreSQL database (dropped and created), or `sqlite` for a throwaway SQLite file",
    )
    args = parser.parse_args()
    database_url, sqlite_dir = args.database_url, None
    if database_url.startswith("sqlite"):
        sqlite_dir = tempfile.mkdtemp(prefix="cbhub-smoke-db-")
        database_url = f"sqlite:///{sqlite_dir}/cbhub.sqlite3"
    stop_on_signals()
    try:
        return run(database_url, fresh=True)
    except KeyboardInterrupt:
        print("FAIL interrupted")
        return 1
    finally:
        if sqlite_dir:
            shutil.rmtree(sqlite_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
