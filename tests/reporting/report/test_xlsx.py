"""report.xlsx: a cover sheet, then one typed sheet per section, read back cell by cell.

The demo and busy years are built and rendered once per module (they are only
read); a test that changes records builds its own year.
"""

import datetime
import io
import math
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reporting.progress import Money
from reporting.report.export import report_render, report_response
from reporting.report.safe import FORMULA_TRIGGERS, neutralise
from reporting.report.sections import Kind
from reporting.report.xlsx import (
    CELL_TEXT_LIMIT,
    COMPANY,
    FIT_WIDTH,
    LINE_HEIGHT,
    MAX_WIDTH,
    MIN_WIDTH,
    PORTRAIT_WIDTH,
    report_xlsx,
    section_sheet,
    sheet_title,
)
from tests.factories import DelegationVisitFactory
from tests.reporting.report.report_years import (
    FORMULA_PAYLOADS,
    HTML_PAYLOAD,
    PUBLISHED_PURPOSE,
    UNPUBLISHED_PURPOSE,
    YEAR,
    build,
    busy_report,
    demo_report,
    empty_report,
    example_report,
    half_published_year,
    hostile_report,
    long_word_report,
    rolled_back,
)

pytestmark = pytest.mark.django_db

SECTION_TITLES = [
    "The year in figures",
    "Commitments this year",
    "Confirmation by the parties",
    "Delegation visits",
    "Joint programmes",
    "Gift distributions by district",
    "Gift recipients by sex and age",
    "Each gift distribution",
    "Items given",
    "Information exchanged",
    "Plans",
]
A4 = 9  # openpyxl's Worksheet.PAPERSIZE_A4
HEADER_COLOUR = "00DDDDDD"


def render(report, language="en"):
    with translation.override(language):
        return report_xlsx(report)


def load(content):
    return openpyxl.load_workbook(io.BytesIO(content))


class Rendered:
    """A report and its workbook, read back once."""

    def __init__(self, report, language="en"):
        self.report = report
        self.content = render(report, language)
        self.workbook = load(self.content)

    def sheet(self, key):
        section = self.section(key)
        return self.workbook[section.title]

    def section(self, key):
        return next(s for s in self.report.sections if s.key == key)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The real memorandum's 2022 and the made-up example agreement's busy 2023,
    rendered in English."""
    with rolled_back(django_db_blocker):
        return {2022: Rendered(demo_report(2022)), 2023: Rendered(example_report(2023))}


@pytest.fixture(scope="module")
def busy(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        return Rendered(busy_report())


def every_year(demo, busy):
    return [demo[2022], demo[2023], busy]


def values(row):
    return [cell.value for cell in row]


def texts(workbook):
    return [
        cell.value
        for worksheet in workbook
        for row in worksheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def column_width(worksheet, column):
    """The width Excel uses for column `column` (1-based), grouped ranges too."""
    letter = get_column_letter(column)
    if letter in worksheet.column_dimensions:
        width = worksheet.column_dimensions[letter].width
        if width:
            return width
    for dimension in worksheet.column_dimensions.values():
        if dimension.min and dimension.min <= column <= dimension.max:
            return dimension.width
    return None


def table_width(worksheet, section):
    """How wide the section's widest table is, in characters: what the print
    setup is decided on (a short sheet's sentences may widen its last column)."""
    columns = max(len(table.columns) for table in section.tables)
    return sum(column_width(worksheet, c) for c in range(1, columns + 1))


class SheetTable:
    """One table as the sheet shows it: its header, data rows and total row."""

    def __init__(self, table, header, rows, total):
        self.table, self.header, self.rows, self.total = table, header, rows, total

    def index(self, title):
        return values(self.header).index(title)

    def column(self, title):
        """The data cells under the header `title`."""
        index = self.index(title)
        return [row[index] for row in self.rows]

    def total_of(self, title):
        return self.total[self.index(title)].value


def sheet_tables(worksheet, section):
    """Each table the sheet shows, found in order by its header row."""
    rows = list(worksheet.iter_rows())
    found, start = [], 0
    for table in section.tables:
        if table.is_empty and len(section.tables) > 1:
            continue  # a multi-table section leaves an empty table out
        titles = [column.title for column in table.columns]
        index = next(
            i
            for i in range(start, len(rows))
            if values(rows[i][: len(titles)]) == titles
        )
        end = index + 1 + len(table.rows)
        data = [row[: len(titles)] for row in rows[index + 1 : end]]
        total = None
        if table.total is not None:
            total = rows[end][: len(titles)]
            end += 1
        found.append(SheetTable(table, rows[index][: len(titles)], data, total))
        start = end
    return found


def is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def as_decimal(value):
    return Decimal(str(value))


def rows_by_label(worksheet):
    """{column A text: the row's other values}, for label/value tables."""
    return {
        row[0]: row[1:]
        for row in worksheet.iter_rows(values_only=True)
        if isinstance(row[0], str)
    }


# The workbook's shape


def test_a_cover_sheet_titled_with_the_report_then_a_sheet_per_section_in_order(
    demo,
):
    rendered = demo[2022]
    workbook = rendered.workbook
    assert workbook.sheetnames == ["Annual report 2022", *SECTION_TITLES]
    assert [s.title for s in rendered.report.sections] == SECTION_TITLES
    cover = workbook.worksheets[0]
    assert cover["A1"].value == "Annual report 2022"
    assert cover["A1"].font.bold and cover["A1"].font.size == 14
    # The cover lists the sheets that follow, in their order.
    listed = [row[0] for row in cover.iter_rows(values_only=True)]
    start = listed.index("Sheets") + 1
    assert listed[start:] == SECTION_TITLES


def test_cover_sheet_states_agreement_period_year_parties_and_when_generated(demo):
    rendered = demo[2022]
    report = rendered.report
    cover = rendered.workbook.worksheets[0]
    rows = rows_by_label(cover)
    assert rows["Agreement"][0] == report.agreement.title
    start, end = rows["Period"][:2]
    assert (start.date(), end.date()) == (
        report.agreement.start_date,
        report.agreement.end_date,
    )
    year = next(row for row in cover.iter_rows() if row[0].value == "Year")[1]
    # A year reads 2022, not 2,022.
    assert (year.value, year.number_format) == (2022, "0")
    assert rows["Parties"][0] == "; ".join(
        party.organisation.name for party in report.parties
    )
    generated, zone = rows["Generated"][:2]
    assert generated == report.generated_at.replace(microsecond=0, tzinfo=None)
    assert zone == "UTC+07:00"
    assert rows["Records"][0] == "Published records only."
    # The real memorandum holds no example record, so the cover mentions none.
    assert not [label for label in rows if str(label).startswith("Example")]


def test_cover_sheet_of_the_made_up_agreement_says_it_is_made_up(demo):
    rows = rows_by_label(demo[2023].workbook.worksheets[0])
    assert rows["Agreement"][0].startswith("[Example] Made-up cooperation agreement")
    assert rows["Example agreement"][0] == (
        "This agreement is made up: an example for demonstration, between "
        "fictional parties. Nothing in it is real."
    )


def test_one_table_sections_start_with_a_bold_frozen_filtered_header(busy):
    checked = 0
    for section in busy.report.sections:
        if len(section.tables) != 1:
            continue
        table = section.tables[0]
        worksheet = busy.workbook[section.title]
        header = worksheet[1][: len(table.columns)]
        assert values(header) == [column.title for column in table.columns]
        assert all(cell.font.bold for cell in header), section.key
        assert all(cell.fill.start_color.rgb == HEADER_COLOUR for cell in header)
        assert worksheet.freeze_panes == "A2", section.key
        assert worksheet.print_title_rows == "$1:$1", section.key
        last_column = get_column_letter(len(table.columns))
        last_data_row = 1 + len(table.rows)
        # The filter covers the data rows, not the total row: sorting keeps it last.
        assert worksheet.auto_filter.ref == f"A1:{last_column}{last_data_row}"
        for column in range(1, len(table.columns) + 1):
            width = column_width(worksheet, column)
            assert MIN_WIDTH <= width <= MAX_WIDTH, (section.key, column, width)
        checked += 1
    assert checked == 9


def test_multi_table_sections_open_with_their_title_and_show_each_table(busy):
    for key in ("figures", "plans"):
        section = busy.section(key)
        worksheet = busy.sheet(key)
        title = worksheet["A1"]
        assert title.value == section.title
        assert title.font.bold and title.font.size == 14
        assert any(
            merged.min_row == merged.max_row == 1 for merged in worksheet.merged_cells
        )
        assert worksheet.freeze_panes is None
        assert worksheet.auto_filter.ref is None
        shown = sheet_tables(worksheet, section)
        assert [s.table.key for s in shown] == [t.key for t in section.tables]
        for found in shown:
            assert all(cell.font.bold for cell in found.header)
    # The next year's plan has its caption, in bold, right above its header.
    plans = sheet_tables(busy.sheet("plans"), busy.section("plans"))
    caption_row = plans[1].header[0].row - 1
    caption = busy.sheet("plans").cell(row=caption_row, column=1)
    assert (caption.value, caption.font.bold) == ("Plan for 2024", True)


def test_every_total_row_equals_the_sum_of_the_rows_above_it(demo, busy):
    checked = []
    for rendered in every_year(demo, busy):
        for section in rendered.report.sections:
            worksheet = rendered.workbook[section.title]
            for found in sheet_tables(worksheet, section):
                if found.total is None:
                    # No total row follows a table that has none.
                    below = worksheet.cell(
                        row=found.header[0].row + 1 + len(found.rows), column=1
                    )
                    assert below.value != "Total", found.table.key
                    continue
                total = found.total
                assert total[0].value == "Total"
                assert all(cell.font.bold for cell in total), found.table.key
                for index, cell in enumerate(total[1:], start=1):
                    column = [row[index].value for row in found.rows]
                    numbers = [value for value in column if is_number(value)]
                    if not numbers:
                        # Nothing to add up (dates, text, or all unknown): blank.
                        assert cell.value is None, (found.table.key, index)
                        continue
                    assert is_number(cell.value), (found.table.key, index)
                    assert as_decimal(cell.value) == sum(
                        (as_decimal(value) for value in numbers), Decimal(0)
                    ), (found.table.key, found.table.columns[index].title)
                    formats = {row[index].number_format for row in found.rows}
                    if any("≈" in number_format for number_format in formats):
                        # A total of approximate amounts is approximate too.
                        assert "≈" in cell.number_format
                checked.append(found.table.key)
    assert checked.count("programmes") == checked.count("districts") == 3
    assert checked.count("distributions") == 3


def test_demo_2022_gives_150_packages_and_about_270_million_dong(demo):
    rendered = demo[2022]
    figures = rows_by_label(rendered.sheet("figures"))
    assert figures["Gift packages"][0] == 150
    assert figures["Gift distributions"][0] == 1
    # People reached was not recorded: blank, never 0.
    assert "People reached" in figures
    assert figures["People reached"][0] is None
    assert figures["Value given (VND)"][0] == 270_000_000

    districts = sheet_tables(rendered.sheet("districts"), rendered.section("districts"))
    (only,) = districts
    assert [values(row) for row in only.rows] == [
        ["Phouvong + Sanxay (together)", 1, 150, None, 270_000_000]
    ]
    assert values(only.total) == ["Total", 1, 150, None, 270_000_000]

    (each,) = sheet_tables(
        rendered.sheet("distributions"), rendered.section("distributions")
    )
    assert each.total_of("Packages") == 150
    assert each.total_of("Gift recipients") is None
    assert each.total_of("Value (VND)") == 270_000_000
    assert [cell.value for cell in each.column("Districts")] == ["Phouvong + Sanxay"]
    assert rendered.report.totals.packages == 150


def test_busy_year_totals_match_the_progress_totals(busy):
    totals = busy.report.totals
    (each,) = sheet_tables(busy.sheet("distributions"), busy.section("distributions"))
    assert len(each.rows) == totals.distributions == 3
    assert each.total_of("Packages") == totals.packages == 125
    assert {
        money.currency: as_decimal(each.total_of(f"Value ({money.currency})"))
        for money in totals.values
    } == {money.currency: money.amount for money in totals.values}
    (programmes,) = sheet_tables(busy.sheet("programmes"), busy.section("programmes"))
    assert len(programmes.rows) == totals.programmes == 3
    assert programmes.total_of("People reached") == totals.people_reached == 365
    (visits,) = sheet_tables(busy.sheet("visits"), busy.section("visits"))
    assert len(visits.rows) == totals.visits == 2
    assert not any(values(busy.sheet("visits")[2 + totals.visits]))

    figures = rows_by_label(busy.sheet("figures"))
    assert figures["People reached"][0] == 365
    converted = figures["Value given, converted to USD at recorded rates"][0]
    assert as_decimal(converted) == totals.converted_value.amount


def test_items_keep_one_row_per_item_with_a_value_column_per_currency(busy):
    (items,) = sheet_tables(busy.sheet("items"), busy.section("items"))
    header = values(items.header)
    assert header[:3] == ["Item", "Unit", "Quantity"]
    assert sorted(header[3:]) == [
        "Value of priced items (LAK)",
        "Value of priced items (VND)",
    ]
    # Rice was given in VND and in LAK: one row, one quantity, two values.
    assert [dict(zip(header, values(row), strict=True)) for row in items.rows] == [
        {
            "Item": "Blanket",
            "Unit": "piece",
            "Quantity": 25,
            "Value of priced items (LAK)": 12_500_000,
            "Value of priced items (VND)": None,
        },
        {
            "Item": "Rice",
            "Unit": "kilogram",
            "Quantity": 650,
            "Value of priced items (LAK)": 5_000_000,
            "Value of priced items (VND)": 6_000_000,
        },
    ]
    # Quantities in different units have no total.
    assert items.total is None
    notes = [row[0] for row in busy.sheet("items").iter_rows(values_only=True)]
    assert "Some items were given without a stated quantity." in notes


# Typed cells


def test_cells_are_typed_dates_integers_money_and_status_text(busy):
    (visits,) = sheet_tables(busy.sheet("visits"), busy.section("visits"))
    for cell in visits.column("Start") + visits.column("End"):
        assert isinstance(cell.value, datetime.datetime)
        assert cell.value.time() == datetime.time()
        assert cell.number_format == "yyyy-mm-dd"
    (each,) = sheet_tables(busy.sheet("distributions"), busy.section("distributions"))
    for cell in each.column("Packages"):
        assert type(cell.value) is int
        assert cell.number_format == "#,##0"
    (commitments,) = sheet_tables(
        busy.sheet("commitments"), busy.section("commitments")
    )
    statuses = commitments.column("Status")
    assert {
        number.value: status.value
        for number, status in zip(commitments.column("No."), statuses, strict=True)
    } == {
        1: "✓ met",
        2: "▲ above target",
        3: "✓ qualitative, with evidence",
    }
    assert all(status.data_type == "s" for status in statuses)
    (programmes,) = sheet_tables(busy.sheet("programmes"), busy.section("programmes"))
    (cost,) = [cell for cell in programmes.column("Cost (USD)") if cell.value]
    assert (cost.value, cost.number_format) == (1234.56, '#,##0.00 "USD"')
    assert cost.data_type == "n"


def test_money_cells_are_decimals_with_the_currency_in_the_number_format(busy):
    # Before saving: the renderer writes Decimal, never a float.
    worksheet = Workbook().active
    section = busy.section("distributions")
    section_sheet(worksheet, section)
    table = section.tables[0]
    money_columns = [
        index
        for index, column in enumerate(table.columns, start=1)
        if column.kind == Kind.MONEY
    ]
    written = 0
    for row_index, row in enumerate((*table.rows, table.total), start=2):
        for column in money_columns:
            cell = worksheet.cell(row=row_index, column=column)
            money = row[column - 1]
            if money is None:
                assert cell.value is None
                continue
            assert isinstance(cell.value, Decimal)
            assert cell.value == money.amount
            assert f'"{money.currency}"' in cell.number_format
            written += 1
    assert written == 5
    # Read back: numbers, still carrying their currency and "≈" in the format.
    (each,) = sheet_tables(busy.sheet("distributions"), section)
    header = values(each.header)
    vnd, lak = header.index("Value (VND)"), header.index("Value (LAK)")

    def shown(column):
        return [
            (row[column].value, row[column].number_format)
            for row in each.rows
            if row[column].value is not None
        ]

    assert shown(vnd) == [
        (60_000_000, '#,##0 "VND"'),
        (90_000_000, '"≈ "#,##0 "VND"'),
    ]
    assert shown(lak) == [(12_500_000, '#,##0 "LAK"')]
    assert each.total[vnd].number_format == '"≈ "#,##0 "VND"'
    assert each.total[lak].number_format == '#,##0 "LAK"'


def test_the_approximate_demo_value_keeps_its_number_and_shows_the_sign(demo):
    rendered = demo[2022]
    source = rendered.section("distributions").tables[0].rows[0][-1]
    assert source == Money("VND", Decimal("270000000"), approximate=True)
    (each,) = sheet_tables(
        rendered.sheet("distributions"), rendered.section("distributions")
    )
    cell = each.rows[0][-1]
    # "nearly ₫270,000,000": the number stays a number, the sign is formatting.
    assert cell.data_type == "n"
    assert as_decimal(cell.value) == source.amount
    assert cell.number_format == '"≈ "#,##0 "VND"'
    figures = rendered.sheet("figures")
    value = next(
        row for row in figures.iter_rows() if row[0].value == "Value given (VND)"
    )
    assert value[1].number_format == '"≈ "#,##0 "VND"'


def test_a_vnd_or_lak_amount_is_never_shown_with_decimals(demo, busy):
    formats = {}
    for rendered in every_year(demo, busy):
        for worksheet in rendered.workbook:
            for row in worksheet.iter_rows():
                for cell in row:
                    for currency in ("VND", "LAK", "USD"):
                        if f'"{currency}"' in cell.number_format:
                            formats.setdefault(currency, set()).add(cell.number_format)
    assert formats["VND"] == {'#,##0 "VND"', '"≈ "#,##0 "VND"'}
    assert formats["LAK"] == {'#,##0 "LAK"'}
    # A currency with cents keeps them.
    assert '#,##0.00 "USD"' in formats["USD"]


# Layout and print


def test_a_wrapped_long_text_gets_a_row_tall_enough_for_its_lines():
    purpose = " ".join(["Working session on the joint programmes"] * 12)
    agreement = DelegationVisitFactory(
        start_date=datetime.date(YEAR, 5, 2), purpose=purpose
    ).agreement
    rendered = Rendered(build(agreement))
    worksheet = rendered.sheet("visits")
    header = [cell.value for cell in worksheet[1]]
    cell = worksheet.cell(row=2, column=header.index("Purpose") + 1)
    assert cell.value == purpose
    assert cell.alignment.wrap_text
    width = column_width(worksheet, cell.column)
    assert width == MAX_WIDTH
    lines = math.ceil(len(purpose) / width)
    assert worksheet.row_dimensions[2].height >= lines * LINE_HEIGHT
    # The header row keeps Excel's own height.
    assert worksheet.row_dimensions[1].height is None


def test_sentences_and_notes_come_under_the_tables_as_merged_wrapped_paragraphs(
    demo,
):
    rendered = demo[2022]
    worksheet = rendered.sheet("districts")
    (districts,) = sheet_tables(worksheet, rendered.section("districts"))
    note_row = districts.total[0].row + 2
    note = worksheet.cell(row=note_row, column=1)
    assert note.value == (
        "Districts marked “together” have one total: the source gives no split."
    )
    assert note.alignment.wrap_text
    assert f"A{note_row}:E{note_row}" in {str(r) for r in worksheet.merged_cells}
    # The figures' long definition wraps over several lines of a merged row.
    figures = rendered.sheet("figures")
    definition = next(
        row[0]
        for row in figures.iter_rows()
        if str(row[0].value).startswith("People") and row[0].value.endswith(".")
    )
    assert figures.row_dimensions[definition.row].height >= 2 * LINE_HEIGHT


def test_print_setup_is_a4_landscape_when_wide_and_fit_to_width_when_narrow(busy):
    kinds = set()
    for section in busy.report.sections:
        worksheet = busy.workbook[section.title]
        assert int(worksheet.page_setup.paperSize) == A4, section.key
        width = table_width(worksheet, section)
        landscape = worksheet.page_setup.orientation == "landscape"
        fits = bool(worksheet.sheet_properties.pageSetUpPr.fitToPage)
        assert landscape == (width > PORTRAIT_WIDTH), (section.key, width)
        assert fits == (width <= FIT_WIDTH), (section.key, width)
        if fits:
            assert worksheet.page_setup.fitToWidth == 1
            assert worksheet.page_setup.fitToHeight == 0
        kinds.add((landscape, fits))
    # Narrow and portrait, wide and shrunk to one page, too wide to shrink.
    assert kinds == {(False, True), (True, True), (True, False)}
    assert busy.sheet("figures").page_setup.orientation != "landscape"
    assert busy.sheet("visits").page_setup.orientation == "landscape"
    assert int(busy.workbook.worksheets[0].page_setup.paperSize) == A4


def test_a_40000_character_word_is_cut_within_excels_cell_limit():
    report = long_word_report("x" * 40_000)
    worksheet = Rendered(report).sheet("visits")
    header = [cell.value for cell in worksheet[1]]
    cell = worksheet.cell(row=2, column=header.index("Purpose") + 1)
    assert len(cell.value) <= CELL_TEXT_LIMIT == 32_767
    assert cell.value.startswith("x" * 1000)
    # The cut is marked.
    assert cell.value.endswith("…")
    # Excel's tallest row, the column no wider than the widest.
    assert worksheet.row_dimensions[2].height == 409
    assert column_width(worksheet, cell.column) == MAX_WIDTH


def test_a_long_formula_like_text_is_cut_and_neutralised_with_its_cut_mark():
    report = long_word_report("=" + "x" * 40_000)
    worksheet = Rendered(report).sheet("visits")
    header = [cell.value for cell in worksheet[1]]
    cell = worksheet.cell(row=2, column=header.index("Purpose") + 1)
    assert cell.value.startswith("'=xxx")
    assert len(cell.value) <= CELL_TEXT_LIMIT
    assert cell.value.endswith("…")


def test_an_empty_year_keeps_every_sheet_and_says_what_is_missing():
    rendered = Rendered(empty_report())
    assert rendered.workbook.sheetnames[1:] == SECTION_TITLES
    visits = rendered.sheet("visits")
    table = rendered.section("visits").tables[0]
    assert values(visits[1][: len(table.columns)]) == [c.title for c in table.columns]
    lines = [row[0] for row in visits.iter_rows(values_only=True)]
    assert "No visit recorded for this year." in lines
    # Nothing to filter, freeze or add up.
    assert visits.auto_filter.ref is None
    assert visits.freeze_panes is None
    programmes = [
        row[0] for row in rendered.sheet("programmes").iter_rows(values_only=True)
    ]
    assert "Total" not in programmes
    assert "No programme recorded for this year." in programmes
    # And no example row on the cover.
    assert "Example records" not in rows_by_label(rendered.workbook.worksheets[0])


# Safety and file properties


def test_rendering_makes_no_database_query(django_assert_num_queries):
    report = busy_report()
    staff_copy = build(half_published_year(), published_only=False)
    with django_assert_num_queries(0):
        render(report)
        render(staff_copy)


def test_formula_payloads_stay_inert_text():
    rendered = Rendered(hostile_report())
    workbook = rendered.workbook
    for worksheet in workbook:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_TRIGGERS), cell.value
    archive = zipfile.ZipFile(io.BytesIO(rendered.content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(name), name
    titles = [
        row[0] for row in rendered.sheet("programmes").iter_rows(values_only=True)
    ]
    header = [cell.value for cell in rendered.sheet("visits")[1]]
    purposes = [
        row[header.index("Purpose")]
        for row in rendered.sheet("visits").iter_rows(min_row=2, values_only=True)
    ]
    for payload in FORMULA_PAYLOADS:
        assert neutralise(payload) in titles
        assert neutralise(payload) in purposes
    hyperlink = next(
        cell
        for cell in rendered.sheet("programmes")["A"]
        if cell.value == neutralise(FORMULA_PAYLOADS[0])
    )
    assert hyperlink.data_type == "s"
    assert hyperlink.value.startswith("'=HYPERLINK(")
    items = rendered.sheet("items")
    assert [
        row[0] for row in items.iter_rows(min_row=2, max_row=2, values_only=True)
    ] == ["'=1+2"]


def test_markup_and_control_characters_come_out_as_plain_text():
    rendered = Rendered(hostile_report())
    worksheet = rendered.sheet("visits")
    header = [cell.value for cell in worksheet[1]]
    visits = [
        dict(zip(header, row, strict=True))
        for row in worksheet.iter_rows(min_row=2, values_only=True)
    ]
    assert HTML_PAYLOAD in {row["Purpose"] for row in visits}
    assert all(HTML_PAYLOAD in row["Delegation"] for row in visits)
    # Only a cell's start can trigger a formula: "-chair" mid-text stays as typed.
    assert all(", -chair" in row["Delegation"] for row in visits)
    assert all("'-chair" not in row["Delegation"] for row in visits)
    # XML cannot carry a vertical tab: it is dropped, not an error.
    assert {row["Outcomes"] for row in visits} == {"Outcomewith a vertical tab"}


def test_document_properties_name_the_report(demo):
    rendered = demo[2022]
    report = rendered.report
    properties = rendered.workbook.properties
    assert properties.title == f"Annual report 2022 – {report.agreement.title}"
    assert properties.creator == COMPANY
    assert "2022" in properties.keywords
    assert properties.subject == "Progress of the cooperation agreement in 2022"
    assert properties.description == "Published records only."
    expected = report.generated_at.astimezone(datetime.UTC).replace(
        tzinfo=None, microsecond=0
    )
    assert properties.created == expected
    application = zipfile.ZipFile(io.BytesIO(rendered.content)).read("docProps/app.xml")
    assert f"<Company>{COMPANY}</Company>".encode() in application


def test_public_copies_hold_published_records_only_and_staff_copies_say_so():
    agreement = half_published_year()
    public = Rendered(build(agreement))
    staff = Rendered(build(agreement, published_only=False))

    def purposes(rendered):
        (visits,) = sheet_tables(rendered.sheet("visits"), rendered.section("visits"))
        return [cell.value for cell in visits.column("Purpose")]

    assert purposes(public) == [PUBLISHED_PURPOSE]
    assert purposes(staff) == [PUBLISHED_PURPOSE, UNPUBLISHED_PURPOSE]
    assert rows_by_label(public.workbook.worksheets[0])["Records"][0] == (
        "Published records only."
    )
    staff_note = "Includes unpublished records: not for publication."
    assert rows_by_label(staff.workbook.worksheets[0])["Records"][0] == staff_note
    assert staff.workbook.properties.description == staff_note


def test_example_records_are_marked_where_they_appear(busy):
    (visits,) = sheet_tables(busy.sheet("visits"), busy.section("visits"))
    senders = [cell.value for cell in visits.column("Sending party")]
    assert sum(sender.endswith(" (Example)") for sender in senders) == 1
    programmes = [
        row[0] for row in busy.sheet("programmes").iter_rows(values_only=True)
    ]
    assert "[Example] Blankets for elderly people (Example)" in programmes
    assert "Example records" in rows_by_label(busy.workbook.worksheets[0])


# Languages and sheet names


@pytest.mark.parametrize("language", ["vi", "lo"])
def test_renders_in_each_language_with_legal_sheet_names(language):
    report = demo_report(language=language)
    rendered = Rendered(report, language)
    names = rendered.workbook.sheetnames
    assert len(names) == 1 + len(report.sections) == 12
    assert names[1:] == [section.title for section in report.sections]
    assert all(len(name) <= 31 for name in names)
    assert not any(set(name) & set("\\/?*:[]") for name in names)
    assert len({name.lower() for name in names}) == len(names)
    (each,) = sheet_tables(
        rendered.sheet("distributions"), rendered.section("distributions")
    )
    # The header is in the report's language: look it up the same way.
    with translation.override(language):
        packages = translation.gettext("Packages")
    assert each.total_of(packages) == 150


def test_lao_report_carries_lao_place_and_item_names():
    rendered = Rendered(demo_report(language="lo"), "lo")
    (districts,) = sheet_tables(
        rendered.sheet("districts"), rendered.section("districts")
    )
    label = districts.rows[0][0].value
    assert "ເມືອງພູວົງ" in label and "ເມືອງຊານໄຊ" in label
    items = [row[0] for row in rendered.sheet("items").iter_rows(values_only=True)]
    assert "ກະເປົ໋ານັກຮຽນ" in items
    assert "ເມືອງຊານໄຊ" in "\n".join(texts(rendered.workbook))


def test_vietnamese_report_carries_vietnamese_names():
    rendered = Rendered(demo_report(language="vi"), "vi")
    with translation.override("vi"):
        label = translation.gettext("Parties")
    parties = rows_by_label(rendered.workbook.worksheets[0])[label][0]
    assert "Hội Chữ thập đỏ tỉnh Kon Tum" in parties
    (districts,) = sheet_tables(
        rendered.sheet("districts"), rendered.section("districts")
    )
    assert districts.rows[0][0].value.startswith("huyện ")


def test_the_workbook_names_its_author_in_the_report_language():
    rendered = Rendered(demo_report(language="lo"), "lo")
    with translation.override("lo"):
        author = translation.gettext("Red Cross cooperation agreements")
    assert rendered.workbook.properties.creator == author
    application = zipfile.ZipFile(io.BytesIO(rendered.content)).read("docProps/app.xml")
    assert f"<Company>{author}</Company>".encode() in application


def test_sheet_titles_are_shortened_cleaned_and_unique():
    taken = set()
    long = "Distributions: by district / [all] of them, with notes"
    first, second, third = (sheet_title(long, taken) for _ in range(3))
    assert all(len(title) <= 31 for title in (first, second, third))
    assert not set(first + second + third) & set("\\/?*:[]")
    assert len({first, second, third}) == 3
    assert second.endswith(" 2") and third.endswith(" 3")
    # Excel compares sheet names without case.
    assert sheet_title("Plans", taken) == "Plans"
    assert sheet_title("PLANS", taken) == "PLANS 2"
    # No apostrophe at either end, no XML-illegal character, never empty.
    assert sheet_title("'Quoted'", taken) == "Quoted"
    assert sheet_title("Bell\x07 tab\x0b", taken) == "Bell tab"
    assert sheet_title("???", taken) == "Sheet"


def test_the_export_registry_serves_the_workbook(demo):
    report = demo[2022].report
    with translation.override("en"):
        assert report_render(report, "xlsx")[:2] == b"PK"
        response = report_response(report, "xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith('_2022_en.xlsx"')
