"""Recipient lists in the public outputs: counts by sex and age band, never a person.

The year page and the four report formats show a table of the listed gift
recipients by age band and sex; the CSV breaks each distribution's list down
under HXL tags. No output shows a name, a guardian, a school or a year of birth:
each is searched for in the bytes a reader receives (the XML inside a DOCX or
XLSX, the text of a PDF).
"""

import csv
import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from programs.models import AgeBand, Recipient, Sex
from reporting.demo import AGREEMENT_SLUG, EXAMPLE_AGREEMENT_SLUG, demo_load
from reporting.progress import agreement_progress
from reporting.report.annual import annual_report_build
from reporting.report.csv import report_csv
from reporting.report.sections import report_sections
from tests.factories import (
    GiftDistributionFactory,
    JointProgramFactory,
    RecipientFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
# Made up and spelled so that nothing else in the app contains them.
SECRETS = ("Quorrelby", "Yvexa", "Xantrop", "Wibbleton", "1937")
FORMATS = ("pdf", "docx", "xlsx", "csv")


@pytest.fixture
def listed_year(db):
    """2022: a distribution of 10 people, 5 of them on its list; another of 20
    without a list; an unpublished one whose list must count nowhere."""
    programme = JointProgramFactory(year=2022)
    listed = GiftDistributionFactory(program=programme, people_reached=10)
    people = [
        # name, sex, year of birth, age band, guardian
        ("Zyxwa Quorrelby", Sex.FEMALE, 2012, "", "Yvexa Quorrelby"),
        ("Abel Quorrelby", Sex.MALE, 2013, "", "Yvexa Quorrelby"),
        ("Ciri Quorrelby", Sex.FEMALE, 2019, "", ""),
        ("Old Wibbleton", Sex.MALE, 1937, "", ""),
        ("Nobody Quorrelby", Sex.NOT_RECORDED, None, "", ""),
    ]
    for number, (name, sex, birth_year, band, guardian) in enumerate(people, 1):
        RecipientFactory(
            distribution=listed,
            list_number=number,
            full_name=name,
            sex=sex,
            birth_year=birth_year,
            age_band=band,
            guardian=guardian,
            school_or_village="Xantrop Hamlet School",
        )
    GiftDistributionFactory(program=programme, people_reached=20)
    hidden = GiftDistributionFactory(
        program=programme, people_reached=3, is_published=False
    )
    RecipientFactory(distribution=hidden, full_name="Hidden Quorrelby", sex=Sex.MALE)
    return programme.agreement


def readable_text(content, file_format):
    """What a reader of the file can find in it, as text."""
    if file_format in ("docx", "xlsx"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
            )
    if file_format == "pdf":
        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() for page in reader.pages)
    return content.decode("utf-8-sig")


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text, secret


def report_url(agreement, file_format, query=""):
    return (
        reverse(
            "reporting:agreement_report",
            kwargs={"slug": agreement.slug, "year": 2022, "file_format": file_format},
        )
        + query
    )


# The computation ---------------------------------------------------------------


def test_the_years_breakdown_counts_published_lists_by_sex_and_age(listed_year):
    progress = agreement_progress(agreement=listed_year, year=2022, today=TODAY)
    breakdown = progress.recipients

    assert dict(breakdown.counts) == {
        (Sex.FEMALE, AgeBand.INFANTS): 1,  # born 2019: 3 in 2022
        (Sex.FEMALE, AgeBand.CHILDREN): 1,
        (Sex.MALE, AgeBand.CHILDREN): 1,
        (Sex.MALE, AgeBand.ELDERLY): 1,
        (Sex.NOT_RECORDED, ""): 1,
    }
    assert breakdown.listed == 5
    # The stated figures stay the gift recipients: 10 + 20, the unpublished 3 out.
    assert breakdown.gift_recipients == 30
    assert (breakdown.distributions, breakdown.distributions_listed) == (2, 1)


def test_staff_outputs_count_the_unpublished_list_too(listed_year):
    progress = agreement_progress(
        agreement=listed_year, year=2022, today=TODAY, published_only=False
    )
    assert progress.recipients.listed == 6
    assert progress.recipients.gift_recipients == 33


def test_a_planned_programmes_list_counts_nowhere(db):
    programme = JointProgramFactory(year=2022, planned=True)
    RecipientFactory(distribution=GiftDistributionFactory(program=programme))

    progress = agreement_progress(agreement=programme.agreement, year=2022, today=TODAY)

    assert progress.recipients.listed == 0
    assert progress.recipients_by_distribution == {}


def test_the_section_reads_rows_by_age_and_columns_by_sex(listed_year):
    progress = agreement_progress(agreement=listed_year, year=2022, today=TODAY)
    (section,) = [s for s in report_sections(progress) if s.key == "recipients"]
    (table,) = section.tables

    assert [column.title for column in table.columns] == [
        "Age",
        "Female",
        "Male",
        "Sex not recorded",
        "Total",
    ]
    assert [list(row) for row in table.rows] == [
        ["0–4 years", 1, 0, 0, 1],
        ["5–17 years", 1, 1, 0, 2],
        ["18–59 years", 0, 0, 0, 0],
        ["60 years and over", 0, 1, 0, 1],
        ["Age not recorded", 0, 0, 1, 1],
    ]
    assert list(table.total) == ["Total", 2, 2, 1, 5]
    assert section.sentences == (
        "Counted from the recipient lists of 1 of 2 gift distributions: 5 of the "
        "30 gift recipients. The others are counted without sex or age.",
    )


def test_a_year_without_lists_says_so(db):
    programme = JointProgramFactory(year=2022)
    GiftDistributionFactory(program=programme)
    progress = agreement_progress(agreement=programme.agreement, year=2022, today=TODAY)
    (section,) = [s for s in report_sections(progress) if s.key == "recipients"]

    assert section.tables[0].is_empty
    assert section.empty_text == (
        "No recipient list is recorded for this year's gift distributions."
    )


# Public outputs: counts, and never a person -------------------------------------


def test_the_year_page_shows_the_counts_and_no_recipient(client, listed_year):
    for language in ("vi", "lo", "en"):
        with translation.override(language):
            url = reverse(
                "reporting:agreement_year",
                kwargs={"slug": listed_year.slug, "year": 2022},
            )
        html = client.get(url).content.decode()
        assert 'data-table="recipients"' in html, language
        assert_no_secret(html)
    assert "Gift recipients by sex and age" in html
    assert "60 years and over" in html


@pytest.mark.parametrize("file_format", FORMATS)
def test_no_public_report_carries_a_recipient(client, listed_year, file_format):
    response = client.get(report_url(listed_year, file_format, "?hxl=1"))

    assert response.status_code == 200
    text = readable_text(response.content, file_format)
    assert "Gift recipients by sex and age" in text or file_format == "csv"
    assert_no_secret(text)


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_staff_report_carries_counts_but_no_recipient(
    data_entry_client, listed_year, file_format
):
    """Even the staff download, with unpublished records, shows counts only: the
    names stay in the admin, behind the permission."""
    response = data_entry_client.get(
        reverse("staff_agreement_report", args=[listed_year.pk, 2022, file_format])
    )

    assert response.status_code == 200
    assert_no_secret(readable_text(response.content, file_format))


def test_the_agreement_page_and_list_carry_no_recipient(client, listed_year):
    for url in (listed_year.get_absolute_url(), reverse("reporting:agreement_list")):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert_no_secret(response.content.decode())


def test_the_csv_breaks_each_list_down_under_hxl_tags(listed_year):
    report = annual_report_build(agreement=listed_year, year=2022, today=TODAY)
    with translation.override("en"):
        text = report_csv(report, hxl=True)
    header, tags, *rows = list(csv.reader(io.StringIO(text)))
    by_tag = [dict(zip(tags, row, strict=True)) for row in rows]
    distributions = [row for row in by_tag if row["#meta+type"] == "distribution"]
    listed, unlisted = distributions

    assert listed["#reached+f+children"] == "1"
    assert listed["#reached+f+infants"] == "1"
    assert listed["#reached+m+elderly"] == "1"
    assert listed["#reached+sex_unknown+age_unknown"] == "1"
    assert listed["#reached+m+adults"] == "0"
    # Without a list the cells are empty, not 0: nothing is known.
    assert unlisted["#reached+f+children"] == ""
    assert "listed: female, 5–17 years" in header
    assert_no_secret(text)


def test_the_demo_keeps_lists_on_the_made_up_agreement_only(db):
    demo_load(examples=True)

    real = Recipient.objects.filter(
        distribution__program__agreement__slug=AGREEMENT_SLUG
    )
    made_up = Recipient.objects.filter(
        distribution__program__agreement__slug=EXAMPLE_AGREEMENT_SLUG
    )
    assert not real.exists()
    assert made_up.count() == 60
    assert all(
        name.startswith("[Example] ")
        for name in made_up.values_list("full_name", flat=True)
    )
