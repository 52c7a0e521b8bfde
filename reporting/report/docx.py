"""report.docx: the annual report as an editable Word document.

For the person who writes the year's narrative: the figures, commitments and
records come filled in, in the active language and its number formats (the same
`number` and `money` filters as the pages); a marked placeholder and a signature
block are left for them. Real Word headings and tables, so the navigation pane,
a table of contents and restyling all work. Only formats an `AnnualReport`; never
queries the database.

Word runs no formulas, so text is not neutralised; python-docx escapes XML, so
markup typed into a record arrives as the literal characters.
"""

import datetime
import io

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cooperation.formatting import (
    date_range_text,
    date_text,
    money_text,
    money_value_text,
    number_text,
)
from programs.models import GiftDistribution, ItemKind
from reporting.progress import Status

from . import wording

COMPANY = "Red Cross cooperation agreements"
# Core properties take the bare language; proofing takes a language and region.
LANGUAGES = {"vi": "vi", "lo": "lo", "en": "en"}
PROOFING_LANGUAGES = {"vi": "vi-VN", "lo": "lo-LA", "en": "en-GB"}
TABLE_STYLES = ("Table Grid", "Light List Accent 1")
TABLE_FONT_SIZE = Pt(9)
# A4 with 20 mm margins: what offices in Vietnam and Laos print on.
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(20)
TEXT_WIDTH_MM = 170
# Column widths follow the longest line, within these bounds (in characters).
COLUMN_MIN, COLUMN_MAX = 6, 40


def _language():
    return LANGUAGES.get((get_language() or "en")[:2], "en")


def _text(value):
    return wording.clean_text(value)


def _lines(value):
    """A cell's content as lines: a string may hold several, a tuple is lines."""
    if isinstance(value, list | tuple):
        return [_text(line) for line in value]
    return [_text(value)]


# Document set-up


def _page_setup(document):
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN


def _proofing_language(document, language):
    """Spelling and hyphenation in the report's language, for the whole document."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    run_properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_properties is None:
        return
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    tag = PROOFING_LANGUAGES[language]
    lang.set(qn("w:val"), tag)
    if language == "lo":
        # Word treats Lao as a complex script: its proofing language is w:bidi.
        lang.set(qn("w:bidi"), tag)


def _core_properties(document, report, language):
    properties = document.core_properties
    properties.title = wording.document_title(report)
    properties.subject = wording.document_subject(report)
    properties.keywords = wording.document_keywords(report)
    properties.author = COMPANY
    properties.last_modified_by = COMPANY
    properties.comments = wording.published_note(report)
    properties.category = gettext("Annual report")
    properties.language = language
    properties.revision = 1
    created = report.generated_at
    if created.tzinfo is not None:
        # The file stores UTC ("Z"); python-docx writes the naive value as given.
        created = created.astimezone(datetime.UTC).replace(tzinfo=None)
    properties.created = properties.modified = created.replace(microsecond=0)


# Building blocks


def _table_style(document):
    names = {style.name for style in document.styles}
    return next((name for name in TABLE_STYLES if name in names), None)


def _repeat_as_header(row):
    """Word repeats a row marked w:tblHeader at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _fill_cell(cell, value, *, bold=False, right=False):
    paragraph = cell.paragraphs[0]
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, line in enumerate(_lines(value)):
        if index:
            paragraph = cell.add_paragraph()
            if right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(line)
        run.bold = bold or None
        run.font.size = TABLE_FONT_SIZE


def _add_table(document, headers, rows, *, numeric=()):
    """A Word table: bold header row repeated on each page, numbers on the right."""
    rows = list(rows)
    table = document.add_table(rows=1, cols=len(headers))
    style = _table_style(document)
    if style:
        table.style = document.styles[style]
    header = table.rows[0]
    _repeat_as_header(header)
    for index, (cell, text) in enumerate(zip(header.cells, headers, strict=True)):
        _fill_cell(cell, str(text), bold=True, right=index in numeric)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _fill_cell(cell, value, right=index in numeric)
    _fit_columns(table, [headers, *rows])
    return table


def _fit_columns(table, rows):
    """Widths in proportion to each column's longest line, across the text width."""
    weights = [COLUMN_MIN] * len(table.columns)
    for values in rows:
        for index, value in enumerate(values):
            longest = max((len(line) for line in _lines(value)), default=0)
            weights[index] = max(weights[index], min(longest, COLUMN_MAX))
    total = sum(weights)
    widths = [Mm(TEXT_WIDTH_MM * weight / total) for weight in weights]
    table.autofit = False
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _labelled(document, label, text):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(_text(text))
    return paragraph


def _note(document, text):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(_text(text))
    run.italic = True
    run.font.size = TABLE_FONT_SIZE
    return paragraph


def _example(text, is_example):
    return wording.with_example_mark(_text(text), is_example)


def _money_lines(values):
    return [money_value_text(value) for value in values] or ["–"]


# Sections


def _front_matter(document, report):
    progress = report.progress
    agreement = report.agreement
    document.add_paragraph(wording.report_title(report), style="Title")
    document.add_paragraph(_text(agreement.title), style="Subtitle")
    parties = [party.organisation.name for party in report.parties]
    _labelled(document, gettext("Parties"), "; ".join(parties))
    period = date_range_text(agreement.start_date, agreement.end_date)
    if agreement.period_note:
        period = f"{period} ({agreement.period_note})"
    _labelled(document, gettext("Period"), period)
    generated = date_format(report.generated_at, "DATETIME_FORMAT")
    _labelled(document, gettext("Generated"), generated)
    document.add_paragraph(wording.published_note(report))
    if progress.has_examples:
        paragraph = document.add_paragraph()
        paragraph.add_run(gettext("Example")).bold = True
        paragraph.add_run(": " + wording.examples_note())


def _summary(document, report):
    progress = report.progress
    totals = progress.totals
    document.add_heading(gettext("Summary"), level=1)
    people = (
        gettext("not recorded")
        if totals.people_reached is None
        else number_text(totals.people_reached)
    )
    values = _money_lines(totals.values)
    converted = totals.converted_value
    if converted is not None:
        amount = money_text(converted.amount, converted.currency)
        values.append(
            gettext("about %(amount)s at recorded rates") % {"amount": amount}
        )
    rows = [
        (gettext("Visits"), number_text(totals.visits)),
        (gettext("Programmes"), number_text(totals.programmes)),
        (gettext("Distributions"), number_text(totals.distributions)),
        (gettext("Gift packages"), number_text(totals.packages)),
        (gettext("People reached"), people),
        (gettext("Value given"), values),
    ]
    if totals.costs:
        rows.append((gettext("Programme costs"), _money_lines(totals.costs)))
    _add_table(
        document,
        [gettext("The year in figures"), str(report.year)],
        rows,
        numeric={1},
    )
    if converted is not None:
        text = (
            gettext("Converted at")
            + " "
            + "; ".join(wording.rate_text(rate) for rate in converted.rates)
            + "."
        )
        if converted.missing_currencies:
            text += (
                " "
                + gettext("No rate recorded for")
                + " "
                + ", ".join(converted.missing_currencies)
                + "."
            )
        _note(document, text)
    if totals.has_approximate_value:
        _note(
            document, gettext("≈ marks an approximate value, as the source gives it.")
        )


def _commitments(document, report):
    progress = report.progress
    document.add_heading(gettext("Commitments"), level=1)
    for result in progress.commitments:
        commitment = result.commitment
        document.add_heading(
            f"{commitment.ordinal}. {capfirst(commitment.get_kind_display())}",
            level=2,
        )
        paragraph = document.add_paragraph()
        status = f"{Status(result.status).mark} {Status(result.status).label}"
        paragraph.add_run(status.strip()).bold = True
        paragraph.add_run(f" · {gettext('Target')}: {wording.target_text(commitment)}")
        if result.actual is not None:
            paragraph.add_run(f" · {gettext('Actual')}: ")
            paragraph.add_run(number_text(result.actual)).bold = True
        if commitment.text:
            _note(document, commitment.text)
        if rotation := wording.rotation_text(progress, commitment):
            document.add_paragraph(rotation)
        for record in result.evidence:
            document.add_paragraph(
                _text(wording.record_line(record)), style="List Bullet"
            )
    if next_exchange := wording.next_exchange_text(progress):
        paragraph = document.add_paragraph()
        paragraph.add_run(next_exchange).bold = True


def _visits(document, report):
    progress = report.progress
    document.add_heading(gettext("Visits"), level=1)
    if not progress.visits:
        document.add_paragraph(gettext("No visit recorded for this year."))
        return
    rows = []
    for visit in progress.visits:
        route = f"{visit.sending_party.name} → {visit.host_party.name}"
        kind_place = capfirst(visit.get_kind_display())
        if visit.place:
            kind_place = f"{kind_place} · {visit.place}"
        rows.append(
            (
                date_range_text(visit.start_date, visit.end_date),
                _example(route, visit.is_example),
                kind_place,
                visit.purpose,
                visit.outcomes,
                [wording.member_line(m) for m in getattr(visit, "member_list", ())],
            )
        )
    _add_table(
        document,
        [
            gettext("Dates"),
            gettext("Visit"),
            gettext("Kind and place"),
            gettext("Purpose"),
            gettext("Outcomes"),
            gettext("Delegation"),
        ],
        rows,
    )


def _programmes(document, report):
    progress = report.progress
    document.add_heading(gettext("Programmes"), level=1)
    if not progress.programmes:
        document.add_paragraph(gettext("No programme recorded for this year."))
        return
    rows = []
    for programme in progress.programmes:
        dates = date_range_text(programme.start_date, programme.end_date)
        cost = (
            "–"
            if programme.actual_cost is None
            else money_text(programme.actual_cost, programme.currency)
        )
        rows.append(
            (
                [_example(programme.title, programme.is_example), dates],
                ", ".join(str(label) for label in programme.activity_labels),
                ", ".join(area.name for area in programme.districts.all()) or "–",
                programme.lead_organisation.name,
                str(programme.get_status_display()),
                number_text(programme.people_reached),
                cost,
            )
        )
    _add_table(
        document,
        [
            gettext("Programme"),
            gettext("Activities"),
            gettext("Districts"),
            gettext("Lead"),
            gettext("Status"),
            gettext("People reached"),
            gettext("Cost"),
        ],
        rows,
        numeric={5, 6},
    )


def _distributions(document, report):
    progress = report.progress
    document.add_heading(gettext("Distributions by district"), level=1)
    if not progress.distributions:
        document.add_paragraph(gettext("No gift distribution recorded for this year."))
        return
    rows = []
    for total in progress.by_district:
        name = wording.districts_text(total.districts)
        if total.is_joint:
            note = gettext("one total for these districts; the source gives no split")
            name = [name, f"({note})"]
        rows.append(
            (
                name,
                number_text(total.distributions),
                number_text(total.packages),
                number_text(total.people_reached),
                _money_lines(total.values),
            )
        )
    _add_table(
        document,
        [
            gettext("District"),
            gettext("Distributions"),
            gettext("Packages"),
            gettext("People reached"),
            gettext("Value"),
        ],
        rows,
        numeric={1, 2, 3, 4},
    )

    document.add_heading(gettext("Each distribution"), level=2)
    titles = {programme.pk: programme.title for programme in progress.programmes}
    recipients = dict(GiftDistribution.RecipientGroup.choices)
    rows = []
    for row in progress.distributions:
        value = "–"
        if row.total_value is not None:
            value = money_text(
                row.total_value, row.currency, approximate=row.value_is_approximate
            )
        rows.append(
            (
                date_range_text(row.start_date, row.end_date),
                _example(titles.get(row.program_id, ""), row.is_example),
                wording.districts_text(row.districts),
                str(recipients.get(row.recipient_group, row.recipient_group)),
                number_text(row.packages),
                number_text(row.people_reached),
                value,
            )
        )
    _add_table(
        document,
        [
            gettext("Dates"),
            gettext("Programme"),
            gettext("Districts"),
            gettext("Recipients"),
            gettext("Packages"),
            gettext("People reached"),
            gettext("Value"),
        ],
        rows,
        numeric={4, 5, 6},
    )


def _items(document, report):
    progress = report.progress
    document.add_heading(gettext("Items given"), level=1)
    if not progress.by_item:
        document.add_paragraph(gettext("No item recorded for this year."))
        return
    units = dict(ItemKind.Unit.choices)
    rows = []
    for item in progress.by_item:
        if item.quantity is None:
            quantity = gettext("not stated")
        else:
            quantity = number_text(item.quantity)
            if item.lines_without_quantity:
                quantity = f"{quantity} (+ {gettext('some not stated')})"
        rows.append(
            (
                item.name,
                str(units.get(item.unit, item.unit)),
                quantity,
                _money_lines(item.values),
            )
        )
    _add_table(
        document,
        [
            gettext("Item"),
            gettext("Unit"),
            gettext("Quantity"),
            gettext("Value of priced items"),
        ],
        rows,
        numeric={2, 3},
    )


def _information(document, report):
    progress = report.progress
    document.add_heading(gettext("Information exchanged"), level=1)
    if not progress.information_exchanges:
        document.add_paragraph(
            gettext("No information exchange recorded for this year.")
        )
        return
    rows = []
    for exchange in progress.information_exchanges:
        route = f"{exchange.from_party.name} → {exchange.to_party.name}"
        topics = wording.topics_text(exchange)
        if exchange.is_outbreak_alert:
            topics = f"{topics} ({gettext('Outbreak alert')})"
        rows.append(
            (
                date_text(exchange.exchanged_on),
                _example(route, exchange.is_example),
                topics,
                exchange.summary,
            )
        )
    _add_table(
        document,
        [gettext("Date"), gettext("From → to"), gettext("Topics"), gettext("Summary")],
        rows,
    )


def _plans(document, report):
    progress = report.progress
    plan = progress.plan
    document.add_heading(
        gettext("Plan for %(year)s against what happened") % {"year": plan.year},
        level=1,
    )
    if plan.source is not None:
        _add_table(
            document,
            ["", gettext("Planned"), gettext("Actual")],
            [
                (
                    gettext("Visits"),
                    number_text(plan.planned_visits),
                    number_text(plan.actual_visits),
                ),
                (
                    gettext("Programmes"),
                    number_text(plan.planned_programmes),
                    number_text(plan.actual_programmes),
                ),
            ],
            numeric={1, 2},
        )
    _note(document, wording.plan_source_text(plan))

    document.add_heading(
        gettext("Plan for %(year)s") % {"year": report.year + 1}, level=1
    )
    if not progress.next_year_plan:
        document.add_paragraph(gettext("No plan for next year has been recorded yet."))
        return
    rows = [
        (
            _example(exchange.from_party.name, exchange.is_example),
            date_text(exchange.exchanged_on),
            number_text(exchange.planned_visits),
            number_text(exchange.planned_programmes),
            exchange.plan_notes,
        )
        for exchange in progress.next_year_plan
    ]
    _add_table(
        document,
        [
            gettext("From"),
            gettext("Date"),
            gettext("Visits planned"),
            gettext("Programmes planned"),
            gettext("Notes"),
        ],
        rows,
        numeric={2, 3},
    )


def _photos(document, report):
    photos = report.progress.photos
    if not photos:
        return
    document.add_heading(gettext("Photos"), level=1)
    for photo in photos:
        text = photo.caption
        if photo.credit:
            text = f"{text} ({gettext('Photo')}: {photo.credit})"
        if photo.source_url:
            text = f"{text} {photo.source_url}"
        document.add_paragraph(_text(text), style="List Bullet")


def _narrative(document):
    document.add_heading(gettext("Narrative"), level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run(
        gettext(
            "Write the narrative of the year here: what was done, what it changed, "
            "what was learned and what comes next. Replace this paragraph."
        )
    ).italic = True


def _signatures(document, report):
    parties = report.parties
    if not parties:
        return
    document.add_heading(gettext("Signatures"), level=1)
    table = document.add_table(rows=4, cols=len(parties))
    style = _table_style(document)
    if style:
        table.style = document.styles[style]
    for column, party in enumerate(parties):
        cells = [row.cells[column] for row in table.rows]
        _fill_cell(cells[0], party.organisation.name, bold=True)
        # Room to sign: the label, then blank lines.
        _fill_cell(cells[1], [gettext("Signature"), "", "", ""])
        signatory = ", ".join(
            part for part in (party.signatory_name, party.signatory_title) if part
        )
        _fill_cell(cells[2], f"{gettext('Name and title')}: {signatory}".rstrip())
        _fill_cell(cells[3], f"{gettext('Date')}:")


def report_docx(report):
    """The annual report as a .docx file's bytes."""
    language = _language()
    document = Document()
    _page_setup(document)
    _proofing_language(document, language)
    _core_properties(document, report, language)
    _front_matter(document, report)
    _summary(document, report)
    _commitments(document, report)
    _visits(document, report)
    _programmes(document, report)
    _distributions(document, report)
    _items(document, report)
    _information(document, report)
    _plans(document, report)
    _photos(document, report)
    _narrative(document)
    _signatures(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
