"""The report's sections: typed columns, and totals computed once from their rows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from reporting.progress import Money, Status
from reporting.report.sections import Column, Kind, cell_text, table


def money(amount, currency="VND", approximate=False):
    return Money(currency, Decimal(amount), approximate)


COLUMNS = [
    Column("District"),
    Column("Packages", Kind.INTEGER, summed=True),
    Column("Gift recipients", Kind.INTEGER, summed=True),
    Column("Value (VND)", Kind.MONEY, currency="VND", summed=True),
    Column("Note"),
]


def test_the_total_row_adds_up_the_summed_columns_of_its_rows():
    districts = table(
        "districts",
        COLUMNS,
        [
            ["Sanxay", 100, 80, money(64_000_000), "a"],
            ["Phouvong", 50, None, money(10_000_000, approximate=True), "b"],
        ],
        total_label="Total",
    )
    assert districts.total == (
        "Total",
        150,
        80,  # the unknown figure adds nothing, and is not a zero
        Money("VND", Decimal(74_000_000), approximate=True),
        "",
    )


def test_a_column_with_no_figure_at_all_totals_unknown_not_zero():
    districts = table(
        "districts", COLUMNS, [["Sanxay", 1, None, None, ""]], total_label="Total"
    )
    assert districts.total[2] is None and districts.total[3] is None
    assert cell_text(districts.total[2]) == "–"


def test_an_empty_table_has_no_total_row():
    assert table("districts", COLUMNS, [], total_label="Total").total is None


def test_a_table_without_a_total_label_has_no_total_row():
    assert table("items", COLUMNS, [["Rice", 1, 2, None, ""]]).total is None


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="a row has 2 cells for 5"):
        table("districts", COLUMNS, [["Sanxay", 1]])


@pytest.mark.parametrize(
    "language, value, text",
    [
        ("en", money(270_000_000, approximate=True), "≈\u00a0₫270,000,000"),
        ("vi", money(270_000_000), "270.000.000\u00a0₫"),
        ("en", 12345, "12,345"),
        ("en", None, "–"),
        ("en", "", ""),
        ("en", Status.NOT_MET, "✕ not met"),
        ("en", datetime.date(2022, 9, 28), "Sept. 28, 2022"),
    ],
)
def test_a_cell_reads_the_same_wherever_it_is_shown(language, value, text):
    with translation.override(language):
        assert cell_text(value) == text
