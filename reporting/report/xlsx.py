"""report.xlsx: the annual report's sections as typed spreadsheet tables.

One sheet per section, laid out without knowing what the section means: dates are
dates, counts are integers and money stays Decimal with its currency (and the "≈"
of an approximate amount) in the number format, so a reader can sort, filter and
sum without cleaning. Total rows come from the section, never from a formula.
Text is neutralised (`safe.neutralise`): a title typed as `=HYPERLINK(…)` stays
text. Only formats an `AnnualReport`; never queries the database.
"""

import datetime
import io
import math
import re
import zipfile
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import ARC_APP
from openpyxl.xml.functions import SubElement, tostring

from cooperation.formatting import APPROXIMATE_SIGN, currency_places
from reporting.progress import Money, Status

from . import wording
from .safe import neutralise
from .sections import Kind

# The author and company of the file, in the report's language like the rest of it.
COMPANY = gettext_lazy("Red Cross cooperation agreements")
# Excel's limits: a sheet name of 31 characters without \ / ? * : [ ], and a cell
# of 32,767 characters (longer text opens as a "repaired" file).
SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*:\[\]]")
CELL_TEXT_LIMIT = 32767
MIN_WIDTH, MAX_WIDTH = 8, 40
# Short text (names, kinds, statuses) wraps past this; long text (purposes,
# summaries, evidence) gets up to MAX_WIDTH.
TEXT_MAX_WIDTH = 30

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
COUNT_FORMAT = "#,##0"

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", start_color="DDDDDD")
SECTION_FILL = PatternFill("solid", start_color="EEEEEE")
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)


# With Excel's default margins, portrait A4 holds about 85 characters of 11 pt text
# across and landscape about 120. A sheet of up to 190 shrinks to one page wide (to
# two thirds, still readable); a wider one keeps its size and spills onto a second
# page, its header row repeated.
PORTRAIT_WIDTH, FIT_WIDTH = 85, 190
# A sheet narrower than this still gives its sentences this many characters a line.
PARAGRAPH_MIN_WIDTH = 60
LINE_HEIGHT = 15  # points per line of 11 pt text


def money_format(currency, *, approximate=False):
    """'#,##0 "VND"', '#,##0.00 "USD"': the currency's own minor unit (CLDR).

    An approximate amount keeps its number and shows "≈" before it.
    """
    code = currency.replace('"', "")
    places = currency_places(code)
    decimals = "." + "0" * places if places else ""
    prefix = f'"{APPROXIMATE_SIGN} "' if approximate else ""
    return f'{prefix}#,##0{decimals} "{code}"'


def sheet_title(text, taken):
    """A translated sheet name Excel accepts: short, legal and unique."""
    title = SHEET_TITLE_FORBIDDEN.sub(" ", wording.clean_text(text)).strip("' ")
    title = title[:SHEET_TITLE_LENGTH] or "Sheet"
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" {number}"
        candidate = title[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def cell_text(value):
    """Text for a cell: XML-safe, within Excel's limit, never a formula."""
    text = neutralise(wording.clean_text(value))
    # Cut after neutralising: the apostrophe counts against Excel's limit too.
    if len(text) > CELL_TEXT_LIMIT:
        text = text[: CELL_TEXT_LIMIT - 1] + "…"
    return text


def _shown_width(value):
    """How many characters `value` shows as, for the column width."""
    if isinstance(value, Money):
        places = currency_places(value.currency)
        return len(f"{value.amount:,.{places}f}") + len(value.currency) + 3
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, Decimal):
        return len(f"{value:,f}")
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


class SheetWriter:
    """Writes typed rows to one worksheet; sizes columns and rows from the content."""

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self.widths = {}
        self.wrapped = {}  # row -> [(column, text)] of cells that wrap
        self.paragraphs = []  # (row, text) of sentences across the columns
        self.caps = {}  # column -> the widest it may be
        self.row = 0

    def put(self, column, value, *, kind=None, font=None, fill=None, wrap=False):
        cell = self.worksheet.cell(row=self.row, column=column)
        if fill is not None:
            cell.fill = fill
        if font is not None:
            cell.font = font
        cell.alignment = WRAP if wrap else TOP
        if value is None or value == "":
            return cell
        if isinstance(value, Money):
            cell.value = value.amount
            cell.number_format = money_format(
                value.currency, approximate=value.approximate
            )
        elif isinstance(value, Status):
            cell.value = value = f"{value.mark} {value.label}"
        elif isinstance(value, bool):
            cell.value = value
        elif isinstance(value, int):
            cell.value = value
            # A year or an ordinal reads 2022, not 2,022.
            cell.number_format = "0" if kind == "plain" else COUNT_FORMAT
        elif isinstance(value, Decimal):
            cell.value = value
            integral = value == value.to_integral_value()
            cell.number_format = COUNT_FORMAT if integral else "#,##0.######"
        elif isinstance(value, datetime.datetime):
            cell.value = value
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            text = cell_text(value)
            cell.value = text
            # A neutralised string never starts with "=", but say so outright:
            # openpyxl would otherwise store such a string as a formula.
            cell.data_type = "s"
            value = text
        width = _shown_width(value)
        if wrap:
            self.wrapped.setdefault(self.row, []).append((column, str(value)))
            width = min(width, self._cap(column))
        self.widths[column] = max(self.widths.get(column, 0), width)
        return cell

    def write(self, values, *, font=None, fill=None, wrap_columns=(), kinds=None):
        self.row += 1
        for column, value in enumerate(values, start=1):
            kind = kinds[column - 1] if kinds else None
            self.put(
                column,
                value,
                kind=kind,
                font=font,
                fill=fill,
                wrap=column in wrap_columns,
            )
        return self.row

    def paragraph(self, text, *, font=None):
        """A sentence across the sheet's columns, wrapped (merged in `finish`).

        Text left to spill to the right would widen the printed page and shrink
        every table on it.
        """
        self.row += 1
        cell = self.worksheet.cell(row=self.row, column=1, value=cell_text(text))
        cell.data_type = "s"
        cell.alignment = WRAP
        if font is not None:
            cell.font = font
        self.paragraphs.append((self.row, cell.value))
        return self.row

    def skip(self):
        self.row += 1

    def _merge_paragraphs(self, width):
        columns = max(self.widths, default=1)
        if width > sum(self._column_width(c) for c in range(1, columns + 1)):
            # Too few columns to hold a sentence: widen the last one.
            letter = get_column_letter(columns)
            missing = width - sum(self._column_width(c) for c in range(1, columns + 1))
            self.worksheet.column_dimensions[letter].width = (
                self._column_width(columns) + missing
            )
        for row, text in self.paragraphs:
            if columns > 1:
                self.worksheet.merge_cells(
                    start_row=row, start_column=1, end_row=row, end_column=columns
                )
            lines = sum(
                max(1, math.ceil(len(line) / max(width - 2, 1)))
                for line in str(text).splitlines() or [""]
            )
            if lines > 1:
                self.worksheet.row_dimensions[row].height = lines * LINE_HEIGHT

    def _cap(self, column):
        return self.caps.get(column, MAX_WIDTH)

    def _final_width(self, column):
        width = self.widths.get(column, 0)
        return min(max(width + 2, MIN_WIDTH), self._cap(column))

    def _column_width(self, column):
        letter = get_column_letter(column)
        return self.worksheet.column_dimensions[letter].width or MIN_WIDTH

    def finish(self):
        """Size the columns, then each wrapped row to its tallest cell."""
        for column in self.widths:
            letter = get_column_letter(column)
            self.worksheet.column_dimensions[letter].width = self._final_width(column)
        for row, cells in self.wrapped.items():
            lines = 1
            for column, text in cells:
                width = self._final_width(column)
                lines = max(
                    lines,
                    sum(
                        max(1, math.ceil(len(line) / max(width - 1, 1)))
                        for line in text.splitlines() or [""]
                    ),
                )
            if lines > 1:
                # Excel caps a row at 409 points; the cell still holds all its text.
                self.worksheet.row_dimensions[row].height = min(
                    lines * LINE_HEIGHT, 409
                )
        total_width = sum(self._final_width(column) for column in self.widths)
        self._merge_paragraphs(max(total_width, PARAGRAPH_MIN_WIDTH))
        setup = self.worksheet.page_setup
        setup.paperSize = self.worksheet.PAPERSIZE_A4
        if total_width > PORTRAIT_WIDTH:
            setup.orientation = "landscape"
        if total_width <= FIT_WIDTH:
            self.worksheet.sheet_properties.pageSetUpPr.fitToPage = True
            setup.fitToWidth = 1
            setup.fitToHeight = 0


def write_table(writer, table, *, first=False):
    """Header, rows and total row of a section table; returns the header row."""
    # Every text column wraps: a long title must not run under the next cell.
    wrap_columns = set()
    for index, column in enumerate(table.columns, start=1):
        if column.kind in (Kind.TEXT, Kind.STATUS):
            wrap_columns.add(index)
            cap = MAX_WIDTH if column.wide else TEXT_MAX_WIDTH
            writer.caps[index] = max(writer.caps.get(index, 0), cap)
    if table.caption:
        writer.paragraph(table.caption, font=BOLD)
    header_row = writer.write(
        [column.title for column in table.columns], font=BOLD, fill=HEADER_FILL
    )
    for row in table.rows:
        writer.write(row, wrap_columns=wrap_columns)
    last_data_row = writer.row
    if table.total is not None:
        writer.write(table.total, font=BOLD, fill=SECTION_FILL)
    if first and table.rows:
        worksheet = writer.worksheet
        worksheet.freeze_panes = f"A{header_row + 1}"
        last = get_column_letter(len(table.columns))
        # The filter covers the data rows, not the total: sorting must not move it.
        worksheet.auto_filter.ref = f"A{header_row}:{last}{last_data_row}"
        worksheet.print_title_rows = f"{header_row}:{header_row}"
    return header_row


def section_sheet(worksheet, section):
    """A section on its own sheet. A one-table section starts with its table
    (frozen, filterable); its sentences and notes come under the tables."""
    writer = SheetWriter(worksheet)
    single = len(section.tables) == 1
    if not single:
        writer.paragraph(section.title, font=TITLE_FONT)
    shown = [table for table in section.tables if single or not table.is_empty]
    for index, table in enumerate(shown):
        if index:
            writer.skip()
        write_table(writer, table, first=single)
    paragraphs = list(section.sentences)
    if section.empty_text and all(table.is_empty for table in section.tables):
        paragraphs.insert(0, section.empty_text)
    paragraphs.extend(section.notes)
    if paragraphs:
        writer.skip()
    for text in paragraphs:
        writer.paragraph(text)
    writer.finish()


def _front_sheet(worksheet, report):
    agreement = report.agreement
    writer = SheetWriter(worksheet)
    writer.paragraph(wording.report_title(report), font=TITLE_FONT)
    writer.write([gettext("Agreement"), agreement.title])
    writer.write([gettext("Period"), agreement.start_date, agreement.end_date])
    if agreement.period_note:
        writer.write(["", agreement.period_note])
    writer.write([gettext("Year"), report.year], kinds=[None, "plain"])
    sides = report.progress.sides
    writer.write([gettext("Parties"), "; ".join(wording.side_names(sides))])
    for note in wording.side_notes(sides):
        writer.write(["", note])
    # Excel has no time zones: the local time as the report states it, and its
    # offset beside it.
    generated = report.generated_at.replace(microsecond=0)
    offset = generated.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    writer.write([gettext("Generated"), generated.replace(tzinfo=None), zone])
    writer.write([gettext("Records"), wording.published_note(report)])
    if agreement.is_example:
        writer.write([gettext("Example agreement"), wording.example_agreement_note()])
    elif report.progress.has_examples:
        writer.write([gettext("Example records"), wording.examples_note()])
    writer.skip()
    writer.paragraph(gettext("Sheets"), font=BOLD)
    for section in report.sections:
        writer.paragraph(section.title)
    writer.finish()


def _properties(workbook, report):
    properties = workbook.properties
    properties.title = wording.document_title(report)
    properties.subject = wording.document_subject(report)
    properties.keywords = wording.document_keywords(report)
    properties.creator = str(COMPANY)
    properties.lastModifiedBy = str(COMPANY)
    properties.description = wording.published_note(report)
    created = report.generated_at
    if created.tzinfo is not None:
        # openpyxl writes the time as UTC ("Z") and wants it naive.
        created = created.astimezone(datetime.UTC).replace(tzinfo=None)
    properties.created = properties.modified = created.replace(microsecond=0)


def _with_company(content):
    """The workbook with a Company in docProps/app.xml, which openpyxl always
    writes blank."""
    # openpyxl knows the Company field but leaves it out when serialising.
    application = ExtendedProperties().to_tree()
    SubElement(application, "Company").text = str(COMPANY)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == ARC_APP:
                data = tostring(application)
            target.writestr(info, data)
    return buffer.getvalue()


def report_xlsx(report):
    """The annual report as an .xlsx file's bytes: a cover sheet, then a sheet
    per section."""
    workbook = Workbook()
    taken = set()
    cover = workbook.active
    cover.title = sheet_title(wording.report_title(report), taken)
    _front_sheet(cover, report)
    for section in report.sections:
        section_sheet(workbook.create_sheet(sheet_title(section.title, taken)), section)
    _properties(workbook, report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_company(buffer.getvalue())
