"""Settings for the test suite: production settings, made fast and self-contained."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from cbhub.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# The browser tests talk to a live server over plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Serve static files from the apps, as runserver does, without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests see their own data at once, never figures cached by an earlier test.
DASHBOARD_CACHE_SECONDS = 0
PAGE_CACHE_SECONDS = 0  # core/tests/test_page_cache.py turns it on
# Uploaded files go to a throwaway folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cbhub-test-media-"))
# A test's burst worker runs what the test queued, not the daily jobs (statistics, notices): those
# would make tests depend on their order. jobs/tests/test_schedule.py turns them on.
JOBS_PERIODIC = False
