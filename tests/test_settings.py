"""Settings as a fresh process reads them from the environment.

Each test starts Python anew: settings are read once per process, and this process has
already read the test settings (which put DEBUG, SECRET_KEY and more into os.environ).
"""

import ast
import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PROJECT_ROOT = settings.BASE_DIR
# Everything config/settings/base.py and config/gunicorn.py read, so that nothing
# leaks from this process.
SETTINGS_VARIABLES = (
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "TIME_ZONE",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "TRUST_X_FORWARDED_PROTO",
    "REPORT_RENDER_SECONDS",
    "CACHE_URL",
    "CACHE_KEY_PREFIX",
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
    "ENV_FILE",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "OTP_REQUIRED_FOR_SUPERUSERS",
    "SOCIETY_LOGO",
    "SOCIETY_LOGO_ALT",
    "RECIPIENT_RETENTION_YEARS",
)
PRODUCTION = "config.settings.production"


def clean_env(**variables):
    """This process's environment without any setting, plus `variables`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES
    }
    env["ENV_FILE"] = os.devnull
    env.update(variables)
    return env


def run(args, **variables):
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=clean_env(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides):
    return {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.org",
    } | overrides


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_load_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = run(["-c", f"import {PRODUCTION}"], **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_load_without_allowed_hosts():
    env = production_env()
    del env["ALLOWED_HOSTS"]

    result = run(["-c", f"import {PRODUCTION}"], **env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_settings_refuse_to_load_with_debug_on():
    result = run(["-c", f"import {PRODUCTION}"], **production_env(DEBUG="true"))

    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_manage_py_check_fails_loudly_without_a_secret_key_in_production():
    env = production_env()
    del env["SECRET_KEY"]

    result = run(["manage.py", "check", "--deploy"], **env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PRINT_BASE_SETTINGS = (
    "import config.settings.base as s; "
    "print(repr(s.SECRET_KEY)); print(s.DEBUG); print(s.ALLOWED_HOSTS)"
)


def test_base_settings_have_no_secret_key_or_hosts_when_debug_is_unset():
    result = run(["-c", PRINT_BASE_SETTINGS])

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["''", "False", "[]"]


def test_base_settings_fall_back_to_a_development_key_only_with_debug_on():
    result = run(["-c", PRINT_BASE_SETTINGS], DEBUG="true")

    secret_key, debug, _hosts = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert secret_key.startswith("'django-insecure-")
    assert debug == "True"


def test_base_settings_take_the_secret_key_from_the_environment():
    result = run(["-c", PRINT_BASE_SETTINGS], SECRET_KEY="from-the-environment")

    assert result.stdout.splitlines()[0] == "'from-the-environment'"


PRINT_REPORT_DEADLINE = (
    "import config.settings.base as s; print(repr(s.REPORT_RENDER_SECONDS))"
)


def test_report_deadline_defaults_to_twenty_seconds():
    result = run(["-c", PRINT_REPORT_DEADLINE])

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "20.0"


def test_report_deadline_takes_fractions_of_a_second_from_the_environment():
    result = run(["-c", PRINT_REPORT_DEADLINE], REPORT_RENDER_SECONDS="7.5")

    assert result.stdout.strip() == "7.5"


FORWARDED_HTTPS = (
    "import django; django.setup(); "
    "from django.test import RequestFactory; "
    "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
)


def test_a_forwarded_https_header_is_not_believed_from_anyone_by_default():
    # Whoever reaches gunicorn directly could send it; gunicorn itself believes it
    # only from --forwarded-allow-ips.
    result = run(["-c", FORWARDED_HTTPS], **production_env())
    assert result.stdout.strip() == "False", result.stderr


def test_a_forwarded_https_header_is_believed_when_only_the_proxy_can_send_it():
    result = run(
        ["-c", FORWARDED_HTTPS], **production_env(TRUST_X_FORWARDED_PROTO="true")
    )
    assert result.stdout.strip() == "True", result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health/", "/admin/login/"])
def test_every_response_denies_the_browser_features_nothing_uses(client, path):
    from cooperation.security import PERMISSIONS_POLICY

    response = client.get(path)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY


PRINT_UPGRADE = (
    "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY"
    "['DIRECTIVES'].get('upgrade-insecure-requests', False))"
)


@pytest.mark.parametrize("redirect, upgrade", [("true", "True"), ("false", "False")])
def test_production_policy_upgrades_http_addresses_only_where_https_is_required(
    redirect, upgrade
):
    result = run(
        ["-c", "import django; django.setup(); " + PRINT_UPGRADE],
        **production_env(SECURE_SSL_REDIRECT=redirect),
    )
    assert result.stdout.strip() == upgrade, result.stderr


PRINT_CACHES = "import config.settings.base as s; print(repr(s.CACHES['default']))"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def test_each_process_keeps_its_own_cached_pages_by_default():
    result = run(["-c", PRINT_CACHES])

    assert ast.literal_eval(result.stdout) == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "KEY_PREFIX": "cooperation",
    }, result.stderr


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/1", "rediss://:secret@cache.example.org:6380/2"]
)
def test_a_redis_cache_url_uses_djangos_redis_backend_with_short_timeouts(url):
    result = run(["-c", PRINT_CACHES], CACHE_URL=url, CACHE_KEY_PREFIX="staging")

    assert ast.literal_eval(result.stdout) == {
        "BACKEND": REDIS_CACHE,
        "LOCATION": url,
        "KEY_PREFIX": "staging",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }, result.stderr


def test_a_redis_cache_url_can_set_the_clients_own_options():
    result = run(
        ["-c", PRINT_CACHES], CACHE_URL="redis://127.0.0.1:6379/1?socket_timeout=2"
    )

    options = ast.literal_eval(result.stdout)["OPTIONS"]
    assert options == {"socket_connect_timeout": 0.5, "socket_timeout": 2}


def test_an_unknown_cache_url_scheme_stops_the_settings_from_loading():
    result = run(["-c", PRINT_CACHES], CACHE_URL="memcached-typo://127.0.0.1:11211")

    assert result.returncode != 0
    assert "Invalid cache schema memcached-typo" in result.stderr


PRINT_GUNICORN = (
    "import runpy; c = runpy.run_path('config/gunicorn.py'); "
    "print(repr((c['bind'], c['workers'], c['forwarded_allow_ips'], c['timeout'])))"
)


def test_make_serve_listens_on_loopback_with_two_workers_a_core_and_one_more():
    result = run(["-c", PRINT_GUNICORN])

    expected_workers = min(2 * os.cpu_count() + 1, 8)
    assert ast.literal_eval(result.stdout) == (
        "127.0.0.1:8000",
        expected_workers,
        "127.0.0.1,::1",
        30,
    ), result.stderr


def test_make_serve_takes_its_address_workers_and_proxies_from_the_environment():
    result = run(
        ["-c", PRINT_GUNICORN],
        GUNICORN_BIND="10.0.0.12:8000",
        WEB_CONCURRENCY="3",
        FORWARDED_ALLOW_IPS="10.0.0.2",
    )

    assert ast.literal_eval(result.stdout)[:3] == ("10.0.0.12:8000", 3, "10.0.0.2")


def test_the_access_log_keeps_no_query_string_and_no_referrer():
    """An admin search puts what was typed in the address (`?q=` a recipient's
    name): gunicorn's line keeps the path only."""
    config = runpy.run_path(str(PROJECT_ROOT / "config" / "gunicorn.py"))
    typed = "q=Zyxwa+Quorrelby"
    atoms = {
        "h": "203.0.113.5",
        "l": "-",
        "u": "-",
        "t": "[29/Nov/2026:09:00:00 +0700]",
        "m": "GET",
        "U": "/admin/programs/recipient/",
        "q": typed,
        "r": f"GET /admin/programs/recipient/?{typed} HTTP/1.1",
        "H": "HTTP/1.1",
        "s": "200",
        "b": "5120",
        "f": f"https://cooperation.example.org/admin/programs/recipient/?{typed}",
        "a": "Mozilla/5.0",
    }

    line = config["access_log_format"] % atoms

    assert '"GET /admin/programs/recipient/ HTTP/1.1" 200' in line
    assert "Zyxwa" not in line
