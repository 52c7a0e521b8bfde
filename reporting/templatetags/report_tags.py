"""Template filters for the report's sections on the year page and in the PDF."""

from django import template

from reporting.progress import Phase
from reporting.report import wording
from reporting.report.export import FORMATS
from reporting.report.sections import cell_text as section_cell_text

register = template.Library()


@register.filter
def cell_text(value):
    """A section cell as every format writes it (see `sections.cell_text`)."""
    return section_cell_text(value)


@register.filter
def breakable(text):
    """`text` with a place to break inside every very long unbroken run.

    A browser and WeasyPrint wrap such a run with `overflow-wrap: anywhere`, but
    WeasyPrint then lays the rest of the paragraph out again for every line: a
    40,000-character word took minutes. A zero-width space every few characters
    gives it ordinary break points; nothing changes on the screen or in print.
    """
    return wording.with_break_points(text)


@register.filter
def with_columns(row, columns):
    """(column, cell) pairs of a table row, so a cell knows its kind."""
    return zip(columns, row, strict=True)


@register.filter
def is_empty_section(section):
    """Whether the section says its `empty_text` instead of showing tables."""
    return bool(section.empty_text) and all(t.is_empty for t in section.tables)


@register.filter
def bar_percent(bar, chart):
    """A horizontal bar's length as a share of the room right of the labels.

    The SVG gives bars and their values the chart's width minus the label column;
    the same share keeps the picture the same. A string, so never localised.
    """
    room = chart.width - bar.x
    if room <= 0:
        return "0"
    return f"{max(0.0, min(100.0, bar.width / room * 100)):.1f}"


@register.simple_tag
def report_format_codes():
    """The annual report's formats (pdf, docx, xlsx, csv), for download links."""
    return list(FORMATS)


@register.filter
def target_text(commitment):
    """'1–2 a year', '1 a year, hosts in turn' or 'qualitative'."""
    return wording.target_text(commitment)


@register.filter
def record_line(record):
    """One line for a visit, an information exchange or a programme."""
    return wording.record_line(record)


@register.simple_tag
def next_exchange_text(progress):
    """'Next yearly exchange: 2026, hosted by …' from a progress or overview."""
    return wording.next_exchange_text(progress)


@register.simple_tag
def example_note(agreement, has_examples=False):
    """What a page of `agreement` says about made-up data, or '' (see wording)."""
    return wording.example_note(agreement, has_examples)


@register.filter
def confirmation_short(summary):
    """The scorecard's confirmation cell of a year: 'confirmed', '1 of 2 parties'…"""
    return wording.confirmation_short_text(
        summary.confirmation, has_ended=summary.phase == Phase.PAST
    )


@register.filter
def signature_confirmation(confirmation):
    """Above a party's signature in the PDF, as in the DOCX."""
    return wording.signature_confirmation_text(confirmation)


@register.filter
def confirmed_on(confirmation):
    return wording.confirmed_on_text(confirmation)


@register.filter
def side_name(standing):
    """A side's name as it stands, with its predecessor (see `wording`)."""
    return wording.side_name(standing)


@register.filter
def side_note(standing):
    """What became of one side's area or organisation, or ''."""
    return wording.side_note(standing)


@register.filter
def side_notes(standings):
    """What became of the sides' areas or organisations, where something did."""
    return wording.side_notes(standings)
