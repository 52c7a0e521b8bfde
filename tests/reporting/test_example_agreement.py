"""A made-up agreement says so on every page and in every file, whatever a year holds.

Its records need not carry their own example flag: on a made-up agreement
everything is made up, so the agreement's flag alone decides.
"""

import datetime
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from reporting.report.annual import annual_report_build
from reporting.report.csv import report_csv
from reporting.report.export import report_render
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)
from tests.reporting.report.readback import csv_rows, normal, pdf_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
AGREEMENT_NOTE = (
    "This agreement is made up: an example for demonstration, between fictional "
    "parties. Nothing in it is real."
)
YEAR_NOTE = "This year includes example records"
# 2023 holds a record (not itself flagged as an example); 2026 holds none.
YEARS = (2023, 2026)


@pytest.fixture
def made_up(db):
    agreement = AgreementFactory(
        is_example=True, title_en="[Example] Made-up cooperation, 2022–2027"
    )
    CommitmentFactory(agreement=agreement)
    programme = JointProgramFactory(agreement=agreement, year=2023)
    GiftDistributionFactory(program=programme, packages=12)
    return agreement


@pytest.fixture
def real(db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement)
    programme = JointProgramFactory(agreement=agreement, year=2023)
    GiftDistributionFactory(program=programme, packages=12)
    return agreement


def year_url(agreement, year):
    return reverse(
        "reporting:agreement_year", kwargs={"slug": agreement.slug, "year": year}
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return normal(response.content.decode())


def build(agreement, year):
    with translation.override("en"):
        return annual_report_build(agreement=agreement, year=year, today=TODAY)


def render(report, file_format):
    with translation.override("en"):
        return report_render(report, file_format)


def test_every_page_of_a_made_up_agreement_says_so(client, made_up):
    for url in (made_up.get_absolute_url(), *(year_url(made_up, y) for y in YEARS)):
        html = page(client, url)
        assert AGREEMENT_NOTE in html, url
        assert 'class="badge badge--example"' in html, url


def test_the_list_marks_the_made_up_agreement_and_only_it(client, made_up, real):
    html = page(client, reverse("reporting:agreement_list"))
    assert html.count(AGREEMENT_NOTE) == 1
    made_up_card = html[html.index(made_up.title) :]
    assert made_up_card.index(AGREEMENT_NOTE) < made_up_card.index("</li>")
    # Both run over the same years; the real one is listed first.
    assert html.index(real.title) < html.index(made_up.title)


def test_every_report_file_of_a_made_up_agreement_says_so(made_up):
    for year in YEARS:
        report = build(made_up, year)
        assert AGREEMENT_NOTE in pdf_text(render(report, "pdf")), year
        paragraphs = [
            p.text for p in docx.Document(io.BytesIO(render(report, "docx"))).paragraphs
        ]
        assert f"Example: {AGREEMENT_NOTE}" in paragraphs, year
        cover = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx"))).worksheets[0]
        assert ("Example agreement", AGREEMENT_NOTE) in [
            row[:2] for row in cover.iter_rows(values_only=True)
        ], year
        _header, _tags, rows = csv_rows(report_csv(report).encode("utf-8-sig"))
        activities = [row for row in rows if row["record type"] != "confirmation"]
        assert len(activities) == (2 if year == 2023 else 0)
        # The programme and its distribution, though neither is flagged itself.
        assert all(row["example record"] == "yes" for row in rows), year


def test_a_real_agreement_says_nothing_of_examples_where_it_holds_none(client, real):
    for url in (real.get_absolute_url(), year_url(real, 2023)):
        html = page(client, url)
        assert AGREEMENT_NOTE not in html and YEAR_NOTE not in html
    report = build(real, 2023)
    assert AGREEMENT_NOTE not in pdf_text(render(report, "pdf"))
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(render(report, "docx"))).paragraphs
    ]
    assert not any(text.startswith("Example:") for text in paragraphs)
    cover = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx"))).worksheets[0]
    assert not any(
        str(row[0]).startswith("Example") for row in cover.iter_rows(values_only=True)
    )
    _header, _tags, rows = csv_rows(report_csv(report).encode("utf-8-sig"))
    assert [row["record type"] for row in rows] == [
        "programme",
        "distribution",
        "confirmation",
        "confirmation",
    ]
    assert all(row["example record"] == "" for row in rows)
