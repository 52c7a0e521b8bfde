"""Production: everything secret or site-specific comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CONTENT_SECURITY_POLICY,
    DEBUG,
    LOGGING,
    SECRET_KEY,
    env,
)

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production settings.")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS in the environment.")

# Whether a request came over HTTPS. By default the server says: gunicorn sets the
# scheme from X-Forwarded-Proto only for the proxies in --forwarded-allow-ips
# (127.0.0.1 unless told otherwise). Trusting the header here instead would believe
# it from anyone who reaches the app directly; set TRUST_X_FORWARDED_PROTO only
# when nothing but the proxy can.
if env("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Where the app itself insists on HTTPS, a stray http:// address in a page is
# fetched over HTTPS too rather than refused. Not in base: the development server
# speaks plain HTTP.
if SECURE_SSL_REDIRECT:
    CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "upgrade-insecure-requests": True,
        }
    }

# Base's audit log (cooperation.audit) kept, everything else to the console too.
LOGGING = {
    **LOGGING,
    "handlers": {**LOGGING["handlers"], "console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # WeasyPrint and fontTools narrate every PDF step at INFO.
    "loggers": {
        **LOGGING["loggers"],
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
