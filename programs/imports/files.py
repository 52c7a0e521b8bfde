"""An uploaded spreadsheet, judged by its bytes and read into plain rows.

What the file is comes from its content, never from its name or the browser's
content type (as for attachments, cooperation/uploads.py):

- a zip holding an Excel workbook is read with openpyxl, after its directory
  says what it unpacks to, so a zip bomb is refused before anything is inflated
  (Python's zipfile never inflates a part beyond the size the directory gives);
  a workbook with macros (.xlsm) is refused;
- anything else must be text: UTF-8 (with or without the byte-order mark Excel's
  "CSV UTF-8" writes) or UTF-16 with its byte-order mark (Excel's "Unicode
  text"), with commas, semicolons or tabs between the cells. Text in another
  encoding is refused rather than guessed: Excel's plain "CSV" writes the
  computer's Windows code page (cp1258 on a Vietnamese Windows, which has no
  code page for Lao at all), and a wrong guess would store garbled names.

A cell holding a formula is kept as such (`RawCell.kind`), never evaluated: the
columns refuse it with a message (columns.py). Text that merely starts like a
formula ("=HYPERLINK(…)") is text, and is stored as typed; every file the app
writes neutralises it (cooperation/formulas.py).
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cooperation.uploads import XLSX, file_type_sniffed

# More columns than any sheet declares; cells beyond are not read.
MAX_COLUMNS = 60
# What the part list of a real workbook holds (a few dozen parts).
MAX_ZIP_PARTS = 1000
DELIMITERS = (",", ";", "\t")
VALUE, FORMULA, ERROR = "value", "formula", "error"

FILE_EMPTY = _("The file is empty.")
FILE_TOO_LARGE = _(
    "This file is %(size)s; a spreadsheet to import may be at most %(limit)s. "
    "Split it into several files and import them one after another."
)
NOT_A_SPREADSHEET = _(
    "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV "
    "file, for example the template from this page."
)
OLD_EXCEL = _(
    "This is an Excel 97–2003 workbook (.xls), which is not read here. In Excel, "
    "choose File › Save As › “Excel Workbook (.xlsx)” and upload that file."
)
OPENDOCUMENT = _(
    "This is an OpenDocument spreadsheet (.ods). In LibreOffice, choose File › "
    "Save As › “Excel 2007-365 (.xlsx)” and upload that file."
)
MACROS = _(
    "This workbook contains macros (.xlsm), which are never accepted. Save it as "
    "an ordinary Excel workbook (.xlsx) and upload that file."
)
DAMAGED = _(
    "This Excel workbook could not be read: the file may be damaged or only "
    "partly downloaded. Open it in Excel, save it again and upload it."
)
UNPACKS_TOO_LARGE = _(
    "This workbook unpacks to %(size)s, more than the %(limit)s a spreadsheet to "
    "import may hold: it is not an ordinary spreadsheet, or too large to import "
    "at once."
)
NOT_UTF8 = _(
    "This CSV file is not saved as UTF-8, so its letters cannot be read for "
    "certain (Vietnamese and Lao would come out garbled). In Excel, choose File › "
    "Save As › “CSV UTF-8 (Comma delimited)”, or upload the Excel workbook itself."
)
CSV_DAMAGED = _(
    "This CSV file could not be read: %(reason)s. Check that each quotation mark "
    "is closed, or upload the Excel workbook itself."
)
TOO_MANY_ROWS = _(
    "The sheet “%(sheet)s” has more than %(limit)s rows: split it into several "
    "files and import them one after another."
)
CSV_TOO_MANY_ROWS = _(
    "This file has more than %(limit)s rows: split it into several files and "
    "import them one after another."
)
NO_SHEETS = _("This workbook has no sheet with any rows.")


class FileRefused(Exception):
    """The file as a whole cannot be imported: `message` says why."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.text = message % params if params else message

    def __str__(self):
        return str(self.text)


@dataclass(frozen=True)
class RawCell:
    """A cell as the file holds it: a value (text, number, date, true/false) or,
    for `kind` FORMULA or ERROR, the formula's text or the error shown."""

    value: object = None
    kind: str = VALUE

    @property
    def is_empty(self):
        if self.kind != VALUE:
            return False
        return self.value is None or (
            isinstance(self.value, str) and not self.value.strip()
        )


EMPTY = RawCell()


@dataclass(frozen=True)
class RawRow:
    number: int  # as the spreadsheet numbers it: the header row is 1
    cells: tuple

    def cell(self, index):
        return self.cells[index] if index < len(self.cells) else EMPTY


@dataclass(frozen=True)
class RawSheet:
    name: str  # "" for a CSV file
    headers: tuple  # the first row's text
    rows: tuple  # the rows under it that hold something


@dataclass(frozen=True)
class RawFile:
    kind: str  # "xlsx" or "csv"
    sheets: tuple


def size_check(size):
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise FileRefused(
            FILE_TOO_LARGE, size=filesizeformat(size), limit=filesizeformat(limit)
        )


def file_read(content, name=""):
    """The file's sheets as plain rows, or FileRefused saying why not."""
    size_check(len(content))
    if not content.strip():
        raise FileRefused(FILE_EMPTY)
    if content.startswith(b"PK\x03\x04"):
        return RawFile("xlsx", workbook_sheets(content))
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise FileRefused(OLD_EXCEL)
    if file_type_sniffed(io.BytesIO(content)) is not None:
        raise FileRefused(NOT_A_SPREADSHEET)  # a photo, a PDF…
    if PurePath(name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        # Named as a workbook, but not one: an HTML page saved as .xlsx, say.
        raise FileRefused(NOT_A_SPREADSHEET)
    return RawFile("csv", (csv_sheet(content),))


# Excel workbooks


def workbook_sheets(content):
    archive_check(content)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # a hostile file can break the parser anywhere
        raise FileRefused(DAMAGED) from None
    try:
        sheets = tuple(worksheet_read(worksheet) for worksheet in workbook.worksheets)
    except FileRefused:
        raise
    except Exception:  # idem, while the sheets are read
        raise FileRefused(DAMAGED) from None
    finally:
        workbook.close()
    if not any(sheet.headers for sheet in sheets):
        raise FileRefused(NO_SHEETS)
    return sheets


def archive_check(content):
    """Refuses a zip that is not a macro-free workbook, or that would unpack to
    more than IMPORT_MAX_UNPACKED_BYTES, from its directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise FileRefused(DAMAGED) from None
    if "mimetype" in names and any(n.startswith("content.xml") for n in names):
        raise FileRefused(OPENDOCUMENT)
    if len(parts) > MAX_ZIP_PARTS:
        raise FileRefused(DAMAGED)
    unpacked = sum(part.file_size for part in parts)
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise FileRefused(
            UNPACKS_TOO_LARGE,
            size=filesizeformat(unpacked),
            limit=filesizeformat(limit),
        )
    if "xl/workbook.xml" in names and (
        "xl/vbaProject.bin" in names
        or file_type_sniffed(io.BytesIO(content)) is not XLSX
    ):
        # The main part is there, but [Content_Types].xml names it macro-enabled
        # (or a macro project is inside): an .xlsm, whatever its name.
        raise FileRefused(MACROS)
    if file_type_sniffed(io.BytesIO(content)) is not XLSX:
        raise FileRefused(NOT_A_SPREADSHEET)  # a Word document, another zip…


def worksheet_read(worksheet):
    limit = settings.IMPORT_MAX_ROWS
    headers, rows = (), []
    for number, cells in enumerate(
        worksheet.iter_rows(min_row=1, max_row=limit + 1, max_col=MAX_COLUMNS),
        start=1,
    ):
        raw = trimmed([cell_read(cell) for cell in cells])
        if number == 1:
            headers = header_texts(raw)
        elif not all(cell.is_empty for cell in raw):
            rows.append(RawRow(number, raw))
    # Anything further down, however far, makes the sheet too long: read values
    # only (cheap), up to the first that holds something.
    for values in worksheet.iter_rows(
        min_row=limit + 2, max_col=MAX_COLUMNS, values_only=True
    ):
        if values.count(None) != len(values):
            raise FileRefused(TOO_MANY_ROWS, sheet=worksheet.title, limit=limit)
    return RawSheet(worksheet.title, headers, tuple(rows))


def trimmed(cells):
    """The row's cells without the empty ones after its last value (openpyxl
    fills every row out to the widest)."""
    while cells and cells[-1].is_empty:
        cells.pop()
    return tuple(cells)


def cell_read(cell):
    value = getattr(cell, "value", None)
    data_type = getattr(cell, "data_type", None)
    if data_type == "f":
        # An array formula is an object holding its text.
        return RawCell(str(getattr(value, "text", value)), FORMULA)
    if data_type == "e":
        return RawCell(str(value), ERROR)
    return RawCell(value)


def header_texts(cells):
    """The header row's texts, trailing empty cells dropped."""
    texts = [
        "" if cell.is_empty or cell.kind != VALUE else str(cell.value).strip()
        for cell in cells
    ]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


# CSV files


def csv_text(content):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        raise FileRefused(NOT_UTF8) from None
    stripped = text.lstrip()
    if "\x00" in text or stripped.startswith("<"):
        # Binary, or markup (an HTML page, an XML file) saved under any name.
        raise FileRefused(NOT_A_SPREADSHEET)
    return text


def delimiter_sniffed(text):
    """The delimiter that splits the header line into the most cells (a header
    has no commas or semicolons of its own); a comma when none splits it."""
    first_line = next(iter(text.splitlines()), "")

    def cells(delimiter):
        try:
            return len(next(csv.reader([first_line], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            return 0

    best = max(DELIMITERS, key=cells)
    return best if cells(best) > 1 else ","


def csv_sheet(content):
    text = csv_text(content)
    limit = settings.IMPORT_MAX_ROWS
    reader = csv.reader(io.StringIO(text), delimiter=delimiter_sniffed(text))
    headers, rows = (), []
    try:
        for number, values in enumerate(reader, start=1):
            raw = tuple(RawCell(value) for value in values[:MAX_COLUMNS])
            if number == 1:
                headers = header_texts(raw)
            elif not all(cell.is_empty for cell in raw):
                if number > limit + 1:
                    raise FileRefused(CSV_TOO_MANY_ROWS, limit=limit)
                rows.append(RawRow(number, raw))
    except csv.Error as error:
        raise FileRefused(CSV_DAMAGED, reason=str(error)) from None
    return RawSheet("", headers, tuple(rows))
