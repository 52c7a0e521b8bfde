"""Typed columns: how a cell is read, shown, offered in the template and compared.

A column reads a cell the way the admin's form field reads what a clerk types
(`DayFormField`, `AmountFormField`: "60.000.000" is sixty million in Vietnamese),
so a value means the same in the form and in a spreadsheet. Whether the value is
allowed is the model's business (`full_clean()`, in plan.py), not the column's:
a column only says when it cannot read a cell at all.
"""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cooperation.formatting import (
    amount_from_text,
    amount_input_text,
    date_text,
    number_text,
)
from cooperation.forms import AmountFormField, DayFormField
from cooperation.models import CONTENT_LANGUAGE_CODES, text_normalised

from .files import ERROR, FORMULA

FORMULA_IN_CELL = _(
    "This cell holds a formula (%(formula)s), which is never run or imported. "
    "Copy the column and paste it back as values only, then upload the file again."
)
ERROR_IN_CELL = _("This cell shows the error %(error)s: correct it or empty it.")
VALUE_REQUIRED = _("This column needs a value on every row.")
DATE_UNREADABLE = _(
    "Write a date, for example %(example)s, or format the cell as a date."
)
YEAR_IN_RANGE = _("A year from %(earliest)s to %(latest)s.")
WHOLE_NUMBER_UNREADABLE = _("Write a whole number, for example %(example)s.")
# The template's own checks, which Excel and LibreOffice show as a cell is typed.
DATE_IN_YEAR = _("Enter a date in %(year)s, the programme's year.")
COUNT_IN_RANGE = _("Enter a whole number from 0 to %(most)s.")
AMOUNT_NOT_NEGATIVE = _("Enter an amount of 0 or more.")
YES_NO_UNREADABLE = _("Write “%(yes)s” or “%(no)s”, or leave the cell empty.")
NOT_A_CHOICE = _("“%(value)s” is not one of the choices: pick one from the list.")
NO_SUCH_ITEM = _(
    "The item catalogue has no item “%(value)s”: pick one from the list, or add it "
    "to the catalogue first."
)
NO_SUCH_DISTRICT = _(
    "No district or commune is called “%(value)s”: pick one from the list (it "
    "shows the districts of the programme's year)."
)
SEVERAL_DISTRICTS_NAMED = _(
    "Several districts or communes are called “%(value)s”: pick the one you mean "
    "from the list, which adds its code."
)
# Words a yes/no cell may hold besides the three languages' "yes" and "no", and a
# tick mark ("x") some spreadsheets use for yes.
YES_WORDS = {"yes", "y", "true", "1", "x", "✓", "✔"}
NO_WORDS = {"no", "n", "false", "0"}
# "Sanxay (LA1704)": a name, then its code in brackets (the template's lists).
NAME_AND_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]+)\)\s*$")
# Several districts in one cell: one a line, or separated by semicolons.
LIST_SEPARATORS = re.compile(r"\s*[;\n]\s*")

# A date shown in messages and the instructions: the programme's year is used.
EXAMPLE_DATE = datetime.date(2024, 3, 15)


def folded(text):
    """`text` for matching: composed, one space, without case."""
    text = unicodedata.normalize("NFC", str(text)).strip()
    return re.sub(r"\s+", " ", text).casefold()


def in_every_language(text):
    """`text` (lazy) as each content language words it."""
    words = set()
    for code in CONTENT_LANGUAGE_CODES:
        with translation.override(code):
            words.add(str(text))
    return words


def folded_in_every_language(*texts):
    """Each of `texts` folded, in every language: what a cell may say for them."""
    return {folded(word) for text in texts for word in in_every_language(text)}


class Column:
    """One column of a sheet.

    `key` is the column's stable name (recognised in any language's file);
    `field` the model field it fills, None for one that only identifies a row.
    """

    # What the instructions say the column holds.
    kind_label = _("text")
    # Model fields a column fills that are many-to-many (set after the save).
    is_many = False
    number_format = None

    def __init__(self, key, header, *, field=None, required=False, help="", width=18):
        self.key = key
        self.header = header
        self.field = field
        self.required = required
        self.help = help
        self.width = width

    def __repr__(self):
        return f"<{type(self).__name__} {self.key}>"

    @functools.cached_property
    def headers_recognised(self):
        """Every way a file may head this column: its key, or its heading in
        any language."""
        return {folded(self.key)} | folded_in_every_language(self.header)

    def read(self, cell, context):
        """The cell's value, None when it is empty; ValidationError when it cannot
        be read."""
        if cell.kind == FORMULA:
            raise ValidationError(
                FORMULA_IN_CELL, code="formula", params={"formula": cell.value}
            )
        if cell.kind == ERROR:
            raise ValidationError(
                ERROR_IN_CELL, code="cell_error", params={"error": cell.value}
            )
        if cell.is_empty:
            if self.required:
                raise ValidationError(VALUE_REQUIRED, code="required")
            return self.empty_value()
        return self.parse(cell.value, context)

    def empty_value(self):
        return None

    def parse(self, value, context):
        raise NotImplementedError

    # The record's side

    def current(self, record):
        return getattr(record, self.field)

    def same(self, stored, read):
        return stored == read

    def assign(self, record, value):
        setattr(record, self.field, value)

    # Showing

    def display(self, value):
        """The value as the preview shows it, in the reader's language."""
        if value is None or value == "":
            return ""
        return str(value)

    # The template

    def dropdown(self, context):
        """The values the template offers in a list, or None for free input."""
        return None

    def validation(self, context):
        """Other data validation for the template: (type, operator, formula1,
        formula2, message), or None."""
        return None


class TextColumn(Column):
    def __init__(self, *args, single_line=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.single_line = single_line

    def empty_value(self):
        return ""

    def parse(self, value, context):
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.isoformat()[:10]
        elif isinstance(value, float) and value.is_integer():
            value = int(value)  # a reference typed as 2024 reads 2024, not 2024.0
        return text_normalised(str(value), single_line=self.single_line)

    def current(self, record):
        return getattr(record, self.field) or ""


class DateColumn(Column):
    kind_label = _("date")
    number_format = "yyyy-mm-dd"

    def parse(self, value, context):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                day = DayFormField(required=False).to_python(value.strip())
            except ValidationError:
                day = None
            if day is not None:
                return day
        # A number is a date typed into a cell formatted as a number (45366):
        # refused rather than guessed, as is any other text.
        raise ValidationError(
            DATE_UNREADABLE, code="date", params={"example": date_text(EXAMPLE_DATE)}
        )

    def display(self, value):
        return date_text(value) if value else ""

    def validation(self, context):
        first, last = context.date_span
        return (
            "date",
            "between",
            f"DATE({first.year},{first.month},{first.day})",
            f"DATE({last.year},{last.month},{last.day})",
            DATE_IN_YEAR % {"year": context.program.year},
        )


def _whole_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return int(value) if value == int(value) else None
    text = amount_from_text(str(value))
    if text is None:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else None


class CountColumn(Column):
    """A whole number of things or people; "1.000" is a thousand in Vietnamese."""

    kind_label = _("whole number")
    number_format = "#,##0"

    def __init__(self, *args, most=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.most = most

    def parse(self, value, context):
        number = _whole_number(value)
        if number is None:
            raise ValidationError(
                WHOLE_NUMBER_UNREADABLE,
                code="whole_number",
                params={"example": number_text(1500)},
            )
        return number

    def display(self, value):
        return number_text(value) if value is not None else ""

    def validation(self, context):
        if self.most is None:
            return None
        message = COUNT_IN_RANGE % {"most": number_text(self.most)}
        return ("whole", "between", "0", str(self.most), message)


class YearColumn(CountColumn):
    """A calendar year: written 2015, never grouped as 2,015."""

    kind_label = _("year")
    number_format = "0"

    def __init__(self, *args, earliest, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest = earliest

    def display(self, value):
        return str(value) if value is not None else ""

    def validation(self, context):
        latest = context.program.year
        message = YEAR_IN_RANGE % {"earliest": self.earliest, "latest": latest}
        return ("whole", "between", str(self.earliest), str(latest), message)


class AmountColumn(Column):
    kind_label = _("amount")
    number_format = "#,##0.##"

    def parse(self, value, context):
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, float):
            # repr, not the binary value: 0.1 typed in a cell is 0.1.
            return Decimal(repr(value))
        return AmountFormField(required=False).to_python(str(value).strip())

    def display(self, value):
        return amount_input_text(value) if value is not None else ""

    def validation(self, context):
        return ("decimal", "greaterThanOrEqual", "0", None, AMOUNT_NOT_NEGATIVE)


class YesNoColumn(Column):
    kind_label = _("yes or no")

    def parse(self, value, context):
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        word = folded(value)
        if word in self.words[True]:
            return True
        if word in self.words[False]:
            return False
        raise ValidationError(
            YES_NO_UNREADABLE,
            code="yes_no",
            params={"yes": gettext("yes"), "no": gettext("no")},
        )

    @functools.cached_property
    def words(self):
        return {
            True: YES_WORDS | folded_in_every_language(_("yes")),
            False: NO_WORDS | folded_in_every_language(_("no")),
        }

    def display(self, value):
        if value is None:
            return ""
        return gettext("yes") if value else gettext("no")

    def dropdown(self, context):
        return [gettext("yes"), gettext("no")]


class ChoiceColumn(Column):
    """One of a model field's choices, written as its code or as its label in any
    language; the template offers the labels (or the codes, `by_code`)."""

    kind_label = pgettext_lazy("kind of column", "choice")

    def __init__(self, *args, choices, by_code=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.by_code = by_code

    def empty_value(self):
        return ""

    def parse(self, value, context):
        choice = self.by_name.get(folded(value))
        if choice is not None:
            return choice
        raise ValidationError(NOT_A_CHOICE, code="choice", params={"value": value})

    @functools.cached_property
    def by_name(self):
        """{code or label in any language, folded: code}."""
        names = {}
        for choice in self.choices:
            for name in {folded(choice.value)} | folded_in_every_language(choice.label):
                names.setdefault(name, choice.value)
        return names

    def current(self, record):
        return getattr(record, self.field) or ""

    def display(self, value):
        if not value:
            return ""
        return value if self.by_code else str(self.choices(value).label)

    def dropdown(self, context):
        if self.by_code:
            return [choice.value for choice in self.choices]
        return [str(choice.label) for choice in self.choices]


class ItemKindColumn(Column):
    """An item of the catalogue, by its code, by "name (code)" as the template's
    list writes it, or by its name in any language."""

    kind_label = _("item of the catalogue")

    def parse(self, value, context):
        text = str(value).strip()
        kinds = context.item_kinds
        match = NAME_AND_CODE.match(text)
        for code in (match.group("code") if match else None, text):
            if code and code.strip().lower() in kinds.by_code:
                return kinds.by_code[code.strip().lower()]
        for name in (text, match.group("name") if match else None):
            found = kinds.by_name.get(folded(name), []) if name else []
            if len(found) == 1:
                return found[0]
        raise ValidationError(NO_SUCH_ITEM, code="item", params={"value": text})

    def same(self, stored, read):
        return getattr(stored, "pk", None) == getattr(read, "pk", None)

    def display(self, value):
        return str(value) if value is not None else ""

    def dropdown(self, context):
        return [
            f"{kind.name} ({kind.code})"
            for kind in context.item_kinds.all
            if kind.is_active
        ]


class DistrictsColumn(Column):
    """Districts (or communes), one or several: by P-code, by "name (P-code)" as
    the template's list writes it, or by name in any language."""

    kind_label = _("districts")
    is_many = True

    def empty_value(self):
        return []

    def parse(self, value, context):
        areas = context.districts
        found = []
        for part in LIST_SEPARATORS.split(str(value).strip()):
            if not part:
                continue
            area = self.area_read(part, areas)
            if area not in found:
                found.append(area)
        if not found and self.required:
            raise ValidationError(VALUE_REQUIRED, code="required")
        return found

    def area_read(self, text, areas):
        match = NAME_AND_CODE.match(text)
        for code in (match.group("code") if match else None, text):
            if code and folded(code) in areas.by_code:
                return areas.by_code[folded(code)]
        # A name may hold brackets of its own: "Example District (fictional)".
        for name in (text, match.group("name") if match else None):
            named = areas.by_name.get(folded(name), []) if name else []
            if len(named) == 1:
                return named[0]
            if len(named) > 1:
                raise ValidationError(
                    SEVERAL_DISTRICTS_NAMED, code="ambiguous", params={"value": name}
                )
        raise ValidationError(NO_SUCH_DISTRICT, code="district", params={"value": text})

    def current(self, record):
        if record.pk is None:
            return []
        return list(getattr(record, self.field).all())

    def same(self, stored, read):
        return {area.pk for area in stored} == {area.pk for area in read}

    def assign(self, record, value):
        pass  # many-to-many: set after the record is saved (plan.py)

    def display(self, value):
        return "; ".join(area_label(area) for area in value or ())

    def dropdown(self, context):
        return [area_label(area) for area in context.districts.offered]


def area_label(area):
    return f"{area.name} ({area.pcode})" if area.pcode else str(area.name)


class ParentColumn(TextColumn):
    """The key of the record a row belongs to, on another sheet ("the reference
    of the distribution" on the Items sheet)."""


class ReferenceColumn(TextColumn):
    """The clerk's own key of a record."""
