"""An uploaded spreadsheet is judged by its bytes: what is not a macro-free Excel
workbook or a UTF-8 (or UTF-16) CSV file is refused with a message saying why,
before anything is unpacked, parsed or saved."""

import io
import unicodedata
import zipfile

import openpyxl
import pytest
from django.template.defaultfilters import filesizeformat

from programs.imports import files
from programs.imports.files import (
    CSV_TOO_MANY_ROWS,
    DAMAGED,
    FILE_EMPTY,
    FILE_TOO_LARGE,
    FORMULA,
    MACROS,
    NOT_A_SPREADSHEET,
    NOT_UTF8,
    OLD_EXCEL,
    OPENDOCUMENT,
    TOO_MANY_ROWS,
    UNPACKS_TOO_LARGE,
    FileRefused,
    file_read,
)
from tests.programs.import_files import csv_bytes, xlsx, zip_rewritten
from tests.upload_files import ESCALATION_HTML, docx_bytes, pdf_bytes, photo_bytes

HEADERS = ["Reference", "Packages"]


def refusal(content, name="import.xlsx"):
    with pytest.raises(FileRefused) as refused:
        file_read(content, name)
    return str(refused.value)


def test_a_workbook_is_read_sheet_by_sheet_with_the_spreadsheets_row_numbers():
    content = xlsx(
        {
            "Distributions": [HEADERS, ["2024-01", 40], [None, None], ["2024-02", 5]],
            "Notes": [["anything"]],
        }
    )
    raw = file_read(content, "any name.bin")
    assert raw.kind == "xlsx"
    first, second = raw.sheets
    assert first.name == "Distributions"
    assert first.headers == ("Reference", "Packages")
    # The empty row 3 is skipped; row 4 keeps its number.
    assert [row.number for row in first.rows] == [2, 4]
    assert [cell.value for cell in first.rows[1].cells] == ["2024-02", 5]
    assert second.headers == ("anything",) and second.rows == ()


def test_a_formula_cell_is_read_as_a_formula_never_evaluated():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(["2024-01", "=SUM(1,2)"])
    # Text that merely starts like a formula, stored as text.
    sheet["A3"] = '=HYPERLINK("http://example.org")'
    sheet["A3"].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    (raw,) = file_read(buffer.getvalue()).sheets
    formula = raw.rows[0].cells[1]
    assert formula.kind == FORMULA and formula.value == "=SUM(1,2)"
    text = raw.rows[1].cells[0]
    assert text.kind == "value" and text.value == '=HYPERLINK("http://example.org")'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ESCALATION_HTML, NOT_A_SPREADSHEET),
        (photo_bytes("PNG"), NOT_A_SPREADSHEET),
        (photo_bytes("JPEG"), NOT_A_SPREADSHEET),
        (pdf_bytes(), NOT_A_SPREADSHEET),
        (docx_bytes(), NOT_A_SPREADSHEET),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, OLD_EXCEL),
        (b"   \n ", FILE_EMPTY),
    ],
    ids=["html", "png", "jpeg", "pdf", "docx", "xls", "empty"],
)
def test_a_file_that_is_no_spreadsheet_is_refused_whatever_its_name(content, message):
    assert refusal(content, "distributions.xlsx") == str(message)


def test_html_saved_as_csv_is_refused_as_no_spreadsheet():
    assert refusal(ESCALATION_HTML, "distributions.csv") == str(NOT_A_SPREADSHEET)


def test_a_workbook_with_macros_is_refused_even_named_xlsx():
    def macro_enabled(name, data):
        if name == "[Content_Types].xml":
            return data.replace(
                b"spreadsheetml.sheet.main+xml",
                b"ms-excel.sheet.macroEnabled.main+xml",
            )
        return data

    content = zip_rewritten(xlsx({"Distributions": [HEADERS]}), macro_enabled)
    assert refusal(content, "distributions.xlsx") == str(MACROS)


def test_an_opendocument_spreadsheet_is_refused_with_what_to_do():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert refusal(buffer.getvalue(), "distributions.ods") == str(OPENDOCUMENT)


def test_a_damaged_workbook_is_refused():
    content = xlsx({"Distributions": [HEADERS, ["2024-01", 4]]})
    assert refusal(content[: len(content) // 2]) == str(DAMAGED)


def test_a_workbook_whose_sheet_is_not_xml_is_refused_as_damaged():
    def broken(name, data):
        return b"<worksheet><sheetData><row" if name.endswith("sheet1.xml") else data

    content = zip_rewritten(xlsx({"Distributions": [HEADERS]}), broken)
    assert refusal(content) == str(DAMAGED)


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(
    settings, monkeypatch
):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1_000_000

    def padded(name, data):
        # Two megabytes of spaces inside the sheet: a few kilobytes zipped.
        return data + b" " * 2_000_000 if name.endswith("sheet1.xml") else data

    content = zip_rewritten(xlsx({"Distributions": [HEADERS]}), padded)
    assert len(content) < 50_000

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(files.openpyxl, "load_workbook", never)
    declared = sum(
        part.file_size for part in zipfile.ZipFile(io.BytesIO(content)).infolist()
    )
    assert refusal(content) == str(
        UNPACKS_TOO_LARGE
        % {"size": filesizeformat(declared), "limit": filesizeformat(1_000_000)}
    )


def test_a_file_larger_than_the_setting_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = csv_bytes([HEADERS, *(["2024-01", 4] for _ in range(200))])
    assert refusal(content, "big.csv") == str(
        FILE_TOO_LARGE
        % {"size": filesizeformat(len(content)), "limit": filesizeformat(1000)}
    )


def test_a_sheet_with_more_rows_than_the_setting_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [HEADERS, *(["2024-01", 4] for _ in range(4))]
    assert refusal(xlsx({"Distributions": rows})) == str(
        TOO_MANY_ROWS % {"sheet": "Distributions", "limit": 3}
    )
    assert refusal(csv_bytes(rows), "rows.csv") == str(CSV_TOO_MANY_ROWS % {"limit": 3})


def test_a_row_far_below_the_limit_counts_as_too_many_rows(settings):
    settings.IMPORT_MAX_ROWS = 3
    workbook = openpyxl.Workbook()
    workbook.active.title = "Distributions"
    workbook.active.append(HEADERS)
    workbook.active["A5000"] = "2024-09"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert refusal(buffer.getvalue()) == str(
        TOO_MANY_ROWS % {"sheet": "Distributions", "limit": 3}
    )


# CSV


def test_a_csv_file_with_semicolons_is_read_with_semicolons():
    content = csv_bytes([HEADERS, ["2024-01", "60.000.000"]], delimiter=";")
    (raw,) = file_read(content, "export.csv").sheets
    assert raw.headers == ("Reference", "Packages")
    assert [cell.value for cell in raw.rows[0].cells] == ["2024-01", "60.000.000"]


def test_a_csv_file_with_commas_and_excels_byte_order_mark_is_read():
    content = csv_bytes([HEADERS, ["Sản-Xay", "40"]], bom=True)
    assert content.startswith(b"\xef\xbb\xbf")
    (raw,) = file_read(content, "export.csv").sheets
    # The mark is not part of the first heading.
    assert raw.headers == ("Reference", "Packages")
    assert raw.rows[0].cells[0].value == "Sản-Xay"


def test_excels_unicode_text_utf16_with_tabs_is_read():
    content = csv_bytes(
        [HEADERS, ["ເມືອງຊານໄຊ", "40"]], delimiter="\t", encoding="utf-16"
    )
    (raw,) = file_read(content, "export.txt").sheets
    assert raw.rows[0].cells[0].value == "ເມືອງຊານໄຊ"


def test_a_csv_in_a_windows_code_page_is_refused_not_guessed():
    # What Excel's plain "CSV" writes on a Vietnamese Windows.
    # cp1258 writes Vietnamese tones as combining marks (decomposed).
    text = unicodedata.normalize("NFD", "Reference,Recipients\r\n2024-01,Học sinh\r\n")
    content = text.encode("cp1258")
    assert refusal(content, "export.csv") == str(NOT_UTF8)


def test_a_quoted_cell_may_hold_the_delimiter_and_a_line_break():
    content = csv_bytes([HEADERS, ["2024-01; a", "line one\nline two"]], delimiter=";")
    (raw,) = file_read(content, "export.csv").sheets
    assert [cell.value for cell in raw.rows[0].cells] == [
        "2024-01; a",
        "line one\nline two",
    ]
