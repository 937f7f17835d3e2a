"""Django settings, derived from the registry in paperfeed.config (the only place settings are declared)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

from paperfeed import config

PAPERFEED = config.load()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR: Path = PAPERFEED["DATA_DIR"]


def _secret_key() -> str:
    if PAPERFEED["SECRET_KEY"]:
        return PAPERFEED["SECRET_KEY"]
    # A self-hosted install should not need a manual step for this: make one key and keep it.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = PAPERFEED["DEBUG"]
ALLOWED_HOSTS = PAPERFEED["ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = [PAPERFEED["SITE_URL"]]

# Served over https (PAPERFEED_SITE_URL says so): cookies only over https, and HSTS. Behind a reverse proxy the
# request reaches us as http; PROXY_SSL_HEADER names the header by which the proxy says it was https.
HTTPS = PAPERFEED["SITE_URL"].lower().startswith("https://")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = PAPERFEED["HSTS_SECONDS"] if HTTPS else 0
SECURE_SSL_REDIRECT = PAPERFEED["SSL_REDIRECT"]
if PAPERFEED["PROXY_SSL_HEADER"]:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PAPERFEED["PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only, no inline script
# or style, no plugins, no framing. Violations are reported to /csp-report and logged.
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
        "frame-src": ["'self'"],
        "report-uri": "/csp-report",
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "paperfeed.runtime",
    "paperfeed.papers",
    "paperfeed.accounts",
    "paperfeed.ingest",
    "paperfeed.search",
    "paperfeed.api",
    "paperfeed.feeds",
    "paperfeed.digests",
    "paperfeed.library",
    "paperfeed.recommend",
    "paperfeed.topics",
    "csp",
    "axes",
    "django_ratelimit",
    "ninja",  # only so /api/v1/docs serves django-ninja's bundled Swagger UI assets instead of a CDN's
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the middleware above, so cached pages get their security headers and CSRF cookie afresh.
    "paperfeed.runtime.page_cache.PageCacheMiddleware",
    "paperfeed.lib.middleware.ErrorMiddleware",
    "paperfeed.lib.middleware.RejectNulMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it turns a lock-out into its response
]

ROOT_URLCONF = "paperfeed.urls"
WSGI_APPLICATION = "paperfeed.wsgi.application"

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
                "paperfeed.lib.site.site",
            ],
        },
    }
]


def _database() -> dict:
    url = PAPERFEED["DATABASE_URL"]
    if url:
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        return db
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "paperfeed.sqlite3",
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; IMMEDIATE transactions take the write lock
            # up front so concurrent writers queue on busy_timeout instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        },
        # Tests use a file too, not shared-cache memory, so concurrency behaves as in production.
        "TEST": {"NAME": str(DATA_DIR / "test-paperfeed.sqlite3")},
    }


DATABASES = {"default": _database()}
# API rate-limit counters (paperfeed/api/ratelimit.py): the database cache is shared by every process on either
# database; its table is made by the api app's migrations.
_CACHES = {
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "paperfeed_cache"},
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
_CACHES["file"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": DATA_DIR / "page-cache",
}
for _name in ("CACHE", "PAGE_CACHE"):
    if PAPERFEED[_name] not in _CACHES:
        raise config.ConfigError(
            f"PAPERFEED_{_name}={PAPERFEED[_name]!r} is not valid: use one of {', '.join(_CACHES)}."
        )
# Cached pages (paperfeed/lib/page_cache.py): bounded in entries so a process's memory stays flat.
_PAGES = {**_CACHES[PAPERFEED["PAGE_CACHE"]], "KEY_PREFIX": "page", "OPTIONS": {"MAX_ENTRIES": 2000}}
CACHES = {"default": _CACHES[PAPERFEED["CACHE"]], "pages": _PAGES}
if PAPERFEED["CACHE_URL"]:
    if not PAPERFEED["CACHE_URL"].startswith(("redis://", "rediss://", "unix://")):
        raise config.ConfigError(
            f"PAPERFEED_CACHE_URL={PAPERFEED['CACHE_URL']!r} is not valid: use redis://host:port/db."
        )
    # Short socket timeouts: a Redis that is down or unreachable must cost a request milliseconds, not seconds.
    _REDIS = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": PAPERFEED["CACHE_URL"],
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
    CACHES = {"default": _REDIS, "pages": {**_REDIS, "KEY_PREFIX": "page"}}
# django-ratelimit's counters (accounts/throttle.py): always the database, whatever CACHE says, so the limits
# hold across processes; with an atomic increment, and room enough that culling never forgets a counter.
CACHES["ratelimit"] = {
    "BACKEND": "paperfeed.accounts.counter_cache.AtomicCounterDatabaseCache",
    "LOCATION": "paperfeed_ratelimit",
    "OPTIONS": {"MAX_ENTRIES": 1_000_000},
}
RATELIMIT_USE_CACHE = "ratelimit"
# The shared parts of listing entries (templates/papers/_entry.html) on the signed-in pages that render entries
# one by one (author, category, For you), and the topic pages' hub-wide counts (topics/stats.py): always this
# process's memory (no network, nothing to fail), keyed by what the part shows, so an entry never outlives a
# change to its paper on any host.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}
# Listing and trending content shared by every reader, with slots for each reader's controls
# (papers/shared_listing.py): this process's memory too, each entry checked against its papers on every use.
CACHES["listings"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 300}}
# django-ratelimit warns about any cache not on its list of memcached and redis backends, because Django's own
# database cache increments non-atomically; this one increments atomically (accounts/counter_cache.py, and
# tests/test_rate_limit_counts_hold_under_a_burst.py), so the warning does not apply.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: failed log-ins counted in the database per (username, IP address) pair, so a guesser is stopped
# without locking the owner out from their own address; a success clears that pair's count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = PAPERFEED["LOGIN_FAILURE_LIMIT"]
AXES_COOLOFF_TIME = timedelta(minutes=PAPERFEED["LOGIN_COOLOFF_MINUTES"])
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "paperfeed.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "paperfeed.accounts.lockout.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/papers"
LOGOUT_REDIRECT_URL = "/papers"

LANGUAGE_CODE = "en-us"
TIME_ZONE = PAPERFEED["TIME_ZONE"]
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request while it is missing
# Serve straight from the package too, so a process that skipped collectstatic (tests, `paperfeed runserver`)
# still has its CSS and JS.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

if PAPERFEED["EMAIL_HOST"]:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "paperfeed.runtime.outbox.EmailBackend"  # kept for reading at /outbox
EMAIL_HOST = PAPERFEED["EMAIL_HOST"] or "localhost"
EMAIL_PORT = PAPERFEED["EMAIL_PORT"]
EMAIL_HOST_USER = PAPERFEED["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = PAPERFEED["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = PAPERFEED["EMAIL_USE_TLS"]
DEFAULT_FROM_EMAIL = PAPERFEED["DEFAULT_FROM_EMAIL"]
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The embedding libraries log every model load at INFO ("Load pretrained SentenceTransformer", "Use
        # pytorch device"); paperfeed says what matters itself.
        "sentence_transformers": {"level": "WARNING"},
        "transformers": {"level": "WARNING"},
        "huggingface_hub": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "paperfeed.lib.error_views.csrf_failure"
