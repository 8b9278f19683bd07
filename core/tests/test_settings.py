"""Settings from the environment, a hardened production configuration, and the health check."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cbhub.settings",
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-key-3f9c1b7e5d2a8f6c4e0b9d7a1c3e5f7b9d1f3a5c7e9",
    "ALLOWED_HOSTS": "cbhub.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args, env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_comes_from_database_url():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        env={**PRODUCTION, "DATABASE_URL": "postgres://user@db.example.org:5432/cbhub"},
    )
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_broken_database(client):
    with mock.patch("core.views.connection.cursor", side_effect=RuntimeError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
