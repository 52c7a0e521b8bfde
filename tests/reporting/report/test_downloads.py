"""Where the annual report is downloaded: the public page, the admin, the command."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cooperation.models import Agreement
from reporting.demo import AGREEMENT_SLUG, demo_load
from tests.factories import (
    AgreementFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)

pytestmark = pytest.mark.django_db


def report_url(slug, year, file_format):
    return reverse(
        "reporting:agreement_report",
        kwargs={"slug": slug, "year": year, "file_format": file_format},
    )


def csv_titles(content):
    text = content.decode("utf-8-sig")
    return [row["title"] for row in csv.DictReader(io.StringIO(text))]


@pytest.fixture
def agreement_with_a_draft(db):
    agreement = AgreementFactory(slug="north-south-2022-2027")
    JointProgramFactory(agreement=agreement, title_en="Published gifts")
    draft = JointProgramFactory(
        agreement=agreement, title_en="Draft check-ups", is_published=False
    )
    GiftDistributionFactory(program=draft, packages=999)
    return agreement


def test_public_csv_download_has_a_safe_file_name(client, agreement_with_a_draft):
    response = client.get(report_url("north-south-2022-2027", 2022, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="north-south-2022-2027_2022_en.csv"'
    )


def test_unpublished_records_never_reach_a_public_download(
    client, agreement_with_a_draft
):
    response = client.get(report_url("north-south-2022-2027", 2022, "csv"))
    titles = csv_titles(response.content)
    assert "Published gifts" in titles
    assert "Draft check-ups" not in titles
    assert b"999" not in response.content


def test_staff_download_in_the_admin_includes_unpublished_records(
    admin_client, agreement_with_a_draft
):
    url = reverse(
        "staff_agreement_report",
        args=[agreement_with_a_draft.pk, 2022, "csv"],
    )
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Draft check-ups" in csv_titles(response.content)


def test_the_admin_download_is_for_staff_only(client, agreement_with_a_draft):
    url = reverse(
        "staff_agreement_report",
        args=[agreement_with_a_draft.pk, 2022, "csv"],
    )
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_agreement_change_page_links_every_year_and_format(
    admin_client, agreement_with_a_draft
):
    url = reverse(
        "admin:cooperation_agreement_change", args=[agreement_with_a_draft.pk]
    )
    html = admin_client.get(url).content.decode()
    for year in range(2022, 2028):
        for file_format in ("pdf", "docx", "xlsx", "csv"):
            link = reverse(
                "staff_agreement_report",
                args=[agreement_with_a_draft.pk, year, file_format],
            )
            assert link in html


def test_year_page_links_the_four_formats(client, agreement_with_a_draft):
    html = client.get(
        reverse(
            "reporting:agreement_year",
            kwargs={"slug": "north-south-2022-2027", "year": 2022},
        )
    ).content.decode()
    for file_format in ("pdf", "docx", "xlsx", "csv"):
        assert report_url("north-south-2022-2027", 2022, file_format) in html


@pytest.mark.parametrize(
    ("year", "file_format"), [(2022, "exe"), (2031, "csv"), (2021, "pdf")]
)
def test_unknown_format_or_year_is_a_404(
    client, agreement_with_a_draft, year, file_format
):
    response = client.get(report_url("north-south-2022-2027", year, file_format))
    assert response.status_code == 404


def test_second_download_comes_from_the_cache(
    client, agreement_with_a_draft, django_assert_num_queries
):
    url = report_url("north-south-2022-2027", 2022, "csv")
    first = client.get(url)
    with django_assert_num_queries(1):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_export_report_command_writes_the_file(tmp_path):
    demo_load()
    output = tmp_path / "report.csv"
    call_command(
        "export_report",
        *(AGREEMENT_SLUG, "2022", "--format", "csv", "--output", output),
        *("--language", "en"),
    )
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert [row["record type"] for row in rows] == [
        "visit",
        "programme",
        "distribution",
        "confirmation",
        "confirmation",
    ]
    assert rows[2]["packages"] == "150"


@pytest.mark.parametrize(
    ("arguments", "language"), [((), "vi"), (("--language", "lo"), "lo")]
)
def test_export_report_command_writes_vietnamese_or_the_language_asked(
    tmp_path, monkeypatch, arguments, language
):
    demo_load()
    rendered_in = []

    def render(report, file_format, **options):
        rendered_in.append(translation.get_language())
        return b""

    monkeypatch.setattr(
        "reporting.management.commands.export_report.report_render", render
    )
    call_command(
        "export_report",
        *(AGREEMENT_SLUG, "2022", "--output", tmp_path / "report.pdf"),
        *arguments,
    )
    assert rendered_in == [language]


def test_export_report_command_refuses_a_year_outside(db):
    from django.core.management.base import CommandError

    demo_load()
    with pytest.raises(CommandError, match="outside the agreement"):
        call_command("export_report", AGREEMENT_SLUG, "2030", "--format", "csv")
    assert Agreement.objects.filter(slug=AGREEMENT_SLUG).exists()


def downloaded_text(content, file_format):
    """Every piece of text a reader of the downloaded file could see."""
    if file_format == "csv":
        return content.decode("utf-8-sig")
    if file_format == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        )
    if file_format == "docx":
        import docx

        document = docx.Document(io.BytesIO(content))
        cells = [
            cell.text
            for table in document.tables
            for row in table.rows
            for cell in row.cells
        ]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    import pypdf

    return "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "docx", "pdf"])
def test_public_downloads_carry_no_beneficiary_data_and_no_drafts(
    client, agreement_with_a_draft, file_format
):
    programme = agreement_with_a_draft.programs.get(title_en="Published gifts")
    GiftDistributionFactory(
        program=programme,
        packages=42,
        recipient_description="Trần Thị Beneficiary, grade 5",
        notes="Recipients: Phạm Văn Child (12)",
    )
    response = client.get(report_url("north-south-2022-2027", 2022, file_format))
    assert response.status_code == 200
    text = downloaded_text(response.content, file_format)
    assert "Published gifts" in text and "42" in text
    for hidden in ("Trần Thị Beneficiary", "Phạm Văn Child", "Draft check-ups"):
        assert hidden not in text
