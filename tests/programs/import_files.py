"""Spreadsheets for the import tests, built in the test with openpyxl and csv.

`distribution_row` and `item_row` give a valid row as a {heading: value} dict, so
a test states only the cell it is about.
"""

import csv
import datetime
import io
import zipfile

import openpyxl

from programs.imports.files import file_read
from programs.imports.plan import import_plan
from programs.imports.sheets import ImportContext

DISTRIBUTION_HEADERS = [
    "Reference",
    "Date (or first day)",
    "Last day",
    "Districts",
    "Recipients",
    "Recipients in detail",
    "Packages",
    "People reached",
    "Total value",
    "Currency",
    "Value is approximate",
    "Published",
    "Notes",
]
ITEM_HEADERS = ["Distribution reference", "Item", "Quantity", "Value per unit"]


def distribution_row(district, **cells):
    row = {
        "Reference": "2022-01",
        "Date (or first day)": datetime.date(2022, 10, 5),
        "Last day": None,
        "Districts": f"{district.name} ({district.pcode})",
        "Recipients": "students in difficult circumstances",
        "Recipients in detail": "Pupils of the border schools",
        "Packages": 40,
        "People reached": 40,
        "Total value": 60_000_000,
        "Currency": "VND",
        "Value is approximate": "no",
        "Published": None,
        "Notes": "",
    }
    row.update(cells)
    return row


def item_row(**cells):
    row = {
        "Distribution reference": "2022-01",
        "Item": "Bicycle (bicycle)",
        "Quantity": 10,
        "Value per unit": 1_500_000,
    }
    row.update(cells)
    return row


def table(headers, rows):
    return [list(headers), *([row.get(h) for h in headers] for row in rows)]


class Text(str):
    """Text that starts like a formula, typed as Excel keeps it when one types an
    apostrophe first ('=1+2): a text cell marked with a quote prefix. A plain
    "=…" string is written as a formula, as Excel does with what one types."""


def xlsx(sheets):
    """An .xlsx whose sheets are {title: [[cell, …], …]}, the first row the
    headings."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for number, row in enumerate(rows, start=1):
            worksheet.append(row)
            for column, value in enumerate(row, start=1):
                if isinstance(value, Text):
                    cell = worksheet.cell(row=number, column=column)
                    cell.value = str(value)
                    cell.data_type = "s"
                    cell.quotePrefix = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook(distributions=(), items=()):
    sheets = {}
    if distributions is not None:
        sheets["Distributions"] = table(DISTRIBUTION_HEADERS, distributions)
    if items is not None:
        sheets["Items"] = table(ITEM_HEADERS, items)
    return xlsx(sheets)


def csv_bytes(rows, *, delimiter=",", encoding="utf-8", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [
                "" if v is None else v.isoformat() if hasattr(v, "isoformat") else v
                for v in row
            ]
        )
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def zip_rewritten(content, change):
    """`content` (a zip) with each part passed through `change(name, data)`, which
    returns the new data or None to leave the part out."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = change(item.filename, source.read(item.filename))
            if data is not None:
                archive.writestr(item, data)
    return buffer.getvalue()


def plan_of(content, program, user=None, *, name="import.xlsx", csv_sheet=""):
    raw = file_read(content, name)
    return import_plan(raw, ImportContext(program, user), csv_sheet)
