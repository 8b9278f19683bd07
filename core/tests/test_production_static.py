"""Static files as production serves them: `collectstatic` with DEBUG off builds WhiteNoise's manifest,
every `{% static %}` name in the project's templates is in it, and the key pages render with the
manifest storage (without it each `{% static %}` raises and every HTML page is a 500)."""

import json
import re
from pathlib import Path

import pytest
from django.test import override_settings

from core.tests.test_settings import PRODUCTION, ROOT, manage

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']""")
PAGES = [
    "/",
    "/network/members/",
    "/network/map/",
    "/activities/",
    "/activities/calendar/",
    "/activities/dashboard/",
    "/knowledge/",
    "/search/?q=customs",
    "/people/",
    "/accounts/login/",
    "/api/docs/",
    "/api/network/members/?format=api",
]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    result = manage("collectstatic", "--noinput", env={**PRODUCTION, "STATIC_ROOT": str(root)})
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def project_templates():
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" not in path.parts:
            yield path


def test_collectstatic_builds_the_manifest_with_debug_off(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    assert "css/cbhub.css" in manifest
    assert "vendor/chart-4.5.1.umd.min.js" in manifest
    hashed = static_root / manifest["vendor/chart-4.5.1.umd.min.js"]
    assert hashed.exists() and Path(f"{hashed}.gz").exists()


def test_every_static_name_in_the_templates_is_in_the_manifest(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    names = {name for path in project_templates() for name in STATIC_TAG.findall(path.read_text())}
    assert names, "no {% static %} tag found: the pattern is wrong"
    assert names - set(manifest) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("username", [None, "secretariat", "focal.kenya"])
def test_pages_render_with_the_manifest_storage(static_root, client_for, username):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages, WHITENOISE_USE_FINDERS=False):
        client = client_for(username)
        for url in PAGES:
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            body = response.content.decode()
            # Hashed names only, never the plain one that the manifest storage would not serve.
            assert "/static/css/cbhub.css" not in body, url
