"""Settings shared by every environment.

Every variable the app reads is declared once in the schema below, with its type and
its default; `.env.example` documents them. Production differs from development only
through the environment.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
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
    REQUEST_MAX_BYTES=(int, 50 * 1024 * 1024),
    ATTACHMENT_MAX_BYTES=(int, 20 * 1024 * 1024),
    PHOTO_MAX_PIXELS=(int, 50_000_000),
    IMPORT_MAX_BYTES=(int, 5 * 1024 * 1024),
    IMPORT_MAX_ROWS=(int, 500),
    SECURE_HSTS_SECONDS=(int, 60 * 60 * 24 * 365),
    REPORT_RENDER_SECONDS=(float, 20.0),
    REPORT_DOWNLOADS_PER_TEN_MINUTES=(int, 30),
    RECIPIENT_RETENTION_YEARS=(int, 3),
    # Signing in (see "Signing in" below).
    AXES_FAILURE_LIMIT=(int, 5),
    AXES_COOLOFF_MINUTES=(int, 15),
    SESSION_COOKIE_AGE=(int, 10 * 60 * 60),
    SESSION_EXPIRE_AT_BROWSER_CLOSE=(bool, True),
    OTP_REQUIRED_FOR_SUPERUSERS=(bool, None),
    CACHE_URL=(str, "locmemcache://public-pages"),
    CACHE_KEY_PREFIX=(str, "cooperation"),
    # The admin's header (see "The admin's look" below).
    SOCIETY_LOGO=(str, ""),
    SOCIETY_LOGO_ALT=(str, ""),
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
    # Django's admin, on a site that can ask superusers for a second factor.
    "cooperation.signin.apps.SigninAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",  # only for its checks of the CONTENT_SECURITY_POLICY setting
    # The history of every record (cooperation/history.py); its templates are
    # overridden in templates/simple_history so that they read in vi, lo and en.
    "simple_history",
    "cooperation",
    "exchanges",
    "programs",
    "reporting",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # After cooperation: its failed-login receiver runs after the audit log's (see
    # cooperation/signin/audit.py).
    "axes",
]

MIDDLEWARE = [
    # First: a request too large is refused before anything reads its body.
    "cooperation.security.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cooperation.security.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reporting.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Each history row records the staff member whose request saved it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cooperation.signin.audit.ForbiddenAuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# django-axes first, refusing a locked-out username and address before any password
# is checked; then Django's model backend, refusing the demo login's published
# password when DEBUG is off (cooperation/auth.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "cooperation.auth.PublishedPasswordRefusingBackend",
]

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
# Uploaded files are served by reporting/attachments.py under this prefix, which
# checks publication and permission; nothing serves MEDIA_ROOT directly.
MEDIA_URL = "/files/"
MEDIA_ROOT = env("MEDIA_ROOT")
# Uploads (cooperation/uploads.py): a request larger than REQUEST_MAX_BYTES is
# refused before it is read (413); each file may be ATTACHMENT_MAX_BYTES; a photo
# may declare PHOTO_MAX_PIXELS and is stored at most PHOTO_LONGEST_SIDE pixels
# wide or high (a 24-megapixel camera photo becomes about 1 MB; a report of a
# year's photos stays quick to lay out).
REQUEST_MAX_BYTES = env("REQUEST_MAX_BYTES")
ATTACHMENT_MAX_BYTES = env("ATTACHMENT_MAX_BYTES")
PHOTO_MAX_PIXELS = env("PHOTO_MAX_PIXELS")
PHOTO_LONGEST_SIDE = 2560
# Spreadsheet imports (programs/imports/): the file uploaded, the rows of one sheet,
# and what an .xlsx may unpack to (its parts are zipped XML; a "zip bomb" declares
# gigabytes in a few kilobytes and is refused before anything is unpacked).
IMPORT_MAX_BYTES = env("IMPORT_MAX_BYTES")
IMPORT_MAX_ROWS = env("IMPORT_MAX_ROWS")
IMPORT_MAX_UNPACKED_BYTES = 20 * IMPORT_MAX_BYTES
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

# The admin's look (static/css/admin.css): the app's own name and colours, never the
# emblem, whose use is regulated. A society may show its own logo in the header: a
# static file (put it in static/img/ or another STATICFILES_DIRS folder before
# collectstatic), e.g. SOCIETY_LOGO=img/society-logo.png, with SOCIETY_LOGO_ALT
# the society's name as the logo writes it. Empty: the header shows text only.
SOCIETY_LOGO = env("SOCIETY_LOGO")
SOCIETY_LOGO_ALT = env("SOCIETY_LOGO_ALT")

# Signing in (README, "Signing in"). A username is locked at one address, not the
# address alone: two branches may share one office's public address.
AXES_FAILURE_LIMIT = env("AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env("AXES_COOLOFF_MINUTES"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "cooperation.security.client_ip"
AXES_LOCKOUT_CALLABLE = "cooperation.signin.site.signin_locked_out"
# The cool-off runs from the failure that locked, so the page can say how long is
# left; attempts during it are refused without counting. A success clears the count.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The audit log records sign-ins; axes keeps only the failures it counts, and an
# administrator unlocks with `manage.py axes_reset_username` (its admin pages are
# English only).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# A working day, counted from signing in; the session also ends when the browser
# closes (a shared office computer).
SESSION_COOKIE_AGE = env("SESSION_COOKIE_AGE")
SESSION_EXPIRE_AT_BROWSER_CLOSE = env("SESSION_EXPIRE_AT_BROWSER_CLOSE")
# Superusers sign in to the admin with a code from an authenticator app too
# (`manage.py otp_enrol <username>`). On unless set, wherever DEBUG is off.
OTP_REQUIRED_FOR_SUPERUSERS = env("OTP_REQUIRED_FOR_SUPERUSERS")
if OTP_REQUIRED_FOR_SUPERUSERS is None:
    OTP_REQUIRED_FOR_SUPERUSERS = not DEBUG
OTP_TOTP_ISSUER = "Red Cross cooperation"

# One line per sign-in event, refusal and staff export, to stderr with a UTC time:
# 2026-11-28T23:40:00Z WARNING cooperation.audit event=login_failed user=… ip=… …
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "utc": {
            "()": "cooperation.signin.log_format.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"audit": {"class": "logging.StreamHandler", "formatter": "utc"}},
    "loggers": {
        "cooperation.audit": {
            "handlers": ["audit"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

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

# Public report downloads per client address in ten minutes; past it, a 429 page
# says when to try again (cooperation/ratelimit.py). A report writer fetching one
# year in every format and language needs 12; 30 leaves room for two years and
# some retries, or a few colleagues behind one office address, while a script
# asking for PDFs (seconds of work each, when not cached) is held to three a
# minute. Counted per process unless CACHE_URL names a shared cache. 0 turns the
# limit off. Staff downloads from the admin are never limited.
REPORT_DOWNLOADS_PER_TEN_MINUTES = env("REPORT_DOWNLOADS_PER_TEN_MINUTES")

# Full years a distribution's recipient list keeps its personal details after the
# distribution's last day; `manage.py anonymise_recipients` then erases them, in the
# history too, and keeps sex and age band for the counts (programs/retention.py).
# Three: the year itself, the next one in which both parties confirm it and
# exchange results, and one more for questions and audits. The signed paper lists
# stay in each branch's own archive under its own rules; this copy exists to count
# and to answer within the reporting cycle, and holds children's data.
RECIPIENT_RETENTION_YEARS = env("RECIPIENT_RETENTION_YEARS")

# Content-Security-Policy on every response, in every environment (the browser tests
# run with it): scripts, styles and images from our own origin only. No
# 'unsafe-inline' anywhere: our templates carry no inline script, event handler or
# style attribute, and neither do Django 5.2's admin templates (their page data is
# in <script type="application/json">, which is never run; their scripts set
# element.style, which a policy does not govern). tests/browser/ drives the admin
# under this policy. data: images only for base.html's empty favicon (`data:,`).
# The middleware leaves alone a response that already has the header, so a view
# with a stricter policy of its own (an uploaded attachment: "default-src 'none';
# sandbox") keeps it; tests/test_content_security_policy.py holds it to that.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
