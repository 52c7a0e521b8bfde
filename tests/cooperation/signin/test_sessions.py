"""A staff session lasts a working day (SESSION_COOKIE_AGE) and ends with the
browser (SESSION_EXPIRE_AT_BROWSER_CLOSE)."""

import datetime

from django.contrib.sessions.models import Session

from .conftest import PASSWORD, sign_in

WORKING_DAY = 10 * 60 * 60


def test_the_defaults_are_a_working_day_and_the_browsers_life():
    from config.settings import base

    assert base.SESSION_COOKIE_AGE == WORKING_DAY
    assert base.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_session_ends_with_the_browser_and_on_the_server_after_a_working_day(
    client, clerk, settings
):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    before = datetime.datetime.now(datetime.UTC)

    response = sign_in(client, "clerk", PASSWORD)

    cookie = response.cookies["sessionid"]
    # No max-age or expiry: the browser forgets the cookie when it closes.
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    session = Session.objects.get(session_key=cookie.value)
    left = session.expire_date - before
    assert WORKING_DAY <= left.total_seconds() < WORKING_DAY + 60


def test_a_kept_cookie_also_expires_after_the_working_day(client, clerk, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60

    response = sign_in(client, "clerk", PASSWORD)

    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60
