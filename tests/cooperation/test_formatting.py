"""Numbers, money and dates in each of the three languages."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format

from cooperation.admin_tools import format_money
from reporting.progress import Money
from reporting.templatetags.progress_tags import money, number


def test_lao_dates_use_lao_formats_not_vietnamese_month_names():
    # Django only reads config/formats/lo when a Lao catalogue exists.
    with translation.override("lo"):
        assert date_format(datetime.date(2022, 9, 28)) == "28/9/2022"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "≈\u00a0270.000.000\u00a0₫"),
        ("en", "≈\u00a0₫270,000,000"),
        ("lo", "≈\u00a0₫270.000.000"),
    ],
)
def test_money_follows_the_reader_language(language, expected):
    with translation.override(language):
        text = money(Money("VND", Decimal("270000000.00"), approximate=True))
    assert text == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "270.000.000\u00a0VND"),
        ("en", "270,000,000\u00a0VND"),
        ("lo", "270.000.000\u00a0VND"),
    ],
)
def test_admin_money_groups_thousands_in_the_reader_language(language, expected):
    # One line in a narrow column: the amount and its code never part.
    with translation.override(language):
        assert format_money(Decimal("270000000.00"), "VND") == expected


def test_admin_money_marks_an_approximate_amount_on_the_same_line():
    with translation.override("vi"):
        text = format_money(Decimal("270000000"), "VND", approximate=True)
        assert text == "≈\u00a0270.000.000\u00a0VND"
        assert format_money(None, "VND", approximate=True) == "–"


def test_unknown_figures_show_a_dash():
    assert number(None) == "–"
    assert money(None) == "–"
