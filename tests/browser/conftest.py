"""Playwright driving Debian's chromium against pytest-django's live server.

The browser is the one apt installs at /usr/bin/chromium; Playwright's own browser
downloads are never used. Where chromium or the Python packages are missing, every
test marked `browser` is skipped with the reason, so the suite still runs.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-background-networking",
]
# Screenshots for a person to look at; not compared, not committed.
SCREENSHOTS = Path("/tmp/browser-shots")
DESKTOP = {"width": 1280, "height": 900}


def _unavailable_reason():
    if not os.access(CHROMIUM, os.X_OK):
        return f"no browser at {CHROMIUM} (apt-get install chromium)"
    try:
        import axe_playwright_python.sync_playwright  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[dev]')"
    return None


UNAVAILABLE = _unavailable_reason()


def pytest_collection_modifyitems(config, items):
    if UNAVAILABLE is None:
        return
    skip = pytest.mark.skip(reason=f"browser tests skipped: {UNAVAILABLE}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="module", autouse=True)
def _migration_records_put_back(django_db_setup, django_db_blocker):
    """Once the module is done, leave the database as the migrations made it.

    The live server reads through its own connection, so a browser test commits,
    and pytest-django empties every table after it: the records the migrations
    made (staff groups, the content version) are gone. In one process that is
    harmless, as pytest-django runs these tests after every other database test;
    but a pytest-xdist worker runs whatever file it is given next, and
    test_commands.py then found no "Data entry" group.

    serialized_rollback cannot help here: it reads the serialized records from
    the connection object that created the test database, but under Playwright's
    sync API the test sees another one (asgiref's Local follows the context), so
    its flush neither reloads nor keeps them. This fixture serializes them
    itself, before the first test, and puts them back after the last one.
    """
    with django_db_blocker.unblock():
        records = {
            alias: connections[alias].creation.serialize_db_to_string()
            for alias in connections
        }
    yield
    with django_db_blocker.unblock():
        for alias, serialized in records.items():
            # Content types and permissions are made again on each flush (the
            # post_migrate signal), under new keys: flush without the signal,
            # then load every record back with the keys it had.
            call_command(
                "flush",
                database=alias,
                interactive=False,
                inhibit_post_migrate=True,
                reset_sequences=False,
                verbosity=0,
            )
            connections[alias].creation.deserialize_db_from_string(serialized)


@pytest.fixture(scope="module")
def _orm_beside_playwright():
    """Let the test thread use the ORM while Playwright's sync API is running.

    Playwright's sync API keeps an asyncio event loop running in the test thread
    (switching to it through greenlets), so Django sees a running loop and raises
    SynchronousOnlyOperation for the ORM calls made in that thread: the demo load,
    the selector the test compares with, and transactional_db's flush at teardown.
    There is no concurrent async code here, so the guard is lifted, for these
    tests only: the previous value comes back when the module is done.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_orm_beside_playwright):
    """One headless chromium per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh English-speaking tab at desktop width.

    A public page's language is in its address (the tests reverse English ones,
    /en/…); the header makes English explicit for the admin, which follows the
    browser, rather than an accident of the browser's own locale.
    """
    context = browser.new_context(
        locale="en-US",
        extra_http_headers={"Accept-Language": "en"},
        viewport=DESKTOP,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def visit(page, live_server):
    """Open a path of the live server; fail on anything but 200."""

    def open_path(path):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, (path, response)
        return page

    return open_path


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot as /tmp/browser-shots/<name>.png."""

    def save(name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()
