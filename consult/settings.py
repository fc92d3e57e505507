"""Settings, read from the environment with safe embedded defaults.

Embedded default (no variables set): SQLite in WAL mode, in-memory channel layer,
local-memory cache, database task queue, console e-mail.
Production: DATABASE_URL=postgres://..., REDIS_URL=redis://..., SECRET_KEY, DEBUG=0.
A bad value stops start-up with a message naming the variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from consult.env import env_bool, env_int, env_list, env_str, env_url, social_providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for a local run)"
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
SERVE_STATIC = env_bool("SERVE_STATIC", True)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.line",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "consult",
    "topics",
    "comments",
    "moderation",
    "analytics",
    "accounts",
    "opendata",
    "ninja",
    "api",
    "reports",
    "submissions",
    "records",
    "notifications",
    "search",
    "feeds",
]

MIDDLEWARE = [
    "consult.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "consult.security.ContentSecurityPolicyMiddleware",
    "consult.security.RequestSizeLimitMiddleware",
    # Pages compressed for slow phones (Django adds random bytes against BREACH; CSRF tokens
    # are masked per response).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "consult.memo.RequestMemoMiddleware",
    "consult.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "consult.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "consult.urls"
ASGI_APPLICATION = "consult.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context.account",
                "notifications.context.unread",
            ],
            "builtins": ["consult.templatetags.consult_tags"],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", schemes=("sqlite", "postgres", "postgresql"))
if DATABASE_URL:
    try:
        # Under ASGI every request may run on a different thread: a persistent connection per
        # thread piles up idle connections ("too many clients"). Connections are opened per
        # request (CONN_MAX_AGE=0, the default) and checked before reuse; put pgbouncer in front
        # to make opening one cheap (docs/operations.md).
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL,
                conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0),
                conn_health_checks=True,
            )
        }
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A PostgreSQL that is away answers in seconds, not never: connect and statement limits.
        # (Behind pgbouncer, set DB_STATEMENT_TIMEOUT_MS=0 and the limit on the role instead.)
        pg_options = DATABASES["default"].setdefault("OPTIONS", {})
        pg_options["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 3, minimum=1)
        statement_ms = env_int("DB_STATEMENT_TIMEOUT_MS", 30000, minimum=0)
        if statement_ms:
            pg_options["options"] = f"-c statement_timeout={statement_ms}"
        pool_max = env_int("DB_POOL_MAX", 16, minimum=0)
        if pool_max and not DATABASES["default"]["CONN_MAX_AGE"]:
            # A pool per process (psycopg_pool): a request borrows an open connection and gives
            # it back at its end, instead of opening one (a new PostgreSQL backend per request
            # costs more than all of a comment post's queries). With CONN_HEALTH_CHECKS a
            # connection is checked before it is lent, so one broken by a database restart is
            # replaced rather than handed out. When all are lent, a request waits at most
            # DB_POOL_TIMEOUT seconds, then gets the "try again" answer (503).
            pg_options["pool"] = {
                "min_size": min(2, pool_max),
                "max_size": pool_max,
                "timeout": env_int("DB_POOL_TIMEOUT", 3, minimum=1),
                "max_idle": 300,
            }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Writers take the lock when their transaction starts: no lost updates.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "consult.User"

# --- Redis: channel layer and cache -----------------------------------------------------
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
REDIS_SOCKET_TIMEOUT = float(env_int("REDIS_SOCKET_TIMEOUT", 30, minimum=6))
REDIS_CONNECT_TIMEOUT = float(env_int("REDIS_CONNECT_TIMEOUT_MS", 500, minimum=50)) / 1000
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # The socket timeout must exceed channels-redis's blocking read (5 s), or idle
                # consumers fail every few seconds; connecting gives up fast when Redis is away.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": REDIS_SOCKET_TIMEOUT,
                        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                        "health_check_interval": 15,
                    }
                ],
                "prefix": env_str("CHANNELS_PREFIX", "consult"),
                "capacity": 500,
                "expiry": 30,
            },
        }
    }
    CACHES = {
        "default": {
            # Redis is an accelerator: while it is away, reads miss, writes are skipped
            # (consult/cache.py) and rate limits are counted per process (consult/ratelimit.py).
            "BACKEND": "consult.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "consult"),
            "OPTIONS": {
                "socket_timeout": float(env_int("REDIS_CACHE_TIMEOUT_MS", 500, minimum=50)) / 1000,
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks ---------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Accounts (django-allauth) ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A code typed in the same tab (a phone's mail app often opens links in another browser, which
# would lose the session): the person is then signed in and taken back where they came from,
# with the comment they typed still in the form.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Six digits: the phone's number pad, no letters to confuse (allauth allows 3 tries per code).
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_FORMAT = {"length": 6, "numeric": True, "dashed": False}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_USER_DISPLAY = "consult.models.user_display"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# Per IP and per key (the e-mail address); answered with templates/429.html.
ACCOUNT_RATE_LIMITS = {
    "signup": env_str("RATE_SIGNUP", "10/h/ip"),
    "login": env_str("RATE_LOGIN", "30/m/ip"),
    "login_failed": env_str("RATE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "reset_password": env_str("RATE_RESET_PASSWORD", "10/h/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Comments and votes (consult/ratelimit.py): "count/seconds" per IP and per account.
RATE_LIMITS = {
    "comment": {
        "user": env_str("RATE_COMMENT_USER", "10/60"),
        "ip": env_str("RATE_COMMENT_IP", "30/60"),
    },
    "vote": {"user": env_str("RATE_VOTE_USER", "120/60"), "ip": env_str("RATE_VOTE_IP", "600/60")},
    # Reports (flags): a few per person and per address every ten minutes.
    "flag": {
        "user": env_str("RATE_FLAG_USER", "10/600"),
        "ip": env_str("RATE_FLAG_IP", "30/600"),
    },
    # Reads of the public API (/api/v1/), per address.
    "api_read": {"ip": env_str("RATE_API_READ_IP", "600/60")},
}
# A report from an account this old (or with a verified identity) counts fully towards the
# flag threshold; newer accounts count less (moderation.services.reporter_weight).
FLAG_ESTABLISHED_DAYS = env_int("FLAG_ESTABLISHED_DAYS", 7, minimum=0)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = social_providers_from_env()
# Keyed hash of national ID numbers (never stored in clear). Rotating it breaks duplicate checks.
IDENTITY_HASH_KEY = env_str("IDENTITY_HASH_KEY", "") or SECRET_KEY
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Public Hearing")
# Privacy (PDPA): the consent notice version people agree to, and how long logs are kept.
CONSENT_NOTICE_VERSION = "2025-1"
RETENTION_IP_DAYS = env_int("RETENTION_IP_DAYS", 90, minimum=1)
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 365 * 5, minimum=30)
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@consult.local")
# Where the accessibility statement asks people to report barriers.
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", "accessibility@consult.local")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "th")
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Bangkok")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "lang"

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Security (production) -----------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only in production: redirect plain HTTP, and tell browsers never to use it (HSTS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health and metrics probes come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies append to X-Forwarded-For in front of the ASGI server; the client's
# address is read that many entries from the right (consult/security.py client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0)
# Request size limits: every POST body (forms, JSON) and every uploaded file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)
# Any request body larger than this (files included) is refused with 413 before it is read.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 10 * 1024 * 1024, minimum=1024)
# Content Security Policy (consult/security.py): no inline script or style, no eval.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)

# --- Product settings ------------------------------------------------------------------------------
COMMENTS_PAGE_SIZE = env_int("COMMENTS_PAGE_SIZE", 20, minimum=5)
# Replies shown under each comment in a list; the whole thread has its own page.
COMMENTS_INLINE_REPLIES = 3
# How long after posting its author may still edit a comment (each edit is screened again).
COMMENT_EDIT_MINUTES = env_int("COMMENT_EDIT_MINUTES", 30, minimum=0)
COMMENTS_THREAD_PAGE_SIZE = 50
COMMENT_MAX_LENGTH = 5000
COMMENT_MAX_DEPTH = 3  # a comment, a reply, a reply to a reply
MIN_CONSULTATION_DAYS = 15
LIVE_VOTE_COALESCE_SECONDS = float(env_int("LIVE_VOTE_COALESCE_MS", 300, minimum=50)) / 1000

# Logs: text by default, one JSON object a line with LOG_FORMAT=json; both carry the request id.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "consult.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "consult.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
DEMO_DATA_DIR = Path(env_str("DEMO_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))
# How often each worker looks for due periodic jobs (consult/periodic.py).
PERIODIC_CHECK_SECONDS = env_int("PERIODIC_CHECK_SECONDS", 30, minimum=1)
# A task a worker claimed is failed when that worker has shown no sign of life for this long.
TASK_WORKER_STALE_SECONDS = env_int("TASK_WORKER_STALE_SECONDS", 120, minimum=10)
# Live events (comments.LiveEvent) older than this are pruned; an older page reloads instead.
LIVE_EVENTS_KEEP_DAYS = env_int("LIVE_EVENTS_KEEP_DAYS", 7, minimum=1)
# Other addresses serving the same WebSockets (e.g. "wss://live2.example.go.th"): a page whose
# connection drops tries them in turn after its own host (docs/operations.md).
LIVE_WEBSOCKET_ORIGINS = env_list("LIVE_WEBSOCKET_ORIGINS", [])
# /metrics answers only these addresses when set (else anyone who reaches the process: keep it
# off the public proxy, docs/operations.md).
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])

# The public record (records/): the checkpoint signing key (base64 of a 32-byte Ed25519 seed;
# `make run` writes a local one to var/), the log's name, how often to sign when it grew.
RECORDS_SIGNING_KEY = env_str("RECORDS_SIGNING_KEY", "")
RECORDS_SIGNING_KEY_FILE = Path(
    env_str("RECORDS_SIGNING_KEY_FILE", str(VAR_DIR / "records-signing.key"))
)
RECORDS_ORIGIN = env_str("RECORDS_ORIGIN", "")  # default: the host of SITE_URL + "/records"
RECORDS_CHECKPOINT_SECONDS = env_int("RECORDS_CHECKPOINT_SECONDS", 300, minimum=10)
# Keyed hash giving each participant a different pseudonym in each consultation's record.
RECORDS_PSEUDONYM_KEY = env_str("RECORDS_PSEUDONYM_KEY", "") or SECRET_KEY

# --- Notifications (notifications/) ---------------------------------------------------------------
# LINE Messaging API of an Official Account: off unless both are set.
LINE_CHANNEL_SECRET = env_str("LINE_CHANNEL_SECRET", "")
LINE_CHANNEL_ACCESS_TOKEN = env_str("LINE_CHANNEL_ACCESS_TOKEN", "")
LINE_API_BASE = env_str("LINE_API_BASE", "https://api.line.me")
# Pushes per calendar month (the plan's quota); beyond it notices go by e-mail.
LINE_MONTHLY_BUDGET = env_int("LINE_MONTHLY_BUDGET", 200, minimum=0)
