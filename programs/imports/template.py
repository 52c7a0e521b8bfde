"""The template a clerk fills: an .xlsx in the clerk's language for one programme.

An instructions sheet first, then one sheet per kind of row with its headings
(a "*" marks a column every row needs), column widths that fit them, and data
validation: dropdowns for choices (recipient groups, currencies, yes/no, the
item catalogue's items in use, the districts of the agreement's countries that
exist in the programme's year), dates in the programme's year, whole numbers and
amounts of 0 or more, and each column's help shown as its cells are selected.
The dropdowns read their values from a hidden "Lists" sheet.

Headings are recognised in any of the three languages (plan.py), so a template
filled in Vietnamese imports for a Lao clerk. Text from the database (item and
district names, the programme's title) is written as text, never as a formula
(cooperation/formulas.py).
"""

import io

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from cooperation.formulas import could_run_as_formula

from .sheets import INSTRUCTIONS_TITLE, LISTS_TITLE, SHEETS, sheets_for

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", start_color="DDDDDD")
WRAP = Alignment(vertical="top", wrap_text=True)
REQUIRED_MARK = " *"
# Excel's limits for a data validation's texts (longer ones make it "repair" the
# file) and for a sheet's name.
PROMPT_TITLE_LENGTH, PROMPT_LENGTH = 32, 255
SHEET_TITLE_LENGTH = 31

INSTRUCTIONS_HEADING = _("Importing distributions into “%(programme)s”")
INSTRUCTIONS = (
    _(
        "Fill in the sheets “%(distributions)s” and “%(items)s”, one row per "
        "distribution and per item given, then upload this file on the programme's "
        "page (Import distributions from a spreadsheet). You will see every row as "
        "it will be saved, with any error named by sheet, row and column, before "
        "anything is saved; then all rows are saved together, or none."
    ),
    _(
        "Each distribution needs a reference of your own, for example 2024-03. A "
        "row whose reference the programme already has updates that distribution, "
        "so importing the same file again changes nothing; an import never deletes."
    ),
    _(
        "Columns marked * need a value on every row. An empty cell in another "
        "column leaves that value empty (or, for a new distribution, as the form "
        "would set it)."
    ),
    _(
        "Type values, not formulas: a cell with a formula is refused (copy and "
        "paste as values only). A file may be up to %(size)s with up to %(rows)s "
        "rows a sheet."
    ),
    _(
        "A CSV file holds one sheet: save each sheet as “CSV UTF-8”, with commas or "
        "semicolons, and upload them one after another (distributions first)."
    ),
)
TABLE_HEADINGS = (_("Sheet"), _("Column"), _("Needed"), _("Kind"), _("Help"))
HELP_WIDTH = 70


def text_cell(cell, value):
    """`value` in `cell` as text: never a formula, whatever it starts with.

    Excel's own way of saying "text, although it starts like a formula" is the
    quote prefix (what typing '=1 in a cell stores); the text itself stays as
    typed, so a name picked from a dropdown imports as the name.
    """
    cell.value = str(value)
    cell.data_type = "s"
    if could_run_as_formula(cell.value):
        cell.quotePrefix = True
    return cell


def sheet_title(text):
    return "".join(c for c in str(text) if c not in "[]:*?/\\")[:SHEET_TITLE_LENGTH]


def template_workbook(context):
    """The template for `context.program`, as .xlsx bytes."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = sheet_title(INSTRUCTIONS_TITLE)
    lists = ListsSheet(workbook.create_sheet(sheet_title(LISTS_TITLE)))
    for sheet in sheets_for(context.user):
        data_sheet_write(
            workbook.create_sheet(
                sheet_title(sheet.title), index=len(workbook.sheetnames) - 1
            ),
            sheet,
            context,
            lists,
        )
    instructions_write(instructions, context)
    for worksheet in workbook.worksheets:
        # Printed across one landscape page, as many pages down as it takes.
        worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    lists.worksheet.sheet_state = "hidden"
    workbook.active = 1  # the first sheet to fill
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ListsSheet:
    """The hidden sheet the dropdowns read, one column per list."""

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self.columns = 0

    def range_for(self, key, values):
        self.columns += 1
        letter = get_column_letter(self.columns)
        text_cell(self.worksheet.cell(row=1, column=self.columns), key)
        for number, value in enumerate(values, start=2):
            text_cell(self.worksheet.cell(row=number, column=self.columns), value)
        last = max(len(values), 1) + 1
        title = quote_sheetname(self.worksheet.title)
        return f"{title}!${letter}$2:${letter}${last}"


def data_sheet_write(worksheet, sheet, context, lists):
    last_row = settings.IMPORT_MAX_ROWS + 1
    for number, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(number)
        heading = str(column.header) + (REQUIRED_MARK if column.required else "")
        cell = text_cell(worksheet.cell(row=1, column=number), heading)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        worksheet.column_dimensions[letter].width = max(column.width, len(heading) + 2)
        if column.number_format:
            worksheet.column_dimensions[letter].number_format = column.number_format
        validation = column_validation(column, context, lists)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{last_row}")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
    worksheet.row_dimensions[1].height = 32


def column_validation(column, context, lists):
    """The column's data validation: a dropdown, a range, or only its help."""
    values = column.dropdown(context)
    other = column.validation(context)
    if values is not None:
        validation = DataValidation(
            type="list",
            formula1=lists.range_for(column.key, values),
            allow_blank=True,
            showErrorMessage=True,
            # Several districts go in one cell: typed, not picked, so only warned.
            errorStyle="warning" if column.is_many else "stop",
            error=str(column.help or column.header)[:PROMPT_LENGTH],
            errorTitle=str(column.header)[:PROMPT_TITLE_LENGTH],
        )
    elif other is not None:
        kind, operator, first, second, message = other
        validation = DataValidation(
            type=kind,
            operator=operator,
            formula1=first,
            formula2=second,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            error=str(message)[:PROMPT_LENGTH],
            errorTitle=str(column.header)[:PROMPT_TITLE_LENGTH],
        )
    elif column.help:
        validation = DataValidation(allow_blank=True)
    else:
        return None
    if column.help:
        validation.showInputMessage = True
        validation.promptTitle = str(column.header)[:PROMPT_TITLE_LENGTH]
        validation.prompt = str(column.help)[:PROMPT_LENGTH]
    return validation


def instructions_write(worksheet, context):
    program = context.program
    worksheet.column_dimensions["A"].width = 18
    worksheet.column_dimensions["B"].width = 26
    worksheet.column_dimensions["C"].width = 10
    worksheet.column_dimensions["D"].width = 18
    worksheet.column_dimensions["E"].width = HELP_WIDTH
    title = text_cell(
        worksheet.cell(row=1, column=1),
        INSTRUCTIONS_HEADING % {"programme": program},
    )
    title.font = TITLE_FONT
    params = {
        "distributions": SHEETS[0].title,
        "items": SHEETS[1].title,
        "size": filesizeformat(settings.IMPORT_MAX_BYTES),
        "rows": settings.IMPORT_MAX_ROWS,
    }
    row = 3
    for paragraph in INSTRUCTIONS:
        worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        cell = text_cell(worksheet.cell(row=row, column=1), paragraph % params)
        cell.alignment = WRAP
        # About 130 characters a line across the five columns.
        worksheet.row_dimensions[row].height = 15 * (len(cell.value) // 130 + 1)
        row += 1
    row += 1
    for number, heading in enumerate(TABLE_HEADINGS, start=1):
        cell = text_cell(worksheet.cell(row=row, column=number), heading)
        cell.font, cell.fill = BOLD, HEADER_FILL
    for sheet in sheets_for(context.user):
        row += 1
        cell = text_cell(worksheet.cell(row=row, column=1), sheet.title)
        cell.font = BOLD
        description = text_cell(worksheet.cell(row=row, column=5), sheet.description)
        description.alignment = WRAP
        worksheet.row_dimensions[row].height = 15 * (
            len(description.value) // HELP_WIDTH + 1
        )
        for column in sheet.columns:
            row += 1
            text_cell(worksheet.cell(row=row, column=2), column.header)
            if column.required:
                text_cell(worksheet.cell(row=row, column=3), gettext("yes"))
            text_cell(worksheet.cell(row=row, column=4), column.kind_label)
            if column.help:
                help_cell = text_cell(worksheet.cell(row=row, column=5), column.help)
                help_cell.alignment = WRAP
