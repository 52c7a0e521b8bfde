"""The annual report as an ordered list of sections, each declared once.

A section has a title, its sentences, and tables whose columns carry a kind (text,
integer, money in one currency, date, status). A table's total row, when it has
one, is computed here, once, from the rows it sits under; no renderer adds up
anything. The XLSX, DOCX and CSV renderers lay sections out without knowing what
they mean; the year page and the PDF include one template partial per section.

What "people reached" means, everywhere:
- A programme's people reached is its own figure when recorded (it already counts
  the people its gift distributions reached), otherwise the sum of its
  distributions' figures; the year's figure adds up the programmes held.
- A distribution's figure is its "gift recipients": the people that distribution
  reached. The district and distribution tables add those up, so their totals can
  be smaller than the year's people reached (check-ups reach people too).

Built in the active language, from the progress computation only: no queries.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.text import capfirst
from django.utils.translation import gettext

from cooperation.formatting import (
    UNKNOWN,
    date_text,
    money_text,
    number_text,
)
from programs.models import AgeBand, GiftDistribution, Sex
from reporting.progress import Money, Phase, Status

from . import wording


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"
    DATE = "date"
    STATUS = "status"


NUMERIC_KINDS = (Kind.INTEGER, Kind.MONEY)


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    currency: str = ""  # money columns: every cell is in this currency
    summed: bool = False  # whether the total row adds this column up
    wide: bool = False  # long text that wraps (purposes, summaries)

    @property
    def is_numeric(self):
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class Table:
    key: str
    columns: tuple  # of Column
    rows: tuple  # of tuples, one cell per column
    total: tuple | None = None  # the total row, from `table()`; None: no total
    caption: str = ""

    @property
    def is_empty(self):
        return not self.rows


@dataclass(frozen=True)
class Section:
    key: str  # stable: the page's anchor, the template partial, the sheet's order
    title: str
    sentences: tuple = ()  # paragraphs before the tables
    tables: tuple = ()
    notes: tuple = ()  # paragraphs after the tables
    empty_text: str = ""  # said instead of the tables when they are all empty
    # The year page and the PDF show aggregates, so tenfold data is not tenfold
    # time (a thousand-row table took the PDF from 1 s to 22 s); a section of one
    # row per record is left to the DOCX, XLSX and CSV, and they say how many.
    on_page: bool = True

    @property
    def row_count(self):
        return sum(len(table.rows) for table in self.tables)


def cell_text(value):
    """A cell as every reader sees it, in the active language: the page, the PDF
    and the DOCX all call this, so a figure never reads differently."""
    if value is None:
        return UNKNOWN
    if isinstance(value, Money):
        return money_text(value.amount, value.currency, approximate=value.approximate)
    if isinstance(value, Status):
        return f"{value.mark} {value.label}"
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, int):
        return number_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    return str(value)


def _sum_cells(column, cells):
    present = [cell for cell in cells if cell is not None]
    if not present:
        return None
    if column.kind == Kind.INTEGER:
        return sum(present)
    return Money(
        currency=column.currency,
        amount=sum((cell.amount for cell in present), Decimal(0)),
        approximate=any(cell.approximate for cell in present),
    )


def table(key, columns, rows, *, total_label=None, caption=""):
    """A Table; with `total_label`, its total row adds up the summed columns.

    The total is computed from `rows` and nothing else, so it always equals the
    rows above it, in every format.
    """
    columns, rows = tuple(columns), tuple(tuple(row) for row in rows)
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"{key}: a row has {len(row)} cells for {len(columns)}")
    total = None
    if total_label is not None and rows:
        total = tuple(
            _sum_cells(column, [row[index] for row in rows])
            if column.summed
            else (total_label if index == 0 else "")
            for index, column in enumerate(columns)
        )
    return Table(
        key=key,
        columns=columns,
        rows=rows,
        total=total,
        caption=caption,
    )


def _currencies(*groups):
    """Currencies in use, VND and LAK first as the parties keep them, then A–Z."""
    found = {money.currency for group in groups for money in group if money}
    first = ("VND", "LAK")
    return sorted(
        found, key=lambda code: (first.index(code) if code in first else 2, code)
    )


def _value_columns(currencies, title):
    return [
        Column(f"{title} ({currency})", Kind.MONEY, currency=currency, summed=True)
        for currency in currencies
    ]


def _value_cells(values, currencies):
    by_currency = {money.currency: money for money in values}
    return [by_currency.get(currency) for currency in currencies]


def _marked(text, is_example):
    return wording.with_example_mark(text, is_example)


# The sections, in the report's order.


def figures_section(progress):
    return totals_section(progress.totals, title=gettext("The year in figures"))


def totals_section(totals, *, title, key="figures"):
    """Counts and money of a YearTotals: the year's figures, or totals to date."""
    counts = table(
        "figures",
        [Column(gettext("Measure")), Column(gettext("Number"), Kind.INTEGER)],
        [
            [gettext("Visits"), totals.visits],
            [gettext("Programmes held"), totals.programmes],
            [gettext("Gift distributions"), totals.distributions],
            [gettext("Gift packages"), totals.packages],
            [gettext("People reached"), totals.people_reached],
        ],
    )
    money_rows = [
        [gettext("Value given (%(currency)s)") % {"currency": money.currency}, money]
        for money in totals.values
    ] + [
        [gettext("Programme costs (%(currency)s)") % {"currency": m.currency}, m]
        for m in totals.costs
    ]
    converted = totals.converted_value
    sentences = [wording.people_reached_definition()]
    notes = []
    if len(totals.values) > 1:
        notes.append(
            gettext(
                "Each currency has its own total: amounts in different currencies "
                "are never added together."
            )
        )
    if converted is not None:
        money_rows.append(
            [
                gettext("Value given, converted to %(currency)s at recorded rates")
                % {"currency": converted.currency},
                Money(converted.currency, converted.amount, approximate=True),
            ]
        )
        notes.append(wording.rates_text(converted))
    if totals.has_approximate_value or converted is not None:
        notes.append(wording.approximate_note())
    tables = [counts]
    if money_rows:
        tables.append(
            table(
                "money",
                [Column(gettext("Measure")), Column(gettext("Amount"), Kind.MONEY)],
                money_rows,
            )
        )
    return Section(
        key=key,
        title=title,
        sentences=tuple(sentences),
        tables=tuple(tables),
        notes=tuple(notes),
    )


def commitments_section(progress):
    rows = []
    for result in progress.commitments:
        commitment = result.commitment
        evidence = [wording.record_line(record) for record in result.evidence]
        rows.append(
            [
                commitment.ordinal,
                capfirst(commitment.get_kind_display()),
                commitment.text,
                wording.target_text(commitment),
                result.actual,
                Status(result.status),
                "\n".join(evidence),
            ]
        )
    sentences = []
    for result in progress.commitments:
        text = wording.rotation_text(progress, result.commitment)
        if text:
            sentences.append(text)
    next_exchange = wording.next_exchange_text(progress)
    if next_exchange:
        sentences.append(next_exchange)
    return Section(
        key="commitments",
        title=gettext("Commitments this year"),
        sentences=tuple(sentences),
        tables=(
            table(
                "commitments",
                [
                    Column(gettext("No."), Kind.INTEGER),
                    Column(gettext("Commitment")),
                    Column(gettext("Clause"), wide=True),
                    Column(gettext("Target")),
                    Column(gettext("Actual"), Kind.INTEGER),
                    Column(gettext("Status"), Kind.STATUS),
                    Column(gettext("Evidence"), wide=True),
                ],
                rows,
            ),
        ),
        empty_text=gettext(
            "The commitments of this agreement are not recorded in this system."
        ),
    )


def confirmation_section(progress):
    """Each party's word that its records of the year are complete.

    Before the year ends there is nothing to confirm: one sentence says how it
    works. After, a row per party, and every reopening, which stays on record.
    """
    state = progress.confirmation
    has_ended = progress.phase == Phase.PAST
    # A side is named as it stands: "Successor (formerly Predecessor, since …)".
    names = {side.party.pk: wording.side_name(side) for side in progress.sides}
    rows = [
        [
            names.get(party.party.pk, party.party.organisation.name),
            wording.confirmed_on_text(party.confirmation),
            party.confirmation.signatory if party.confirmation else "",
            party.confirmation.comment if party.confirmation else "",
        ]
        for party in state.parties
    ]
    return Section(
        key="confirmation",
        title=gettext("Confirmation by the parties"),
        sentences=(wording.confirmation_text(state, names, has_ended=has_ended),),
        tables=(
            table(
                "confirmation",
                [
                    Column(gettext("Party")),
                    Column(gettext("Records confirmed complete")),
                    Column(gettext("Confirmed by")),
                    Column(gettext("Comment"), wide=True),
                ],
                rows,
            ),
        )
        if has_ended
        else (),
        notes=tuple(
            wording.reopened_text(confirmation, names.get(confirmation.party_id, ""))
            for confirmation in state.reopened
        ),
    )


def visits_section(progress):
    rows = []
    for visit in progress.visits:
        rows.append(
            [
                visit.start_date,
                visit.end_date,
                _marked(visit.sending_party.name, visit.is_example),
                visit.host_party.name,
                capfirst(visit.get_kind_display()),
                visit.place,
                visit.purpose,
                visit.outcomes,
                wording.members_text(visit),
            ]
        )
    return Section(
        key="visits",
        title=gettext("Delegation visits"),
        tables=(
            table(
                "visits",
                [
                    Column(gettext("Start"), Kind.DATE),
                    Column(gettext("End"), Kind.DATE),
                    Column(gettext("Sending party")),
                    Column(gettext("Host party")),
                    Column(gettext("Kind")),
                    Column(gettext("Place")),
                    Column(gettext("Purpose"), wide=True),
                    Column(gettext("Outcomes"), wide=True),
                    Column(gettext("Delegation"), wide=True),
                ],
                rows,
            ),
        ),
        empty_text=gettext("No visit recorded for this year."),
    )


def programmes_section(progress):
    costs = [
        Money(p.currency, p.actual_cost)
        for p in progress.programmes
        if p.actual_cost is not None
    ]
    currencies = _currencies(costs)
    rows = []
    for programme in progress.programmes:
        cost = (
            [Money(programme.currency, programme.actual_cost)]
            if programme.actual_cost is not None
            else []
        )
        held = programme.pk in progress.held_programmes
        rows.append(
            [
                _marked(programme.title, programme.is_example),
                ", ".join(str(label) for label in programme.activity_labels),
                ", ".join(area.name for area in programme.districts.all()) or "–",
                programme.lead_organisation.name,
                str(programme.get_status_display()),
                progress.people_by_programme.get(programme.pk) if held else None,
                *(_value_cells(cost, currencies) if held else [None] * len(currencies)),
            ]
        )
    notes = []
    if any(p.status == p.Status.CANCELLED for p in progress.programmes):
        notes.append(
            gettext("A cancelled programme counts for nothing in the figures.")
        )
    if any(
        p.status != p.Status.CANCELLED and p.pk not in progress.held_programmes
        for p in progress.programmes
    ):
        notes.append(
            gettext(
                "A programme counts in the figures once it is under way: a planned "
                "one is listed but not counted."
            )
        )
    return Section(
        key="programmes",
        title=gettext("Joint programmes"),
        tables=(
            table(
                "programmes",
                [
                    Column(gettext("Programme")),
                    Column(gettext("Activities")),
                    Column(gettext("Districts")),
                    Column(gettext("Lead")),
                    Column(gettext("Status")),
                    Column(gettext("People reached"), Kind.INTEGER, summed=True),
                    *_value_columns(currencies, gettext("Cost")),
                ],
                rows,
                total_label=gettext("Total"),
            ),
        ),
        notes=tuple(notes),
        empty_text=gettext("No programme recorded for this year."),
    )


def districts_section(progress):
    currencies = _currencies(*(total.values for total in progress.by_district))
    rows = [
        [
            wording.district_label(total),
            total.distributions,
            total.packages,
            total.people_reached,
            *_value_cells(total.values, currencies),
        ]
        for total in progress.by_district
    ]
    notes = []
    if progress.has_joint_districts:
        notes.append(wording.joint_districts_note())
    return Section(
        key="districts",
        title=gettext("Gift distributions by district"),
        tables=(
            table(
                "districts",
                [
                    Column(gettext("District")),
                    Column(gettext("Distributions"), Kind.INTEGER, summed=True),
                    Column(gettext("Packages"), Kind.INTEGER, summed=True),
                    Column(gettext("Gift recipients"), Kind.INTEGER, summed=True),
                    *_value_columns(currencies, gettext("Value")),
                ],
                rows,
                total_label=gettext("Total"),
            ),
        ),
        notes=tuple(notes),
        empty_text=gettext("No gift distribution recorded for this year."),
    )


def recipients_section(progress):
    """Listed gift recipients by age band (rows) and sex (columns): counts only.

    A column or row for "not recorded" appears only when a list leaves the sex
    or the age out; the total row adds up the rows, as everywhere.
    """
    breakdown = progress.recipients
    sexes = [Sex.FEMALE, Sex.MALE]
    if breakdown.has(sex=Sex.NOT_RECORDED):
        sexes.append(Sex.NOT_RECORDED)
    bands = list(AgeBand)
    if breakdown.has(age_band=""):
        bands.append("")
    rows = []
    if breakdown.listed:
        for band in bands:
            cells = [breakdown.count(sex, band) for sex in sexes]
            rows.append([_age_band_label(band), *cells, sum(cells)])
    return Section(
        key="recipients",
        title=gettext("Gift recipients by sex and age"),
        sentences=(wording.recipients_coverage_text(breakdown),)
        if breakdown.listed
        else (),
        tables=(
            table(
                "recipients",
                [
                    Column(gettext("Age")),
                    *(
                        Column(_sex_label(sex), Kind.INTEGER, summed=True)
                        for sex in sexes
                    ),
                    Column(gettext("Total"), Kind.INTEGER, summed=True),
                ],
                rows,
                total_label=gettext("Total"),
            ),
        ),
        notes=(wording.age_bands_note(), wording.recipients_privacy_note())
        if breakdown.listed
        else (),
        empty_text=gettext(
            "No recipient list is recorded for this year's gift distributions."
        ),
    )


def _age_band_label(band):
    return AgeBand(band).label if band else gettext("Age not recorded")


def _sex_label(sex):
    if sex == Sex.NOT_RECORDED:
        return gettext("Sex not recorded")
    return capfirst(Sex(sex).label)


def distributions_section(progress):
    values = [
        Money(row.currency, row.total_value, row.value_is_approximate)
        for row in progress.distributions
        if row.total_value is not None
    ]
    currencies = _currencies(values)
    titles = {programme.pk: programme.title for programme in progress.programmes}
    recipients = dict(GiftDistribution.RecipientGroup.choices)
    rows = []
    for row in progress.distributions:
        value = (
            [Money(row.currency, row.total_value, row.value_is_approximate)]
            if row.total_value is not None
            else []
        )
        rows.append(
            [
                row.start_date,
                row.end_date,
                _marked(titles.get(row.program_id, ""), row.is_example),
                wording.districts_text(row.districts),
                str(recipients.get(row.recipient_group, row.recipient_group)),
                row.packages,
                row.people_reached,
                *_value_cells(value, currencies),
            ]
        )
    return Section(
        key="distributions",
        title=gettext("Each gift distribution"),
        on_page=False,
        tables=(
            table(
                "distributions",
                [
                    Column(gettext("Start"), Kind.DATE),
                    Column(gettext("End"), Kind.DATE),
                    Column(gettext("Programme")),
                    Column(gettext("Districts")),
                    Column(gettext("Recipients")),
                    Column(gettext("Packages"), Kind.INTEGER, summed=True),
                    Column(gettext("Gift recipients"), Kind.INTEGER, summed=True),
                    *_value_columns(currencies, gettext("Value")),
                ],
                rows,
                total_label=gettext("Total"),
            ),
        ),
        empty_text=gettext("No gift distribution recorded for this year."),
    )


def items_section(progress):
    currencies = _currencies(*(item.values for item in progress.by_item))
    rows = []
    notes = []
    for item in progress.by_item:
        rows.append(
            [
                item.name,
                wording.unit_text(item.unit),
                item.quantity,
                *_value_cells(item.values, currencies),
            ]
        )
    if any(item.lines_without_quantity for item in progress.by_item):
        notes.append(gettext("Some items were given without a stated quantity."))
    if rows:
        notes.append(
            gettext(
                "Quantities are in different units, so they have no total; values "
                "cover priced items only."
            )
        )
    return Section(
        key="items",
        title=gettext("Items given"),
        tables=(
            table(
                "items",
                [
                    Column(gettext("Item")),
                    Column(gettext("Unit")),
                    Column(gettext("Quantity"), Kind.INTEGER),
                    *(
                        Column(
                            gettext("Value of priced items (%(currency)s)")
                            % {"currency": currency},
                            Kind.MONEY,
                            currency=currency,
                        )
                        for currency in currencies
                    ),
                ],
                rows,
            ),
        ),
        notes=tuple(notes),
        empty_text=gettext("No item recorded for this year."),
    )


def information_section(progress):
    rows = []
    for exchange in progress.information_exchanges:
        rows.append(
            [
                exchange.exchanged_on,
                _marked(exchange.from_party.name, exchange.is_example),
                exchange.to_party.name,
                wording.topics_text(exchange),
                exchange.summary,
                gettext("Outbreak alert") if exchange.is_outbreak_alert else "",
            ]
        )
    return Section(
        key="information",
        title=gettext("Information exchanged"),
        tables=(
            table(
                "information",
                [
                    Column(gettext("Date"), Kind.DATE),
                    Column(gettext("From")),
                    Column(gettext("To")),
                    Column(gettext("Topics")),
                    # Not "Summary": Django's own catalogues translate that word.
                    Column(gettext("What was shared"), wide=True),
                    Column(gettext("Alert")),
                ],
                rows,
            ),
        ),
        empty_text=gettext("No information exchange recorded for this year."),
    )


def plans_section(progress):
    plan = progress.plan
    comparison = table(
        "plan",
        [
            Column(gettext("Plan for %(year)s") % {"year": plan.year}),
            Column(gettext("Planned"), Kind.INTEGER),
            Column(gettext("Actual"), Kind.INTEGER),
        ],
        [
            [gettext("Visits"), plan.planned_visits, plan.actual_visits],
            [
                gettext("Programmes held"),
                plan.planned_programmes,
                plan.actual_programmes,
            ],
        ],
    )
    rows = []
    for exchange in progress.next_year_plan:
        rows.append(
            [
                exchange.exchanged_on,
                _marked(exchange.from_party.name, exchange.is_example),
                exchange.planned_visits,
                exchange.planned_programmes,
                exchange.plan_notes,
            ]
        )
    # The last year plans for no year under the agreement: its next-year table
    # shows only what was recorded, and nothing asks for a plan.
    last_year = progress.year >= progress.agreement.end_date.year
    next_plan = table(
        "next_plan",
        [
            Column(gettext("Sent on"), Kind.DATE),
            Column(gettext("From")),
            Column(gettext("Visits planned"), Kind.INTEGER),
            Column(gettext("Programmes planned"), Kind.INTEGER),
            Column(gettext("Notes"), wide=True),
        ],
        rows,
        caption=gettext("Plan for %(year)s") % {"year": progress.year + 1},
    )
    notes = [wording.plan_source_text(plan)]
    if last_year and not rows:
        notes.append(
            gettext("The agreement ends in %(year)s: no plan for a later year is due.")
            % {"year": progress.agreement.end_date.year}
        )
    elif not rows:
        notes.append(
            gettext("No plan for %(year)s has been recorded yet.")
            % {"year": progress.year + 1}
        )
    return Section(
        key="plans",
        title=gettext("Plans"),
        tables=(comparison, next_plan),
        notes=tuple(notes),
    )


SECTION_BUILDERS = (
    figures_section,
    commitments_section,
    confirmation_section,
    visits_section,
    programmes_section,
    districts_section,
    recipients_section,
    distributions_section,
    items_section,
    information_section,
    plans_section,
)


def report_sections(progress):
    """The annual report's sections for one YearProgress, in order."""
    return tuple(build(progress) for build in SECTION_BUILDERS)
