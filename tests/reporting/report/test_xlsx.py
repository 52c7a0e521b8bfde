import datetime
import io
import zipfile
from collections import defaultdict
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation
from openpyxl.utils import get_column_letter

from reporting.report.export import report_render, report_response
from reporting.report.safe import FORMULA_TRIGGERS, neutralise
from reporting.report.xlsx import COMPANY, MAX_WIDTH, report_xlsx, sheet_title
from tests.reporting.report.report_years import (
    FORMULA_PAYLOADS,
    HTML_PAYLOAD,
    busy_report,
    demo_report,
    hostile_report,
)

pytestmark = pytest.mark.django_db

SHEETS = ["Summary", "Commitments", "Visits", "Programmes", "Distributions", "Items"]


def render(report, language="en"):
    with translation.override(language):
        return report_xlsx(report)


def load(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def records(worksheet):
    """The data rows as dicts keyed by the header row."""
    rows = worksheet.iter_rows(values_only=True)
    headers = next(rows)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def summary_rows(worksheet):
    """Summary rows keyed by their label in column A (the first row per label)."""
    rows = defaultdict(list)
    for row in worksheet.iter_rows(values_only=True):
        if row[0] is not None:
            rows[row[0]].append(row)
    return rows


def as_decimal(value):
    return Decimal(str(value))


def sums_by_currency(rows, amount="Value", currency="Currency"):
    sums = defaultdict(Decimal)
    for row in rows:
        if row[amount] is not None:
            sums[row[currency]] += as_decimal(row[amount])
    return dict(sums)


def test_sheets_come_in_order_with_short_names():
    workbook = load(render(demo_report()))
    assert workbook.sheetnames == SHEETS


def test_data_sheets_have_a_bold_frozen_filtered_header_and_sized_columns():
    workbook = load(render(busy_report()))
    for name in SHEETS[1:]:
        worksheet = workbook[name]
        assert worksheet.freeze_panes == "A2"
        last = get_column_letter(worksheet.max_column)
        assert worksheet.auto_filter.ref == f"A1:{last}{worksheet.max_row}"
        assert all(cell.font.bold for cell in worksheet[1])
        widths = [
            worksheet.column_dimensions[get_column_letter(column)].width
            for column in range(1, worksheet.max_column + 1)
        ]
        assert all(8 <= width <= MAX_WIDTH for width in widths), (name, widths)


def test_demo_2022_gives_150_packages_and_about_270_million_dong():
    report = demo_report()
    workbook = load(render(report))
    distributions = records(workbook["Distributions"])
    assert sum(row["Packages"] for row in distributions) == 150
    assert report.totals.packages == 150
    assert sums_by_currency(distributions) == {"VND": Decimal("270000000")}
    assert [row["Approximate"] for row in distributions] == [True]
    assert "Phouvong; Sanxay" in {row["Districts"] for row in distributions}

    summary = summary_rows(workbook["Summary"])
    assert summary["Gift packages"][0][1] == 150
    assert summary["Value given"][0][1:4] == (270000000, "VND", True)
    # Unknown stays blank, never 0.
    assert summary["People reached"][0][1] is None
    assert summary["Phouvong + Sanxay"][0][1:3] == (1, 150)
    texts = {
        cell.value
        for worksheet in workbook
        for row in worksheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    assert any("Sanxay" in text for text in texts)
    assert any("Phouvong" in text for text in texts)


def test_generated_year_sheets_add_up_to_the_progress_totals():
    report = busy_report()
    totals = report.totals
    workbook = load(render(report))

    distributions = records(workbook["Distributions"])
    assert len(distributions) == totals.distributions == 3
    assert sum(row["Packages"] for row in distributions) == totals.packages == 125
    assert sums_by_currency(distributions) == {
        money.currency: money.amount for money in totals.values
    }
    assert len(records(workbook["Programmes"])) == totals.programmes == 3
    assert len(records(workbook["Visits"])) == totals.visits == 2

    summary = summary_rows(workbook["Summary"])
    assert {row[2]: as_decimal(row[1]) for row in summary["Value given"]} == {
        "LAK": Decimal("12500000"),
        "VND": Decimal("150000000"),
    }
    assert summary["People reached"][0][1] == totals.people_reached == 365
    converted = summary["Value given, converted at recorded rates"][0]
    assert as_decimal(converted[1]) == totals.converted_value.amount
    assert converted[2:4] == ("USD", True)
    assert {row[0] for row in workbook["Summary"].iter_rows(values_only=True)} >= {
        "Exchange rate 2023"
    }


def test_items_count_each_quantity_once_across_currencies():
    report = busy_report()
    items = records(load(render(report))["Items"])
    quantities = defaultdict(int)
    for row in items:
        quantities[row["Item"]] += row["Quantity"] or 0
    # Rice was given in VND and in LAK: two rows, one quantity.
    assert [row["Currency"] for row in items if row["Item"] == "Rice"] == [
        "LAK",
        "VND",
    ]
    assert quantities == {
        item.name: item.quantity or 0 for item in report.progress.by_item
    }
    blanket = next(row for row in items if row["Item"] == "Blanket")
    assert blanket["Lines without quantity"] == 1


def test_cells_are_typed_dates_integers_and_money_with_its_currency():
    workbook = load(render(busy_report()))
    for name, columns in {
        "Visits": ["Start date", "End date"],
        "Distributions": ["Start date"],
        "Programmes": ["Start date"],
    }.items():
        for row in records(workbook[name]):
            for column in columns:
                assert isinstance(row[column], datetime.datetime), (name, column)
    for row in records(workbook["Distributions"]):
        assert type(row["Packages"]) is int
        assert isinstance(row["Example"], bool)
    formats = {}
    worksheet = workbook["Distributions"]
    for row in worksheet.iter_rows(min_row=2):
        value, currency = row[7], row[8]
        formats[currency.value] = value.number_format
        assert value.data_type == "n"
    assert formats == {"VND": '#,##0 "VND"', "LAK": '#,##0 "LAK"'}
    costs = {
        row[9].value: (row[8].value, row[8].number_format)
        for row in workbook["Programmes"].iter_rows(min_row=2)
        if row[8].value is not None
    }
    assert costs == {"USD": (1234.56, '#,##0.00 "USD"')}
    for cell in workbook["Visits"]["A"][1:]:
        assert cell.number_format == "yyyy-mm-dd"


def test_rendering_makes_no_database_query(django_assert_num_queries):
    report = busy_report()
    with django_assert_num_queries(0):
        render(report)


def test_formula_payloads_stay_inert_text():
    workbook = load(render(hostile_report()))
    for worksheet in workbook:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_TRIGGERS), cell.value
    titles = [row["Programme"] for row in records(workbook["Programmes"])]
    purposes = [row["Purpose"] for row in records(workbook["Visits"])]
    for payload in FORMULA_PAYLOADS:
        assert neutralise(payload) in titles
        assert neutralise(payload) in purposes
    hyperlink = next(
        cell
        for cell in workbook["Programmes"]["A"]
        if cell.value == neutralise(FORMULA_PAYLOADS[0])
    )
    assert hyperlink.data_type == "s"
    assert hyperlink.value.startswith("'=")
    items = records(workbook["Items"])
    assert [row["Item"] for row in items] == ["'=1+2"]


def test_markup_and_control_characters_come_out_as_plain_text():
    workbook = load(render(hostile_report()))
    visits = records(workbook["Visits"])
    assert HTML_PAYLOAD in {row["Purpose"] for row in visits}
    assert all(HTML_PAYLOAD in row["Delegation"] for row in visits)
    assert all("'-chair" not in row["Delegation"] for row in visits)
    # XML cannot carry a vertical tab: it is dropped, not an error.
    assert {row["Outcomes"] for row in visits} == {"Outcomewith a vertical tab"}


def test_document_properties_name_the_report():
    report = demo_report()
    content = render(report)
    properties = load(content).properties
    assert properties.title == (f"Annual report 2022 – {report.agreement.title}")
    assert properties.creator == COMPANY
    assert "2022" in properties.keywords
    assert properties.subject
    expected = report.generated_at.astimezone(datetime.UTC).replace(
        tzinfo=None, microsecond=0
    )
    assert properties.created == expected
    application = zipfile.ZipFile(io.BytesIO(content)).read("docProps/app.xml")
    assert f"<Company>{COMPANY}</Company>".encode() in application


@pytest.mark.parametrize("language", ["vi", "lo"])
def test_renders_in_each_language_with_legal_sheet_names(language):
    workbook = load(render(busy_report(), language))
    assert len(workbook.sheetnames) == 6
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    distributions = workbook.worksheets[4]
    assert sum(row[5] for row in distributions.iter_rows(min_row=2, values_only=True))


def test_sheet_titles_are_shortened_cleaned_and_unique():
    taken = set()
    first = sheet_title("Distributions: by district / [all] of them, with notes", taken)
    second = sheet_title(
        "Distributions: by district / [all] of them, with notes", taken
    )
    assert len(first) <= 31 and len(second) <= 31
    assert not set(first) & set("\\/?*:[]")
    assert first != second


def test_the_export_registry_serves_the_workbook():
    report = demo_report()
    with translation.override("en"):
        assert report_render(report, "xlsx")[:2] == b"PK"
        response = report_response(report, "xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith('_2022.xlsx"')
