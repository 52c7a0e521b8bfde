"""One check across outputs: the year page and the four downloads agree on totals."""

import csv
import io
from collections import defaultdict
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from reporting.demo import AGREEMENT_SLUG, demo_load
from reporting.templatetags.progress_tags import money, number
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)
from tests.reporting.report.test_downloads import downloaded_text

pytestmark = pytest.mark.django_db


def download(client, slug, year, file_format):
    url = reverse(
        "reporting:agreement_report",
        kwargs={"slug": slug, "year": year, "file_format": file_format},
    )
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content


def csv_totals(content):
    packages, values = 0, defaultdict(Decimal)
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    for row in rows:
        if row["record type"] == "distribution":
            packages += int(row["packages"])
            values[row["currency"]] += Decimal(row["value"] or 0)
    return packages, dict(values)


def xlsx_totals(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Distributions"]
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows)
    packages, values = 0, defaultdict(Decimal)
    for row in rows:
        record = dict(zip(headers, row, strict=True))
        packages += record["Packages"]
        values[record["Currency"]] += Decimal(str(record["Value"] or 0))
    return packages, dict(values)


def plain(text):
    """Text as read back, without the no-break spaces and approximate marks."""
    return text.replace("\u00a0", " ").replace("≈ ", "")


def assert_everything_agrees(client, slug, year):
    page = client.get(
        reverse("reporting:agreement_year", kwargs={"slug": slug, "year": year}),
        headers={"accept-language": "en"},
    )
    totals = page.context["progress"].totals
    expected = (totals.packages, {m.currency: m.amount for m in totals.values})
    assert csv_totals(download(client, slug, year, "csv")) == expected
    assert xlsx_totals(download(client, slug, year, "xlsx")) == expected
    for file_format in ("docx", "pdf"):
        text = plain(
            downloaded_text(download(client, slug, year, file_format), file_format)
        )
        assert plain(number(totals.packages)) in text
        for value in totals.values:
            assert plain(money(value)) in text
    return expected


def test_demo_2022_page_and_downloads_agree(client):
    demo_load()
    expected = assert_everything_agrees(client, AGREEMENT_SLUG, 2022)
    assert expected == (150, {"VND": Decimal("270000000")})


def test_a_generated_year_in_two_currencies_agrees_everywhere(client):
    agreement = AgreementFactory(slug="generated-2022-2027")
    CommitmentFactory(agreement=agreement)
    for index in range(3):
        programme = JointProgramFactory(agreement=agreement, year=2024)
        GiftDistributionFactory(program=programme, packages=40 + index)
        GiftDistributionFactory(
            program=programme,
            packages=7,
            currency="LAK",
            total_value=Decimal("3500000"),
        )
    expected = assert_everything_agrees(client, "generated-2022-2027", 2024)
    assert expected[0] == 3 * 7 + 40 + 41 + 42
