"""Template filters for the pages and the PDF: thin wrappers over `formatting`."""

from django import template

from cooperation.formatting import date_range_text, money_text, number_text
from reporting.progress import Status

register = template.Library()


@register.filter
def number(value):
    """A whole number grouped for the active language; a dash when unknown."""
    return number_text(value)


@register.filter
def money(value, currency=None):
    """A Money (or an amount with `currency`) in the active language's format."""
    if hasattr(value, "currency"):
        return money_text(value.amount, value.currency, approximate=value.approximate)
    return money_text(value, currency)


@register.simple_tag
def date_range(start, end):
    """`start – end` in the active language's date format; one date when equal."""
    return date_range_text(start, end)


@register.filter
def status_mark(status):
    return Status(status).mark if status else ""


@register.filter
def status_label(status):
    return Status(status).label


@register.filter
def status_short_label(status):
    return Status(status).short_label


@register.simple_tag
def status_legend():
    """(status, mark, full label) for every status, for the scorecard's legend."""
    return [(status, status.mark, status.label) for status in Status]
