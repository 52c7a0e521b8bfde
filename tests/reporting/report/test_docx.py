"""report.docx: front matter, a Heading 1 per section with its tables, then photos,
the narrative placeholder and signatures, read back as Word shows them.

The demo and busy years are built and rendered once per module (they are only
read); a test that changes records builds its own year.
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import docx
import pytest
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from reporting.report.docx import COMPANY, report_docx
from reporting.report.export import report_render
from tests.reporting.report.report_years import (
    HTML_PAYLOAD,
    PAYLOADS,
    PUBLISHED_PURPOSE,
    UNPUBLISHED_PURPOSE,
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
TEXT_WIDTH_MM = 170  # A4 less two 20 mm margins
TWIPS_PER_MM = 1440 / 25.4
# A figure of 9 pt Arial needs about 1.8 mm a character; allow for bold and the
# approximate sign, never less.
MM_PER_CHARACTER = 2.0


def render(report, language="en"):
    with translation.override(language):
        return report_docx(report)


def load(content):
    return docx.Document(io.BytesIO(content))


class Rendered:
    """A report and its document, read back once."""

    def __init__(self, report, language="en"):
        self.report = report
        self.content = render(report, language)
        self.document = load(self.content)

    def section(self, key):
        return next(s for s in self.report.sections if s.key == key)

    def table_pairs(self):
        """(section table, Word table) for every table shown, in order; the
        signature block comes after them."""
        shown = [
            table
            for section in self.report.sections
            for table in section.tables
            if not table.is_empty
        ]
        return list(zip(shown, self.document.tables, strict=False))

    def table(self, key):
        """The Word table of the section table `key`, as rows of cell text."""
        return next(
            cell_texts(word) for table, word in self.table_pairs() if table.key == key
        )


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


def under_headings(document):
    """{Heading 1 text: the blocks after it, up to the next Heading 1}."""
    found, current = {}, None
    for block in blocks(document):
        if isinstance(block, Paragraph) and block.style.name == "Heading 1":
            current = found[block.text] = []
        elif current is not None:
            current.append(block)
    return found


def cell_texts(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def rows_by_label(rows):
    return {row[0]: row[1:] for row in rows}


def column(rows, title):
    """The cells under the header `title`, header row left out."""
    index = rows[0].index(title)
    return [row[index] for row in rows[1:]]


def runs(cell_or_row):
    cells = getattr(cell_or_row, "cells", [cell_or_row])
    return [
        run
        for cell in cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.text
    ]


def grid_twips(table):
    """The table's column widths as Word's grid stores them, in twips."""
    return [int(column.get(qn("w:w"))) for column in table._tbl.tblGrid.gridCol_lst]


FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def figure(text):
    """The number an English cell shows ('≈ ₫270,000,000' → 270000000), or None
    for an unknown ('–') or blank one."""
    found = FIGURE.findall(text)
    if not found:
        return None
    assert len(found) == 1, text
    return Decimal(found[0].replace(",", ""))


def document_xml(content):
    return zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()


# The document's shape


def test_front_matter_then_a_heading_per_section_in_order(demo):
    rendered = demo[2022]
    document = rendered.document
    title, subtitle, *rest = document.paragraphs
    assert (title.style.name, title.text) == ("Title", "Annual report 2022")
    assert subtitle.style.name == "Subtitle"
    assert subtitle.text == rendered.report.agreement.title
    front = [p.text for p in rest[:5]]
    assert front[0].startswith("Parties: Kon Tum Provincial Red Cross Society; ")
    assert front[1].startswith("Period: ")
    assert front[2].startswith("Generated: ")
    assert front[3] == "Published records only."
    # The real memorandum holds no example record: no example line.
    assert front[4] == SECTION_TITLES[0]
    assert [s.title for s in rendered.report.sections] == SECTION_TITLES
    assert headings(document) == [*SECTION_TITLES, "Photos", "Narrative", "Signatures"]
    # The source states no plan for 2023: no table, so no caption.
    assert headings(document, level=2) == []


def test_front_matter_of_the_made_up_agreement_says_it_is_made_up(demo):
    document = demo[2023].document
    front = [p.text for p in document.paragraphs[2:7]]
    assert front[3] == "Published records only."
    assert front[4] == (
        "Example: This agreement is made up: an example for demonstration, "
        "between fictional parties. Nothing in it is real."
    )
    # A table's caption is a Heading 2 under its section.
    assert headings(document, level=2) == ["Plan for 2024"]


def test_each_section_shows_its_sentences_tables_and_notes_in_order(busy, demo):
    for rendered in (busy, demo[2022], demo[2023]):
        shown = under_headings(rendered.document)
        for section in rendered.report.sections:
            expected = [("sentence", text) for text in section.sentences]
            if section.empty_text and all(t.is_empty for t in section.tables):
                # Said once, in place of the tables (2022 exchanged no information).
                expected.append(("note", section.empty_text))
            for table in section.tables:
                if table.is_empty:
                    continue
                if table.caption:
                    expected.append(("caption", table.caption))
                expected.append(("table", [c.title for c in table.columns]))
            expected += [("note", text) for text in section.notes]
            got = []
            for block in shown[section.title]:
                if isinstance(block, Table):
                    got.append(("table", cell_texts(block)[0]))
                elif block.style.name == "Heading 2":
                    got.append(("caption", block.text))
                elif not block.text:
                    continue  # the empty paragraph that keeps two tables apart
                elif all(run.italic for run in block.runs):
                    # Notes are small italics under the tables.
                    assert all(run.font.size == Pt(9) for run in block.runs)
                    got.append(("note", block.text))
                else:
                    got.append(("sentence", block.text))
            assert got == expected, section.key


def test_every_total_row_equals_the_sum_of_the_rows_above_it(demo, busy):
    checked = []
    for rendered in (demo[2022], demo[2023], busy):
        for table, word in rendered.table_pairs():
            rows = cell_texts(word)
            if table.total is None:
                assert rows[-1][0] != "Total", table.key
                continue
            *above, total = rows[1:]
            assert len(above) == len(table.rows)
            assert total[0] == "Total"
            assert all(run.bold for run in runs(word.rows[-1])), table.key
            for index, column in enumerate(table.columns[1:], start=1):
                if not column.is_numeric:
                    assert total[index] == "", (table.key, column.title)
                    continue
                figures = [figure(row[index]) for row in above]
                figures = [value for value in figures if value is not None]
                if not figures:
                    # Nothing known to add up: the total is unknown too.
                    assert figure(total[index]) is None, (table.key, column.title)
                    continue
                assert figure(total[index]) == sum(figures), (table.key, column.title)
                # A total of approximate amounts is approximate too.
                approximate = any("≈" in row[index] for row in above)
                assert ("≈" in total[index]) == approximate, (table.key, column.title)
            checked.append(table.key)
    assert checked.count("programmes") == checked.count("districts") == 3
    assert checked.count("distributions") == 3


def test_demo_2022_figures_give_150_packages_and_about_270_million_dong(demo):
    rendered = demo[2022]
    counts = rows_by_label(rendered.table("figures"))
    assert counts["Gift packages"] == ["150"]
    assert counts["Gift distributions"] == ["1"]
    # Not recorded is said, never shown as 0.
    assert counts["People reached"] == ["–"]
    money = rows_by_label(rendered.table("money"))
    assert money["Value given (VND)"] == ["≈\u00a0₫270,000,000"]
    districts = rendered.table("districts")
    assert districts[1] == [
        "Phouvong + Sanxay (together)",
        "1",
        "150",
        "–",
        "≈\u00a0₫270,000,000",
    ]
    assert districts[2] == ["Total", "1", "150", "–", "≈\u00a0₫270,000,000"]
    each = rendered.table("distributions")
    assert column(each, "Packages") == ["150", "150"]
    assert column(each, "Value (VND)")[-1] == "≈\u00a0₫270,000,000"


def test_busy_year_tables_carry_the_progress_totals(busy):
    totals = busy.report.totals
    counts = rows_by_label(busy.table("figures"))
    assert counts["Visits"] == [str(totals.visits)]
    assert counts["Programmes held"] == [str(totals.programmes)]
    assert counts["Gift distributions"] == [str(totals.distributions)]
    assert counts["Gift packages"] == [str(totals.packages)] == ["125"]
    assert counts["People reached"] == [str(totals.people_reached)] == ["365"]
    money = rows_by_label(busy.table("money"))
    assert money["Value given (VND)"] == ["≈\u00a0₫150,000,000"]
    assert money["Programme costs (USD)"] == ["$1,234.56"]
    converted = money["Value given, converted to USD at recorded rates"][0]
    assert converted.startswith("≈\u00a0$")
    each = busy.table("distributions")
    assert len(each) == 1 + totals.distributions + 1
    assert column(each, "Packages")[-1] == "125"
    assert column(busy.table("programmes"), "Cost (USD)") == [
        "–",
        "–",
        "$1,234.56",
        "$1,234.56",
    ]
    items = busy.table("items")
    assert rows_by_label(items)["Rice"][:2] == ["kilogram", "650"]
    plan = rows_by_label(busy.table("plan"))
    assert plan["Visits"] == ["1", "2"]
    assert plan["Programmes held"] == ["2", "3"]
    next_plan = busy.table("next_plan")[1]
    assert next_plan[2:] == ["2", "1", "One medical programme in Sanxay."]


def test_a_vnd_amount_is_never_shown_with_decimals(demo, busy):
    dong = []
    for rendered in (demo[2022], demo[2023], busy):
        for _table, word in rendered.table_pairs():
            dong += [text for row in cell_texts(word) for text in row if "₫" in text]
    assert dong
    for text in dong:
        assert re.fullmatch(r"(≈\u00a0)?₫\d{1,3}(,\d{3})*", text), text
    # A currency with cents keeps them.
    assert "$1,234.56" in column(busy.table("programmes"), "Cost (USD)")


# Tables


def test_tables_have_a_bold_header_repeated_on_every_page_and_numbers_on_the_right(
    busy,
):
    pairs = busy.table_pairs()
    assert len(pairs) == len(busy.document.tables) - 1  # then the signatures
    for table, word in pairs:
        assert word.style.name == "Table Grid"
        header = word.rows[0]
        repeat = header._tr.trPr.find(qn("w:tblHeader"))
        assert repeat is not None and repeat.get(qn("w:val")) == "true"
        assert runs(header) and all(run.bold for run in runs(header)), table.key
        assert all(run.font.size == Pt(9) for row in word.rows for run in runs(row))
        for index, column in enumerate(table.columns):
            cells = [row.cells[index] for row in word.rows]
            alignments = {p.alignment for cell in cells for p in cell.paragraphs}
            if column.is_numeric:
                assert alignments == {WD_ALIGN_PARAGRAPH.RIGHT}, column.title
            else:
                assert WD_ALIGN_PARAGRAPH.RIGHT not in alignments, column.title


def test_numeric_columns_are_never_narrower_than_their_widest_figure(demo, busy):
    checked = 0
    for rendered in (demo[2022], demo[2023], busy):
        for table, word in rendered.table_pairs():
            rows = cell_texts(word)
            widths = grid_twips(word)
            for index, column in enumerate(table.columns):
                if not column.is_numeric:
                    continue
                widest = max(
                    max(len(part) for part in column.title.split()),
                    *(len(line) for row in rows[1:] for line in row[index].split("\n")),
                )
                needed = MM_PER_CHARACTER * widest * TWIPS_PER_MM
                assert widths[index] >= needed, (table.key, column.title, widest)
                # Word reads each cell's width: the same as the grid's.
                for row in word.rows:
                    cell_twips = row.cells[index].width / 635
                    assert abs(cell_twips - widths[index]) <= 1
                checked += 1
    assert checked > 30


def test_the_value_column_holds_the_approximate_dong_on_one_line(demo):
    rendered = demo[2022]
    word = next(w for t, w in rendered.table_pairs() if t.key == "districts")
    rows = cell_texts(word)
    index = rows[0].index("Value (VND)")
    widest = max(len(row[index]) for row in rows[1:])
    assert widest == len("≈\u00a0₫270,000,000") == 14
    twips = grid_twips(word)[index]
    assert twips >= MM_PER_CHARACTER * widest * TWIPS_PER_MM
    assert word.columns[index].width >= Mm(MM_PER_CHARACTER * widest)


def test_tables_have_a_fixed_layout_and_fit_the_page(demo, busy):
    for rendered in (demo[2022], busy):
        for table, word in rendered.table_pairs():
            layouts = word._tbl.tblPr.findall(qn("w:tblLayout"))
            assert layouts, table.key
            assert {layout.get(qn("w:type")) for layout in layouts} == {"fixed"}
            assert word.autofit is False
            width_mm = sum(grid_twips(word)) / TWIPS_PER_MM
            assert width_mm <= TEXT_WIDTH_MM + 0.5, (table.key, width_mm)


def test_each_table_declares_its_layout_once_in_schema_order(busy):
    for table, word in busy.table_pairs():
        children = [child.tag for child in word._tbl.tblPr]
        assert children.count(qn("w:tblLayout")) == 1, table.key
        assert children.index(qn("w:tblLayout")) < children.index(qn("w:tblLook"))


def test_no_table_follows_another_directly(busy):
    tags = [child.tag for child in busy.document.element.body.iterchildren()]
    for before, after in zip(tags, tags[1:], strict=False):
        assert not before == after == qn("w:tbl")


def test_a_40000_character_word_in_a_visit_purpose_renders():
    word = "x" * 40_000
    rendered = Rendered(long_word_report(word))
    visits = next(w for t, w in rendered.table_pairs() if t.key == "visits")
    rows = cell_texts(visits)
    assert column(rows, "Purpose") == [word]
    # The word wraps inside its cell: the table keeps to the page.
    widths = grid_twips(visits)
    assert sum(widths) / TWIPS_PER_MM <= TEXT_WIDTH_MM + 0.5
    assert min(widths) / TWIPS_PER_MM >= 8
    assert visits._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_an_empty_year_says_so_under_each_heading():
    rendered = Rendered(empty_report())
    shown = under_headings(rendered.document)
    for key, text in [
        ("visits", "No visit recorded for this year."),
        ("programmes", "No programme recorded for this year."),
        ("districts", "No gift distribution recorded for this year."),
        (
            "recipients",
            "No recipient list is recorded for this year's gift distributions.",
        ),
        ("items", "No item recorded for this year."),
        ("information", "No information exchange recorded for this year."),
    ]:
        blocks_shown = shown[rendered.section(key).title]
        assert not any(isinstance(block, Table) for block in blocks_shown), key
        (note,) = blocks_shown
        assert note.text == text
        assert all(run.italic for run in note.runs)
    # No example line in the front matter of a year without examples.
    assert not any(p.text.startswith("Example:") for p in rendered.document.paragraphs)


# What the tables say


def test_example_records_and_approximate_values_are_marked(busy):
    programmes = column(busy.table("programmes"), "Programme")
    assert "[Example] Blankets for elderly people (Example)" in programmes
    senders = column(busy.table("visits"), "Sending party")
    assert sum(sender.endswith(" (Example)") for sender in senders) == 1
    values = column(busy.table("distributions"), "Value (VND)")
    assert "≈\u00a0₫90,000,000" in values
    assert "₫60,000,000" in values
    paragraphs = [p.text for p in busy.document.paragraphs]
    assert "≈ marks an approximate value, as the source gives it." in paragraphs
    assert any(text.startswith("Example: This year includes") for text in paragraphs)


def test_commitments_table_gives_each_status_target_and_evidence_lines(busy):
    report = busy.report
    rows = busy.table("commitments")
    assert column(rows, "Status") == [
        "✓ met",
        "▲ above target",
        "✓ qualitative, with evidence",
    ]
    assert column(rows, "Target") == [
        "1 a year, hosts in turn",
        "1–2 a year",
        "qualitative",
    ]
    assert column(rows, "Actual") == ["1", "3", "–"]
    evidence = column(rows, "Evidence")
    for result, text in zip(report.progress.commitments, evidence, strict=True):
        assert len(text.split("\n")) == len(result.evidence)
    assert evidence[0].startswith("Visit (yearly exchange), Oct. 10, 2023")
    assert "Programme: Rice for families" in evidence[1].split("\n")
    sentences = [
        block.text
        for block in under_headings(busy.document)["Commitments this year"]
        if isinstance(block, Paragraph)
    ]
    assert sentences[0].startswith("Hosted by ")
    assert sentences[1].startswith("Next yearly exchange: 2026")


def test_photos_narrative_placeholder_and_a_signature_column_per_party(demo):
    rendered = demo[2022]
    report = rendered.report
    shown = under_headings(rendered.document)
    (photo,) = shown["Photos"]
    assert photo.style.name == "List Bullet"
    assert photo.text.startswith("The Kon Tum Provincial Red Cross Society presented")
    assert photo.text.endswith("(Photo: Hoàng Minh/redcross.org.vn)")
    (placeholder,) = shown["Narrative"]
    assert placeholder.text.startswith("Write the narrative of the year here")
    assert all(run.italic for run in placeholder.runs)
    signatures = cell_texts(rendered.document.tables[-1])
    names = [party.organisation.name for party in report.parties]
    assert signatures[0] == names
    for index in range(len(names)):
        lines = [row[index] for row in signatures[1:]]
        # No party has confirmed 2022 in the demo: the lines are left to fill in.
        assert lines[0] == "Records not yet confirmed complete."
        assert lines[1].startswith("Signature")
        assert lines[2] == "Name and title:"
        assert lines[3] == "Date:"


# Safety and file properties


def test_rendering_makes_no_database_query(django_assert_num_queries):
    report = busy_report()
    staff_copy = build(half_published_year(), published_only=False)
    with django_assert_num_queries(0):
        render(report)
        render(staff_copy)


def test_formula_and_markup_payloads_come_out_as_literal_text():
    rendered = Rendered(hostile_report())
    titles = column(rendered.table("programmes"), "Programme")[:-1]  # then Total
    visits = rendered.table("visits")
    purposes = column(visits, "Purpose")
    for payload in PAYLOADS:
        assert payload in titles
        assert payload in purposes
    for delegation in column(visits, "Delegation"):
        assert delegation.startswith(HTML_PAYLOAD + ", -chair")
    xml = document_xml(rendered.content)
    for field in ("w:fldSimple", "w:instrText", "w:fldChar", "w:hyperlink"):
        assert field not in xml
    assert "<script>" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in xml
    # The vertical tab XML cannot carry is dropped, the rest kept.
    assert set(column(visits, "Outcomes")) == {"Outcomewith a vertical tab"}
    assert column(rendered.table("items"), "Item") == ["=1+2"]


def test_core_properties_page_and_body_font_follow_the_report(demo):
    rendered = demo[2022]
    report = rendered.report
    document = rendered.document
    properties = document.core_properties
    assert properties.title == f"Annual report 2022 – {report.agreement.title}"
    assert properties.author == COMPANY
    assert properties.category == "Annual report"
    assert properties.language == "en"
    assert properties.comments == "Published records only."
    assert "2022" in properties.keywords
    assert properties.subject == "Progress of the cooperation agreement in 2022"
    expected = report.generated_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert properties.created == expected
    section = document.sections[0]
    # A4 with 20 mm margins; Word stores twips, so millimetres come back rounded.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == round(section.right_margin.mm) == 20
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Arial", Pt(10))


def test_public_copies_hold_published_records_only_and_staff_copies_say_so():
    agreement = half_published_year()
    public = Rendered(build(agreement))
    staff = Rendered(build(agreement, published_only=False))
    assert column(public.table("visits"), "Purpose") == [PUBLISHED_PURPOSE]
    assert column(staff.table("visits"), "Purpose") == [
        PUBLISHED_PURPOSE,
        UNPUBLISHED_PURPOSE,
    ]
    public_text = [p.text for p in public.document.paragraphs]
    staff_text = [p.text for p in staff.document.paragraphs]
    staff_note = "Includes unpublished records: not for publication."
    assert "Published records only." in public_text
    assert staff_note not in public_text
    assert staff_note in staff_text
    assert staff.document.core_properties.comments == staff_note


# Languages


@pytest.mark.parametrize(
    ("language", "proofing"), [("vi", "vi-VN"), ("lo", "lo-LA"), ("en", "en-GB")]
)
def test_each_language_sets_the_document_and_proofing_language(language, proofing):
    report = busy_report(language)
    document = Rendered(report, language).document
    assert document.core_properties.language == language
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == proofing
    if language == "lo":
        # Word proofs Lao as a complex script.
        assert lang.get(qn("w:bidi")) == "lo-LA"
    assert headings(document)[: len(report.sections)] == [
        section.title for section in report.sections
    ]


def test_lao_report_carries_lao_place_and_item_names():
    rendered = Rendered(demo_report(language="lo"), "lo")
    label = rendered.table("districts")[1][0]
    assert "ເມືອງພູວົງ" in label and "ເມືອງຊານໄຊ" in label
    with translation.override("lo"):
        item = translation.gettext("Item")
    assert item != "Item"
    assert "ກະເປົ໋ານັກຮຽນ" in column(rendered.table("items"), item)
    assert "ເມືອງຊານໄຊ" in document_xml(rendered.content)


def test_the_document_names_its_author_in_the_report_language():
    rendered = Rendered(demo_report(language="lo"), "lo")
    with translation.override("lo"):
        author = translation.gettext("Red Cross cooperation agreements")
    assert rendered.document.core_properties.author == author


def test_vietnamese_report_writes_names_and_dong_its_own_way():
    rendered = Rendered(demo_report(language="vi"), "vi")
    paragraphs = [p.text for p in rendered.document.paragraphs]
    assert any("Hội Chữ thập đỏ tỉnh Kon Tum" in text for text in paragraphs)
    with translation.override("vi"):
        label = translation.gettext("Value given (%(currency)s)") % {"currency": "VND"}
    value = rows_by_label(rendered.table("money"))[label][0]
    assert value == "≈\u00a0270.000.000\u00a0₫"
    assert rendered.table("districts")[1][0].startswith("huyện ")


def test_the_export_registry_serves_the_document(demo):
    with translation.override("en"):
        content = report_render(demo[2022].report, "docx")
    assert content[:2] == b"PK"
    assert "Annual report 2022" in document_xml(content)
