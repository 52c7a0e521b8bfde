"""Two app servers behind one PostgreSQL and one Redis share their cached pages.

Two gunicorn processes with production settings (and `config/gunicorn.py`, as
`make serve` runs them) on loopback ports, a throwaway PostgreSQL database with the
demo agreement, and CACHE_URL pointing at the Redis on 127.0.0.1:6379 under a key
prefix of this run's own. Requests carry one Host header, as a reverse proxy in
front of both sends: the host is part of a page's cache key.

Runs where DATABASE_URL is PostgreSQL (the second pass of `.ci/run`) and Redis
answers; skipped otherwise.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import environ
import psycopg2
import pytest
import redis
from django.conf import settings

from reporting.demo import AGREEMENT_SLUG

pytestmark = pytest.mark.two_servers

ROOT = settings.BASE_DIR
REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "cooperation.test"
YEAR_PAGE = f"/en/agreements/{AGREEMENT_SLUG}/2022/"
SERVER_START_SECONDS = 60


def postgres_url_or_skip():
    url = os.environ.get("DATABASE_URL", "")
    if urlparse(url).scheme not in ("postgres", "postgresql", "pgsql"):
        pytest.skip("needs PostgreSQL: DATABASE_URL is not a postgres:// URL")
    return url


def redis_or_skip():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {REDIS_URL}: {error}")
    return client


def postgres_admin_execute(url, statement):
    """`statement` run on the server of `url`, outside a transaction (as CREATE
    DATABASE must be), from its `postgres` database."""
    config = environ.Env.db_url_config(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def database_url():
    """A fresh PostgreSQL database of this run's own, dropped afterwards."""
    url = postgres_url_or_skip()
    name = f"two_servers_{secrets.token_hex(6)}"
    postgres_admin_execute(url, f"CREATE DATABASE {name}")
    try:
        yield urlparse(url)._replace(path=f"/{name}").geturl()
    finally:
        postgres_admin_execute(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def shared_cache():
    """The Redis the servers share, and the key prefix of this run's entries."""
    client = redis_or_skip()
    prefix = f"two-servers-{secrets.token_hex(6)}"
    yield client, prefix
    keys_delete(client, prefix)


def keys_of(client, prefix):
    return sorted(client.scan_iter(match=f"{prefix}:*"))


def keys_delete(client, prefix):
    for key in keys_of(client, prefix):
        client.delete(key)


@pytest.fixture(scope="module")
def site_env(shared_cache, database_url, tmp_path_factory):
    """The environment of every app process: production settings, nothing from
    this process's own settings or a developer's .env."""
    _client, prefix = shared_cache
    work = tmp_path_factory.mktemp("two-servers")
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    }
    return inherited | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ENV_FILE": os.devnull,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
    }


def python(env, *args):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stderr}"
    return result.stdout


def manage(env, *args):
    return python(env, "manage.py", *args)


# collectstatic with Django's manifest storage, without the compressed copies
# WhiteNoise's storage adds: those take half a minute on two cores, and nothing
# here depends on them (the servers find every file in the same manifest).
COLLECTSTATIC_UNCOMPRESSED = """
import django
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

django.setup()
manifest = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
storages = settings.STORAGES | {"staticfiles": {"BACKEND": manifest}}
with override_settings(STORAGES=storages):
    call_command("collectstatic", interactive=False, verbosity=0)
"""


@pytest.fixture(scope="module")
def site(site_env):
    """The demo agreement in the database, the static files collected."""
    manage(site_env, "migrate", "--noinput")
    manage(site_env, "load_demo")
    python(site_env, "-c", COLLECTSTATIC_UNCOMPRESSED)
    return site_env


class Server:
    """One gunicorn, listening on a loopback port the kernel chose."""

    def __init__(self, env, log_path):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config=config/gunicorn.py",
                    f"--bind=fd://{self.listener.fileno()}",
                    "--workers=1",
                    # gunicorn's control socket has one default path per user.
                    "--no-control-socket",
                    "config.wsgi",
                ],
                cwd=ROOT,
                env=env,
                pass_fds=[self.listener.fileno()],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.listener.close()

    def get(self, path):
        """(status, X-Page-Cache, body) of a GET as the proxy would send it."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Host": HOST}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["X-Page-Cache"], response.read()

    def wait_until_ready(self):
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log()}")
            try:
                if self.get("/health/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(
            f"gunicorn did not answer in {SERVER_START_SECONDS} s:\n{self.log()}"
        )

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="module")
def servers(site, tmp_path_factory):
    """Servers A and B, stopped when the module's tests are done or have failed."""
    logs = tmp_path_factory.mktemp("gunicorn-logs")
    started = []
    try:
        for name in ("a", "b"):
            started.append(Server(site, logs / f"{name}.log"))
        for server in started:
            server.wait_until_ready()
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def cache_keys(shared_cache):
    """Each test starts with no page of this run in Redis; returns a key counter."""
    client, prefix = shared_cache
    keys_delete(client, prefix)
    return lambda: keys_of(client, prefix)


def programme_retitle(env, title):
    """The first 2022 programme of the demo agreement renamed, through the ORM,
    from a process of its own, as a staff member's edit in the admin would be."""
    manage(
        env,
        "shell",
        "--command",
        "from programs.models import JointProgram; "
        "programme = JointProgram.objects.filter("
        f"agreement__slug={AGREEMENT_SLUG!r}, year=2022).order_by('pk').first(); "
        f"programme.title_en = {title!r}; programme.save()",
    )


def test_a_page_rendered_by_one_server_is_served_by_the_other_from_redis(
    servers, cache_keys
):
    server_a, server_b = servers

    status_a, source_a, page_a = server_a.get(YEAR_PAGE)
    keys_after_a = cache_keys()
    status_b, source_b, page_b = server_b.get(YEAR_PAGE)

    assert (status_a, source_a) == (200, "miss")
    assert len(keys_after_a) == 1
    assert (status_b, source_b) == (200, "hit")
    assert page_b == page_a
    assert cache_keys() == keys_after_a


@pytest.mark.usefixtures("cache_keys")
def test_a_changed_record_shows_on_both_servers_at_once(site, servers):
    server_a, server_b = servers
    old_title, new_title = "Before the edit", f"After the edit {secrets.token_hex(4)}"
    programme_retitle(site, old_title)
    server_a.get(YEAR_PAGE)
    assert old_title.encode() in server_b.get(YEAR_PAGE)[2]

    programme_retitle(site, new_title)
    status_b, source_b, page_b = server_b.get(YEAR_PAGE)
    status_a, source_a, page_a = server_a.get(YEAR_PAGE)

    assert (status_b, source_b) == (200, "miss")  # the old entry is not served
    assert (status_a, source_a) == (200, "hit")  # B's new entry is
    for page in (page_a, page_b):
        assert new_title.encode() in page
        assert old_title.encode() not in page
    assert page_a == page_b


@pytest.mark.parametrize(
    "path", ["/", f"/agreements/{AGREEMENT_SLUG}/", f"/lo{YEAR_PAGE[3:]}", YEAR_PAGE]
)
@pytest.mark.usefixtures("cache_keys")
def test_both_servers_render_the_same_page(servers, shared_cache, path):
    client, prefix = shared_cache
    server_a, server_b = servers

    status_a, source_a, page_a = server_a.get(path)
    keys_delete(client, prefix)
    status_b, source_b, page_b = server_b.get(path)

    assert (status_a, source_a) == (status_b, source_b) == (200, "miss")
    assert page_a == page_b
