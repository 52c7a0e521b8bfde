"""Dates and amounts typed as each language writes them, through the admin.

A Vietnamese clerk types "60.000.000" and "03/04/2025" and means sixty million and
3 April; an English one types "60,000,000". Lao (໐–໙) and full-width (０–９)
digits read as the digits they are. What cannot be read for certain is refused
with an example, and nothing is saved.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from cooperation.formatting import amount_from_text, amount_input_text
from cooperation.validation import AMOUNT_UNREADABLE
from programs.models import JointProgram
from tests.admin_forms import (
    admin_change_url,
    admin_form_data,
    assert_refused_in_admin,
    assert_saved,
)
from tests.factories import JointProgramFactory

pytestmark = pytest.mark.django_db

SIXTY_MILLION = {"vi": "60.000.000", "lo": "60.000.000", "en": "60,000,000"}


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        # Several separators of one kind can only group thousands, in any language.
        ("vi", "60.000.000", "60000000"),
        ("vi", "60,000,000", "60000000"),
        ("en", "60,000,000", "60000000"),
        ("en", "60.000.000", "60000000"),
        ("lo", "60.000.000", "60000000"),
        # One separator is the language's.
        ("vi", "60.000", "60000"),
        ("vi", "60,5", "60.5"),
        ("en", "60.000", "60.000"),
        ("en", "60,000", "60000"),
        # Both kinds: the last is the decimal point.
        ("vi", "1.234.567,5", "1234567.5"),
        ("en", "1,234,567.5", "1234567.5"),
        # Spaces, a pasted currency sign, Lao and full-width digits.
        ("vi", "60 000 000", "60000000"),
        ("vi", "269.500.000 ₫", "269500000"),
        ("en", "₭1,500,000", "1500000"),
        ("lo", "໖໐.໐໐໐.໐໐໐", "60000000"),
        ("vi", "６０．０００", None),  # a full-width point is not a separator
        ("vi", "６０.０００", "60000"),
        # Refused rather than guessed.
        ("vi", "60.5", None),
        ("en", "60,5", None),
        ("vi", "1.2.3", None),
        ("vi", "60.00.000", None),
        ("vi", "12.", None),
        ("vi", "sixty", None),
        ("vi", "1,234,567,5", None),
    ],
)
def test_an_amount_is_read_as_the_language_writes_it(language, typed, read):
    with translation.override(language):
        assert amount_from_text(typed) == read


@pytest.mark.parametrize(
    ("language", "shown"),
    [("vi", "269.500.000"), ("lo", "269.500.000"), ("en", "269,500,000")],
)
def test_a_saved_amount_is_shown_grouped_without_the_dong_cents(language, shown):
    with translation.override(language):
        assert amount_input_text(Decimal("269500000.00")) == shown
        assert amount_from_text(shown) == "269500000"


def in_language(client, language):
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("language", ["vi", "lo", "en"])
def test_a_clerk_types_a_day_first_date_and_a_grouped_amount(admin_client, language):
    programme = JointProgramFactory(year=2025, start_date=None, end_date=None)
    client = in_language(admin_client, language)
    url = admin_change_url(programme)
    data = admin_form_data(
        client, url, start_date="03/04/2025", budget=SIXTY_MILLION[language]
    )

    assert_saved(client.post(url, data))

    programme.refresh_from_db()
    assert programme.start_date == datetime.date(2025, 4, 3)
    assert programme.budget == Decimal("60000000")
    # Shown back as the clerk's language writes it.
    page = client.get(url).content.decode()
    assert f'value="{SIXTY_MILLION[language]}"' in page


def test_lao_digits_in_a_date_and_an_amount_are_read_and_stored_as_digits(
    admin_client,
):
    programme = JointProgramFactory(year=2025, start_date=None, end_date=None)
    client = in_language(admin_client, "lo")
    url = admin_change_url(programme)
    data = admin_form_data(
        client,
        url,
        start_date="໐໓/໐໔/໒໐໒໕",
        budget="໖໐.໐໐໐.໐໐໐",
        people_reached="໑໒",
    )

    assert_saved(client.post(url, data))

    programme.refresh_from_db()
    assert programme.start_date == datetime.date(2025, 4, 3)
    assert programme.budget == Decimal("60000000")
    assert programme.people_reached == 12


def test_full_width_digits_are_read_as_digits(admin_client):
    programme = JointProgramFactory(year=2025, start_date=None, end_date=None)
    client = in_language(admin_client, "vi")
    url = admin_change_url(programme)
    data = admin_form_data(
        client, url, start_date="０３/０４/２０２５", budget="６０.０００.０００"
    )

    assert_saved(client.post(url, data))

    programme.refresh_from_db()
    assert programme.start_date == datetime.date(2025, 4, 3)
    assert programme.budget == Decimal("60000000")


def test_an_ambiguous_amount_is_refused_with_an_example_and_nothing_saved(
    admin_client,
):
    programme = JointProgramFactory(year=2025, budget=Decimal("1000000"))
    client = in_language(admin_client, "vi")
    url = admin_change_url(programme)
    data = admin_form_data(client, url, budget="60.5")

    with translation.override("vi"):
        message = AMOUNT_UNREADABLE % {"example": "60.000.000"}
        assert_refused_in_admin(client.post(url, data), "budget", message)

    assert JointProgram.objects.get(pk=programme.pk).budget == Decimal("1000000")


def test_a_month_first_date_is_not_read_as_month_first_in_any_language(admin_client):
    # "04/13/2025" has no 13th month: refused in every language, never read as
    # 13 April by a month-first format.
    programme = JointProgramFactory(year=2025, start_date=None, end_date=None)
    for language in ("vi", "lo", "en"):
        client = in_language(admin_client, language)
        url = admin_change_url(programme)
        data = admin_form_data(client, url, start_date="04/13/2025")
        response = client.post(url, data)
        assert response.status_code == 200, language
        assert "start_date" in response.context["adminform"].form.errors, language
    programme.refresh_from_db()
    assert programme.start_date is None
