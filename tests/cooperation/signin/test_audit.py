"""The audit log: one line per sign-in event, refusal and staff export, with the
user, the client's address and a UTC time; never a password."""

import datetime
import logging
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cooperation.signin.audit import audit_event
from cooperation.signin.log_format import UTCFormatter
from tests.factories import AgreementFactory, UserFactory

from .conftest import OFFICE, PASSWORD, WRONG_PASSWORD, sign_in

LIMIT = 3


def test_a_sign_in_is_logged_with_who_from_where(client, clerk, audit_log):
    sign_in(client, "clerk", PASSWORD)

    (event,) = audit_log("login")
    assert event == {
        "event": "login",
        "user": "clerk",
        "ip": OFFICE,
        "method": "POST",
        "path": "/admin/login/",
    }
    assert PASSWORD not in audit_log.text()


def test_a_failed_sign_in_is_logged_without_the_password(client, clerk, audit_log):
    sign_in(client, "clerk", WRONG_PASSWORD)

    (event,) = audit_log("login_failed")
    assert event["user"] == "clerk"
    assert event["ip"] == OFFICE
    assert event["path"] == "/admin/login/"
    assert audit_log("login") == []
    assert WRONG_PASSWORD not in audit_log.text()


def test_a_lockout_is_logged_after_the_failure_that_caused_it(
    client, clerk, audit_log, settings
):
    settings.AXES_FAILURE_LIMIT = LIMIT
    for _ in range(LIMIT):
        sign_in(client, "clerk", WRONG_PASSWORD)
    assert audit_log("locked_out") == [
        {
            "event": "locked_out",
            "user": "clerk",
            "ip": OFFICE,
            "method": "POST",
            "path": "/admin/login/",
        }
    ]
    events = [event["event"] for event in audit_log()]
    assert events[-2:] == ["login_failed", "locked_out"]

    # The right password during the lockout: refused, and logged as such.
    sign_in(client, "clerk", PASSWORD)
    assert len(audit_log("locked_out")) == 2
    assert audit_log("login") == []
    assert PASSWORD not in audit_log.text()
    assert WRONG_PASSWORD not in audit_log.text()


def test_a_sign_out_is_logged(client, clerk, audit_log):
    sign_in(client, "clerk", PASSWORD)

    client.post(reverse("admin:logout"), REMOTE_ADDR=OFFICE)

    (event,) = audit_log("logout")
    assert (event["user"], event["ip"]) == ("clerk", OFFICE)


def test_a_refused_download_is_logged_as_forbidden(client, db, audit_log):
    # Staff, but in no group: may not read agreements.
    client.force_login(UserFactory(username="newcomer"))
    agreement = AgreementFactory()
    url = reverse("staff_agreement_report", args=[agreement.pk, 2022, "csv"])

    response = client.get(url, REMOTE_ADDR=OFFICE)

    assert response.status_code == 403
    (event,) = audit_log("forbidden")
    assert event == {
        "event": "forbidden",
        "user": "newcomer",
        "ip": OFFICE,
        "method": "GET",
        "path": url,
    }


def test_a_form_without_its_csrf_token_is_logged_as_forbidden(db, audit_log):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        reverse("admin:login"),
        {"username": "clerk", "password": PASSWORD},
        REMOTE_ADDR=OFFICE,
    )

    assert response.status_code == 403
    (event,) = audit_log("forbidden")
    assert (event["user"], event["ip"], event["method"]) == ("", OFFICE, "POST")
    assert PASSWORD not in audit_log.text()


def test_a_staff_report_export_is_logged_with_agreement_year_and_format(
    admin_client, admin_user, audit_log
):
    agreement = AgreementFactory()
    url = reverse("staff_agreement_report", args=[agreement.pk, 2023, "csv"])

    response = admin_client.get(url, REMOTE_ADDR=OFFICE)

    assert response.status_code == 200
    (event,) = audit_log("report_export")
    assert event == {
        "event": "report_export",
        "user": admin_user.username,
        "ip": OFFICE,
        "method": "GET",
        "path": url,
        "agreement": agreement.pk,
        "year": 2023,
        "format": "csv",
        "status": 200,
    }


def test_a_report_that_does_not_exist_is_not_logged_as_exported(
    admin_client, audit_log
):
    agreement = AgreementFactory()
    url = reverse("staff_agreement_report", args=[agreement.pk, 1999, "csv"])

    assert admin_client.get(url).status_code == 404
    assert audit_log("report_export") == []


def test_a_typed_username_cannot_write_a_second_line(client, db, audit_log, caplog):
    forged = 'x"\n2026-11-28T23:40:00Z INFO cooperation.audit event=login user=boss'

    sign_in(client, forged, WRONG_PASSWORD)

    (record,) = [
        r
        for r in caplog.records
        if r.name == "cooperation.audit" and r.audit["event"] == "login_failed"
    ]
    assert "\n" not in record.getMessage()
    assert record.audit["user"] == forged
    assert record.getMessage().startswith('event=login_failed user="x\\"\\n2026')


def test_the_time_is_utc_to_the_second():
    formatter = UTCFormatter("%(asctime)s %(message)s")
    record = logging.LogRecord("cooperation.audit", logging.INFO, "", 0, "x", (), None)
    # 06:40 on 29 November in Vietnam and Laos (UTC+7).
    record.created = datetime.datetime(
        2026, 11, 28, 23, 40, tzinfo=datetime.UTC
    ).timestamp()

    assert formatter.format(record) == "2026-11-28T23:40:00Z x"


def test_the_audit_logger_writes_to_stderr_with_the_utc_formatter():
    config = settings.LOGGING
    handler = config["handlers"][config["loggers"]["cooperation.audit"]["handlers"][0]]
    assert handler["class"] == "logging.StreamHandler"  # stderr
    formatter = config["formatters"][handler["formatter"]]
    assert formatter["()"] == "cooperation.signin.log_format.UTCFormatter"


@pytest.mark.parametrize("settings_module", ["config.settings.production"])
def test_production_keeps_the_audit_log(settings_module):
    from tests.test_settings import clean_env, production_env

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from cooperation.signin.audit import audit_event; "
            "audit_event('login', None, username='clerk')",
        ],
        cwd=settings.BASE_DIR,
        env=clean_env(**production_env(DJANGO_SETTINGS_MODULE=settings_module)),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    # The last line: django-axes announces itself when it starts.
    line = result.stderr.strip().splitlines()[-1]
    assert line.endswith(
        'INFO cooperation.audit event=login user=clerk ip="" method="" path=""'
    ), line
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", line.split()[0]), line


def test_audit_event_without_a_request_still_names_the_user(audit_log):
    audit_event("login", None, username="clerk")
    assert audit_log("login")[0]["user"] == "clerk"
