"""What the progress computation returns: statuses and frozen dataclasses.

Plain values, no queries: pages, charts and the annual report read them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.models import Agreement, AgreementParty, Commitment, YearConfirmation
from cooperation.validation import active_span
from exchanges.models import InformationExchange


class Status(models.TextChoices):
    MET = "met", _("met")
    PARTLY_MET = "partly_met", _("partly met")
    NOT_MET = "not_met", _("not met")
    ABOVE_TARGET = "above_target", _("above target")
    IN_PROGRESS = "in_progress", _("in progress")
    NOT_DUE = "not_due", _("not due yet")
    EVIDENCED = "evidenced", _("qualitative, with evidence")
    NO_EVIDENCE = "no_evidence", _("qualitative, no evidence recorded")
    # A past year that not every party has confirmed: nothing recorded may mean
    # nothing done or nothing entered yet, and the app cannot tell which.
    NO_RECORD_YET = "no_record_yet", _("no record yet")

    @property
    def mark(self):
        """A sign beside the words (never instead of them): ✓ ▲ ◐ ✕ … – ?"""
        return STATUS_MARKS[self]

    @property
    def short_label(self):
        """The status in a word or two, for the scorecard's narrow cells."""
        return STATUS_SHORT_LABELS[self]


STATUS_MARKS = {
    Status.MET: "✓",
    Status.ABOVE_TARGET: "▲",
    Status.PARTLY_MET: "◐",
    Status.NOT_MET: "✕",
    Status.IN_PROGRESS: "…",
    Status.NOT_DUE: "–",
    Status.EVIDENCED: "✓",
    Status.NO_EVIDENCE: "✕",
    Status.NO_RECORD_YET: "?",
}

STATUS_SHORT_LABELS = {
    Status.MET: _("met"),
    Status.ABOVE_TARGET: _("above target"),
    Status.PARTLY_MET: _("partly met"),
    Status.NOT_MET: _("not met"),
    Status.IN_PROGRESS: _("in progress"),
    Status.NOT_DUE: _("not due"),
    Status.EVIDENCED: _("evidence"),
    Status.NO_EVIDENCE: _("no evidence"),
    Status.NO_RECORD_YET: _("no record yet"),
}


class Phase(models.TextChoices):
    PAST = "past", _("past year")
    CURRENT = "current", _("current year")
    FUTURE = "future", _("future year")


@dataclass(frozen=True)
class Money:
    currency: str
    amount: Decimal
    approximate: bool = False


@dataclass(frozen=True)
class ConvertedMoney:
    """A total in the reporting currency, always approximate, with its rates."""

    currency: str
    amount: Decimal
    rates: tuple  # of ExchangeRate
    missing_currencies: tuple  # of str: amounts that had no rate and are left out


@dataclass(frozen=True)
class DistrictTotal:
    """Totals for one district, or for several that the source reports together."""

    districts: tuple  # of Area
    distributions: int
    packages: int
    people_reached: int | None
    values: tuple  # of Money

    @property
    def is_joint(self):
        return len(self.districts) > 1

    @property
    def label(self):
        return " + ".join(area.name for area in self.districts)


@dataclass(frozen=True)
class ItemTotal:
    code: str
    name: str
    unit: str
    quantity: int | None  # None when no line states a quantity
    lines_without_quantity: int
    values: tuple  # of Money, priced lines only


@dataclass(frozen=True)
class CommitmentProgress:
    commitment: Commitment
    year: int
    status: Status
    actual: int | None  # None for a qualitative commitment
    evidence: tuple  # records: visits, exchanges, programmes

    @property
    def target_min(self):
        return self.commitment.yearly_target_min

    @property
    def target_max(self):
        return self.commitment.yearly_target_max

    @property
    def is_countable(self):
        return self.commitment.is_countable


class Verdict(NamedTuple):
    """What a commitment's rule says about one year."""

    status: Status
    actual: int | None  # None for a qualitative commitment
    evidence: tuple  # the records that count


@dataclass(frozen=True)
class SideStanding:
    """Who stands for a side of the agreement on a day, and what changed by then.

    Pages and reports name the side from this (`wording.side_name`) and add its
    note (`wording.side_note`).
    """

    party: object  # the AgreementParty that signed
    organisation: object  # the Organisation standing for the side on the day
    predecessor: object | None  # the Organisation it succeeded, if it did
    since: datetime.date | None  # the day it took over; None: no date recorded
    # The organisation's home area when it has ended by the day and no successor
    # organisation is recorded (Kon Tum province, merged on 1 July 2025, whose
    # branch no source follows): its successor area and its last day.
    ended_area: object | None = None
    area_successor: object | None = None
    area_ended_on: datetime.date | None = None
    # The organisation's last day, when it ended by the day with no successor.
    ended_on: datetime.date | None = None
    organisations: tuple = ()  # every Organisation of the side, in order

    @property
    def has_note(self):
        return self.ended_area is not None or self.ended_on is not None

    def includes(self, organisation):
        return organisation == self.organisation or organisation in self.organisations


@dataclass(frozen=True)
class Side:
    """One side of an agreement: the party that signed, then who continues it.

    `organisations` is the signing organisation, then each successor in order;
    each takes over on the day after its predecessor's last day (else from its
    own first day). Plain values: no queries.
    """

    party: object  # AgreementParty
    organisations: tuple  # of Organisation

    def includes(self, organisation):
        # Model equality: same table and primary key.
        return organisation is not None and organisation in self.organisations

    def index_on(self, day):
        """The index in `organisations` of the one standing for the side on `day`."""
        index = 0
        for position in range(1, len(self.organisations)):
            first, _last = active_span(self.organisations, position)
            if first is None or first <= day:
                index = position
        return index

    def organisation_on(self, day):
        return self.organisations[self.index_on(day)]

    def organisation_in(self, year):
        """Who stands for the side by the end of `year`."""
        return self.organisation_on(datetime.date(year, 12, 31))

    def standing_on(self, day):
        index = self.index_on(day)
        organisation = self.organisations[index]
        predecessor = self.organisations[index - 1] if index else None
        since = active_span(self.organisations, index)[0] if index else None
        standing = {}
        if index == len(self.organisations) - 1:
            # No successor organisation recorded: say what became of its area.
            area = organisation.home_area
            if area is not None and area.valid_until and day > area.valid_until:
                standing = {
                    "ended_area": area,
                    "area_successor": area.successor,
                    "area_ended_on": area.valid_until,
                }
            until = organisation.valid_until
            if until is not None and day > until:
                standing["ended_on"] = until
        return SideStanding(
            party=self.party,
            organisation=organisation,
            predecessor=predecessor,
            since=since,
            organisations=self.organisations,
            **standing,
        )

    def standing_in(self, year):
        return self.standing_on(datetime.date(year, 12, 31))


@dataclass(frozen=True)
class YearRecords:
    """One year's records, as each commitment's rule reads them.

    Plain values: tests build it by hand from unsaved model instances.
    """

    year: int
    today: datetime.date
    parties: tuple  # of Organisation, in signing order
    visits: tuple = ()  # of DelegationVisit starting in the year, whatever the day
    exchanges: tuple = ()  # of InformationExchange covering the year
    programmes: tuple = ()  # of JointProgram of the year, whatever their status
    expected_host: object | None = None  # whose turn it is to host; None: anyone's
    confirmed: bool = False  # every party has confirmed the year's records complete
    # of Side: a successor counts for its predecessor's side. Empty: each party
    # is its own organisation only.
    sides: tuple = ()


@dataclass(frozen=True)
class PartyConfirmation:
    party: AgreementParty
    confirmation: YearConfirmation | None  # the standing one; None: not confirmed


@dataclass(frozen=True)
class ConfirmationState:
    """Which parties have confirmed a year's records complete, and the reopenings
    that stay on record."""

    year: int
    parties: tuple  # of PartyConfirmation, in signing order
    reopened: tuple  # of YearConfirmation reopened, oldest first

    @property
    def is_confirmed(self):
        """Every party has confirmed: verdicts are final, records locked."""
        return bool(self.parties) and all(p.confirmation for p in self.parties)

    @property
    def confirmed(self):
        return tuple(p for p in self.parties if p.confirmation)

    @property
    def unconfirmed(self):
        return tuple(p for p in self.parties if not p.confirmation)


@dataclass(frozen=True)
class RotationTurn:
    year: int
    host: object | None  # Organisation, None when no yearly exchange was held
    # The Organisation standing for the side whose turn it was, by the end of the
    # year; None when any host was fine (the first one).
    expected_host: object | None
    host_side: int | None = None  # index of the host's side in the parties
    expected_side: int | None = None

    @property
    def turn_kept(self):
        if self.host is None:
            return None
        if self.expected_host is None:
            return True
        if self.host_side is not None and self.expected_side is not None:
            return self.host_side == self.expected_side
        return self.host == self.expected_host


@dataclass(frozen=True)
class Rotation:
    turns: tuple  # of RotationTurn, one per year up to the year asked
    next_year: int | None
    # The Organisation standing for the side whose turn it is next, by the end
    # of `next_year`: a successor, where one took over.
    next_host: object | None


@dataclass(frozen=True)
class PlanComparison:
    year: int
    planned_visits: int | None
    planned_programmes: int | None
    actual_visits: int
    actual_programmes: int
    source: InformationExchange | None  # the exchange that carried the plan


@dataclass(frozen=True)
class RecipientBreakdown:
    """A year's listed gift recipients counted by sex and age band: counts only,
    never a person.

    The distributions' stated people reached stay the figure ("gift recipients");
    a recipient list breaks part of it down, and can never be longer than it
    (`Recipient.clean`). `counts` holds every (sex, age band) with at least one
    person, the band "" where the list gives no age.
    """

    counts: tuple = ()  # of ((sex, age band), count)
    distributions: int = 0  # the year's distributions that count
    distributions_listed: int = 0  # of which keep a recipient list
    gift_recipients: int | None = None  # their stated people reached, summed

    @property
    def listed(self):
        return sum(count for _key, count in self.counts)

    def count(self, sex, age_band):
        return dict(self.counts).get((sex, age_band), 0)

    def has(self, *, sex=None, age_band=None):
        """Whether anyone listed has this sex (or this age band)."""
        return any(
            (sex is None or key[0] == sex) and (age_band is None or key[1] == age_band)
            for key, _count in self.counts
        )


@dataclass(frozen=True)
class YearTotals:
    visits: int
    programmes: int
    distributions: int
    packages: int
    people_reached: int | None  # None: no record states it
    values: tuple  # of Money: value distributed, per currency
    costs: tuple  # of Money: programmes' actual cost, per currency
    converted_value: ConvertedMoney | None

    @property
    def has_approximate_value(self):
        return any(money.approximate for money in self.values)


@dataclass(frozen=True)
class Photo:
    caption: str
    credit: str
    file: str
    source_url: str

    @property
    def url(self):
        """Where the file view (reporting/attachments.py) serves it."""
        return default_storage.url(self.file)


@dataclass(frozen=True)
class YearProgress:
    agreement: Agreement
    parties: tuple  # of AgreementParty, in signing order
    sides: tuple  # of SideStanding, by the end of the year, in signing order
    year: int
    phase: Phase
    commitments: tuple  # of CommitmentProgress, in the agreement's order
    totals: YearTotals
    by_district: tuple  # of DistrictTotal
    by_item: tuple  # of ItemTotal
    rotation: Rotation
    plan: PlanComparison
    next_year_plan: tuple  # of InformationExchange carrying the plan for year + 1
    visits: tuple  # of DelegationVisit, each with its `member_list`
    programmes: tuple  # of JointProgram, with districts prefetched
    information_exchanges: tuple  # covering this year
    distributions: tuple  # of DistributionRow
    held_programmes: frozenset  # pks of the programmes that count: held by today
    people_by_programme: dict  # programme pk -> people reached, held ones only
    photos: tuple  # of Photo
    has_examples: bool
    confirmation: ConfirmationState
    recipients: RecipientBreakdown = RecipientBreakdown()
    # distribution pk -> ((sex, age band), count) of its list, for the CSV
    recipients_by_distribution: dict = field(default_factory=dict)

    @property
    def signatures(self):
        """(SideStanding, its party's standing YearConfirmation or None) per side,
        in signing order: who signs for each side, and whether it has confirmed."""
        confirmations = {p.party.pk: p.confirmation for p in self.confirmation.parties}
        return tuple((side, confirmations.get(side.party.pk)) for side in self.sides)

    @property
    def has_joint_districts(self):
        return any(total.is_joint for total in self.by_district)


@dataclass(frozen=True)
class YearSummary:
    """One column of the agreement's scorecard."""

    year: int
    phase: Phase
    commitments: tuple  # of CommitmentProgress
    totals: YearTotals
    has_examples: bool
    confirmation: ConfirmationState


@dataclass(frozen=True)
class AgreementOverview:
    agreement: Agreement
    parties: tuple  # of AgreementParty
    sides: tuple  # of SideStanding, today (within the agreement's period)
    commitments: tuple  # of Commitment
    years: tuple  # of YearSummary
    totals_to_date: YearTotals
    rotation: Rotation
    timeline: tuple  # of DelegationVisit and JointProgram, by date
    latest_visit: object | None  # the last DelegationVisit up to today
    # Any visit, programme or information exchange in the agreement's years. An
    # agreement without one (a predecessor known from one sentence) has nothing
    # to score or chart: its page says so instead.
    has_records: bool

    @property
    def scorecard_rows(self):
        """(commitment, its CommitmentProgress for each year) in commitment order."""
        return tuple(
            (commitment, tuple(year.commitments[index] for year in self.years))
            for index, commitment in enumerate(self.commitments)
        )


@dataclass(frozen=True)
class DistributionRow:
    """One gift distribution, as the year page and the exports list it."""

    pk: int
    program_id: int
    year: int
    start_date: object
    end_date: object
    recipient_group: str
    packages: int
    people_reached: int | None
    currency: str
    total_value: Decimal | None
    value_is_approximate: bool
    is_example: bool
    districts: tuple  # of Area


@dataclass
class ProgrammeSums:
    distributions: int = 0
    packages: int = 0
    people_reached: int = 0
    people_known: bool = False  # some distribution states its people reached
    values: dict = field(default_factory=lambda: defaultdict(Decimal))
    approximate: set = field(default_factory=set)  # currencies with "about" values


@dataclass(frozen=True)
class ProgressData:
    """Rows read for a computation. Per-year rows cover only `years`."""

    agreement: Agreement
    years: tuple
    parties: tuple  # of AgreementParty, in signing order
    sides: tuple  # of Side, one per party, in signing order
    commitments: tuple
    visits: tuple  # every visit of the agreement: the rotation needs all years
    exchanges: tuple  # every information exchange: plans come from the year before
    programmes: tuple
    programme_sums: dict  # programme pk -> ProgrammeSums
    distributions: tuple  # of DistributionRow; empty unless loaded with detail
    item_sums: tuple  # dicts per (year, item kind, currency); detail only
    photos: tuple  # detail only
    rates: dict  # (year, currency) -> ExchangeRate
    reporting_currency: str
    confirmations: tuple = ()  # of YearConfirmation, standing and reopened
    # of (distribution pk, sex, age band, count): recipient lists; detail only
    recipient_counts: tuple = ()
