"""Settings for APC Tracker, read from the environment.

Every value that differs between a developer's machine and production comes from an
environment variable (see the configuration table in README.md). Production is the default:
with DJANGO_DEBUG off the app refuses to start without a real DJANGO_SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (or true/false, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

# Used only with DJANGO_DEBUG on; with debug off the checks below refuse it.
_DEVELOPMENT_SECRET_KEY = "development-only-key-never-used-with-debug-off"  # noqa: S105  # nosec B105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the app signs sessions and "
            "password-reset links with it, so it must be a long random value kept secret, e.g. "
            "the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "For local development set DJANGO_DEBUG=1 instead."
        )
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == _DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for use with DJANGO_DEBUG off: it needs at least 50 "
        "characters with at least 5 different ones, e.g. the output of: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

# HTTPS and browser protections, on whenever debug is off. Behind a reverse proxy that
# terminates TLS, DJANGO_SECURE_PROXY_SSL_HEADER=1 makes Django trust its X-Forwarded-Proto.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe the health check over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything the pages load comes from this site: no inline or third-party script can run.
# Inline style attributes stay allowed (the admin and SVG charts use them); they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading binds the whole domain to HTTPS for years: the domain's owner opts in
    # with DJANGO_SECURE_HSTS_PRELOAD=1 once every subdomain serves HTTPS.
    "security.W021",
    # Axes's middleware would replace a locked sign-in's page with its own; the sign-in forms
    # say on the form itself until when the lock holds (security/forms.py), as axes allows.
    "axes.W002",
]

# How many proxies in front of the app append to X-Forwarded-For; 0 trusts only the socket's
# address. The security log and sign-in protection use the client address this gives.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Sign-in protection: django-axes records sign-ins and refuses locked ones; its own rule is one
# username from one address, and security/lockout.py adds the username's and the address's.
AUTHENTICATION_BACKENDS = [
    # First, so that a locked sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "security.lockout.SignInLimits"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A success forgets the failures of that username from that address only: a sprayer who signs
# in to an account of their own does not wipe their address's count.
AXES_RESET_ON_SUCCESS = True
# A refused sign-in is not a failure: a lock ends when the sign-in page said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The per-username and per-address rules count these, one row per failure.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "security.audit.client_address"
AXES_USERNAME_CALLABLE = "security.lockout.folded_username"
# Axes keeps the submitted form of each failure for the admin: never a password, a one-time
# code or a CSRF token, nor the username and address outside their own columns.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "security.apps.SecretariatAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "apc_tracker.apps.StaticFiles",
    "csp",
    "corsheaders",
    "django_filters",
    "django_otp",
    "security.apps.AuthenticatorAppsConfig",
    "axes",
    "simple_history",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "recommendations",
    "security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.SessionExpiryMiddleware",
    "security.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

# The signed-in parts of the site (the workspace, the review pages, the admin) and signing in,
# out and resetting a password: no cache stores their pages, even those sent to visitors.
NO_STORE_PATHS = ("/my/", "/review/", "/admin/", "/accounts/", "/api/v1/my/")

# Open data is for other sites' scripts too: the exports and the data package descriptor, and
# nothing else, may be read from any origin. Never with credentials, so a signed-in person's
# cookies are never sent along; the signed-in parts of the site match no pattern here.
# The read API is open data too; its focal points' part (/api/v1/my/) is not.
CORS_URLS_REGEX = r"^/(?:[\w-]+/export\.[\w-]+|datapackage\.json|api/v1/(?!my/)[\w/.-]*)$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
# A script revalidates what it holds with these; a browser hides a response's ETag unless exposed.
CORS_ALLOW_HEADERS = ("accept", "if-modified-since", "if-none-match")
CORS_EXPOSE_HEADERS = ("Content-Disposition", "ETag", "Last-Modified")
CORS_PREFLIGHT_MAX_AGE = 86_400

# The API (/api/v1/, recommendations/api/): JSON only, public reads for anyone, writes with a
# focal point's personal token. Errors are JSON with the reason in "detail".
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": [
        "recommendations.api.throttling.PerClientAddress",
        "recommendations.api.throttling.PerTokenHolder",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "recommendations.api.errors.handler",
    "DEFAULT_PAGINATION_CLASS": None,
}
# Requests per client address (anonymous) and per token, e.g. "120/minute"; a load test on
# loopback raises them.
API_ANONYMOUS_RATE = os.environ.get("DJANGO_API_RATE", "120/minute")
API_TOKEN_RATE = os.environ.get("DJANGO_API_TOKEN_RATE", "600/minute")
# Named so that the tokens' grants (recommendations.ApiToken) point at knox's own model.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105  # nosec B105
# Personal tokens (django-rest-knox): stored as SHA-512 digests, shown once, with the lifetime
# the focal point chooses (90 days unless told); a token is never renewed by using it.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),
    "AUTO_REFRESH": False,
    # The visible start that names our tokens, not a secret.
    "TOKEN_PREFIX": "apc_",  # nosec B105
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "APC Tracker API",
    "DESCRIPTION": (
        "The recommendations of the APC workshop on the GCIM report (Bangkok, 2006), the follow-up "
        "actions governments and organisations published, and each actor's implementation status: "
        "the same rows and identifiers as the open-data exports. Focal points report through the "
        "`/api/v1/my/` endpoints with a personal token from their workspace."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "recommendations.models.Status",
        "ActorKindEnum": "recommendations.models.ActorKind",
        "ActionStateEnum": "recommendations.models.ActionState",
    },
    # Swagger UI from our own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

ROOT_URLCONF = "apc_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recommendations.public.context_processors.site",
            ],
            # The status badges and progress bars of the public pages, which the workspace shows too.
            "libraries": {"tracker": "recommendations.public.templatetags"},
        },
    },
]

WSGI_APPLICATION = "apc_tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE transactions take the write lock up
    # front, so concurrent writers wait (up to the timeout) instead of failing mid-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

# With several app servers the cache should be shared: REDIS_URL selects Redis. Without it each
# process keeps its own in-memory cache. Either way cached pages are keyed by the data version
# in the database, so no process serves what another's write made stale. A Redis that does not
# answer within a quarter of a second is skipped for a few seconds, and pages are served
# without it (apc_tracker/cache.py). Nothing else is kept in the cache: sessions and sign-in
# limits live in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    from .cache import redis_cache

    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# After a change to the data, how many public pages the site makes again at once (the others
# are served as they were meanwhile): each takes a worker, so a few per app server.
PAGE_REBUILDS_AT_ONCE = int(os.environ.get("DJANGO_PAGE_REBUILDS_AT_ONCE", "2"))

# Idle secretariat sessions end after 30 minutes; focal points sign in for a working day.
STAFF_SESSION_IDLE_SECONDS = 30 * 60
SESSION_AGE_SECONDS = 8 * 60 * 60
SESSION_COOKIE_AGE = SESSION_AGE_SECONDS
OTP_TOTP_ISSUER = "APC Tracker"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Source maps (Swagger UI's) are read by browsers' developer tools only: not worth compressing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Evidence files: outside the static files, served only through a view that checks access and
# reads them through the storage API. They are kept under MEDIA_ROOT unless DJANGO_S3_BUCKET
# names an S3-compatible bucket (django-storages). The bucket's credentials come from boto3's
# own sources (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an instance role),
# never from these settings.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            # Objects stay private to the bucket's owner: no ACL is sent (buckets with ACLs
            # disabled, the default on AWS, refuse even "private"), and any URL is signed.
            "default_acl": None,
            "querystring_auth": True,
            # Like the file system: a name already taken gets a suffix, never replaces a file.
            "file_overwrite": False,
        },
    }
EVIDENCE_MAX_BYTES = env_int("DJANGO_EVIDENCE_MAX_MB", default=10) * 1024 * 1024

# The address mail links to, without a trailing slash.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "recommendations:workspace"
LOGOUT_REDIRECT_URL = "recommendations:home"

# Mail (password reset, review notices, reminders): the console in development, SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
# Seconds to wait for the mail server: one that takes connections but never answers would
# otherwise hold a publication's request, or the reminders job, for good.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "APC Tracker <noreply@localhost>")
# How the secretariat hears of submissions: "each" mails every one as it arrives; "hourly" keeps
# them for one digest that `manage.py send_review_digest` sends when cron runs it.
REVIEW_NOTICES = os.environ.get("DJANGO_REVIEW_NOTICES", "each").strip().lower()
if REVIEW_NOTICES not in ("each", "hourly"):
    raise ImproperlyConfigured(f"DJANGO_REVIEW_NOTICES must be each or hourly, not {REVIEW_NOTICES!r}.")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# One JSON object per line in production, for log collectors; readable lines in development.
# Either way one record is one line: control characters in logged values are escaped.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "security.log_format.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
        "text": {"()": "security.log_format.TextFormatter", "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"client_errors_without_traceback": {"()": "apc_tracker.errors.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "security": {"level": "INFO"},
        "django.request": {"filters": ["client_errors_without_traceback"]},
        # Axes's own lines repeat the security log's failures and lockouts, with the username
        # and address masked; only its errors are worth a line.
        "axes": {"level": "ERROR"},
    },
}
