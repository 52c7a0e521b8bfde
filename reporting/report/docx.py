"""report.docx: the annual report as an editable Word document.

For the person who writes the year's narrative: the report's sections come filled
in, laid out without knowing what they mean, each cell written by the same
`sections.cell_text` as the page and the PDF; a marked placeholder and a signature
block are left for them. Real Word headings and tables, so the navigation pane,
a table of contents and restyling all work. Only formats an `AnnualReport`; never
queries the database.

Word runs no formulas, so text is not neutralised; python-docx escapes XML, so
markup typed into a record arrives as the literal characters.
"""

import datetime
import io

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, gettext_lazy
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cooperation.formatting import date_range_text

from . import wording
from .sections import cell_text

# The author and company of the file, in the report's language like the rest of it.
COMPANY = gettext_lazy("Red Cross cooperation agreements")
# Core properties take the bare language; proofing takes a language and region.
LANGUAGES = {"vi": "vi", "lo": "lo", "en": "en"}
PROOFING_LANGUAGES = {"vi": "vi-VN", "lo": "lo-LA", "en": "en-GB"}
TABLE_STYLES = ("Table Grid", "Light List Accent 1")
TABLE_FONT_SIZE = Pt(9)
BODY_FONT = "Arial"
# A4 with 20 mm margins: what offices in Vietnam and Laos print on.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
TEXT_WIDTH_MM = 170
# Column widths follow the longest line, within these bounds (in characters).
COLUMN_MIN, COLUMN_MAX = 6, 40
# A text column is at least as wide as its longest word, up to this many characters
# ("circumstances", "Distributions"); a longer word wraps.
WORD_MAX = 16


def _language():
    return LANGUAGES.get((get_language() or "en")[:2], "en")


def _text(value):
    return wording.clean_text(value)


def _lines(value):
    """A cell's content as lines: a string may hold several, a tuple is lines."""
    if isinstance(value, list | tuple):
        return [_text(line) for line in value]
    return [_text(value)]


# Document set-up


def _page_setup(document):
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
    # Arial is on every office computer (LibreOffice maps it to the metric-equal
    # Liberation Sans), so the column widths computed below hold where it opens.
    normal = document.styles["Normal"].font
    normal.name = BODY_FONT
    normal.size = Pt(10)


def _proofing_language(document, language):
    """Spelling and hyphenation in the report's language, for the whole document."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_properties is None:
        return
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    tag = PROOFING_LANGUAGES[language]
    lang.set(qn("w:val"), tag)
    if language == "lo":
        # Word treats Lao as a complex script: its proofing language is w:bidi.
        lang.set(qn("w:bidi"), tag)


def _core_properties(document, report, language):
    properties = document.core_properties
    properties.title = wording.document_title(report)
    properties.subject = wording.document_subject(report)
    properties.keywords = wording.document_keywords(report)
    properties.author = str(COMPANY)
    properties.last_modified_by = str(COMPANY)
    properties.comments = wording.published_note(report)
    properties.category = gettext("Annual report")
    properties.language = language
    properties.revision = 1
    created = report.generated_at
    if created.tzinfo is not None:
        # The file stores UTC ("Z"); python-docx writes the naive value as given.
        created = created.astimezone(datetime.UTC).replace(tzinfo=None)
    properties.created = properties.modified = created.replace(microsecond=0)


# Building blocks


def _table_style(document):
    names = {style.name for style in document.styles}
    return next((name for name in TABLE_STYLES if name in names), None)


def _repeat_as_header(row):
    """Word repeats a row marked w:tblHeader at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _fill_cell(cell, value, *, bold=False, right=False):
    paragraph = cell.paragraphs[0]
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, line in enumerate(_lines(value)):
        if index:
            paragraph = cell.add_paragraph()
            if right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(line)
        run.bold = bold or None
        run.font.size = TABLE_FONT_SIZE


def _add_table(document, headers, rows, *, numeric=(), bold_rows=()):
    """A Word table: bold header row repeated on each page, numbers on the right."""
    rows = list(rows)
    table = document.add_table(rows=1, cols=len(headers))
    style = _table_style(document)
    if style:
        table.style = document.styles[style]
    header = table.rows[0]
    _repeat_as_header(header)
    for index, (cell, text) in enumerate(zip(header.cells, headers, strict=True)):
        _fill_cell(cell, str(text), bold=True, right=index in numeric)
    for row_index, values in enumerate(rows):
        cells = table.add_row().cells
        bold = row_index in bold_rows
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _fill_cell(cell, value, bold=bold, right=index in numeric)
    _fit_columns(table, headers, rows, numeric)
    return table


# About how wide a character of 9 pt text is, and a cell's inner margins.
# Arial's figures are 0.56 em: 1.8 mm at 9 pt; bold headers run a little wider.
# Word's default cell margins are 1.9 mm on each side.
CHARACTER_MM, CELL_PADDING_MM = 2.0, 4.0


def _fit_columns(table, headers, rows, numeric):
    """Widths that never break a figure or stand a header on end.

    A numeric column is as wide as its widest figure (and its header's longest
    word); text columns share the rest of the page in proportion to their content.
    """

    def longest_line(value):
        return max((len(line) for line in _lines(value)), default=0)

    def longest_word(value):
        return max(
            (len(word) for line in _lines(value) for word in line.split()), default=0
        )

    count = len(headers)
    floors, weights = [], []
    for index in range(count):
        cells = [row[index] for row in rows]
        word = max([longest_word(headers[index]), *(longest_word(c) for c in cells)])
        if index in numeric:
            floor = max(longest_word(headers[index]), *(longest_line(c) for c in cells))
            floors.append(floor)
            weights.append(0)
        else:
            # A word longer than COLUMN_MAX (a hostile one) wraps; no column grows.
            floors.append(min(max(COLUMN_MIN, word), WORD_MAX))
            content = max(
                [longest_line(headers[index]), *(longest_line(c) for c in cells)]
            )
            weights.append(max(min(content, COLUMN_MAX * 2), min(word, WORD_MAX), 1))
    fixed = [CHARACTER_MM * floor + CELL_PADDING_MM for floor in floors]
    room = TEXT_WIDTH_MM - sum(fixed)
    total_weight = sum(weights) or 1
    widths = []
    for index in range(count):
        extra = max(room, 0) * weights[index] / total_weight
        widths.append(Mm(fixed[index] + extra))
    if room < 0:
        # Too many columns for the page: shrink the text columns, never the figures.
        text_mm = sum(fixed[i] for i in range(count) if i not in numeric)
        numbers_mm = sum(fixed[i] for i in range(count) if i in numeric)
        scale = max(TEXT_WIDTH_MM - numbers_mm, 10) / max(text_mm, 1)
        widths = [
            Mm(fixed[i]) if i in numeric else Mm(fixed[i] * scale) for i in range(count)
        ]
    # Also a fixed layout (w:tblLayout): Word and LibreOffice keep these widths
    # instead of stretching the table around a long word, which then wraps.
    table.autofit = False
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _labelled(document, label, text):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(_text(text))
    return paragraph


def _note(document, text):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(_text(text))
    run.italic = True
    run.font.size = TABLE_FONT_SIZE
    return paragraph


def _example(text, is_example):
    return wording.with_example_mark(_text(text), is_example)


# Sections


def _front_matter(document, report):
    progress = report.progress
    agreement = report.agreement
    document.add_paragraph(wording.report_title(report), style="Title")
    document.add_paragraph(_text(agreement.title), style="Subtitle")
    parties = wording.side_names(progress.sides)
    _labelled(document, gettext("Parties"), "; ".join(parties))
    for note in wording.side_notes(progress.sides):
        _note(document, note)
    period = date_range_text(agreement.start_date, agreement.end_date)
    if agreement.period_note:
        period = f"{period} ({agreement.period_note})"
    _labelled(document, gettext("Period"), period)
    generated = date_format(report.generated_at, "DATETIME_FORMAT")
    _labelled(document, gettext("Generated"), generated)
    document.add_paragraph(wording.published_note(report))
    note = wording.example_note(agreement, progress.has_examples)
    if note:
        paragraph = document.add_paragraph()
        paragraph.add_run(gettext("Example")).bold = True
        paragraph.add_run(": " + note)


def _section(document, section):
    """Any section: heading, sentences, tables with their totals, notes."""
    document.add_heading(_text(section.title), level=1)
    for sentence in section.sentences:
        document.add_paragraph(_text(sentence))
    if section.empty_text and all(table.is_empty for table in section.tables):
        _note(document, section.empty_text)
    previous_was_table = False
    for table in section.tables:
        if table.is_empty:
            continue
        if table.caption:
            document.add_heading(_text(table.caption), level=2)
        elif previous_was_table:
            # Word joins two tables with nothing between them into one.
            document.add_paragraph()
        previous_was_table = True
        numeric = {i for i, column in enumerate(table.columns) if column.is_numeric}
        rows = [[cell_text(cell) for cell in row] for row in table.rows]
        bold_rows = ()
        if table.total is not None:
            rows.append([cell_text(cell) for cell in table.total])
            bold_rows = (len(rows) - 1,)
        _add_table(
            document,
            [column.title for column in table.columns],
            rows,
            numeric=numeric,
            bold_rows=bold_rows,
        )
    for note in section.notes:
        _note(document, note)


def _photos(document, report):
    photos = report.progress.photos
    if not photos:
        return
    document.add_heading(gettext("Photos"), level=1)
    for photo in photos:
        text = photo.caption
        if photo.credit:
            # gettext outside the f-string: xgettext does not look inside one.
            photo_label = gettext("Photo")
            text = f"{text} ({photo_label}: {photo.credit})"
        if photo.source_url:
            text = f"{text} {photo.source_url}"
        document.add_paragraph(_text(text), style="List Bullet")


def _narrative(document):
    document.add_heading(gettext("Narrative"), level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run(
        gettext(
            "Write the narrative of the year here: what was done, what it changed, "
            "what was learned and what comes next. Replace this paragraph."
        )
    ).italic = True


def _signatures(document, report):
    """One column per side; a party that has confirmed the year's records has
    its name, title and date filled in from its confirmation."""
    signatures = report.progress.signatures
    if not signatures:
        return
    document.add_heading(gettext("Signatures"), level=1)
    table = document.add_table(rows=5, cols=len(signatures))
    style = _table_style(document)
    if style:
        table.style = document.styles[style]
    for column, (side, confirmation) in enumerate(signatures):
        cells = [row.cells[column] for row in table.rows]
        _fill_cell(cells[0], wording.side_name(side), bold=True)
        if note := wording.side_note(side):
            paragraph = cells[0].add_paragraph()
            run = paragraph.add_run(_text(note))
            run.italic = True
            run.font.size = TABLE_FONT_SIZE
        _fill_cell(cells[1], wording.signature_confirmation_text(confirmation))
        # Room to sign: the label, then blank lines.
        _fill_cell(cells[2], [gettext("Signature"), "", "", ""])
        # Who signs is who confirmed the year for the side, never whoever signed
        # the agreement: a successor's people, or other office holders, may sign.
        signatory = confirmation.signatory if confirmation else ""
        signed_on = wording.confirmed_on_text(confirmation) if confirmation else ""
        name_label, date_label = gettext("Name and title"), gettext("Date")
        _fill_cell(cells[3], f"{name_label}: {signatory}".rstrip())
        _fill_cell(cells[4], f"{date_label}: {signed_on}".rstrip())


def report_docx(report):
    """The annual report as a .docx file's bytes."""
    language = _language()
    document = Document()
    _page_setup(document)
    _proofing_language(document, language)
    _core_properties(document, report, language)
    _front_matter(document, report)
    for section in report.sections:
        _section(document, section)
    _photos(document, report)
    _narrative(document)
    _signatures(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
