"""Every public page, admin screen and report file in Vietnamese, Lao and English.

Each is read as its reader gets it: the status, the `lang` of the page, a heading
in the reader's language (looked up through the catalogue, so a missing
translation fails), and a figure and a date written the reader's way
(270.000.000 ₫ and 28/9/2022 in Vietnamese, ₫270,000,000 and Sept. 28, 2022 in
English). The expected texts come from the catalogues and formats, never typed
here in one language.
"""

import datetime
import io
import subprocess
import unicodedata
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cooperation.formatting import date_text, money_text
from programs.models import JointProgram
from reporting.demo import AGREEMENT_SLUG, demo_load
from tests.reporting.report.readback import csv_rows, normal

pytestmark = pytest.mark.django_db

LANGUAGES = ["vi", "lo", "en"]
VISIT_DAY = datetime.date(2022, 9, 28)
SOURCE_VALUE = Decimal("270000000")


@pytest.fixture
def demo(db):
    demo_load()


def in_language(language, function, *args, **kwargs):
    with translation.override(language):
        return str(function(*args, **kwargs))


def expected(language):
    """What a reader of `language` reads for the demo's heading, figure and date."""
    if language != "en":
        # A heading left in English would pass below as well as a translated one.
        for heading in ("The year in figures", "Scorecard"):
            assert in_language(language, gettext, heading) != heading, heading
    return {
        "figures": in_language(language, gettext, "The year in figures"),
        "scorecard": in_language(language, gettext, "Scorecard"),
        "value": normal(
            in_language(language, money_text, SOURCE_VALUE, "VND", approximate=True)
        ),
        "date": in_language(language, date_text, VISIT_DAY),
    }


def page_url(language, name, **kwargs):
    with translation.override(language):
        return reverse(f"reporting:{name}", kwargs=kwargs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_public_page_reads_in_its_language(client, demo, language):
    want = expected(language)
    pages = {
        "list": page_url(language, "agreement_list"),
        "agreement": page_url(language, "agreement", slug=AGREEMENT_SLUG),
        "year": page_url(language, "agreement_year", slug=AGREEMENT_SLUG, year=2022),
    }
    html = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html[name] = normal(response.content.decode())
        assert f'<html lang="{language}">' in html[name], url
    # The list line names the latest visit, by its date.
    assert want["date"] in html["list"]
    assert want["scorecard"] in html["agreement"]
    assert want["value"] in html["agreement"]
    assert want["figures"] in html["year"]
    assert want["value"] in html["year"] and want["date"] in html["year"]


def pdf_words(content):
    """The PDF's text as poppler's pdftotext reads it: Vietnamese marks and Lao
    clusters come out whole, where pypdf splits them."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return normal(unicodedata.normalize("NFC", text))


def report(client, language, file_format):
    url = page_url(language, "agreement_year", slug=AGREEMENT_SLUG, year=2022)
    response = client.get(f"{url}report.{file_format}")
    assert response.status_code == 200, (language, file_format)
    assert response["Content-Language"] == language
    return response.content


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_report_file_reads_in_its_language(client, demo, language):
    want = expected(language)

    pdf = pdf_words(report(client, language, "pdf"))
    # pdftotext sets a space before some Lao vowel and tone marks: the words are
    # compared without spaces.
    unspaced = pdf.replace(" ", "")
    for key in ("figures", "value", "date"):
        assert want[key].replace(" ", "") in unspaced, (key, want[key])

    document = docx.Document(io.BytesIO(report(client, language, "docx")))
    words = normal(
        "\n".join(
            [p.text for p in document.paragraphs]
            + [c.text for t in document.tables for r in t.rows for c in r.cells]
        )
    )
    assert want["figures"] in words and want["value"] in words
    assert want["date"] in words

    workbook = openpyxl.load_workbook(io.BytesIO(report(client, language, "xlsx")))
    assert want["figures"] in workbook.sheetnames
    # Figures and dates are numbers and dates to Excel, shown in the reader's own
    # Excel settings: the cells hold the value, not text in one language.
    cells = [
        value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]
    assert SOURCE_VALUE in cells
    # openpyxl reads a date cell back as a naive datetime at midnight.
    assert any(
        isinstance(value, datetime.datetime) and value.date() == VISIT_DAY
        for value in cells
    )

    header, _tags, rows = csv_rows(report(client, language, "csv"), hxl=True)
    assert in_language(language, gettext, "packages") in header
    # Dates are ISO and figures plain in the CSV, for tools to read, in every
    # language.
    assert any(
        row[in_language(language, gettext, "start date")] == "2022-09-28"
        for row in rows
    )


ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_admin_list_and_add_form_reads_in_its_language(
    admin_client, demo, language
):
    admin_client.cookies["django_language"] = language
    for model in ADMIN_MODELS:
        opts = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            response = admin_client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert f'<html lang="{language}"' in html, url
            with translation.override(language):
                name = str(
                    opts.verbose_name_plural
                    if view == "changelist"
                    else opts.verbose_name
                )
            assert name.lower() in html.lower(), (url, name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_change_form_shows_its_date_and_amount_the_readers_way(
    admin_client, demo, language
):
    programme = JointProgram.objects.get(agreement__slug=AGREEMENT_SLUG)
    programme.budget = Decimal("60000000")
    programme.save()
    admin_client.cookies["django_language"] = language
    url = reverse("admin:programs_jointprogram_change", args=[programme.pk])

    form = admin_client.get(url).context["adminform"].form

    with translation.override(language):
        shown = form["budget"].as_widget()
        day = form["start_date"].as_widget()
    grouped = {"vi": "60.000.000", "lo": "60.000.000", "en": "60,000,000"}[language]
    assert f'value="{grouped}"' in shown
    first_day = {"vi": "28/09/2022", "lo": "28/09/2022", "en": "2022-09-28"}[language]
    assert f'value="{first_day}"' in day
