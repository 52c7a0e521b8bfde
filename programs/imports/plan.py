"""What an import would do, row by row, and doing it in one transaction.

`import_plan` reads the file's sheets with their declarations (sheets.py), matches
each row on its key with the programme's stored records, and checks every row
that would be written with the model's own `full_clean()`: the same rules as the
admin's forms, none restated here. A row the file leaves as stored is unchanged
and writes nothing. `import_save` writes the plan in one transaction, each
record with a history row that says which file it came from.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import UniqueConstraint
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cooperation.history import import_reason
from cooperation.models import year_locks_remembered

from .columns import folded
from .files import FileRefused
from .sheets import (
    CREATE,
    SHEETS,
    UNCHANGED,
    UPDATE,
    auxiliary_names,
    sheet_by_key,
)

ACTION_LABELS = {CREATE: _("new"), UPDATE: _("changed"), UNCHANGED: _("unchanged")}

ROW_COLUMN_ERROR = _("%(sheet)s, row %(row)s, column “%(column)s”: %(message)s")
ROW_ERROR = _("%(sheet)s, row %(row)s: %(message)s")
NO_SHEET_RECOGNISED = _(
    "No sheet of this workbook is one an import reads: name them %(sheets)s, as "
    "the template does."
)
SHEET_NOT_YOURS = _(
    "This file has a sheet “%(sheet)s”, which your account may not import: "
    "remove that sheet, or ask an administrator."
)
SHEET_TWICE = _("Two sheets of this workbook are both “%(sheet)s”: keep one.")
CSV_NOT_RECOGNISED = _(
    "The first row of this CSV file does not head the columns of any sheet of the "
    "template (%(sheets)s): check it, or choose which sheet the file holds."
)
UNKNOWN_HEADER = _(
    "The sheet “%(sheet)s” has a column headed “%(header)s”, which is none of "
    "its columns (%(columns)s): correct the heading or delete the column."
)
HEADER_TWICE = _("The sheet “%(sheet)s” has two columns headed “%(header)s”.")
COLUMN_MISSING = _(
    "The sheet “%(sheet)s” has no column “%(column)s”, which every row needs to "
    "match a record: add it as the template has it."
)
NEW_ROW_NEEDS_COLUMN = _(
    "This row adds a record, which needs this column: add the column as the "
    "template has it, or correct the key if the row means a saved record."
)
UNNAMED_COLUMN = _(
    "The sheet “%(sheet)s” has values in a column without a heading (column "
    "%(number)s): give it one of the template's headings or delete it."
)
ROW_REPEATED = _(
    "This row repeats row %(row)s (the same %(columns)s): keep one of them."
)
PARENT_MISSING = _(
    "Neither the sheet “%(sheet)s” nor the programme has “%(value)s”: check the "
    "spelling, or add it to the sheet “%(sheet)s”."
)


@dataclass
class RowError:
    sheet_title: str
    row: int
    column: str | None  # its header, in the reader's language
    message: str

    def __str__(self):
        params = {"sheet": self.sheet_title, "row": self.row, "message": self.message}
        if self.column:
            return str(ROW_COLUMN_ERROR % {**params, "column": self.column})
        return str(ROW_ERROR % params)


@dataclass
class Change:
    column: object
    before: str
    after: str


@dataclass(frozen=True)
class ShownCell:
    column: object
    text: str
    changed: bool
    before: str  # what is stored now, for a changed cell


@dataclass
class PlannedRow:
    sheet: object
    number: int
    values: dict
    key: tuple
    action: str = CREATE
    record: object = None
    parent_row: object = None
    changes: list = field(default_factory=list)
    many: dict = field(default_factory=dict)  # field name → related records
    errors: list = field(default_factory=list)
    unread: dict = field(default_factory=dict)  # column key → text it could not read
    parent: object = None  # the stored record it belongs to, or its parent row's

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]

    def shown(self, columns):
        """[ShownCell] of this row under `columns`, as the preview shows it."""
        before = {change.column.key: change.before for change in self.changes}
        return [
            ShownCell(
                column,
                self.unread[column.key]
                if column.key in self.unread
                else column.display(self.values.get(column.key)),
                column.key in before,
                before.get(column.key, ""),
            )
            for column in columns
        ]

    def add_error(self, column, message):
        self.errors.append(
            RowError(
                str(self.sheet.title),
                self.number,
                str(column.header) if column is not None else None,
                str(message),
            )
        )


@dataclass
class SheetPlan:
    sheet: object
    name: str  # as the file names it ("" for a CSV file)
    columns: list  # the columns the file has, in the file's order
    rows: list

    @property
    def table(self):
        """[(PlannedRow, [ShownCell])] for the preview."""
        return [(row, row.shown(self.columns)) for row in self.rows]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def refused(self):
        return sum(1 for row in self.rows if row.errors)

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def updated(self):
        return self.count(UPDATE)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)


@dataclass
class ImportPlan:
    program: object
    sheet_plans: list
    ignored_sheets: list = field(default_factory=list)

    @property
    def errors(self):
        return [
            error
            for plan in self.sheet_plans
            for row in plan.rows
            for error in row.errors
        ]

    @property
    def rows(self):
        return [row for plan in self.sheet_plans for row in plan.rows]

    @property
    def writes(self):
        return [row for row in self.rows if row.action in (CREATE, UPDATE)]

    def fingerprint(self):
        """A digest of everything the plan would write: the confirmation saves
        only when the file, read again then, would write exactly this."""
        described = [
            [
                row.sheet.key,
                row.number,
                row.action,
                [[cell.column.key, cell.text] for cell in row.shown(plan.columns)],
                [[c.column.key, c.before, c.after] for c in row.changes],
                [str(error) for error in row.errors],
            ]
            for plan in self.sheet_plans
            for row in plan.rows
        ]
        with translation.override("en"):
            text = json.dumps(described, default=str, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


# Reading the sheets


def sheets_matched(raw_file, csv_sheet_key):
    """[(Sheet, RawSheet)] in the order sheets are read, and the names of the
    workbook's other sheets that hold rows."""
    if raw_file.kind == "csv":
        (raw,) = raw_file.sheets
        sheet = sheet_by_key(csv_sheet_key) if csv_sheet_key else None
        sheet = sheet or sheet_recognised_by_headers(raw)
        if sheet is None:
            raise FileRefused(CSV_NOT_RECOGNISED, sheets=sheet_titles())
        return [(sheet, raw)], []
    matched, ignored = {}, []
    for raw in raw_file.sheets:
        name = folded(raw.name)
        sheet = next((s for s in SHEETS if name in s.names_recognised), None)
        if sheet is None:
            if raw.rows and name not in auxiliary_names():
                ignored.append(raw.name)
            continue
        if sheet.key in matched:
            raise FileRefused(SHEET_TWICE, sheet=sheet.title)
        matched[sheet.key] = (sheet, raw)
    if not matched:
        raise FileRefused(NO_SHEET_RECOGNISED, sheets=sheet_titles())
    return [matched[s.key] for s in SHEETS if s.key in matched], ignored


def sheet_titles():
    return ", ".join(f"“{sheet.title}”" for sheet in SHEETS)


def sheet_recognised_by_headers(raw):
    headers = {folded(strip_required(h)) for h in raw.headers if h}
    for sheet in SHEETS:
        recognised = set().union(*(c.headers_recognised for c in sheet.columns))
        keys = {c.key for c in sheet.columns if c.key in sheet.key_columns}
        key_headers = set().union(
            *(sheet.column(key).headers_recognised for key in keys)
        )
        if headers and headers <= recognised and headers & key_headers:
            return sheet
    return None


def strip_required(header):
    """A heading without the template's "*" for a required column."""
    return str(header).strip().rstrip("*").strip()


def columns_mapped(sheet, raw):
    """[(index in the row, Column)] for the sheet's headings; FileRefused when a
    heading is unknown or repeated, or a required column is missing."""
    title = raw.name or sheet.title
    mapped, seen = [], set()
    for index, header in enumerate(raw.headers):
        if not header:
            if any(not row.cell(index).is_empty for row in raw.rows):
                raise FileRefused(UNNAMED_COLUMN, sheet=title, number=index + 1)
            continue
        name = folded(strip_required(header))
        column = next((c for c in sheet.columns if name in c.headers_recognised), None)
        if column is None:
            raise FileRefused(
                UNKNOWN_HEADER,
                sheet=title,
                header=header,
                columns=", ".join(f"“{c.header}”" for c in sheet.columns),
            )
        if column.key in seen:
            raise FileRefused(HEADER_TWICE, sheet=title, header=header)
        seen.add(column.key)
        mapped.append((index, column))
    width = len(raw.headers)
    if any(not cell.is_empty for row in raw.rows for cell in row.cells[width:]):
        number = min(
            width + index + 1
            for row in raw.rows
            for index, cell in enumerate(row.cells[width:])
            if not cell.is_empty
        )
        raise FileRefused(UNNAMED_COLUMN, sheet=title, number=number)
    # The key must be there; another column a new row needs is asked of new rows
    # only (a file may update two columns of saved records).
    for key in sheet.key_columns:
        if key not in seen:
            raise FileRefused(
                COLUMN_MISSING, sheet=title, column=sheet.column(key).header
            )
    return mapped


# Planning


def import_plan(raw_file, context, csv_sheet_key=""):
    """The ImportPlan of `raw_file` for `context.program`; FileRefused when the
    file's sheets or headings cannot be read."""
    matched, ignored = sheets_matched(raw_file, csv_sheet_key)
    for sheet, _raw in matched:
        if not sheet.may_import(context.user):
            raise FileRefused(SHEET_NOT_YOURS, sheet=sheet.title)
    mapped = [(sheet, raw, columns_mapped(sheet, raw)) for sheet, raw in matched]
    planned = {}  # sheet key → {record key: PlannedRow}
    stored = {}  # sheet key → {record key: record}

    def stored_of(sheet):
        if sheet.key not in stored:
            stored[sheet.key] = sheet.stored(context)
        return stored[sheet.key]

    sheet_plans = []
    with year_locks_remembered():
        for sheet, raw, columns in mapped:
            plan = sheet_plan(sheet, raw, columns, context, planned, stored_of)
            sheet.check_together(plan.rows, stored_of(sheet))
            sheet_plans.append(plan)
    return ImportPlan(context.program, sheet_plans, ignored)


def sheet_plan(sheet, raw, columns, context, planned, stored_of):
    rows = []
    by_key = planned.setdefault(sheet.key, {})
    for raw_row in raw.rows:
        row = row_plan(sheet, raw_row, columns, context, by_key)
        if sheet.parent:
            parent_link(row, sheet, planned, stored_of)
        record_plan(row, sheet, columns, context, stored_of(sheet))
        rows.append(row)
    return SheetPlan(sheet, raw.name, [column for _index, column in columns], rows)


def row_plan(sheet, raw_row, columns, context, by_key):
    """The row's cells read; its key checked against the rows above it."""
    row = PlannedRow(sheet, raw_row.number, {}, ())
    for index, column in columns:
        try:
            row.values[column.key] = column.read(raw_row.cell(index), context)
        except ValidationError as error:
            row.unread[column.key] = cell_text(raw_row.cell(index))
            for message in error.messages:
                row.add_error(column, message)
    sheet.values_read(row.values)
    key = sheet.record_key(row.values)
    complete = all(part not in (None, "") for part in key) and not set(
        row.unread
    ).intersection(sheet.key_columns)
    row.key = key if complete else ()
    if row.key:
        earlier = by_key.get(row.key)
        if earlier is not None:
            row.add_error(
                sheet.column(sheet.key_columns[0]),
                ROW_REPEATED
                % {
                    "row": earlier.number,
                    "columns": ", ".join(
                        f"“{sheet.column(k).header}”" for k in sheet.key_columns
                    ),
                },
            )
        else:
            by_key[row.key] = row
    return row


def cell_text(cell):
    """What a cell that could not be read held, shown back as text."""
    return "" if cell.value is None else str(cell.value)


def parent_link(row, sheet, planned, stored_of):
    """Sets `row.parent_row` (a row of the parent sheet in this file) or
    `row.parent` (a stored record), or adds the error saying neither exists."""
    value = row.values.get(sheet.parent_column)
    if value in (None, ""):
        return
    parent_sheet = sheet_by_key(sheet.parent)
    parent_row = planned.get(sheet.parent, {}).get((value,))
    if parent_row is not None:
        row.parent_row = parent_row
        row.parent = parent_row.record
        return
    row.parent = stored_of(parent_sheet).get((value,))
    if row.parent is None:
        row.add_error(
            sheet.column(sheet.parent_column),
            PARENT_MISSING % {"sheet": parent_sheet.title, "value": value},
        )


def keeps_stored(sheet, column, value):
    """An empty cell leaves a field that cannot be empty as it is (new records:
    the model's default); a field that can be empty is emptied."""
    if value is not None:
        return False
    model_field = sheet.model._meta.get_field(column.field)
    return not model_field.null


def record_plan(row, sheet, columns, context, stored):
    """Decides create, update or unchanged, and checks what would be written."""
    parent = row.parent
    record = stored.get(row.key) if row.key else None
    fields = [
        column
        for _index, column in columns
        if column.field and column.key not in row.unread
    ]
    if record is None:
        row.action = CREATE
        present = {column.key for _index, column in columns}
        for column in sheet.columns:
            if column.required and column.key not in present:
                row.add_error(column, NEW_ROW_NEEDS_COLUMN)
                row.unread[column.key] = ""
        record = sheet.record_new(context, parent)
        for column in fields:
            value = row.values[column.key]
            if column.is_many:
                row.many[column.field] = value
            elif not keeps_stored(sheet, column, value):
                column.assign(record, value)
    else:
        if row.parent_row is not None:
            # The parent as the file has it (a new currency, say) is what the
            # record's rules read.
            setattr(record, sheet.parent_field, row.parent_row.record)
        for column in fields:
            value = row.values[column.key]
            if column.key in sheet.key_columns or keeps_stored(sheet, column, value):
                continue
            before = column.current(record)
            if column.same(before, value):
                continue
            row.changes.append(
                Change(column, column.display(before), column.display(value))
            )
            if column.is_many:
                row.many[column.field] = value
            else:
                column.assign(record, value)
        row.action = UPDATE if row.changes else UNCHANGED
    row.record = record
    if row.action != UNCHANGED:
        record_check(row, sheet, record, parent)
    # In the order of the sheet's columns, the row's own (no column) first.
    order = {str(column.header): n for n, column in enumerate(sheet.columns)}
    row.errors.sort(key=lambda error: order.get(error.column, -1))


def record_check(row, sheet, record, parent):
    """The model's own rules (full_clean) on the record as it would be saved."""
    exclude = {sheet.column(key).field for key in row.unread if sheet.column(key).field}
    if sheet.parent_field and (parent is None or parent.pk is None):
        # Saved just before the row, in the same transaction; nothing to look up
        # in the database yet (the rows' own keys stand in for its uniqueness).
        exclude.add(sheet.parent_field)
    unique_exclude = set(exclude)
    # Relations the import has just looked up (the programme, the item) exist:
    # Django would ask the database again for each row.
    exclude.update(sheet.relations_looked_up)
    errors = {}
    try:
        # The CheckConstraints are the database's copy of rules that clean() and
        # the fields' validators state with their own messages (the house rule
        # for every model); Django would ask the database once per constraint and
        # row, which made a preview of 2,000 rows take a minute. The database
        # still holds them when the rows are written, and any refusal there
        # rolls the whole import back. Uniqueness: `unique_errors`.
        record.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    errors = unique_errors(sheet, record, unique_exclude) | errors
    for field_name, error in sheet.extra_errors(record, row.values).items():
        errors.setdefault(field_name, []).extend(error.messages)
    by_field = {column.field: column for column in sheet.columns if column.field}
    for field_name, messages in errors.items():
        column = None if field_name == NON_FIELD_ERRORS else by_field.get(field_name)
        for message in messages:
            row.add_error(column, message)


def unique_errors(sheet, record, exclude):
    """{field or NON_FIELD_ERRORS: [message]} of the model's UniqueConstraints
    that `record` would break.

    Those the sheet's key stands for are not asked again: the rows were matched
    on the key with every stored row of the programme, read in one query, so a
    new row's key is free and a stored one keeps its own (a row written
    meanwhile by someone else is refused by the database, and the import rolls
    back).
    """
    errors = {}
    for constraint in record._meta.constraints:
        if (
            not isinstance(constraint, UniqueConstraint)
            or constraint.name in sheet.key_constraints
        ):
            continue
        try:
            constraint.validate(type(record), record, exclude=exclude)
        except ValidationError as error:
            for name, messages in error_dict(error).items():
                errors.setdefault(name, []).extend(messages)
    return errors


def error_dict(error):
    if hasattr(error, "error_dict"):
        return {
            name: ValidationError(e).messages for name, e in error.error_dict.items()
        }
    return {NON_FIELD_ERRORS: error.messages}


# Saving


def import_save(plan, user, file_name):
    """Writes every new and changed record of `plan` in one transaction; returns
    {sheet key: (created, updated)}. Raises whatever the database or a version
    check raises, after rolling everything back."""
    reason = import_reason(file_name)
    done = {}
    with transaction.atomic():
        for sheet_plan in plan.sheet_plans:
            sheet = sheet_plan.sheet
            created, updated = [], []
            for row in sheet_plan.rows:
                if row.action not in (CREATE, UPDATE):
                    continue
                record = row.record
                if row.parent_row is not None:
                    # Its parent may have been created a moment ago: now it has a pk.
                    setattr(record, sheet.parent_field, row.parent_row.record)
                record._change_reason = reason
                record._history_user = user
                if row.action == UPDATE:
                    # Written only over the version read for the plan.
                    record._version_seen = record.version
                    if row.many:
                        # The districts first, without a history row of their own:
                        # the record's save then writes one with everything.
                        record.skip_history_when_saving = True
                        for name, related in row.many.items():
                            getattr(record, name).set(related)
                        del record.skip_history_when_saving
                    record.save()
                    updated.append(row)
                else:
                    record.save()
                    for name, related in row.many.items():
                        getattr(record, name).set(related)
                    created.append(row)
            log_entries(user, created, updated)
            done[sheet.key] = (len(created), len(updated))
    return done


def log_entries(user, created, updated):
    """Admin log entries, as the admin's own saves write them (in English, shown
    translated)."""
    if created:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[row.record for row in created],
            action_flag=ADDITION,
            change_message=[{"added": {}}],
        )
    by_fields = {}
    for row in updated:
        with translation.override(None):
            # As the admin's form labels them.
            labels = tuple(
                str(
                    capfirst(
                        row.record._meta.get_field(change.column.field).verbose_name
                    )
                )
                for change in row.changes
            )
        by_fields.setdefault(labels, []).append(row.record)
    for labels, records in by_fields.items():
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=records,
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": list(labels)}}],
        )
