"""cbhub settings. Everything that differs between machines comes from the environment.

DEBUG            "1" for development; off by default so production never runs in debug by accident.
SECRET_KEY       required when DEBUG is off.
DATABASE_URL     defaults to SQLite in the project folder; postgres://... in production.
ALLOWED_HOSTS    comma-separated.
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
                 without EMAIL_HOST, mail is printed to the console.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-with-debug-off"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "axes",
    "csp",
    "core",
    "accounts",
    "network",
    "topics",
    "people",
    "funding",
    "activities",
    "jobs",
    "knowledge",
    "experts",
    "surveys",
    "insights",
    "conferences",
    "meetings",
    "results",
    "training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy header (core/csp.py: strict for the app's pages).
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers the permissions ask many times in one page, worked out once per read (core/memo.py).
    "core.memo.RequestMemoMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Too many query parameters, NUL characters: a 400 with a message before any view parses them.
    "core.middleware.BadRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as its documentation asks: it turns locked-out logins into a response.
    "axes.middleware.AxesMiddleware",
]

# Scripts and styles from the app's own files only: no inline script, event handler, `javascript:` URL,
# <style> or style attribute (the admin and /api/ pages, from their packages, may use inline styles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "cbhub.urls"
WSGI_APPLICATION = "cbhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'cbhub.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A persistent connection is checked before each request reuses it, so the app survives a
        # database restart without being restarted itself.
        conn_health_checks=True,
    )
}
# SQLite serves the app and its jobs worker at once: WAL lets readers and one writer work together,
# IMMEDIATE takes the write lock when a transaction starts (a deferred read-then-write transaction
# fails with "database is locked" instead of waiting), and the busy timeout is how long a writer waits.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
# PostgreSQL: give up connecting after a few seconds (the request answers 503) rather than hang.
POSTGRES_OPTIONS = {"connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "5"))}
_vendor_options = {"sqlite3": SQLITE_OPTIONS, "postgresql": POSTGRES_OPTIONS}
DATABASES["default"]["OPTIONS"] = {  # options given in DATABASE_URL's query string win
    **_vendor_options.get(DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1], {}),
    **DATABASES["default"].get("OPTIONS", {}),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL shares the cache between app processes; without it each process keeps its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            # Redis unreachable: pages work without the cache rather than fail (core/cache.py).
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))
# How long the public activity list is kept for visitors without a session (core.page_cache); 0: never.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

# Background jobs: "database" (embedded default, no server) or "redis" (production, uses REDIS_URL).
JOBS_BACKEND = os.environ.get("JOBS_BACKEND", "database")
# A running job whose worker sent no heartbeat for this long is taken to be dead and queued again.
JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "120"))

# Knowledge base limits.
KNOWLEDGE_MAX_UPLOAD_BYTES = int(os.environ.get("KNOWLEDGE_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
# No upload may pass this size: beyond it the bytes are dropped as they arrive (core.uploads), and each
# upload path refuses the file with a message. Each path has its own, lower limit as well.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(KNOWLEDGE_MAX_UPLOAD_BYTES)))
FILE_UPLOAD_HANDLERS = [
    "core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
KNOWLEDGE_MAX_TEXT_CHARS = int(os.environ.get("KNOWLEDGE_MAX_TEXT_CHARS", str(2_000_000)))
KNOWLEDGE_EMBED_MAX_TOKENS = int(os.environ.get("KNOWLEDGE_EMBED_MAX_TOKENS", "128"))

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed-login throttling: five failures lock the username for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_VERBOSE = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy: set TRUSTED_PROXY_COUNT to the number of
# proxies that append to X-Forwarded-For, so that lock-outs and throttles count each real client
# (core.throttling.client_ip). 0 (no proxy) uses the connection's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "core.throttling.client_ip"
# Password-reset requests per client address and per email address, each per hour.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "10"))
PASSWORD_RESET_LIMIT_PER_EMAIL = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_WINDOW_SECONDS = 3600

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cbhub <noreply@cbhub.invalid>")
# The address links in emails (questionnaire invitations) start with.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.drf.ScopedActionPermission"],
    "DEFAULT_FILTER_BACKENDS": ["core.filtersets.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.drf.exception_handler",
    "DEFAULT_PARSER_CLASSES": ["core.drf.JSONParser", "core.drf.FormParser", "core.drf.MultiPartParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "cbhub API",
    "DESCRIPTION": "The capacity-building network's registry and work, scoped to the caller's role.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents its error answers (400, 401, 403, 404): core/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.postprocess_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ActivityStatusEnum": "activities.models.Status",
        "RequestStatusEnum": "activities.models.RequestStatus",
        "NominationStatusEnum": "activities.models.NominationStatus",
        "DocumentKindEnum": "knowledge.models.DocumentKind",
        "ActivityKindEnum": "activities.models.ActivityKind",
        "OfficeKindEnum": "network.models.OfficeKind",
        "DonorKindEnum": "funding.models.DonorKind",
    },
}

# The organisation identifier IATI exports are reported under (set the publisher's registered one).
IATI_REPORTING_ORG = os.environ.get("IATI_REPORTING_ORG", "XI-CBHUB-UNREGISTERED")

# Production hardening; `manage.py check --deploy` passes with DEBUG off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    # /healthz is probed over plain HTTP by the proxy and the orchestrator.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Axes logs every sign-in at INFO; keep its warnings (lock-outs) only.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Experts: how long before expiry an accreditation notice goes out, and the yearly deployment limit.
EXPERTS_EXPIRY_NOTICE_DAYS = int(os.environ.get("EXPERTS_EXPIRY_NOTICE_DAYS", "60"))
EXPERTS_MAX_DEPLOYMENTS_PER_YEAR = int(os.environ.get("EXPERTS_MAX_DEPLOYMENTS_PER_YEAR", "4"))
# Workers enqueue the periodic jobs (statistics, expiry notices) when they are due.
JOBS_PERIODIC = env_flag("JOBS_PERIODIC", default=True)
