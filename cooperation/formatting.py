"""Numbers, money and dates as the reader's language writes them: one plain module.

The template filters, the admin's columns and the four report renderers all call
these functions, so a figure reads the same on the page, in the admin and in every
file. It lives on the lowest floor (`cooperation`) because the admin of every
domain app formats money too; it knows nothing of the domain.
"""

import functools

from babel import Locale
from babel.numbers import format_currency, format_decimal, get_currency_precision
from django.utils.formats import date_format
from django.utils.translation import get_language

# Babel knows vi, lo and en; anything else reads as English.
BABEL_LOCALES = {"vi": "vi", "lo": "lo", "en": "en"}

# "≈" is a character, never a picture: a reader who copies the figure, a screen
# reader and a search all keep the source's "nearly".
APPROXIMATE_SIGN = "≈"

# Shown where a figure is unknown or was never recorded.
UNKNOWN = "–"


@functools.cache
def _babel_locale(code):
    # Parsing a locale costs more than formatting with it; pages format hundreds.
    return Locale.parse(BABEL_LOCALES.get(code, "en"))


def babel_locale():
    """The Babel locale of the active language (English for any other)."""
    return _babel_locale((get_language() or "en")[:2])


def currency_places(currency):
    """Digits after the decimal point for `currency`, as CLDR uses it (VND, LAK: 0).

    ISO 4217 gives LAK two minor units, but nobody writes them; CLDR says 0.
    """
    return get_currency_precision(currency) if currency else 2


def number_text(value):
    """A whole number grouped for the active language; a dash when unknown."""
    if value is None or value == "":
        return UNKNOWN
    return format_decimal(value, locale=babel_locale())


def money_text(amount, currency, *, approximate=False):
    """`amount` in `currency`, as the active language writes money: `269.500.000 ₫`.

    An approximate amount starts with "≈" (the source says "nearly").
    """
    if amount is None:
        return UNKNOWN
    text = format_currency(amount, currency, locale=babel_locale())
    return f"{APPROXIMATE_SIGN}\u00a0{text}" if approximate else text


def money_value_text(value):
    """A money value object (`amount`, `currency`, `approximate`) as `money_text`."""
    if value is None:
        return UNKNOWN
    return money_text(
        value.amount, value.currency, approximate=getattr(value, "approximate", False)
    )


def money_code_text(amount, currency):
    """`60.000.000 VND`: grouped for the language, with the ISO code, for tables
    where currencies mix and a symbol could be misread (the admin's columns)."""
    if amount is None:
        return UNKNOWN
    places = currency_places(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    # Babel, not Django: Django's Vietnamese formats do not group thousands.
    return f"{format_decimal(amount, format=pattern, locale=babel_locale())} {currency}"


def date_text(day):
    """A date in the active language's long format; '' when unknown."""
    return date_format(day, "DATE_FORMAT") if day else ""


def date_range_text(start, end):
    """`start – end`, one date when they are equal, '' when both are unknown."""
    if start is None:
        return date_text(end)
    if end is None or end == start:
        return date_text(start)
    return f"{date_text(start)} – {date_text(end)}"
