"""Read every output of the annual report back, as the person who receives it.

Each reader returns what a format shows of a section's tables, so that the
consistency tests compare cells, not substrings.
"""

import csv
import datetime
import io
import re
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser

import docx
import openpyxl
from pypdf import PdfReader

from reporting.progress import Money, Status
from reporting.report.sections import cell_text
from reporting.report.xlsx import cell_text as xlsx_cell_text

SPACES = re.compile(r"\s+")
ZERO_WIDTH = "\u200b"


def normal(text):
    """Text as compared: no break points, one plain space between words."""
    return SPACES.sub(" ", str(text).replace(ZERO_WIDTH, "").replace("\u00a0", " "))
    # (strip is applied by the callers that need it)


def expected_cells(table):
    """A section table's rows (and total row) as every format should show them."""
    rows = [[normal(cell_text(cell)).strip() for cell in row] for row in table.rows]
    if table.total is not None:
        rows.append([normal(cell_text(cell)).strip() for cell in table.total])
    return rows


class SectionTableParser(HTMLParser):
    """Cells of every `data-table` in a page: generic tables by their th/td, cards
    by their `data-cell` indexes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = defaultdict(list)  # key -> rows (dict column -> text)
        self.table = None
        self.row = None
        self.cell = None  # (index, depth) being read
        self.depth = 0
        self.row_depth = self.table_depth = None
        self.next_index = 0

    def handle_starttag(self, tag, attrs):
        self.depth += 1
        attributes = dict(attrs)
        if "data-table" in attributes:
            self.table, self.table_depth = attributes["data-table"], self.depth
        elif self.table and "data-row" in attributes:
            self.row, self.row_depth, self.next_index = {}, self.depth, 0
            self.tables[self.table].append(self.row)
        elif self.row is not None and self.cell is None:
            if "data-cell" in attributes:
                self.cell = (int(attributes["data-cell"]), self.depth)
            elif tag in ("th", "td") and self.depth == self.row_depth + 1:
                self.cell = (self.next_index, self.depth)
                self.next_index += 1
            if self.cell is not None:
                self.row[self.cell[0]] = ""
        if tag in ("br", "li", "p") and self.cell is not None:
            # A line of its own reads as a new line, which `normal` makes a space.
            self.row[self.cell[0]] += " "

    def handle_endtag(self, tag):
        if self.cell is not None and self.depth == self.cell[1]:
            self.cell = None
        if self.row is not None and self.depth == self.row_depth:
            self.row = None
        if self.table is not None and self.depth == self.table_depth:
            self.table = None
        self.depth -= 1

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and self.cell is not None:
            self.row[self.cell[0]] += " "

    def handle_data(self, data):
        if self.cell is not None:
            self.row[self.cell[0]] += data


VOID_TAGS = re.compile(r"<(br|img|meta|link|input|col|hr)(\s[^>]*)?>", re.I)


def html_tables(html):
    """{table key: [{column index: text}]} of every section table in `html`."""
    parser = SectionTableParser()
    # Void elements have no end tag: make them self-closing for the depth count.
    parser.feed(
        VOID_TAGS.sub(lambda m: m.group(0).rstrip(">").rstrip("/") + "/>", html)
    )
    return {
        key: [
            {index: normal(text).strip() for index, text in row.items()} for row in rows
        ]
        for key, rows in parser.tables.items()
    }


def docx_tables(content):
    """Every table of the DOCX, as lists of cell texts, in document order."""
    document = docx.Document(io.BytesIO(content))
    return [
        [[normal(cell.text).strip() for cell in row.cells] for row in table.rows]
        for table in document.tables
    ]


def _read_cell(value):
    # openpyxl reads every date as a datetime; a date cell has no time of day.
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def xlsx_sheets(content):
    """{sheet title: rows of typed values} of the XLSX."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {
        sheet.title: [
            [_read_cell(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in workbook.worksheets
    }


def xlsx_value(cell):
    """What a section cell is stored as in the XLSX (typed, not formatted)."""
    if isinstance(cell, Money):
        return cell.amount
    if isinstance(cell, Status):
        return f"{cell.mark} {cell.label}"
    if cell == "":
        return None
    if isinstance(cell, str):
        # Within Excel's cell limit, never a formula: as the XLSX stores text.
        return xlsx_cell_text(cell)
    return cell


def pdf_text(content):
    return normal(
        "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    )


def csv_rows(content, *, hxl=False):
    """(header, hxl tags or None, rows as dicts) of the CSV."""
    reader = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, tags = reader[0], (reader[1] if hxl else None)
    body = reader[2:] if hxl else reader[1:]
    return header, tags, [dict(zip(header, row, strict=True)) for row in body]


def hxl_sums(content):
    """Sum of each numeric HXL column, per currency for money: {(tag, currency): n}."""
    _header, tags, rows = csv_rows(content, hxl=True)
    header = list(rows[0]) if rows else []
    currency_column = header[tags.index("#currency+code")] if rows else None
    sums = defaultdict(Decimal)
    for row in rows:
        for name, tag in zip(header, tags, strict=True):
            value = row[name]
            if not value or not re.fullmatch(r"-?\d+(\.\d+)?", value):
                continue
            if tag.startswith("#meta") or tag.startswith("#date"):
                continue
            currency = row[currency_column] if tag in ("#value", "#x_cost") else ""
            sums[(tag, currency)] += Decimal(value)
    return dict(sums)
