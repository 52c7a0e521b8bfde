"""What the demo's pages and report files say, read back as their readers read them.

With the example agreement loaded beside it (as `make run` does), the real
memorandum says what its source states and nothing more: one visit, one
programme, 150 packages worth nearly ₫270,000,000, a photo credit, and nothing
in 2023 or later. The example agreement says on every page and in every file
that it is made up.
"""

import datetime
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cooperation.models import Agreement
from exchanges.models import DelegationVisit
from programs.models import JointProgram
from reporting.demo import AGREEMENT_SLUG, EXAMPLE_AGREEMENT_SLUG
from reporting.progress import Money, Status
from reporting.report.annual import (
    RECORD_CONFIRMATION,
    RECORD_DISTRIBUTION,
    RECORD_PROGRAMME,
    RECORD_VISIT,
    annual_report_build,
)
from reporting.report.csv import report_csv
from reporting.report.export import report_render
from tests.reporting.report.readback import csv_rows, hxl_sums, normal, pdf_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
YEARS = range(2022, 2028)
SOURCE_VALUE = Money("VND", Decimal("270000000"), approximate=True)
# Any of these in a real output would be example data showing through.
EXAMPLE_WORDS = ("example", "made up", "made-up", "fictional")
AGREEMENT_NOTE = (
    "This agreement is made up: an example for demonstration, between fictional "
    "parties. Nothing in it is real."
)


UNCONFIRMED = (
    "No party has confirmed its records of %(year)s as complete yet. Until every "
    "party has, an activity without a record reads “no record yet”, not “not met”."
)
# No source says what became of the Kon Tum branch: from 2025 every output says
# what became of its province instead.
KON_TUM_NOTE = (
    "Kon Tum province was merged into Quảng Ngãi province on July 1, 2025; no "
    "successor branch is recorded."
)


@pytest.fixture
def demo(db):
    call_command("load_demo", "--examples", stdout=io.StringIO())


def agreement_url(slug):
    return reverse("reporting:agreement", kwargs={"slug": slug})


def year_url(slug, year):
    return reverse("reporting:agreement_year", kwargs={"slug": slug, "year": year})


def build(slug, year):
    with translation.override("en"):
        return annual_report_build(
            agreement=Agreement.objects.get(slug=slug), year=year, today=TODAY
        )


def files(report):
    """{format: what its reader sees, as text} of the four report files."""
    with translation.override("en"):
        rendered = {code: report_render(report, code) for code in ("pdf", "docx")}
        workbook = report_render(report, "xlsx")
        csv_content = report_csv(report, hxl=True).encode("utf-8-sig")
    document = docx.Document(io.BytesIO(rendered["docx"]))
    docx_text = [p.text for p in document.paragraphs] + [
        cell.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    ]
    sheets = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets
    xlsx_text = [
        str(value)
        for sheet in sheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    return {
        "pdf": pdf_text(rendered["pdf"]),
        "docx": normal("\n".join(docx_text)),
        "xlsx": normal("\n".join(xlsx_text)),
        "csv": csv_content,
        "xlsx_sheets": sheets,
    }


def assert_says_nothing_of_examples(text, where):
    lowered = text.lower()
    for word in EXAMPLE_WORDS:
        assert word not in lowered, (where, word)


# The real memorandum


def test_the_real_agreement_page_totals_are_the_sources_and_nothing_more(client, demo):
    response = client.get(agreement_url(AGREEMENT_SLUG))
    overview = response.context["overview"]
    totals = overview.totals_to_date
    assert (totals.visits, totals.programmes, totals.distributions) == (1, 1, 1)
    assert totals.packages == 150
    assert totals.values == (SOURCE_VALUE,)
    assert totals.people_reached is None and totals.costs == ()
    assert KON_TUM_NOTE in normal(response.content.decode())
    assert [type(record) for record in overview.timeline] == [
        DelegationVisit,
        JointProgram,
    ]
    for summary in overview.years:
        assert not summary.has_examples
        if summary.year > 2022:
            assert (summary.totals.visits, summary.totals.programmes) == (0, 0)
    html = normal(response.content.decode())
    assert "≈ ₫270,000,000" in html
    assert_says_nothing_of_examples(html, "agreement page")


def test_no_year_of_the_real_agreement_reads_not_met_until_it_is_confirmed(
    client, demo
):
    response = client.get(agreement_url(AGREEMENT_SLUG))
    overview = response.context["overview"]
    statuses = {
        year.year: {result.status for result in year.commitments}
        for year in overview.years
    }
    # The source says nothing of 2023–2025: every commitment, every year.
    assert statuses[2023] == statuses[2024] == statuses[2025] == {Status.NO_RECORD_YET}
    assert Status.NOT_MET not in set().union(*statuses.values())
    html = normal(response.content.decode())
    assert html.count("status--no_record_yet") >= 3 * len(overview.commitments)
    confirmations = html[html.index("Records confirmed complete by the parties") :]
    assert confirmations.index("not yet") < confirmations.index("</tr>")


def test_the_list_line_of_the_real_agreement_counts_the_sources_records(client, demo):
    html = normal(client.get(reverse("reporting:agreement_list")).content.decode())
    title = Agreement.objects.get(slug=AGREEMENT_SLUG).title
    card = html[html.index(title) :]
    card = card[: card.index("</li>")]
    assert "1 visit, 1 programme held; latest visit Sept. 28, 2022." in card
    assert_says_nothing_of_examples(card, "list card")


@pytest.mark.parametrize("year", YEARS)
def test_every_real_year_page_says_what_the_source_says(client, demo, year):
    response = client.get(year_url(AGREEMENT_SLUG, year))
    progress = response.context["progress"]
    html = normal(response.content.decode())
    assert_says_nothing_of_examples(html, year)
    assert progress.information_exchanges == ()
    if year < TODAY.year:
        # No party has confirmed a year: nothing recorded is no verdict.
        assert UNCONFIRMED % {"year": year} in html
        assert Status.NOT_MET not in {c.status for c in progress.commitments}
    assert (KON_TUM_NOTE in html) is (year >= 2025)
    if year == 2022:
        assert len(progress.visits) == len(progress.programmes) == 1
        assert len(progress.distributions) == 1
        assert progress.totals.packages == 150
        assert progress.totals.values == (SOURCE_VALUE,)
        assert "≈ ₫270,000,000" in html
        assert "Hoàng Minh/redcross.org.vn" in html
    else:
        assert progress.visits == progress.programmes == progress.distributions == ()
        assert progress.photos == ()
        assert "No visit recorded for this year." in html
        assert "No programme recorded for this year." in html


@pytest.mark.parametrize("year", YEARS)
def test_every_real_report_file_says_what_the_source_says(demo, year):
    report = build(AGREEMENT_SLUG, year)
    shown = files(report)
    for code in ("pdf", "docx", "xlsx"):
        assert_says_nothing_of_examples(shown[code], (code, year))
        assert (KON_TUM_NOTE in shown[code]) is (year >= 2025), (code, year)
    _header, _tags, rows = csv_rows(shown["csv"], hxl=True)
    assert all(row["example record"] == "" for row in rows)
    if year < TODAY.year:
        for code in ("pdf", "docx", "xlsx"):
            assert UNCONFIRMED % {"year": year} in shown[code], code
            assert "not met" not in shown[code].replace("“not met”", ""), code
    figures = {
        row[0]: row[1]
        for row in shown["xlsx_sheets"][1].iter_rows(values_only=True)
        if row[0] in ("Visits", "Programmes held", "Gift packages")
    }
    # Every year's file ends with each party's confirmation: none in the demo.
    confirmations = rows[-2:]
    assert [row["record type"] for row in confirmations] == [RECORD_CONFIRMATION] * 2
    assert {row["programme status"] for row in confirmations} == {
        "records not yet confirmed complete"
    }
    rows = rows[:-2]
    if year == 2022:
        assert [row["record type"] for row in rows] == [
            RECORD_VISIT,
            RECORD_PROGRAMME,
            RECORD_DISTRIBUTION,
        ]
        sums = hxl_sums(shown["csv"])
        assert sums[("#output+num", "")] == 150
        assert sums[("#value", "VND")] == Decimal("270000000")
        assert [row["value is approximate"] for row in rows][-1] == "yes"
        assert figures == {"Visits": 1, "Programmes held": 1, "Gift packages": 150}
        for code in ("pdf", "docx"):
            assert "≈ ₫270,000,000" in shown[code], code
            assert "Hoàng Minh/redcross.org.vn" in shown[code], code
    else:
        assert rows == []
        assert figures == {"Visits": 0, "Programmes held": 0, "Gift packages": 0}
        assert "No visit recorded for this year." in shown["docx"]


# The example agreement


def test_every_page_of_the_example_agreement_says_it_is_made_up(client, demo):
    list_html = normal(client.get(reverse("reporting:agreement_list")).content.decode())
    assert list_html.count(AGREEMENT_NOTE) == 1
    urls = [agreement_url(EXAMPLE_AGREEMENT_SLUG)]
    urls += [year_url(EXAMPLE_AGREEMENT_SLUG, year) for year in YEARS]
    for url in urls:
        html = normal(client.get(url).content.decode())
        assert AGREEMENT_NOTE in html, url
        assert "[Example] Made-up cooperation agreement" in html, url


def test_the_example_agreement_page_says_it_in_vietnamese_and_lao_too(client, demo):
    for language, made_up in (("vi", "không có thật"), ("lo", "ບໍ່ແມ່ນຂໍ້ມູນຈິງ")):
        with translation.override(language):
            html = client.get(agreement_url(EXAMPLE_AGREEMENT_SLUG)).content.decode()
        assert made_up in html, language


@pytest.mark.parametrize("year", YEARS)
def test_every_report_file_of_the_example_agreement_says_it_is_made_up(demo, year):
    report = build(EXAMPLE_AGREEMENT_SLUG, year)
    shown = files(report)
    # On the cover, before the first section.
    assert AGREEMENT_NOTE in shown["pdf"].split("The year in figures")[0]
    assert f"Example: {AGREEMENT_NOTE}" in shown["docx"]
    cover_sheet = [
        row[:2] for row in shown["xlsx_sheets"][0].iter_rows(values_only=True)
    ]
    assert ("Example agreement", AGREEMENT_NOTE) in cover_sheet
    # Every year holds a record, and every row of the CSV says it is an example.
    _header, _tags, rows = csv_rows(shown["csv"], hxl=True)
    assert rows
    assert all(row["example record"] == "yes" for row in rows)
