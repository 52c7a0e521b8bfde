"""A second factor for superusers (OTP_REQUIRED_FOR_SUPERUSERS): a code from an
authenticator app (TOTP) or a single-use backup code, on the admin's sign-in form."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cooperation.signin.site import (
    SECOND_FACTOR_MISSING,
    SECOND_FACTOR_REQUIRED,
    SECOND_FACTOR_WRONG,
)
from tests.factories import UserFactory

from .conftest import PASSWORD, sign_in, signed_in_as


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_SUPERUSERS = True


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_superuser=True, password=PASSWORD)


def enrol(username):
    """`manage.py otp_enrol`, returning what it printed."""
    out = io.StringIO()
    call_command("otp_enrol", username, "--no-qr", stdout=out)
    return out.getvalue()


def current_code(user):
    device = TOTPDevice.objects.get(user=user)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def form_errors(response):
    return response.context["form"].non_field_errors()


def test_a_superuser_without_a_code_is_refused(client, required, superuser):
    enrol("chief")

    response = sign_in(client, "chief", PASSWORD)

    assert response.status_code == 200
    assert str(SECOND_FACTOR_REQUIRED) in form_errors(response)
    assert signed_in_as(client) is None


def test_a_superuser_with_a_wrong_code_is_refused_and_logged(
    client, required, superuser, audit_log
):
    enrol("chief")
    wrong = f"{(int(current_code(superuser)) + 1) % 1_000_000:06d}"

    response = sign_in(client, "chief", PASSWORD, token=wrong)

    assert str(SECOND_FACTOR_WRONG) in form_errors(response)
    assert signed_in_as(client) is None
    (event,) = audit_log("second_factor_failed")
    assert event["user"] == "chief"
    assert wrong not in audit_log.text()


def test_a_superuser_with_the_apps_code_is_admitted(client, required, superuser):
    enrol("chief")

    response = sign_in(client, "chief", PASSWORD, token=current_code(superuser))

    assert response.status_code == 302
    assert signed_in_as(client) == "chief"
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_backup_code_admits_once(client, required, superuser):
    enrol("chief")
    code = StaticToken.objects.filter(device__user=superuser).first().token

    assert sign_in(client, "chief", PASSWORD, token=code).status_code == 302
    client.logout()
    again = sign_in(client, "chief", PASSWORD, token=code)

    assert str(SECOND_FACTOR_WRONG) in form_errors(again)


def test_a_superuser_not_yet_enrolled_is_told_how(client, required, superuser):
    response = sign_in(client, "chief", PASSWORD, token="123456")

    assert str(SECOND_FACTOR_MISSING) in form_errors(response)
    assert signed_in_as(client) is None


def test_a_superuser_signed_in_by_password_alone_cannot_use_the_admin(
    client, required, superuser
):
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_other_staff_are_not_asked_for_a_code(client, required, db):
    UserFactory(username="clerk", password=PASSWORD, groups=["Data entry"])

    response = sign_in(client, "clerk", PASSWORD)

    assert response.status_code == 302
    assert signed_in_as(client) == "clerk"
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_form_asks_for_the_code_only_when_required(client, db, settings):
    settings.OTP_REQUIRED_FOR_SUPERUSERS = True
    assert 'name="otp_token"' in client.get(reverse("admin:login")).content.decode()
    settings.OTP_REQUIRED_FOR_SUPERUSERS = False
    assert 'name="otp_token"' not in client.get(reverse("admin:login")).content.decode()


def test_when_not_required_a_superuser_signs_in_with_the_password(
    client, superuser, settings
):
    settings.OTP_REQUIRED_FOR_SUPERUSERS = False
    enrol("chief")

    response = sign_in(client, "chief", PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_required_by_default_only_where_debug_is_off():
    from tests.test_settings import run

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.OTP_REQUIRED_FOR_SUPERUSERS)"
    )
    production = run(
        ["-c", script],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
    )
    development = run(["-c", script], DJANGO_SETTINGS_MODULE="config.settings.local")
    turned_off = run(
        ["-c", script],
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
        OTP_REQUIRED_FOR_SUPERUSERS="false",
    )
    assert production.stdout.split()[-1] == "True", production.stderr
    assert development.stdout.split()[-1] == "False", development.stderr
    assert turned_off.stdout.split()[-1] == "False", turned_off.stderr


# Enrolment


def test_enrolment_prints_the_authenticator_address_and_backup_codes(superuser):
    printed = enrol("chief")

    device = TOTPDevice.objects.get(user=superuser)
    assert device.confirmed
    assert device.config_url in printed
    assert re.search(r"otpauth://totp/.*chief\?secret=", printed)
    codes = set(
        StaticToken.objects.filter(device__user=superuser).values_list(
            "token", flat=True
        )
    )
    assert len(codes) == 10
    assert all(code in printed for code in codes)


def test_enrolment_draws_a_qr_code(superuser):
    out = io.StringIO()
    call_command("otp_enrol", "chief", stdout=out)
    # segno's compact terminal output draws with half blocks.
    assert "▀" in out.getvalue() or "▄" in out.getvalue()


def test_enrolling_twice_needs_replace_and_retires_the_old_key(superuser):
    enrol("chief")
    old_key = TOTPDevice.objects.get(user=superuser).key

    with pytest.raises(CommandError, match="--replace"):
        enrol("chief")
    call_command("otp_enrol", "chief", "--replace", "--no-qr", stdout=io.StringIO())

    (device,) = TOTPDevice.objects.filter(user=superuser)
    assert device.key != old_key
    assert StaticToken.objects.filter(device__user=superuser).count() == 10


def test_enrolling_an_unknown_user_fails(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        enrol("ghost")


def test_the_sign_in_page_with_the_code_field_speaks_only_lao(client, db, settings):
    from django.conf import settings as django_settings
    from django.utils.translation import trans_real

    from tests.test_lao_admin import foreign_words, interface_text, lao_page

    settings.OTP_REQUIRED_FOR_SUPERUSERS = True
    settings.LANGUAGE_CODE = "vi"
    trans_real._translations = {}
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "lo"
    try:
        html = lao_page(client, reverse("admin:login"))
    finally:
        trans_real._translations = {}

    assert 'name="otp_token"' in html
    assert not foreign_words(interface_text(html))
