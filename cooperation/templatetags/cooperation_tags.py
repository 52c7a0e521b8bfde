"""Formatting for pages and reports: numbers and money in the reader's language."""

import functools

from babel import Locale
from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cooperation.progress import Status

register = template.Library()

# Babel knows vi and lo and en; anything else reads as English.
BABEL_LOCALES = {"vi": "vi", "lo": "lo", "en": "en"}

STATUS_MARKS = {
    Status.MET: "✓",
    Status.ABOVE_TARGET: "▲",
    Status.PARTLY_MET: "◐",
    Status.NOT_MET: "✕",
    Status.IN_PROGRESS: "…",
    Status.NOT_DUE: "–",
    Status.EVIDENCED: "✓",
    Status.NO_EVIDENCE: "?",
}


@functools.cache
def _babel_locale(code):
    # Parsing a locale costs more than formatting with it; pages format hundreds.
    return Locale.parse(BABEL_LOCALES.get(code, "en"))


def babel_locale():
    """The Babel locale of the active language (English for any other)."""
    return _babel_locale((get_language() or "en")[:2])


@register.filter
def number(value):
    """A whole number grouped for the active language; a dash when unknown."""
    if value is None or value == "":
        return "–"
    return format_decimal(value, locale=babel_locale())


@register.filter
def money(value, currency=None):
    """A Money (or an amount with `currency`) in the active language's format.

    Approximate amounts carry "≈", as the source says "nearly".
    """
    if value is None:
        return "–"
    approximate = False
    if hasattr(value, "currency"):
        value, currency, approximate = value.amount, value.currency, value.approximate
    text = format_currency(value, currency, locale=babel_locale())
    return f"≈\u00a0{text}" if approximate else text


@register.simple_tag
def date_range(start, end):
    """`start – end` in the active language's date format; one date when equal."""
    if end is None or end == start:
        return date_format(start, "DATE_FORMAT")
    return f"{date_format(start, 'DATE_FORMAT')} – {date_format(end, 'DATE_FORMAT')}"


@register.filter
def status_mark(status):
    return STATUS_MARKS.get(status, "")


# Scorecard cells are narrow: the same statuses in a word or two.
STATUS_SHORT_LABELS = {
    Status.MET: _("met"),
    Status.ABOVE_TARGET: _("above target"),
    Status.PARTLY_MET: _("partly met"),
    Status.NOT_MET: _("not met"),
    Status.IN_PROGRESS: _("in progress"),
    Status.NOT_DUE: _("not due"),
    Status.EVIDENCED: _("evidence"),
    Status.NO_EVIDENCE: _("no record"),
}


@register.filter
def status_label(status):
    return Status(status).label


@register.filter
def status_short_label(status):
    return STATUS_SHORT_LABELS[Status(status)]


@register.simple_tag
def status_legend():
    """(status, mark, full label) for every status, for the scorecard's legend."""
    return [(status, STATUS_MARKS[status], status.label) for status in Status]


@register.simple_tag
def example_label():
    return _("Example")
