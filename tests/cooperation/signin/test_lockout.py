"""django-axes: a username is locked at one address after AXES_FAILURE_LIMIT wrong
passwords in a row, for AXES_COOLOFF_TIME, then unlocks by itself."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import ngettext

from .conftest import OFFICE, PASSWORD, WRONG_PASSWORD, sign_in, signed_in_as

LIMIT = 3
OTHER_BRANCH = "198.51.100.20"


@pytest.fixture(autouse=True)
def _lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def fail(client, username, times, **kwargs):
    return [sign_in(client, username, WRONG_PASSWORD, **kwargs) for _ in range(times)]


def test_the_settings_default_to_five_failures_and_fifteen_minutes():
    from config.settings import base

    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_one_failure_fewer_than_the_limit_and_the_right_password_signs_in(
    client, clerk
):
    refused = fail(client, "clerk", LIMIT - 1)
    assert [response.status_code for response in refused] == [200] * (LIMIT - 1)

    response = sign_in(client, "clerk", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == "clerk"


def test_at_the_limit_even_the_right_password_meets_the_lockout_page(client, clerk):
    *_, last = fail(client, "clerk", LIMIT)
    assert last.status_code == 429

    response = sign_in(client, "clerk", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Signing in is paused" in html
    assert "try again in 15 minutes" in html
    assert "Red Cross cooperation agreements" in html  # the admin's header
    assert signed_in_as(client) is None


def test_the_lockout_ends_by_itself_after_the_cool_off(client, clerk):
    fail(client, "clerk", LIMIT)
    assert sign_in(client, "clerk", PASSWORD).status_code == 429

    # As if the cool-off had passed since the failure that locked.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - datetime.timedelta(minutes=15, seconds=1)
    )

    assert sign_in(client, "clerk", PASSWORD).status_code == 302
    assert signed_in_as(client) == "clerk"


def test_the_page_counts_down_what_is_left_of_the_cool_off(client, clerk):
    fail(client, "clerk", LIMIT)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - datetime.timedelta(minutes=11, seconds=30)
    )

    response = sign_in(client, "clerk", PASSWORD)

    assert "try again in 4 minutes" in response.content.decode()


def test_an_administrator_unlocks_with_the_reset_command(client, clerk):
    fail(client, "clerk", LIMIT)

    call_command("axes_reset_username", "clerk")

    assert sign_in(client, "clerk", PASSWORD).status_code == 302


def test_the_same_user_at_another_address_is_not_locked(client, clerk):
    fail(client, "clerk", LIMIT, address=OFFICE)

    response = sign_in(client, "clerk", PASSWORD, address=OTHER_BRANCH)

    assert response.status_code == 302
    assert signed_in_as(client) == "clerk"


def test_another_user_at_the_same_address_is_not_locked(client, clerk, db):
    from tests.factories import UserFactory

    UserFactory(username="colleague", password=PASSWORD)
    fail(client, "clerk", LIMIT, address=OFFICE)

    assert sign_in(client, "colleague", PASSWORD, address=OFFICE).status_code == 302


def test_a_forged_forwarded_header_does_not_dodge_the_lockout(client, clerk, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(LIMIT):
        sign_in(
            client,
            "clerk",
            WRONG_PASSWORD,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        )

    response = sign_in(client, "clerk", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429


def test_behind_our_proxy_the_address_it_saw_is_the_one_locked(client, clerk, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    fail(client, "clerk", LIMIT, address=proxy, HTTP_X_FORWARDED_FOR=OFFICE)

    locked = sign_in(
        client, "clerk", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=OFFICE
    )
    elsewhere = sign_in(
        client, "clerk", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=OTHER_BRANCH
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302
    assert AccessAttempt.objects.get().ip_address == OFFICE


@pytest.mark.parametrize("language", ["vi", "lo", "en"])
def test_the_lockout_page_reads_in_the_readers_language(client, clerk, language):
    client.cookies["django_language"] = language
    fail(client, "clerk", LIMIT)

    html = sign_in(client, "clerk", PASSWORD).content.decode()

    assert f'<html lang="{language}"' in html
    with translation.override(language):
        sentence = ngettext(
            "Too many wrong passwords for this account from your address. Signing "
            "in is paused: try again in %(minutes)s minute.",
            "Too many wrong passwords for this account from your address. Signing "
            "in is paused: try again in %(minutes)s minutes.",
            15,
        ) % {"minutes": 15}
    assert sentence in " ".join(html.split())
    if language != "en":
        assert "Too many wrong passwords" not in html, "not translated"
