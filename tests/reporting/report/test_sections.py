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


def plans_of(agreement, year):
    from reporting.progress import agreement_progress
    from reporting.report.sections import plans_section

    with translation.override("en"):
        progress = agreement_progress(
            agreement=agreement, year=year, today=datetime.date(2026, 11, 28)
        )
        return plans_section(progress)


@pytest.mark.django_db
def test_the_last_year_of_an_agreement_asks_for_no_plan_after_its_end():
    from tests.factories import AgreementFactory

    agreement = AgreementFactory(
        start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2022, 12, 31)
    )
    last = plans_of(agreement, 2022)
    # An empty table is shown nowhere, caption included.
    (next_plan,) = [table for table in last.tables if table.key == "next_plan"]
    assert next_plan.is_empty
    assert not any("2023" in note for note in last.notes)
    assert "The agreement ends in 2022: no plan for a later year is due." in (
        last.notes
    )
    # A year before the last still waits for the next year's plan.
    earlier = plans_of(agreement, 2021)
    assert "No plan for 2022 has been recorded yet." in earlier.notes


@pytest.mark.django_db
def test_a_plan_recorded_in_the_last_year_is_still_shown():
    from tests.factories import AgreementFactory, InformationExchangeFactory

    agreement = AgreementFactory(
        start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2022, 12, 31)
    )
    parties = [party.organisation for party in agreement.party_signatures.all()]
    InformationExchangeFactory(
        agreement=agreement,
        year_covered=2022,
        from_party=parties[0],
        to_party=parties[1],
        exchanged_on=datetime.date(2022, 12, 15),
        planned_visits=1,
    )
    plans = plans_of(agreement, 2022)
    (next_plan,) = [table for table in plans.tables if table.key == "next_plan"]
    assert len(next_plan.rows) == 1 and next_plan.caption == "Plan for 2023"
    assert not any("no plan for a later year" in note for note in plans.notes)
