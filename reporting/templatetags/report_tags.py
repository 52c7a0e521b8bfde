"""Formatting for the PDF report, where every glyph must come from the Noto fonts.

Noto Sans has no ✓ ▲ ◐ ✕ (the status marks) and no ≈ (approximate amounts): a PDF
would take them from whatever system font fontconfig finds, or show empty boxes.
The report draws them as small inline SVG shapes instead, beside the same words
the site shows.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from programs.models import ItemKind
from reporting.progress import Status
from reporting.report.export import FORMATS

from .progress_tags import money

register = template.Library()


def _icon(css_class, body):
    return mark_safe(
        f'<svg class="icon {css_class}" viewBox="0 0 12 12" width="12" height="12" '
        f'aria-hidden="true">{body}</svg>'
    )


_CHECK = (
    '<path d="M2 6.5 L5 9.5 L10.5 2.5" fill="none" stroke="#1b6e3a" stroke-width="2"/>'
)
STATUS_ICONS = {
    Status.MET: _icon("icon--met", _CHECK),
    Status.EVIDENCED: _icon("icon--evidenced", _CHECK),
    Status.ABOVE_TARGET: _icon(
        "icon--above_target", '<path d="M6 1.5 L11 10.5 L1 10.5 Z" fill="#1d4f91"/>'
    ),
    Status.PARTLY_MET: _icon(
        "icon--partly_met",
        '<circle cx="6" cy="6" r="4.6" fill="none" stroke="#8a5300" '
        'stroke-width="1.4"/><path d="M6 1.4 A4.6 4.6 0 0 0 6 10.6 Z" fill="#8a5300"/>',
    ),
    Status.NOT_MET: _icon(
        "icon--not_met",
        '<path d="M2.5 2.5 L9.5 9.5 M9.5 2.5 L2.5 9.5" stroke="#9b0c23" '
        'stroke-width="2"/>',
    ),
    Status.IN_PROGRESS: _icon(
        "icon--in_progress",
        '<circle cx="2.5" cy="8" r="1.2" fill="#555"/>'
        '<circle cx="6" cy="8" r="1.2" fill="#555"/>'
        '<circle cx="9.5" cy="8" r="1.2" fill="#555"/>',
    ),
    Status.NOT_DUE: _icon(
        "icon--not_due", '<path d="M2 6 L10 6" stroke="#555" stroke-width="1.6"/>'
    ),
    Status.NO_EVIDENCE: _icon(
        "icon--no_evidence",
        '<path d="M3.6 4.2 C3.6 1.2 8.4 1.2 8.4 4.2 C8.4 6 6 6 6 8" fill="none" '
        'stroke="#8a5300" stroke-width="1.6"/><circle cx="6" cy="10.4" r="1" '
        'fill="#8a5300"/>',
    ),
}

# Two tildes, as ≈ is drawn.
APPROXIMATE_MARK = mark_safe(
    '<svg class="icon icon--approximate" viewBox="0 0 12 12" width="12" height="12" '
    'aria-hidden="true"><path d="M1.5 4.6 C3 2.6 4.5 2.6 6 4.1 S 9 5.6 10.5 3.6 '
    'M1.5 8.6 C3 6.6 4.5 6.6 6 8.1 S 9 9.6 10.5 7.6" fill="none" '
    'stroke="#1a1a1a" stroke-width="1.2"/></svg>'
)


class TrimmedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # Already rendered (and escaped) by the templates inside: only trimmed here.
        return mark_safe(self.nodelist.render(context).strip())


@register.tag
def trimmed(parser, token):
    """`{% trimmed %}…{% endtrimmed %}`: the content without surrounding whitespace.

    Site includes end in a newline. WeasyPrint 70 wraps a table cell wrongly (after
    its first word) when that trailing space is what no longer fits the cell.
    """
    nodelist = parser.parse(("endtrimmed",))
    parser.delete_first_token()
    return TrimmedNode(nodelist)


@register.filter
def status_icon(status):
    """The status mark as an inline SVG shape (the site's ✓ ▲ ◐ ✕ … – ?)."""
    return STATUS_ICONS.get(status, "")


@register.simple_tag
def approximate_mark():
    return APPROXIMATE_MARK


@register.filter
def report_money(value, currency=None):
    """`money`, with the ≈ of an approximate amount drawn rather than typed."""
    if value is None:
        return "–"
    if hasattr(value, "currency"):
        text = money(value.amount, value.currency)
        if value.approximate:
            return format_html("{}\u00a0{}", APPROXIMATE_MARK, text)
        return text
    return money(value, currency)


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


@register.filter
def unit_label(unit):
    """The item kind's unit in words (piece, kg, box…), or the stored code."""
    try:
        return ItemKind.Unit(unit).label
    except ValueError:
        return unit


@register.simple_tag
def report_format_codes():
    """The annual report's formats (pdf, docx, xlsx, csv), for download links."""
    return list(FORMATS)
