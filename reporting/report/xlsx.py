"""report.xlsx: the annual report as typed spreadsheet tables.

Dates are dates, counts are integers and money stays Decimal with its currency in
the number format, so a reader can sort, filter and sum without cleaning. Text is
neutralised (`safe.neutralise`): a title typed as `=HYPERLINK(…)` stays text.
Only formats an `AnnualReport`; never queries the database.
"""

import datetime
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_precision
from django.utils.text import capfirst
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import ARC_APP
from openpyxl.xml.functions import SubElement, tostring

from programs.models import GiftDistribution, ItemKind
from reporting.progress import Status

from . import wording
from .safe import neutralise

COMPANY = "Red Cross cooperation agreements"
# Excel's limits: a sheet name of 31 characters without \ / ? * : [ ], and a cell
# of 32,767 characters (longer text opens as a "repaired" file).
SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*:\[\]]")
CELL_TEXT_LIMIT = 32767
MIN_WIDTH, MAX_WIDTH = 8, 60

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
COUNT_FORMAT = "#,##0"

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", start_color="DDDDDD")
SECTION_FILL = PatternFill("solid", start_color="EEEEEE")
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass(frozen=True)
class Amount:
    """A money cell: the number, formatted with its currency."""

    amount: Decimal
    currency: str


def money_format(currency):
    """'#,##0 "VND"', '#,##0.00 "USD"': the currency's own minor unit (CLDR)."""
    code = currency.replace('"', "")
    places = get_currency_precision(code) if code else 2
    decimals = "." + "0" * places if places else ""
    return f'#,##0{decimals} "{code}"'


def sheet_title(text, taken):
    """A translated sheet name Excel accepts: short, legal and unique."""
    title = SHEET_TITLE_FORBIDDEN.sub(" ", wording.clean_text(text)).strip("' ")
    title = title[:SHEET_TITLE_LENGTH] or "Sheet"
    candidate, number = title, 2
    while candidate.lower() in taken:
        suffix = f" {number}"
        candidate = title[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def cell_text(value):
    """Text for a cell: XML-safe, within Excel's limit, never a formula."""
    text = wording.clean_text(value)
    if len(text) > CELL_TEXT_LIMIT:
        text = text[: CELL_TEXT_LIMIT - 1] + "…"
    return neutralise(text)


def _width(value):
    """How many characters `value` shows as, for the column width."""
    if isinstance(value, Amount):
        places = get_currency_precision(value.currency) if value.currency else 2
        return len(f"{value.amount:,.{places}f}") + len(value.currency) + 1
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, Decimal):
        return len(f"{value:,f}")
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


class SheetWriter:
    """Writes typed rows to one worksheet and sizes its columns from the content."""

    def __init__(self, worksheet, *, wrap_columns=()):
        self.worksheet = worksheet
        self.wrap_columns = set(wrap_columns)
        self.widths = defaultdict(int)
        self.row = 0

    def put(self, row, column, value, *, font=None, fill=None):
        cell = self.worksheet.cell(row=row, column=column)
        if fill is not None:
            cell.fill = fill
        if font is not None:
            cell.font = font
        cell.alignment = WRAP if column in self.wrap_columns else TOP
        if value is None or value == "":
            return cell
        if isinstance(value, Amount):
            cell.value = value.amount
            cell.number_format = money_format(value.currency)
        elif isinstance(value, bool):
            cell.value = value
        elif isinstance(value, int):
            cell.value = value
            cell.number_format = COUNT_FORMAT
        elif isinstance(value, Decimal):
            cell.value = value
            integral = value == value.to_integral_value()
            cell.number_format = COUNT_FORMAT if integral else "#,##0.######"
        elif isinstance(value, datetime.datetime):
            cell.value = value
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            text = cell_text(value)
            cell.value = text
            # A neutralised string never starts with "=", but say so outright:
            # openpyxl would otherwise store such a string as a formula.
            cell.data_type = "s"
            value = text
        self.widths[column] = max(self.widths[column], _width(value))
        return cell

    def write(self, values, *, font=None, fill=None):
        self.row += 1
        for column, value in enumerate(values, start=1):
            self.put(self.row, column, value, font=font, fill=fill)
        return self.row

    def skip(self):
        self.row += 1

    def size_columns(self):
        for column, width in self.widths.items():
            letter = get_column_letter(column)
            self.worksheet.column_dimensions[letter].width = min(
                max(width + 2, MIN_WIDTH), MAX_WIDTH
            )


def table_sheet(workbook, title, headers, rows, *, wrap_columns=(), taken):
    """A sheet with one bold, frozen, filterable header row over typed rows."""
    worksheet = workbook.create_sheet(sheet_title(title, taken))
    writer = SheetWriter(worksheet, wrap_columns=wrap_columns)
    for column, header in enumerate(headers, start=1):
        writer.put(1, column, str(header), font=BOLD, fill=HEADER_FILL)
    writer.row = 1
    for values in rows:
        writer.write(values)
    worksheet.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    worksheet.auto_filter.ref = f"A1:{last}{writer.row}"
    worksheet.print_title_rows = "1:1"
    worksheet.page_setup.orientation = "landscape"
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    writer.size_columns()
    return worksheet


def _amount(amount, currency):
    return None if amount is None else Amount(amount, currency)


def _status_label(status):
    return str(Status(status).label)


# Summary


def _summary_sheet(worksheet, report):
    progress = report.progress
    totals = progress.totals
    agreement = report.agreement
    writer = SheetWriter(worksheet, wrap_columns={2, 6})
    writer.write([wording.report_title(report)], font=TITLE_FONT)
    writer.write([gettext("Agreement"), agreement.title])
    writer.write(
        [
            gettext("Period"),
            agreement.start_date,
            agreement.end_date,
            None,
            None,
            agreement.period_note,
        ]
    )
    year_row = writer.write([gettext("Year"), report.year])
    worksheet.cell(row=year_row, column=2).number_format = "0"  # 2022, not 2,022
    parties = [party.organisation.name for party in report.parties]
    writer.write([gettext("Parties"), "; ".join(parties)])
    # Excel has no time zones: the local time as the report states it, and its
    # offset beside it.
    generated = report.generated_at.replace(microsecond=0)
    offset = generated.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    generated = generated.replace(tzinfo=None)
    writer.write([gettext("Generated"), generated, zone])
    writer.write([gettext("Records"), wording.published_note(report)])
    if progress.has_examples:
        writer.write([gettext("Example records"), wording.examples_note()])

    writer.skip()
    headers = [
        gettext("The year in figures"),
        gettext("Value"),
        gettext("Currency"),
        gettext("Approximate"),
        gettext("Date"),
        gettext("Note"),
    ]
    writer.write(headers, font=BOLD, fill=SECTION_FILL)
    writer.write([gettext("Visits"), totals.visits])
    writer.write([gettext("Programmes"), totals.programmes])
    writer.write([gettext("Distributions"), totals.distributions])
    writer.write([gettext("Gift packages"), totals.packages])
    people = totals.people_reached
    people_note = gettext("not recorded") if people is None else ""
    writer.write([gettext("People reached"), people, None, None, None, people_note])
    for money in totals.values:
        writer.write(
            [
                gettext("Value given"),
                Amount(money.amount, money.currency),
                money.currency,
                money.approximate,
            ]
        )
    if not totals.values:
        writer.write([gettext("Value given"), None, None, None, None, "–"])
    for money in totals.costs:
        writer.write(
            [
                gettext("Programme costs"),
                Amount(money.amount, money.currency),
                money.currency,
                money.approximate,
            ]
        )
    converted = totals.converted_value
    if converted is not None:
        missing = ""
        if converted.missing_currencies:
            missing = (
                gettext("No rate recorded for")
                + " "
                + ", ".join(converted.missing_currencies)
            )
        writer.write(
            [
                gettext("Value given, converted at recorded rates"),
                Amount(converted.amount, converted.currency),
                converted.currency,
                True,
                None,
                missing,
            ]
        )
        for rate in converted.rates:
            writer.write(
                [
                    gettext("Exchange rate %(year)s") % {"year": rate.year},
                    rate.units_per_reporting_unit,
                    gettext("%(currency)s per %(reporting)s")
                    % {
                        "currency": rate.currency,
                        "reporting": rate.reporting_currency,
                    },
                    None,
                    rate.rate_date,
                    rate.source,
                ]
            )

    writer.skip()
    headers = [
        gettext("Gift distributions by district"),
        gettext("Distributions"),
        gettext("Packages"),
        gettext("People reached"),
        gettext("Value"),
        gettext("Currency"),
        gettext("Approximate"),
        gettext("Note"),
    ]
    writer.write(headers, font=BOLD, fill=SECTION_FILL)
    for total in progress.by_district:
        name = wording.districts_text(total.districts)
        note = ""
        if total.is_joint:
            note = gettext("one total for these districts; the source gives no split")
        counts = [total.distributions, total.packages, total.people_reached]
        values = total.values or (None,)
        for index, money in enumerate(values):
            # Counts on the first row only: a district given in two currencies
            # would otherwise count its packages twice when the column is summed.
            writer.write(
                [
                    name,
                    *(counts if index == 0 else (None, None, None)),
                    _amount(money.amount, money.currency) if money else None,
                    money.currency if money else None,
                    money.approximate if money else None,
                    note,
                ]
            )

    writer.skip()
    plan = progress.plan
    writer.write(
        [
            gettext("Plan for %(year)s against what happened") % {"year": plan.year},
            gettext("Planned"),
            gettext("Actual"),
        ],
        font=BOLD,
        fill=SECTION_FILL,
    )
    writer.write([gettext("Visits"), plan.planned_visits, plan.actual_visits])
    writer.write(
        [gettext("Programmes"), plan.planned_programmes, plan.actual_programmes]
    )
    writer.write([gettext("Note"), wording.plan_source_text(plan)])

    writer.skip()
    writer.write(
        [
            gettext("Plan for %(year)s") % {"year": report.year + 1},
            gettext("Visits planned"),
            gettext("Programmes planned"),
            gettext("Date"),
            gettext("Example"),
            gettext("Notes"),
        ],
        font=BOLD,
        fill=SECTION_FILL,
    )
    for exchange in progress.next_year_plan:
        writer.write(
            [
                exchange.from_party.name,
                exchange.planned_visits,
                exchange.planned_programmes,
                exchange.exchanged_on,
                exchange.is_example,
                exchange.plan_notes,
            ]
        )
    if not progress.next_year_plan:
        writer.write(["", None, None, None, None, gettext("not recorded yet")])
    if next_exchange := wording.next_exchange_text(progress):
        writer.write([gettext("Next yearly exchange"), next_exchange])

    writer.skip()
    writer.write(
        [
            gettext("Information exchanged"),
            gettext("From"),
            gettext("To"),
            gettext("Topics"),
            gettext("Date"),
            gettext("Summary"),
            gettext("Outbreak alert"),
            gettext("Example"),
        ],
        font=BOLD,
        fill=SECTION_FILL,
    )
    for exchange in progress.information_exchanges:
        writer.write(
            [
                "",
                exchange.from_party.name,
                exchange.to_party.name,
                wording.topics_text(exchange),
                exchange.exchanged_on,
                exchange.summary,
                exchange.is_outbreak_alert,
                exchange.is_example,
            ]
        )
    writer.size_columns()
    worksheet.page_setup.orientation = "landscape"
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0


# The data sheets


def _commitment_rows(progress):
    for result in progress.commitments:
        commitment = result.commitment
        yield [
            commitment.ordinal,
            capfirst(commitment.get_kind_display()),
            commitment.text,
            commitment.yearly_target_min,
            commitment.yearly_target_max,
            result.actual,
            _status_label(result.status),
            "\n".join(wording.record_line(record) for record in result.evidence),
            wording.rotation_text(progress, commitment),
        ]


def _visit_rows(progress):
    for visit in progress.visits:
        yield [
            visit.start_date,
            visit.end_date,
            str(visit.get_kind_display()),
            visit.sending_party.name,
            visit.host_party.name,
            visit.place,
            visit.area.name if visit.area else "",
            visit.purpose,
            visit.outcomes,
            wording.members_text(visit),
            visit.is_example,
        ]


def _programme_rows(progress):
    for programme in progress.programmes:
        yield [
            programme.title,
            ", ".join(str(label) for label in programme.activity_labels),
            "; ".join(area.name for area in programme.districts.all()),
            programme.lead_organisation.name,
            str(programme.get_status_display()),
            programme.start_date,
            programme.end_date,
            programme.people_reached,
            _amount(programme.actual_cost, programme.currency),
            programme.currency,
            programme.is_example,
        ]


def _distribution_rows(report):
    progress = report.progress
    titles = {programme.pk: programme.title for programme in progress.programmes}
    # Labels translated now, like every other text here: the report's own
    # ActivityRow.recipients is frozen in the language it was built in.
    recipients = dict(GiftDistribution.RecipientGroup.choices)
    for row in progress.distributions:
        yield [
            titles.get(row.program_id, ""),
            row.start_date,
            row.end_date,
            "; ".join(area.name for area in row.districts),
            str(recipients.get(row.recipient_group, row.recipient_group)),
            row.packages,
            row.people_reached,
            _amount(row.total_value, row.currency),
            row.currency,
            row.value_is_approximate,
            row.is_example,
        ]


def _item_rows(progress):
    units = dict(ItemKind.Unit.choices)
    for item in progress.by_item:
        unit = str(units.get(item.unit, item.unit))
        values = item.values or (None,)
        for index, money in enumerate(values):
            # ItemTotal's quantity covers every currency: on the first row only,
            # so that summing the column counts each item once.
            first = index == 0
            yield [
                item.name,
                unit,
                item.quantity if first else None,
                item.lines_without_quantity if first else None,
                _amount(money.amount, money.currency) if money else None,
                money.currency if money else None,
            ]


def _properties(workbook, report):
    properties = workbook.properties
    properties.title = wording.document_title(report)
    properties.subject = wording.document_subject(report)
    properties.keywords = wording.document_keywords(report)
    properties.creator = COMPANY
    properties.lastModifiedBy = COMPANY
    properties.description = wording.published_note(report)
    created = report.generated_at
    if created.tzinfo is not None:
        # openpyxl writes the time as UTC ("Z") and wants it naive.
        created = created.astimezone(datetime.UTC).replace(tzinfo=None)
    properties.created = properties.modified = created.replace(microsecond=0)


def _with_company(content):
    """The workbook with a Company in docProps/app.xml, which openpyxl always
    writes blank."""
    # openpyxl knows the Company field but leaves it out when serialising.
    application = ExtendedProperties().to_tree()
    SubElement(application, "Company").text = COMPANY
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == ARC_APP:
                data = tostring(application)
            target.writestr(info, data)
    return buffer.getvalue()


def report_xlsx(report):
    """The annual report as an .xlsx file's bytes."""
    progress = report.progress
    workbook = Workbook()
    taken = set()
    summary = workbook.active
    summary.title = sheet_title(gettext("Summary"), taken)
    _summary_sheet(summary, report)

    table_sheet(
        workbook,
        gettext("Commitments"),
        [
            gettext("No."),
            gettext("Commitment"),
            gettext("Text"),
            gettext("Target, at least"),
            gettext("Target, at most"),
            gettext("Actual"),
            gettext("Status"),
            gettext("Evidence"),
            gettext("Note"),
        ],
        _commitment_rows(progress),
        wrap_columns={3, 8, 9},
        taken=taken,
    )
    table_sheet(
        workbook,
        gettext("Visits"),
        [
            gettext("Start date"),
            gettext("End date"),
            gettext("Kind"),
            gettext("Sending party"),
            gettext("Host party"),
            gettext("Place"),
            gettext("Area visited"),
            gettext("Purpose"),
            gettext("Outcomes"),
            gettext("Delegation"),
            gettext("Example"),
        ],
        _visit_rows(progress),
        wrap_columns={8, 9, 10},
        taken=taken,
    )
    table_sheet(
        workbook,
        gettext("Programmes"),
        [
            gettext("Programme"),
            gettext("Activities"),
            gettext("Districts"),
            gettext("Lead"),
            gettext("Status"),
            gettext("Start date"),
            gettext("End date"),
            gettext("People reached"),
            gettext("Cost"),
            gettext("Currency"),
            gettext("Example"),
        ],
        _programme_rows(progress),
        wrap_columns={1, 2},
        taken=taken,
    )
    table_sheet(
        workbook,
        gettext("Distributions"),
        [
            gettext("Programme"),
            gettext("Start date"),
            gettext("End date"),
            gettext("Districts"),
            gettext("Recipients"),
            gettext("Packages"),
            gettext("People reached"),
            gettext("Value"),
            gettext("Currency"),
            gettext("Approximate"),
            gettext("Example"),
        ],
        _distribution_rows(report),
        wrap_columns={1},
        taken=taken,
    )
    table_sheet(
        workbook,
        gettext("Items"),
        [
            gettext("Item"),
            gettext("Unit"),
            gettext("Quantity"),
            gettext("Lines without quantity"),
            gettext("Value of priced items"),
            gettext("Currency"),
        ],
        _item_rows(progress),
        taken=taken,
    )
    _properties(workbook, report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_company(buffer.getvalue())
