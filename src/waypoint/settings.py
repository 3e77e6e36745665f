"""The one settings module. Everything that differs between machines comes from the environment.

| variable                      | default                                   |
|-------------------------------|-------------------------------------------|
| WAYPOINT_HOME                 | the user's data directory (platformdirs)  |
| DATABASE_URL                  | sqlite:///$WAYPOINT_HOME/waypoint.sqlite3 |
| WAYPOINT_DEBUG                | 0                                         |
| WAYPOINT_SECRET_KEY           | required for DATABASE_URL; else keys.json |
| WAYPOINT_DATA_KEYS            | the same (Fernet)                         |
| WAYPOINT_ALLOWED_HOSTS        | 127.0.0.1,localhost                       |
| WAYPOINT_CSRF_TRUSTED_ORIGINS | (none)                                    |
| WAYPOINT_HTTPS                | 1 unless debug: secure cookies, HSTS      |
| WAYPOINT_TRUSTED_PROXIES      | 127.0.0.1,::1: whose X-Forwarded-* count  |
| WAYPOINT_TIME_ZONE            | Europe/Moscow                             |
| WAYPOINT_LANGUAGE             | en (ru available)                         |
| WAYPOINT_SESSION_IDLE_MINUTES | 30                                        |
| WAYPOINT_REQUIRE_2FA          | 0: staff must use TOTP when 1             |
| WAYPOINT_LOGIN_MAX_FAILURES   | 5 failures per WAYPOINT_LOGIN_LOCKOUT_MINUTES (15) |
| WAYPOINT_UPLOAD_MAX_MB        | 10                                        |
| WAYPOINT_DUPLICATE_CHECKS_PER_HOUR | 100 per person                       |
| WAYPOINT_HEALTHZ_WAIT_MS      | 5000: /healthz's wait for a write         |
| WAYPOINT_ANALYTICS_REFRESH_MINUTES | 15: analytics figures kept this long |
| WAYPOINT_REDIS_URL            | (none: the caches live in the database)   |
| WAYPOINT_CACHE_PREFIX         | waypoint: the caches' key prefix          |
| WAYPOINT_CONN_MAX_AGE         | 60: seconds a database connection is kept |
| WAYPOINT_WORKERS              | cores: `waypoint serve`'s worker processes |
| WAYPOINT_EMAIL_HOST           | (none: mail goes to the console); _PORT, _USER, _PASSWORD |
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from waypoint.kit.local_keys import embedded_keys, is_embedded
from waypoint.kit.proxy import parse_networks

DEVELOPMENT_SECRET_KEY = "waypoint-development-key-never-use-in-production"  # noqa: S105


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
WAYPOINT_HOME = Path(os.environ.get("WAYPOINT_HOME") or platformdirs.user_data_dir("waypoint"))

DEBUG = _flag("WAYPOINT_DEBUG", False)

# The embedded default (SQLite in WAYPOINT_HOME) keeps keys generated once in that directory;
# any other database needs them from the environment (waypoint.kit.local_keys).
EMBEDDED_DATABASE = is_embedded(os.environ.get("DATABASE_URL"), WAYPOINT_HOME)
_keys_missing = not (os.environ.get("WAYPOINT_SECRET_KEY") and os.environ.get("WAYPOINT_DATA_KEYS"))
# Read (and on first use written) only when the environment leaves a key out.
_embedded_keys = embedded_keys(WAYPOINT_HOME) if EMBEDDED_DATABASE and _keys_missing else {}

SECRET_KEY = os.environ.get("WAYPOINT_SECRET_KEY", "") or _embedded_keys.get("secret_key", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "WAYPOINT_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set WAYPOINT_DEBUG=1 to use the development key on your own machine."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif SECRET_KEY == DEVELOPMENT_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "WAYPOINT_SECRET_KEY is the development key; set a key of your own in production."
    )

# Fernet keys that seal well-being answers and clinical notes at rest, newest first: put a new
# key in front, run `waypoint wellbeing rotate-key`, then drop the old one.
WAYPOINT_DATA_KEYS = _list("WAYPOINT_DATA_KEYS", _embedded_keys.get("data_key", ""))
if not WAYPOINT_DATA_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "WAYPOINT_DATA_KEYS is not set. Set it to a Fernet key (python -c 'from "
            "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'), "
            "or set WAYPOINT_DEBUG=1 to use a development key on your own machine."
        )
    WAYPOINT_DATA_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"waypoint-development-data-key").digest()).decode()
    ]

ALLOWED_HOSTS = _list("WAYPOINT_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _list("WAYPOINT_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "waypoint.web.apps.WaypointTasksConfig",
    "waypoint.kit",
    "waypoint.regions",
    "waypoint.accounts",
    "waypoint.audit",
    "waypoint.shared",
    "waypoint.people",
    "waypoint.taxonomy",
    "waypoint.crosswalk",
    "waypoint.orientation",
    "waypoint.training",
    "waypoint.employment",
    "waypoint.leadership",
    "waypoint.cases",
    "waypoint.appeals",
    "waypoint.wellbeing",
    "waypoint.analytics",
    "waypoint.web",
    # After web: web's admin/base_site.html dresses the admin as the product.
    "waypoint.web.apps.WaypointAdminConfig",
    "waypoint.api",
]

MIDDLEWARE = [
    "waypoint.kit.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waypoint.kit.nostore.NoStoreMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "waypoint.api.errors.JsonMethodNotAllowed",
    "waypoint.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is chosen: a page's refusal is in the person's language.
    "waypoint.web.middleware.RefuseNulCharacters",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "waypoint.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "waypoint.urls"
# ninja's limit and offset, bounded (an unbounded one failed in the database).
NINJA_PAGINATION_CLASS = "waypoint.kit.api.Pages"
CSRF_FAILURE_VIEW = "waypoint.api.errors.csrf_failure"
WSGI_APPLICATION = "waypoint.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "waypoint.web.context_processors.navigation",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    # A local install keeps its database and static files under WAYPOINT_HOME.
    (WAYPOINT_HOME / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{WAYPOINT_HOME / 'waypoint.sqlite3'}",
        # Seconds a worker thread keeps its connection between requests (0: one per request,
        # for a pooler such as PgBouncer in transaction mode); checked before reuse.
        conn_max_age=_int("WAYPOINT_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend plus a flush that append-only tables let through (kit/sqlite).
    DATABASES["default"]["ENGINE"] = "waypoint.kit.sqlite"
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = ["waypoint.accounts.backends.ThrottledModelBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Idle timeout: every request pushes the expiry forward.
SESSION_COOKIE_AGE = _int("WAYPOINT_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

WAYPOINT_REQUIRE_2FA = _flag("WAYPOINT_REQUIRE_2FA", False)
WAYPOINT_LOGIN_MAX_FAILURES = _int("WAYPOINT_LOGIN_MAX_FAILURES", 5)
WAYPOINT_LOGIN_LOCKOUT_MINUTES = _int("WAYPOINT_LOGIN_LOCKOUT_MINUTES", 15)
WAYPOINT_UPLOAD_MAX_BYTES = _int("WAYPOINT_UPLOAD_MAX_MB", 10) * 1024 * 1024
# Intake's duplicate check searches the whole registry: a few per intake, never a search engine.
WAYPOINT_DUPLICATE_CHECKS_PER_HOUR = _int("WAYPOINT_DUPLICATE_CHECKS_PER_HOUR", 100)
# /healthz calls the database down when a write waits longer than this. On SQLite a write may
# wait a second or more while an import runs (the lock is not handed out fairly) and still go
# through; requests give up after 20 s.
WAYPOINT_HEALTHZ_WAIT_MS = _int("WAYPOINT_HEALTHZ_WAIT_MS", 5000)
DATA_UPLOAD_MAX_MEMORY_SIZE = WAYPOINT_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = WAYPOINT_UPLOAD_MAX_BYTES

HTTPS = _flag("WAYPOINT_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# The TLS proxy's addresses (or networks): only their X-Forwarded-For and X-Forwarded-Proto are
# believed (waypoint.kit.proxy), so the scheme is never taken from any client's word.
WAYPOINT_TRUSTED_PROXIES = _list("WAYPOINT_TRUSTED_PROXIES", "127.0.0.1,::1")
try:
    parse_networks(WAYPOINT_TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(
        f"WAYPOINT_TRUSTED_PROXIES must list IP addresses or networks: {error}"
    ) from None
# Scripts only from this site (htmx and web/waypoint.js), never inline, never eval; styles
# from this site plus style attributes (bars and charts size themselves with them).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = os.environ.get("WAYPOINT_LANGUAGE", "en")
LANGUAGES = [("en", "English"), ("ru", "Русский")]
# Day-first English dates (waypoint/formats/en); Russian ones are Django's own.
FORMAT_MODULE_PATH = ["waypoint.formats"]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"WAYPOINT_LANGUAGE must be one of en, ru, not {LANGUAGE_CODE!r}")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("WAYPOINT_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = WAYPOINT_HOME / "static"
# Without a collectstatic run (the demo, the tests) WhiteNoise serves from the app folders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = WAYPOINT_HOME / "media"

if os.environ.get("WAYPOINT_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["WAYPOINT_EMAIL_HOST"],
                "port": _int("WAYPOINT_EMAIL_PORT", 587),
                "username": os.environ.get("WAYPOINT_EMAIL_USER", ""),
                "password": os.environ.get("WAYPOINT_EMAIL_PASSWORD", ""),
                "use_tls": True,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("WAYPOINT_FROM_EMAIL", "waypoint@localhost")

# "default" runs a task at once, in the process that enqueues it (requests, tests, commands).
# "database" is the queue in the database that `waypoint worker` runs (docs/operations.md).
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# Analytics figures are kept for this many minutes in the shared cache; 0 computes every time.
WAYPOINT_ANALYTICS_REFRESH_MINUTES = int(os.environ.get("WAYPOINT_ANALYTICS_REFRESH_MINUTES", "15"))
# Every cache is shared by every process on every machine, so no answer depends on which one
# served it: Redis when WAYPOINT_REDIS_URL is set, else tables in the database (created after
# every migrate, waypoint.kit.apps). WAYPOINT_CACHE_PREFIX keeps installations (or test runs)
# that share one Redis apart. docs/operations.md says what is cached where.
WAYPOINT_REDIS_URL = os.environ.get("WAYPOINT_REDIS_URL", "")
WAYPOINT_CACHE_PREFIX = os.environ.get("WAYPOINT_CACHE_PREFIX", "waypoint")
if WAYPOINT_REDIS_URL:
    CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": WAYPOINT_REDIS_URL,
            "KEY_PREFIX": f"{WAYPOINT_CACHE_PREFIX}:{name}",
        }
        for name in ("default", "analytics")
    }
else:
    CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": f"waypoint_cache_{name}",
            "KEY_PREFIX": f"{WAYPOINT_CACHE_PREFIX}:{name}",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
        for name in ("default", "analytics")
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
