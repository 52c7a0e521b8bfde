"""Numbers, money and dates as the reader's language writes them: one plain module.

The template filters, the admin's columns and the four report renderers all call
these functions, so a figure reads the same on the page, in the admin and in every
file. It lives on the lowest floor (`cooperation`) because the admin of every
domain app formats money too; it knows nothing of the domain.
"""

import functools
import re
from decimal import Decimal

from babel import Locale
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
)
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


# The region's own signs, whatever CLDR's locale data says: CLDR writes the kip
# as "LAK" in Vietnamese and English, where a reader in either country writes ₭.
CURRENCY_SIGNS = {"VND": "₫", "LAK": "₭"}


def money_text(amount, currency, *, approximate=False):
    """`amount` in `currency`, as the active language writes money: `269.500.000 ₫`,
    `₫269,500,000`, `1.500.000 ₭`.

    An approximate amount starts with "≈" (the source says "nearly").
    """
    if amount is None:
        return UNKNOWN
    locale = babel_locale()
    text = format_currency(amount, currency, locale=locale)
    sign = CURRENCY_SIGNS.get(currency)
    if sign:
        text = text.replace(get_currency_symbol(currency, locale=locale), sign)
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


# Reading what a clerk types. Lao (໐–໙) and full-width (０–９) digits are read as
# the digits they are and stored as ASCII: a Lao keyboard types the first, an East
# Asian input method the second, and both mean the same number. Digits of other
# scripts are left as typed, so the field refuses them.
DIGITS = str.maketrans(
    {chr(0x0ED0 + n): str(n) for n in range(10)}
    | {chr(0xFF10 + n): str(n) for n in range(10)}
)
# Spaces of any width may group digits (a pasted "60 000 000"); a currency sign
# may lead or trail (a pasted "269.500.000 ₫").
_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f\u2009₫₭$€฿¥]")


def ascii_digits(text):
    """`text` with Lao and full-width digits as ASCII digits."""
    return text.translate(DIGITS)


def _number_symbols():
    symbols = babel_locale().number_symbols
    return symbols.get("latn", symbols)


def _grouped(text, separator):
    """True for 1–3 digits, then groups of three after `separator`."""
    return (
        re.fullmatch(rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+", text) is not None
    )


def amount_from_text(text):
    """The amount a clerk typed, as a plain decimal string ("60000000.5"), read as
    the active language writes numbers; None when it cannot be read for certain.

    "60.000.000" is sixty million in Vietnamese and Lao, "60,000,000" in English,
    and either is read in any language, since several separators of one kind can
    only group thousands. With both kinds the last is the decimal one. A single
    separator is the language's: in Vietnamese "60.000" is sixty thousand and
    "60,5" sixty and a half, in English the reverse; "60.5" in Vietnamese (a group
    of one digit) is neither, and is refused rather than guessed.
    """
    value = _AMOUNT_NOISE.sub("", ascii_digits(str(text)))
    sign = ""
    if value[:1] in ("-", "−"):
        sign, value = "-", value[1:]
    if not re.fullmatch(r"\d[\d.,]*", value) or value[-1] in ".,":
        return None
    symbols = _number_symbols()
    decimal, group = symbols["decimal"], symbols["group"]
    separators = {c for c in value if c in ".,"}
    if not separators:
        return sign + value
    if len(separators) == 2:
        point = "." if value.rfind(".") > value.rfind(",") else ","
        whole, _, fraction = value.rpartition(point)
        grouping = "," if point == "." else "."
        if point in whole or not _grouped(whole, grouping):
            return None
        return f"{sign}{whole.replace(grouping, '')}.{fraction}"
    (separator,) = separators
    if value.count(separator) > 1:
        return (
            sign + value.replace(separator, "") if _grouped(value, separator) else None
        )
    whole, fraction = value.split(separator)
    if separator == decimal:
        return f"{sign}{whole}.{fraction}"
    if separator == group and _grouped(value, separator):
        return sign + whole + fraction
    return None


def amount_input_text(amount):
    """An amount as the clerk's form shows it: grouped, no trailing zeros
    ("269.500.000" in Vietnamese), and read back by `amount_from_text`."""
    if amount is None or amount == "":
        return ""
    if not isinstance(amount, Decimal):
        return amount  # what the clerk typed, shown back as typed
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()
    return format_decimal(amount, locale=babel_locale(), decimal_quantization=False)


def amount_example():
    """Sixty million as the active language groups it: the example in messages."""
    return format_decimal(60_000_000, locale=babel_locale())
