"""Settings shared by every environment.

Every variable the app reads is declared once in the schema below, with its type and
its default; `.env.example` documents them. Production differs from development only
through the environment.
"""

from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, []),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, ""),
    TIME_ZONE=(str, "Asia/Ho_Chi_Minh"),
    MEDIA_ROOT=(str, str(BASE_DIR / "var" / "media")),
    STATIC_ROOT=(str, str(BASE_DIR / "var" / "static")),
    SECURE_SSL_REDIRECT=(bool, True),
    TRUST_X_FORWARDED_PROTO=(bool, False),
    TRUSTED_PROXY_COUNT=(int, 0),
    SECURE_HSTS_SECONDS=(int, 60 * 60 * 24 * 365),
    REPORT_RENDER_SECONDS=(float, 20.0),
    CACHE_URL=(str, "locmemcache://public-pages"),
    CACHE_KEY_PREFIX=(str, "cooperation"),
)

# An optional .env beside manage.py; real environment variables win over it.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
if Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env("DEBUG")

# Development defaults exist only while DEBUG is on; without DEBUG a missing secret or
# host list is a configuration error, not a silent fallback.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"
SECRET_KEY = env("SECRET_KEY") or (_DEVELOPMENT_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env("ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "cooperation",
    "exchanges",
    "programs",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cooperation.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reporting.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.media",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in a git-ignored folder needs no setup; PostgreSQL comes through DATABASE_URL.
_SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASES = {
    "default": env.db_url_config(env("DATABASE_URL"))
    if env("DATABASE_URL")
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": _SQLITE_PATH}
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
# Reusing a connection saves a connect per request: a cached page is one query.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Languages: Vietnamese first (the branch that keeps the records), English, Lao.
# Django's model backend, refusing the demo login's published password when DEBUG
# is off (cooperation/auth.py).
AUTHENTICATION_BACKENDS = ["cooperation.auth.PublishedPasswordRefusingBackend"]

LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("lo", _("Lao")),
]
# Django ships no Lao at all: without this entry get_language_info("lo") raises
# KeyError, and so does the {% get_language_info %} tag that language menus use.
LANG_INFO.setdefault(
    "lo", {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ລາວ"}
)
# The project's own catalogue first (makemessages writes there, and it wins on a shared
# msgid); then Lao for Django's own strings (admin, auth, forms, dates), which Django
# does not ship: without it a Lao user's admin falls back to LANGUAGE_CODE, Vietnamese.
# See locale/django/update.py.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env("MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# How many proxies of ours add to X-Forwarded-For in front of the app (0: none, so
# the client's address is REMOTE_ADDR). See cooperation.security.client_ip.
TRUSTED_PROXY_COUNT = env("TRUSTED_PROXY_COUNT")

# Public pages are cached whole and retired by ContentVersion when data changes;
# the timeout only bounds memory. A per-process memory cache needs no service;
# CACHE_URL (e.g. redis://127.0.0.1:6379/1) shares one cache between processes.
# redis:// and rediss:// go to Django's own RedisCache with redis-py, named here
# because django-environ would pick django-redis instead were it ever installed.
# A Redis that stops answering is given up on after half a second per call, not
# a hung worker, and the page is rendered uncached (reporting/page_cache.py). The
# prefix keeps two sites that share one Redis apart.
_CACHE_URL = env("CACHE_URL") or "locmemcache://public-pages"
_CACHE_IS_REDIS = _CACHE_URL.partition("://")[0] in ("redis", "rediss")
CACHES = {
    "default": env.cache_url_config(
        _CACHE_URL,
        backend="django.core.cache.backends.redis.RedisCache"
        if _CACHE_IS_REDIS
        else None,
    )
}
if _CACHE_IS_REDIS:
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
    } | CACHES["default"].get("OPTIONS", {})
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX")
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=60 * 60)

# A report download that takes longer is stopped with a "try again" page, so that
# it cannot hold a worker (see reporting/report/deadline.py). The demo's 2022 PDF,
# photos included, takes about 6 seconds on a development machine; 20 leaves room
# for a fuller year on a slower server and stops well before gunicorn's own
# 30-second timeout would kill the worker without an answer. 0 turns the deadline
# off. The export_report command is never limited.
REPORT_RENDER_SECONDS = env("REPORT_RENDER_SECONDS")
