"""A successor is named as such on the year page and in every report format.

Parties A and B; B is succeeded by a generated B2 on 1 July 2025. From 2025 the
page and the files name B's side "B2 … (formerly B …, since 1 July 2025)"; 2024
still names B alone. Old records keep the names they were made with.
"""

import datetime
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from cooperation.formatting import date_text
from reporting.report.annual import RECORD_PROGRAMME, annual_report_build
from reporting.report.csv import report_csv
from reporting.report.export import report_render
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DelegationVisitFactory,
    JointProgramFactory,
    OrganisationFactory,
    succeeded,
)
from tests.reporting.report.readback import csv_rows, normal, pdf_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
MERGER = datetime.date(2025, 7, 1)


@pytest.fixture
def agreement():
    a = OrganisationFactory(name_en="A Provincial Red Cross")
    b = OrganisationFactory(name_en="B Provincial Red Cross")
    agreement = AgreementFactory(parties=[a, b])
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    b2 = succeeded(b, on=MERGER, name_en="B2 Provincial Red Cross")
    DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(2025, 9, 1),
        sending_party=b2,
        host_party=a,
    )
    # Led by A: the CSV's partner column names the other side as it stands.
    JointProgramFactory(agreement=agreement, year=2026, lead_organisation=a)
    return agreement


def successor_name():
    with translation.override("en"):
        return (
            "B2 Provincial Red Cross (formerly B Provincial Red Cross, since "
            f"{date_text(MERGER)})"
        )


def report_texts(agreement, year):
    """{format: its text as a reader sees it} of the year's four report files."""
    with translation.override("en"):
        report = annual_report_build(agreement=agreement, year=year, today=TODAY)
        pdf = report_render(report, "pdf")
        word = docx.Document(io.BytesIO(report_render(report, "docx")))
        workbook = openpyxl.load_workbook(io.BytesIO(report_render(report, "xlsx")))
        csv_content = report_csv(report, hxl=True).encode("utf-8-sig")
    word_text = [p.text for p in word.paragraphs] + [
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    ]
    return {
        "pdf": pdf_text(pdf),
        "docx": normal("\n".join(word_text)),
        "xlsx": normal(
            "\n".join(
                str(value)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
        ),
        "csv": csv_content,
    }


def year_page(client, agreement, year):
    url = reverse(
        "reporting:agreement_year", kwargs={"slug": agreement.slug, "year": year}
    )
    return normal(client.get(url).content.decode())


def test_year_page_names_the_successor_with_its_predecessor_and_date(client, agreement):
    assert successor_name() in year_page(client, agreement, 2026)
    assert successor_name() in year_page(client, agreement, 2025)
    before = year_page(client, agreement, 2024)
    assert successor_name() not in before
    assert (
        "Parties:</strong> A Provincial Red Cross · B Provincial Red Cross<" in before
    )


def test_agreement_page_names_the_successor(client, agreement):
    url = reverse("reporting:agreement", kwargs={"slug": agreement.slug})
    html = normal(client.get(url).content.decode())

    assert successor_name() in html
    # A hosted in 2025: 2026 is the turn of B's side, which B2 now stands for.
    assert "Next yearly exchange: 2026, hosted by B2 Provincial Red Cross." in html


def test_every_report_format_names_the_successor(agreement):
    texts = report_texts(agreement, 2026)

    for code in ("pdf", "docx", "xlsx"):
        assert successor_name() in texts[code], code
    # Twice in the PDF and the DOCX: on the cover and above its signature lines.
    assert texts["pdf"].count(successor_name()) == 2
    assert texts["docx"].count(successor_name()) == 2
    _header, _tags, rows = csv_rows(texts["csv"], hxl=True)
    programme = next(row for row in rows if row["record type"] == RECORD_PROGRAMME)
    assert programme["partner or host"] == successor_name()


def test_records_keep_the_names_they_were_made_with(agreement):
    texts = report_texts(agreement, 2025)

    _header, _tags, rows = csv_rows(texts["csv"], hxl=True)
    activities = [row for row in rows if row["record type"] != "confirmation"]
    assert [row["organisation"] for row in activities] == ["B2 Provincial Red Cross"]
    assert successor_name() in texts["pdf"]
