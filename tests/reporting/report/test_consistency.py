"""One truth: every output says what the sections say, cell by cell.

The sections are built once (`reporting/report/sections.py`); here each output is
read back as its reader sees it (the page's HTML, the PDF's text, the DOCX's
tables, the XLSX's typed cells, the CSV's rows and HXL columns) and compared with
the section tables, for every demo year, for a busy generated year, and for a
year where people reached is recorded on a programme and on its distributions.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cooperation.models import Agreement
from exchanges.models import DelegationVisit
from reporting.demo import AGREEMENT_SLUG, EXAMPLE_AGREEMENT_SLUG, demo_load
from reporting.report.annual import annual_report_build
from reporting.report.csv import HXL_AGE_BANDS, HXL_SEXES, report_csv
from reporting.report.export import report_render
from reporting.report.sections import Kind
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DistrictFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)
from tests.reporting.report.readback import (
    csv_rows,
    docx_tables,
    expected_cells,
    html_tables,
    hxl_sums,
    normal,
    pdf_text,
    xlsx_sheets,
    xlsx_value,
)

pytestmark = pytest.mark.django_db


def build(agreement, year):
    with translation.override("en"):
        # The page uses the real date: so does the report it is compared with.
        return annual_report_build(
            agreement=agreement, year=year, today=timezone.localdate()
        )


def render(report, file_format):
    with translation.override("en"):
        return report_render(report, file_format)


def year_page_html(client, agreement, year):
    # The English page, as the report is built in English: its address says so
    # (make bench calls this with no language active).
    with translation.override("en"):
        url = reverse(
            "reporting:agreement_year", kwargs={"slug": agreement.slug, "year": year}
        )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_page_shows_the_sections(html, report):
    shown = html_tables(html)
    for section in report.sections:
        if not section.on_page:
            # One row per record is for the files; the page says how many.
            assert all(table.key not in shown for table in section.tables)
            continue
        for table in section.tables:
            if table.is_empty:
                assert table.key not in shown
                continue
            expected = expected_cells(table)
            rows = shown[table.key]
            assert len(rows) == len(expected), table.key
            for got, want in zip(rows, expected, strict=True):
                # A card shows some columns, a table all of them: each shown cell
                # must say exactly what the section says.
                assert got, table.key
                for index, text in got.items():
                    assert text == want[index], (table.key, index, text, want[index])


def assert_docx_shows_the_sections(content, report):
    tables = docx_tables(content)
    expected = [
        table
        for section in report.sections
        for table in section.tables
        if not table.is_empty
    ]
    # The sections' tables come first, then the signature block.
    for table, got in zip(expected, tables, strict=False):
        assert got[0] == [column.title for column in table.columns]
        assert got[1:] == expected_cells(table), table.key


def assert_xlsx_holds_the_sections(content, report):
    sheets = xlsx_sheets(content)
    titles = list(sheets)
    assert titles[1:] == [section.title for section in report.sections]
    for section in report.sections:
        rows = sheets[section.title]
        for table in section.tables:
            if table.is_empty and len(section.tables) > 1:
                continue
            header = [column.title for column in table.columns]
            start = next(
                i for i, row in enumerate(rows) if row[: len(header)] == header
            )
            body = rows[start + 1 : start + 1 + len(table.rows)]
            for got, want in zip(body, table.rows, strict=True):
                assert got[: len(want)] == [xlsx_value(cell) for cell in want]
            if table.total is not None:
                total = rows[start + 1 + len(table.rows)]
                assert total[: len(table.total)] == [
                    xlsx_value(cell) for cell in table.total
                ], table.key


def assert_pdf_states_the_figures(content, report):
    """Every figure of every table row, in the row's order, in the PDF's text."""
    text = pdf_text(content)
    for section in report.sections:
        if not section.on_page:
            # Like the page, the printed report says how many; the files list them.
            assert normal(f"{section.row_count} record") in text
            continue
        for table in section.tables:
            numeric = [i for i, c in enumerate(table.columns) if c.is_numeric]
            for want in expected_cells(table):
                figures = [want[i] for i in numeric if want[i] != "–"]
                position = 0
                for figure in figures:
                    found = text.find(figure, position)
                    assert found >= 0, (table.key, figure)
                    position = found + len(figure)


def section_table(report, key):
    return next(
        table
        for section in report.sections
        for table in section.tables
        if table.key == key
    )


def column_total(table, title):
    index = [column.title for column in table.columns].index(title)
    return table.total[index] if table.total else None


def assert_csv_sums_to_the_sections(content, report):
    """Summing each numeric HXL column gives the sections' totals, once each."""
    sums = hxl_sums(content)
    figures = section_table(report, "figures")
    counts = {row[0]: row[1] for row in figures.rows}
    if counts["People reached"] is not None:
        assert sums.get(("#reached+ind", ""), 0) == counts["People reached"]
    distributions = section_table(report, "distributions")
    if distributions.total:
        assert sums.get(("#output+num", ""), 0) == column_total(
            distributions, "Packages"
        )
        recipients = column_total(distributions, "Gift recipients")
        assert sums.get(("#x_recipients+ind", ""), 0) == (recipients or 0)
        for column, cell in zip(
            distributions.columns, distributions.total, strict=True
        ):
            if column.kind == Kind.MONEY:
                assert sums[("#value", column.currency)] == cell.amount
    programmes = section_table(report, "programmes")
    if programmes.total:
        for column, cell in zip(programmes.columns, programmes.total, strict=True):
            if column.kind == Kind.MONEY:
                assert sums[("#x_cost", column.currency)] == cell.amount
    # No two numeric columns share a tag, and none is a pattern of another: HXL
    # matches a pattern's attributes as a subset of a tag's.
    _header, tags, _rows = csv_rows(content, hxl=True)
    measures = ("#value", "#x_cost", "#reached", "#x_recipients", "#output")
    numeric = [tag for tag in tags if tag.startswith(measures)]
    assert len(numeric) == len(set(numeric))
    for pattern in numeric:
        assert [tag for tag in numeric if hxl_matches(pattern, tag)] == [pattern]
    # The listed recipients by sex and age band: each column sums to its cell of
    # the recipients table, and together to its total.
    breakdown = report.progress.recipients
    for (sex, band), count in breakdown.counts:
        tag = f"#reached{HXL_SEXES[sex]}{HXL_AGE_BANDS[band]}"
        assert sums[(tag, "")] == count
    listed = [
        tag for tag in numeric if tag.startswith("#reached+") and "+ind" not in tag
    ]
    assert sum(sums.get((tag, ""), 0) for tag in listed) == breakdown.listed
    recipients_table = section_table(report, "recipients")
    if recipients_table.total:
        assert recipients_table.total[-1] == breakdown.listed


def hxl_matches(pattern, tag):
    hashtag, *attributes = pattern.split("+")
    tag_hashtag, *tag_attributes = tag.split("+")
    return hashtag == tag_hashtag and set(attributes) <= set(tag_attributes)


def assert_every_output_agrees(client, agreement, year):
    report = build(agreement, year)
    assert_page_shows_the_sections(year_page_html(client, agreement, year), report)
    assert_docx_shows_the_sections(render(report, "docx"), report)
    assert_xlsx_holds_the_sections(render(report, "xlsx"), report)
    assert_pdf_states_the_figures(render(report, "pdf"), report)
    with translation.override("en"):
        assert_csv_sums_to_the_sections(
            report_csv(report, hxl=True).encode("utf-8-sig"), report
        )
    return report


def assert_totals_equal_their_rows(report):
    for section in report.sections:
        for table in section.tables:
            if table.total is None:
                continue
            for index, column in enumerate(table.columns):
                if not column.summed:
                    continue
                cells = [row[index] for row in table.rows if row[index] is not None]
                if column.kind == Kind.INTEGER:
                    assert table.total[index] == (sum(cells) if cells else None)
                else:
                    assert table.total[index].amount == sum(c.amount for c in cells)


@pytest.mark.parametrize(
    "slug, year",
    [
        (AGREEMENT_SLUG, 2022),
        *((EXAMPLE_AGREEMENT_SLUG, year) for year in range(2022, 2028)),
    ],
)
def test_every_demo_year_reads_the_same_in_every_output(client, slug, year):
    demo_load(examples=True)
    agreement = Agreement.objects.get(slug=slug)
    report = assert_every_output_agrees(client, agreement, year)
    assert_totals_equal_their_rows(report)


def test_2023_district_total_is_the_rows_not_the_years_people_reached(client):
    # The year reached 420 people (check-ups included); its one distribution
    # reached 80. The district table's total is its rows: 80, never 420.
    demo_load(examples=True)
    report = build(Agreement.objects.get(slug=EXAMPLE_AGREEMENT_SLUG), 2023)
    districts = section_table(report, "districts")
    assert column_total(districts, "Gift recipients") == sum(
        row[3] for row in districts.rows
    )
    figures = section_table(report, "figures")
    assert dict((row[0], row[1]) for row in figures.rows)["People reached"] == 420
    assert column_total(districts, "Gift recipients") == 80


def test_people_on_a_programme_and_on_its_distributions_are_counted_once(client):
    agreement = AgreementFactory(slug="people-2022-2027")
    CommitmentFactory(agreement=agreement)
    counted = JointProgramFactory(agreement=agreement, year=2024, people_reached=500)
    GiftDistributionFactory(program=counted, packages=60, people_reached=60)
    GiftDistributionFactory(program=counted, packages=40, people_reached=40)
    summed = JointProgramFactory(agreement=agreement, year=2024, people_reached=None)
    GiftDistributionFactory(program=summed, packages=30, people_reached=30)
    report = assert_every_output_agrees(client, agreement, 2024)
    figures = section_table(report, "figures")
    # 500 from the programme's own figure, 30 from the other's distributions.
    assert dict((r[0], r[1]) for r in figures.rows)["People reached"] == 530
    assert (
        column_total(section_table(report, "distributions"), "Gift recipients") == 130
    )
    assert column_total(section_table(report, "programmes"), "People reached") == 530


def test_planned_and_cancelled_programmes_count_in_no_output(client):
    # Both are listed with their status; neither their people, cost nor
    # distributions enter a total, in any format.
    agreement = AgreementFactory(slug="statuses-2022-2027")
    CommitmentFactory(agreement=agreement)
    for status, packages in (("completed", 25), ("planned", 100), ("cancelled", 60)):
        programme = JointProgramFactory(
            agreement=agreement,
            year=2024,
            status=status,
            people_reached=packages * 2,
            actual_cost=Decimal(packages * 1_000_000),
        )
        GiftDistributionFactory(
            program=programme, packages=packages, people_reached=packages
        )
    report = assert_every_output_agrees(client, agreement, 2024)
    assert_totals_equal_their_rows(report)
    figures = dict((r[0], r[1]) for r in section_table(report, "figures").rows)
    assert (figures["Programmes held"], figures["People reached"]) == (1, 50)
    programmes = section_table(report, "programmes")
    assert len(programmes.rows) == 3
    assert column_total(programmes, "People reached") == 50
    assert column_total(programmes, "Cost (VND)").amount == 25_000_000
    distributions = section_table(report, "distributions")
    assert column_total(distributions, "Packages") == 25


def test_a_busy_year_in_two_currencies_reads_the_same_everywhere(client):
    agreement = AgreementFactory(slug="busy-2022-2027")
    CommitmentFactory(agreement=agreement)
    districts = [DistrictFactory() for _ in range(6)]
    for index in range(12):
        programme = JointProgramFactory(
            agreement=agreement,
            year=2024,
            actual_cost=Decimal(1_000_000 * (index + 1)),
        )
        for number in range(5):
            distribution = GiftDistributionFactory(
                program=programme,
                packages=10 + number,
                people_reached=20 + number,
                currency="LAK" if number == 4 else "VND",
                total_value=Decimal(500_000 * (number + 1)),
                value_is_approximate=number == 0,
            )
            first = (index + number) % 5
            # One distribution in five is reported for two districts together.
            distribution.districts.set(districts[first : first + 1 + (number == 3)])
    report = assert_every_output_agrees(client, agreement, 2024)
    assert_totals_equal_their_rows(report)
    values = section_table(report, "districts")
    assert [c.currency for c in values.columns if c.kind == Kind.MONEY] == [
        "VND",
        "LAK",
    ]


def test_a_hostile_long_word_does_not_change_any_figure(client):
    # 4,000 characters is as long as a purpose can be (see test_text_limits).
    demo_load(examples=True)
    agreement = Agreement.objects.get(slug=EXAMPLE_AGREEMENT_SLUG)
    DelegationVisit.objects.filter(agreement=agreement, start_date__year=2023).update(
        purpose_en="x" * 4000
    )
    report = assert_every_output_agrees(client, agreement, 2023)
    # The figures above were compared in every format; the word only wrapped.
    assert normal(section_table(report, "visits").rows[0][6]) == "x" * 4000
