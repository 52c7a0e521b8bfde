"""The management commands a developer runs: the demo login and the demo data."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cooperation.models import AgreementParty, StaffMembership
from cooperation.staff_groups import DATA_ENTRY
from cooperation.validation import succession_chain
from reporting.demo import AGREEMENT_SLUG
from reporting.management.commands.ensure_demo_login import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
)

pytestmark = pytest.mark.django_db

LOAD_REPORT = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged")


def command_output(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_login_is_created_as_data_entry_staff_when_debug_is_on(client, settings):
    settings.DEBUG = True

    output = command_output("ensure_demo_login")

    user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert user.is_staff and user.is_active and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [DATA_ENTRY]
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert f"Demo staff login created: {DEMO_USERNAME}" in output


def test_running_demo_login_twice_keeps_one_user_and_resets_the_password(
    client, settings
):
    settings.DEBUG = True
    command_output("ensure_demo_login")
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    user.set_password("forgotten")
    user.is_active = False
    user.save()

    output = command_output("ensure_demo_login")

    assert get_user_model().objects.filter(username=DEMO_USERNAME).count() == 1
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert "Demo staff login ready" in output


def test_demo_login_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only created when DEBUG is on"):
        call_command("ensure_demo_login")

    assert not get_user_model().objects.filter(username=DEMO_USERNAME).exists()


def test_load_demo_reports_what_it_created_then_that_nothing_changed():
    first = LOAD_REPORT.search(command_output("load_demo"))
    second = LOAD_REPORT.search(command_output("load_demo"))

    created, updated, unchanged = map(int, first.groups())
    assert created > 0 and (updated, unchanged) == (0, 0)
    assert tuple(map(int, second.groups())) == (0, 0, created)


def test_load_demo_with_examples_reports_more_records_than_without():
    plain = LOAD_REPORT.search(command_output("load_demo"))
    with_examples = LOAD_REPORT.search(command_output("load_demo", "--examples"))

    created, updated, unchanged = map(int, with_examples.groups())
    assert created > 0 and updated == 0
    assert unchanged == int(plain.group(1))


def test_load_demo_message_names_the_demo_agreement():
    assert command_output("load_demo").startswith("Demo agreement loaded: ")


def test_the_demo_password_signs_in_only_while_debug_is_on(client, settings, db):
    from django.contrib.auth import get_user_model

    from cooperation.auth import DEMO_PASSWORD, DEMO_USERNAME

    get_user_model().objects.create_user(
        DEMO_USERNAME, password=DEMO_PASSWORD, is_staff=True
    )
    settings.DEBUG = True
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    client.logout()
    # Production: the account may linger in the database; its published password
    # opens nothing.
    settings.DEBUG = False
    assert not client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 302
    # Any other password works as before.
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    user.set_password("a-password-nobody-published")
    user.save()
    assert client.login(username=DEMO_USERNAME, password="a-password-nobody-published")


def test_demo_login_works_for_the_demo_agreements_first_party(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())

    command_output("ensure_demo_login")

    first = AgreementParty.objects.filter(agreement__slug=AGREEMENT_SLUG).first()
    membership = StaffMembership.objects.get(user__username=DEMO_USERNAME)
    assert membership.organisation == succession_chain(first.organisation)[-1]
