import datetime
import io
import zipfile

import docx
import pytest
from django.utils import translation
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from reporting.report.docx import COMPANY, report_docx
from reporting.report.export import report_render
from reporting.templatetags.progress_tags import money, number
from tests.reporting.report.report_years import (
    HTML_PAYLOAD,
    PAYLOADS,
    busy_report,
    demo_report,
    hostile_report,
)

pytestmark = pytest.mark.django_db


def render(report, language="en"):
    with translation.override(language):
        return report_docx(report)


def load(content):
    return docx.Document(io.BytesIO(content))


def blocks(document):
    """Paragraphs and tables in body order."""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield Paragraph(element, document)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document)


def headings(document, level=1):
    style = f"Heading {level}"
    return [
        block.text
        for block in blocks(document)
        if isinstance(block, Paragraph) and block.style.name == style
    ]


def table_after(document, heading):
    """The first table after the Heading 1 (or 2) `heading`, as rows of cell text."""
    found = False
    for block in blocks(document):
        if isinstance(block, Paragraph) and block.style.name.startswith("Heading"):
            found = block.text == heading
        elif found and isinstance(block, Table):
            return block
    raise AssertionError(f"no table after {heading!r}")


def cell_texts(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def rows_by_label(table):
    return {row[0]: row[1:] for row in cell_texts(table)}


def document_xml(content):
    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()


def test_sections_come_as_real_headings_in_order():
    document = load(render(demo_report()))
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Annual report 2022"
    assert document.paragraphs[1].style.name == "Subtitle"
    assert "2022–2027" in document.paragraphs[1].text
    assert headings(document) == [
        "Summary",
        "Commitments",
        "Visits",
        "Programmes",
        "Distributions by district",
        "Items given",
        "Information exchanged",
        "Plan for 2022 against what happened",
        "Plan for 2023",
        "Photos",
        "Narrative",
        "Signatures",
    ]


def test_demo_2022_summary_gives_150_packages_and_about_270_million_dong():
    report = demo_report()
    document = load(render(report))
    summary = rows_by_label(table_after(document, "Summary"))
    assert summary["Gift packages"] == ["150"]
    assert summary["Value given"] == ["≈\u00a0₫270,000,000"]
    assert summary["People reached"] == ["not recorded"]
    districts = cell_texts(table_after(document, "Distributions by district"))
    assert districts[1][0].startswith("Phouvong + Sanxay")
    assert districts[1][1:] == ["1", "150", "–", "≈\u00a0₫270,000,000"]
    with translation.override("en"):
        assert summary["Value given"] == [money(report.totals.values[0])]


def test_generated_year_tables_carry_the_progress_totals():
    report = busy_report()
    totals = report.totals
    document = load(render(report))
    summary = rows_by_label(table_after(document, "Summary"))
    with translation.override("en"):
        assert summary["Visits"] == [number(totals.visits)]
        assert summary["Programmes"] == [number(totals.programmes)]
        assert summary["Distributions"] == [number(totals.distributions)]
        assert summary["Gift packages"] == [number(totals.packages)]
        assert summary["People reached"] == [number(totals.people_reached)]
        value_lines = summary["Value given"][0].split("\n")
        assert value_lines[:2] == [money(value) for value in totals.values]
        assert value_lines[2].startswith("about $")
    each = cell_texts(table_after(document, "Each distribution"))[1:]
    assert len(each) == totals.distributions == 3
    assert sum(int(row[4].replace(",", "")) for row in each) == totals.packages
    programmes = cell_texts(table_after(document, "Programmes"))[1:]
    assert len(programmes) == totals.programmes
    assert "$1,234.56" in {row[-1] for row in programmes}
    items = rows_by_label(table_after(document, "Items given"))
    assert items["Rice"][1] == "650"
    assert items["Blanket"][1] == "25 (+ some not stated)"
    plan = rows_by_label(table_after(document, "Plan for 2023 against what happened"))
    assert plan["Visits"] == ["1", "2"]
    assert plan["Programmes"] == ["2", "3"]
    next_plan = cell_texts(table_after(document, "Plan for 2024"))[1]
    assert next_plan[2:] == ["2", "1", "One medical programme in Sanxay."]


def test_example_records_and_approximate_values_are_marked():
    document = load(render(busy_report()))
    programmes = cell_texts(table_after(document, "Programmes"))
    assert any("Blankets for elderly people (Example)" in row[0] for row in programmes)
    visits = cell_texts(table_after(document, "Visits"))
    assert sum("(Example)" in row[1] for row in visits[1:]) == 1
    each = cell_texts(table_after(document, "Each distribution"))
    assert "≈\u00a0₫90,000,000" in {row[-1] for row in each}
    assert "≈ marks an approximate value" in "\n".join(
        paragraph.text for paragraph in document.paragraphs
    )


def test_commitments_have_a_heading_status_and_evidence_bullets():
    report = busy_report()
    document = load(render(report))
    assert headings(document, level=2)[:3] == [
        "1. Yearly delegation exchange",
        "2. Joint humanitarian programmes",
        "3. Cross-border disease prevention",
    ]
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    evidence = sum(len(result.evidence) for result in report.progress.commitments)
    assert len(bullets) == evidence
    assert any(
        text.startswith("Visit (yearly exchange), Oct. 10, 2023") for text in bullets
    )
    texts = [p.text for p in document.paragraphs]
    assert "✓ met · Target: 1 a year, hosts in turn · Actual: 1" in texts
    assert "▲ above target · Target: 1–2 a year · Actual: 3" in texts


def test_tables_have_a_bold_header_repeated_on_every_page():
    document = load(render(busy_report()))
    data_tables = document.tables[:-1]  # the last is the signature block
    assert data_tables
    for table in data_tables:
        assert table.style.name == "Table Grid"
        header = table.rows[0]
        repeat = header._tr.trPr.find(qn("w:tblHeader"))
        assert repeat is not None and repeat.get(qn("w:val")) == "true"
        runs = [run for cell in header.cells for p in cell.paragraphs for run in p.runs]
        assert runs and all(run.bold for run in runs if run.text)


def test_narrative_placeholder_and_a_signature_column_per_party():
    report = busy_report()
    document = load(render(report))
    paragraphs = list(document.paragraphs)
    narrative = next(
        index for index, p in enumerate(paragraphs) if p.text == "Narrative"
    )
    placeholder = paragraphs[narrative + 1]
    assert placeholder.text.startswith("Write the narrative of the year here")
    assert all(run.italic for run in placeholder.runs)
    signatures = cell_texts(document.tables[-1])
    names = [party.organisation.name for party in report.parties]
    assert signatures[0] == names
    for column in range(len(names)):
        lines = [row[column] for row in signatures[1:]]
        assert lines[0].startswith("Signature")
        assert lines[1].startswith("Name and title")
        assert lines[2] == "Date:"


def test_rendering_makes_no_database_query(django_assert_num_queries):
    report = busy_report()
    with django_assert_num_queries(0):
        render(report)


def test_formula_and_markup_payloads_come_out_as_literal_text():
    content = render(hostile_report())
    document = load(content)
    titles = [row[0] for row in cell_texts(table_after(document, "Programmes"))[1:]]
    purposes = [row[3] for row in cell_texts(table_after(document, "Visits"))[1:]]
    for payload in PAYLOADS:
        assert any(title.startswith(payload) for title in titles), payload
        assert payload in purposes
    delegation = cell_texts(table_after(document, "Visits"))[1][5]
    assert delegation.startswith(HTML_PAYLOAD + ", -chair")
    xml = document_xml(content)
    for field in ("w:fldSimple", "w:instrText", "w:fldChar", "w:hyperlink"):
        assert field not in xml
    assert "<script>" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in xml
    # The vertical tab XML cannot carry is dropped, the rest kept.
    outcomes = {row[4] for row in cell_texts(table_after(document, "Visits"))[1:]}
    assert outcomes == {"Outcomewith a vertical tab"}


def test_core_properties_and_page_follow_the_report_and_language():
    report = demo_report()
    document = load(render(report))
    properties = document.core_properties
    assert properties.title == f"Annual report 2022 – {report.agreement.title}"
    assert properties.author == COMPANY
    assert properties.language == "en"
    assert "2022" in properties.keywords
    assert properties.subject
    expected = report.generated_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert properties.created == expected
    section = document.sections[0]
    # A4; Word stores twips, so millimetres come back rounded.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


@pytest.mark.parametrize(
    ("language", "proofing"), [("vi", "vi-VN"), ("lo", "lo-LA"), ("en", "en-GB")]
)
def test_each_language_sets_the_document_and_proofing_language(language, proofing):
    report = busy_report()
    document = load(render(report, language))
    assert document.core_properties.language == language
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == proofing
    with translation.override(language):
        packages = number(report.totals.packages)
    summary = cell_texts(document.tables[0])
    assert summary[4][1] == packages


def test_the_export_registry_serves_the_document():
    with translation.override("en"):
        content = report_render(demo_report(), "docx")
    assert content[:2] == b"PK"
    assert "Annual report 2022" in document_xml(content)
