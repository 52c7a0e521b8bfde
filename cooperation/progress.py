"""The progress computation: how an agreement's commitments stand, year by year.

Every page and every export calls `agreement_progress` (one year) or
`agreement_overview` (all years); none counts on its own. Both read the database in
a fixed number of queries (`progress_data_load`), then compute in plain Python
(`year_progress_compute`), so the rules can be unit-tested on hand-made data too.

Rules, from the memorandum:
- A countable commitment compares the year's count with its yearly target: below the
  minimum is "not met" (or "partly met" when some but not enough happened), inside
  the range is "met", above the maximum is "above target" (allowed, but flagged).
- The yearly exchange also follows the host rotation: an exchange hosted out of turn
  is "partly met", and the overview says whose turn it is next.
- A qualitative commitment is "evidenced" when records support it that year.
- A future year is "not due yet"; the current year is "in progress" until met.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from exchanges.models import (
    DelegationVisit,
    InformationExchange,
    VisitAttachment,
    VisitMember,
)
from programs.models import (
    DistributionAttachment,
    DistributionItem,
    GiftDistribution,
    JointProgram,
    ProgramAttachment,
)

from .models import (
    Agreement,
    AgreementParty,
    Area,
    Commitment,
    ExchangeRate,
    Organisation,
    localized_from,
)

VISITS_ON_REQUEST_KINDS = (
    DelegationVisit.Kind.ON_REQUEST,
    DelegationVisit.Kind.JOINT_TASK,
)


class Status(models.TextChoices):
    MET = "met", _("met")
    PARTLY_MET = "partly_met", _("partly met")
    NOT_MET = "not_met", _("not met")
    ABOVE_TARGET = "above_target", _("above target")
    IN_PROGRESS = "in_progress", _("in progress")
    NOT_DUE = "not_due", _("not due yet")
    EVIDENCED = "evidenced", _("qualitative, with evidence")
    NO_EVIDENCE = "no_evidence", _("qualitative, no evidence recorded")


class Phase(models.TextChoices):
    PAST = "past", _("past year")
    CURRENT = "current", _("current year")
    FUTURE = "future", _("future year")


def year_phase(year, today):
    if year < today.year:
        return Phase.PAST
    if year == today.year:
        return Phase.CURRENT
    return Phase.FUTURE


def count_status(actual, minimum, maximum, phase, *, turn_kept=True):
    """Status of a countable commitment in one year."""
    if phase == Phase.FUTURE:
        return Status.NOT_DUE
    if actual >= minimum:
        if maximum is not None and actual > maximum:
            return Status.ABOVE_TARGET
        return Status.MET if turn_kept else Status.PARTLY_MET
    if phase == Phase.CURRENT:
        return Status.IN_PROGRESS
    return Status.PARTLY_MET if actual > 0 else Status.NOT_MET


def evidence_status(evidence_count, phase):
    """Status of a qualitative commitment in one year."""
    if phase == Phase.FUTURE:
        return Status.NOT_DUE
    if evidence_count:
        return Status.EVIDENCED
    return Status.IN_PROGRESS if phase == Phase.CURRENT else Status.NO_EVIDENCE


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


@dataclass(frozen=True)
class RotationTurn:
    year: int
    host: object | None  # Organisation, None when no yearly exchange was held
    expected_host: object | None  # None when any host was fine (the first one)

    @property
    def turn_kept(self):
        if self.host is None:
            return None
        return self.expected_host is None or self.host == self.expected_host


@dataclass(frozen=True)
class Rotation:
    turns: tuple  # of RotationTurn, one per year up to the year asked
    next_year: int | None
    next_host: object | None  # Organisation whose turn it is to host next


@dataclass(frozen=True)
class PlanComparison:
    year: int
    planned_visits: int | None
    planned_programmes: int | None
    actual_visits: int
    actual_programmes: int
    source: InformationExchange | None  # the exchange that carried the plan


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


@dataclass(frozen=True)
class YearProgress:
    agreement: Agreement
    parties: tuple  # of AgreementParty, in signing order
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
    photos: tuple  # of Photo
    has_examples: bool

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


@dataclass(frozen=True)
class AgreementOverview:
    agreement: Agreement
    parties: tuple  # of AgreementParty
    commitments: tuple  # of Commitment
    years: tuple  # of YearSummary
    totals_to_date: YearTotals
    rotation: Rotation
    timeline: tuple  # of DelegationVisit and JointProgram, by date

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


def _published(queryset, published_only):
    return queryset.filter(is_published=True) if published_only else queryset


def progress_data_load(
    *, agreement, years, published_only, detail, reporting_currency="USD"
):
    """Read what the computation needs, in a number of queries fixed by `detail`.

    Always: 1 parties, 2 commitments, 3 visits (with `detail`, joined to their
    members), 4 information exchanges, 5 programmes, 6 programme districts,
    7 distributions (rows with `detail`, sums per programme without), 8 exchange
    rates. With `detail` also: 9 item sums, 10 photos. Nothing here grows with the
    number of rows.
    """
    first, last = agreement.start_date.year, agreement.end_date.year
    years = tuple(year for year in years if first <= year <= last)
    parties = tuple(
        AgreementParty.objects.filter(agreement=agreement)
        .select_related("organisation")
        .order_by("order", "pk")
    )
    commitments = tuple(agreement.commitments.order_by("ordinal"))

    visits = _published(
        DelegationVisit.objects.filter(
            agreement=agreement,
            start_date__gte=agreement.start_date,
            start_date__lte=agreement.end_date,
        ),
        published_only,
    ).select_related("sending_party", "host_party", "area")
    exchanges = _published(
        InformationExchange.objects.filter(
            agreement=agreement, year_covered__gte=first - 1, year_covered__lte=last
        ),
        published_only,
    ).select_related("from_party", "to_party")
    programmes = _published(
        JointProgram.objects.filter(agreement=agreement, year__in=years),
        published_only,
    ).select_related("lead_organisation", "visit")

    # A cancelled programme counts for nothing, its distributions included, so the
    # totals, the district and item tables and the rows always add up.
    distributions = GiftDistribution.objects.filter(
        program__agreement=agreement, program__year__in=years
    ).exclude(program__status=JointProgram.Status.CANCELLED)
    if published_only:
        distributions = distributions.published()
    if detail:
        distribution_rows = _distribution_rows_load(distributions)
        programme_sums = _programme_sums_from_rows(distribution_rows)
    else:
        distribution_rows = ()
        programme_sums = _programme_sums_load(distributions)

    rates = {
        (rate.year, rate.currency): rate
        for rate in ExchangeRate.objects.filter(
            year__in=years, reporting_currency=reporting_currency
        )
    }
    return ProgressData(
        agreement=agreement,
        years=years,
        parties=parties,
        commitments=commitments,
        visits=_visits_with_members(visits)
        if detail
        else tuple(visits.order_by("start_date", "pk")),
        exchanges=tuple(exchanges.order_by("exchanged_on", "pk")),
        programmes=tuple(
            programmes.prefetch_related("districts").order_by(
                "year", "start_date", "pk"
            )
        ),
        programme_sums=programme_sums,
        distributions=distribution_rows,
        item_sums=_item_sums_load(distributions) if detail else (),
        photos=_photos_load(agreement, years, published_only) if detail else (),
        rates=rates,
        reporting_currency=reporting_currency,
    )


MEMBER_COLUMNS = {
    "member_pk": F("members__pk"),
    "member_full_name": F("members__full_name"),
    "member_title": F("members__title"),
    "member_leads": F("members__leads_delegation"),
    "member_organisation_pk": F("members__organisation__pk"),
    "member_organisation_vi": F("members__organisation__name_vi"),
    "member_organisation_lo": F("members__organisation__name_lo"),
    "member_organisation_en": F("members__organisation__name_en"),
}


def _visits_with_members(visits):
    """One query: each visit joined to its members, folded into `visit.member_list`.

    A prefetch would cost a second query; the year page has a budget of twelve.
    """
    ordered = visits.annotate(**MEMBER_COLUMNS).order_by(
        "start_date",
        "pk",
        "-members__leads_delegation",
        "members__order",
        "members__pk",
    )
    folded = {}
    for row in ordered:
        visit = folded.setdefault(row.pk, row)
        if visit is row:
            visit.member_list = []
        if row.member_pk is None:
            continue
        organisation = None
        if row.member_organisation_pk is not None:
            organisation = Organisation(
                pk=row.member_organisation_pk,
                name_vi=row.member_organisation_vi,
                name_lo=row.member_organisation_lo,
                name_en=row.member_organisation_en,
            )
        visit.member_list.append(
            VisitMember(
                pk=row.member_pk,
                full_name=row.member_full_name,
                title=row.member_title,
                leads_delegation=row.member_leads,
                organisation=organisation,
            )
        )
    return tuple(folded.values())


def _distribution_rows_load(distributions):
    """One query: a row per (distribution, district), folded into DistributionRow.

    The year page of a busy year reads about a thousand of these, so plain tuples
    are read and each district becomes one shared Area object.
    """
    columns = (
        "pk",
        "program_id",
        "program__year",
        "start_date",
        "end_date",
        "recipient_group",
        "packages",
        "people_reached",
        "currency",
        "total_value",
        "value_is_approximate",
        "is_example",
        "districts__pk",
        "districts__name_vi",
        "districts__name_lo",
        "districts__name_en",
        "districts__pcode",
        # The province and country, for the exports' admin-level columns.
        "districts__parent__pk",
        "districts__parent__name_vi",
        "districts__parent__name_lo",
        "districts__parent__name_en",
        "districts__parent__pcode",
        "districts__parent__iso_code",
        "districts__parent__parent__iso_code",
    )
    rows, areas, area_objects = {}, defaultdict(list), {}
    ordered = distributions.order_by("start_date", "pk", "districts__name_en")
    for values in ordered.values_list(*columns):
        pk, area_pk = values[0], values[12]
        rows.setdefault(pk, values)
        if area_pk is not None:
            area = area_objects.get(area_pk)
            if area is None:
                province = None
                if values[17] is not None:
                    province = Area(
                        pk=values[17],
                        level=Area.Level.PROVINCE,
                        name_vi=values[18],
                        name_lo=values[19],
                        name_en=values[20],
                        pcode=values[21],
                        iso_code=values[22],
                        parent=Area(level=Area.Level.COUNTRY, iso_code=values[23]),
                    )
                area = area_objects[area_pk] = Area(
                    pk=area_pk,
                    level=Area.Level.DISTRICT,
                    name_vi=values[13],
                    name_lo=values[14],
                    name_en=values[15],
                    pcode=values[16],
                    parent=province,
                )
            areas[pk].append(area)
    return tuple(
        DistributionRow(*values[:12], districts=tuple(areas[pk]))
        for pk, values in rows.items()
    )


def _programme_sums_from_rows(rows):
    sums = defaultdict(ProgrammeSums)
    for row in rows:
        programme = sums[row.program_id]
        programme.distributions += 1
        programme.packages += row.packages
        if row.people_reached is not None:
            programme.people_reached += row.people_reached
            programme.people_known = True
        if row.total_value is not None:
            programme.values[row.currency] += row.total_value
            if row.value_is_approximate:
                programme.approximate.add(row.currency)
    return dict(sums)


def _programme_sums_load(distributions):
    """One query: distribution sums per programme and currency."""
    sums = defaultdict(ProgrammeSums)
    grouped = (
        distributions.values("program_id", "currency")
        .annotate(
            count=Count("pk"),
            packages=Sum("packages"),
            people=Sum("people_reached"),
            value=Sum("total_value"),
            approximate=Count("pk", filter=Q(value_is_approximate=True)),
        )
        .order_by()
    )
    for values in grouped:
        programme = sums[values["program_id"]]
        programme.distributions += values["count"]
        programme.packages += values["packages"] or 0
        if values["people"] is not None:
            programme.people_reached += values["people"]
            programme.people_known = True
        if values["value"] is not None:
            programme.values[values["currency"]] += values["value"]
            if values["approximate"]:
                programme.approximate.add(values["currency"])
    return dict(sums)


def _item_sums_load(distributions):
    """One query: item quantities and priced values per year, item kind, currency."""
    return tuple(
        DistributionItem.objects.filter(distribution__in=distributions)
        .values(
            "distribution__program__year",
            "distribution__currency",
            "item_kind__code",
            "item_kind__name_vi",
            "item_kind__name_lo",
            "item_kind__name_en",
            "item_kind__unit",
        )
        .annotate(
            total_quantity=Sum("quantity"),
            lines_without_quantity=Count("pk", filter=Q(quantity__isnull=True)),
            total_value=Sum(
                F("quantity") * F("unit_value"),
                output_field=models.DecimalField(max_digits=28, decimal_places=2),
            ),
        )
        .order_by("item_kind__code", "distribution__currency")
    )


def _photos_load(agreement, years, published_only):
    """One query: photos of the years' visits, programmes and distributions."""
    columns = ["caption", "credit", "file", "source_url", "order"]
    visit_photos = VisitAttachment.objects.filter(
        kind="photo", visit__agreement=agreement, visit__start_date__year__in=years
    )
    programme_photos = ProgramAttachment.objects.filter(
        kind="photo", program__agreement=agreement, program__year__in=years
    )
    distribution_photos = DistributionAttachment.objects.filter(
        kind="photo",
        distribution__program__agreement=agreement,
        distribution__program__year__in=years,
    )
    if published_only:
        visit_photos = visit_photos.filter(is_published=True, visit__is_published=True)
        programme_photos = programme_photos.filter(
            is_published=True, program__is_published=True
        )
        distribution_photos = distribution_photos.filter(
            is_published=True,
            distribution__is_published=True,
            distribution__program__is_published=True,
        )
    union = (
        # Each part drops its default ordering: compound statements forbid it.
        visit_photos.order_by()
        .values_list(*columns)
        .union(
            programme_photos.order_by().values_list(*columns),
            distribution_photos.order_by().values_list(*columns),
            all=True,
        )
        .order_by("order")
    )
    return tuple(
        Photo(caption=caption, credit=credit, file=file, source_url=url)
        for caption, credit, file, url, _order in union
    )


# The computation proper: plain Python over ProgressData, no queries.


def _in_year(visit, year):
    return visit.start_date.year == year


def _counts_as_held(programme):
    return programme.status != JointProgram.Status.CANCELLED


def commitment_evidence(commitment, year, data):
    """The records that count for `commitment` in `year`, and the counted number."""
    kind = commitment.kind
    visits = [visit for visit in data.visits if _in_year(visit, year)]
    exchanges = [e for e in data.exchanges if e.year_covered == year]
    programmes = [p for p in data.programmes if p.year == year and _counts_as_held(p)]
    if kind == Commitment.Kind.YEARLY_EXCHANGE:
        evidence = [v for v in visits if v.kind == DelegationVisit.Kind.YEARLY_EXCHANGE]
    elif kind == Commitment.Kind.VISITS_ON_REQUEST:
        evidence = [v for v in visits if v.kind in VISITS_ON_REQUEST_KINDS]
    elif kind == Commitment.Kind.INFORMATION_SHARING:
        evidence = [e for e in exchanges if e.covers_socio_economic]
    elif kind == Commitment.Kind.JOINT_PROGRAMMES:
        evidence = programmes
    elif kind == Commitment.Kind.DISEASE_PREVENTION:
        evidence = [
            e for e in exchanges if e.covers_disease_situation or e.is_outbreak_alert
        ] + [p for p in programmes if p.includes_disease_prevention]
    elif kind == Commitment.Kind.RESULTS_EXCHANGE:
        evidence = [
            e
            for e in exchanges
            if e.covers_results
            or e.covers_models_and_experience
            or e.covers_next_year_plan
        ]
    else:
        evidence = []
    if kind == Commitment.Kind.RESULTS_EXCHANGE:
        # Both branches reporting at one meeting is one exchange, not two.
        counted = len({e.exchanged_on for e in evidence})
    else:
        counted = len(evidence)
    return tuple(evidence), counted


def commitment_progress(commitment, year, data, *, today, rotation):
    phase = year_phase(year, today)
    evidence, counted = commitment_evidence(commitment, year, data)
    if not commitment.is_countable:
        return CommitmentProgress(
            commitment=commitment,
            year=year,
            status=evidence_status(len(evidence), phase),
            actual=None,
            evidence=evidence,
        )
    turn_kept = True
    if commitment.host_rotation:
        turn = next((t for t in rotation.turns if t.year == year), None)
        turn_kept = turn is None or turn.turn_kept is not False
    return CommitmentProgress(
        commitment=commitment,
        year=year,
        status=count_status(
            counted,
            commitment.yearly_target_min,
            commitment.yearly_target_max,
            phase,
            turn_kept=turn_kept,
        ),
        actual=counted,
        evidence=evidence,
    )


def commitments_in_year(data, year, *, today, rotation):
    """Every commitment's progress in `year`, in the agreement's order."""
    return tuple(
        commitment_progress(commitment, year, data, today=today, rotation=rotation)
        for commitment in data.commitments
    )


def rotation_compute(data, *, today):
    """Who hosted the yearly exchange each year, and whose turn it is next.

    Turns follow the parties' signing order, cyclically. The first exchange may be
    hosted by anyone; after that the next party in order is expected. A year without
    an exchange keeps the turn where it was; a year hosted out of turn moves it on
    from the party that actually hosted.
    """
    organisations = [party.organisation for party in data.parties]
    first, last = data.agreement.start_date.year, data.agreement.end_date.year
    hosts = {}
    for visit in data.visits:
        if visit.kind == DelegationVisit.Kind.YEARLY_EXCHANGE:
            hosts.setdefault(visit.start_date.year, visit.host_party)

    def after(host):
        if host not in organisations:
            return None
        return organisations[(organisations.index(host) + 1) % len(organisations)]

    turns, expected = [], None
    next_year = next_host = None
    for year in range(first, last + 1):
        host = hosts.get(year)
        turns.append(RotationTurn(year=year, host=host, expected_host=expected))
        if next_year is None and year >= today.year and host is None:
            next_year, next_host = year, expected
        if host is not None:
            expected = after(host)
    return Rotation(turns=tuple(turns), next_year=next_year, next_host=next_host)


def _money(amounts, approximate):
    return tuple(
        Money(currency=currency, amount=amount, approximate=currency in approximate)
        for currency, amount in sorted(amounts.items())
    )


def totals_compute(data, years):
    """Totals over `years` (a set): counts, packages, people, value per currency."""
    programmes = [p for p in data.programmes if p.year in years and _counts_as_held(p)]
    values_by_year = defaultdict(lambda: defaultdict(Decimal))
    values, costs, approximate = defaultdict(Decimal), defaultdict(Decimal), set()
    distributions = packages = 0
    people = None  # stays None when no record states how many people were reached
    for programme in programmes:
        sums = data.programme_sums.get(programme.pk, ProgrammeSums())
        distributions += sums.distributions
        packages += sums.packages
        # A programme's own figure already includes its distributions.
        if programme.people_reached is not None:
            people = (people or 0) + programme.people_reached
        elif sums.people_known:
            people = (people or 0) + sums.people_reached
        for currency, amount in sums.values.items():
            values[currency] += amount
            values_by_year[programme.year][currency] += amount
        approximate |= sums.approximate
        if programme.actual_cost is not None:
            costs[programme.currency] += programme.actual_cost
    return YearTotals(
        visits=sum(1 for v in data.visits if v.start_date.year in years),
        programmes=len(programmes),
        distributions=distributions,
        packages=packages,
        people_reached=people,
        values=_money(values, approximate),
        costs=_money(costs, set()),
        converted_value=_convert(values_by_year, data),
    )


def _convert(values_by_year, data):
    """Value in the reporting currency with each year's own rate, or None."""
    if not values_by_year:
        return None
    target = data.reporting_currency
    total, rates, missing = Decimal(0), [], set()
    for year, amounts in sorted(values_by_year.items()):
        for currency, amount in amounts.items():
            if currency == target:
                total += amount
            elif (rate := data.rates.get((year, currency))) is not None:
                total += rate.convert(amount)
                rates.append(rate)
            else:
                missing.add(currency)
    if not rates:
        return None
    return ConvertedMoney(
        currency=target,
        amount=total.quantize(Decimal("0.01")),
        rates=tuple(rates),
        missing_currencies=tuple(sorted(missing)),
    )


def districts_compute(distributions):
    """Totals per district; districts the source reports together stay together."""
    groups = {}
    for row in distributions:
        key = tuple(sorted(area.pk for area in row.districts))
        group = groups.setdefault(
            key,
            {
                "districts": row.districts,
                "distributions": 0,
                "packages": 0,
                "people": None,
                "values": defaultdict(Decimal),
                "approximate": set(),
            },
        )
        group["distributions"] += 1
        group["packages"] += row.packages
        if row.people_reached is not None:
            group["people"] = (group["people"] or 0) + row.people_reached
        if row.total_value is not None:
            group["values"][row.currency] += row.total_value
            if row.value_is_approximate:
                group["approximate"].add(row.currency)
    totals = [
        DistrictTotal(
            districts=group["districts"],
            distributions=group["distributions"],
            packages=group["packages"],
            people_reached=group["people"],
            values=_money(group["values"], group["approximate"]),
        )
        for group in groups.values()
    ]
    return tuple(
        sorted(totals, key=lambda t: (len(t.districts), [a.name for a in t.districts]))
    )


def items_compute(item_sums, years):
    totals = {}
    for values in item_sums:
        if values["distribution__program__year"] not in years:
            continue
        code = values["item_kind__code"]
        item = totals.setdefault(
            code,
            {
                "names": values,
                "quantity": None,
                "without": 0,
                "values": defaultdict(Decimal),
            },
        )
        if values["total_quantity"] is not None:
            item["quantity"] = (item["quantity"] or 0) + values["total_quantity"]
        item["without"] += values["lines_without_quantity"]
        if values["total_value"] is not None:
            item["values"][values["distribution__currency"]] += values["total_value"]
    result = []
    for code, item in totals.items():
        names = {
            "name_vi": item["names"]["item_kind__name_vi"],
            "name_lo": item["names"]["item_kind__name_lo"],
            "name_en": item["names"]["item_kind__name_en"],
        }
        result.append(
            ItemTotal(
                code=code,
                name=localized_from(names, "name") or code,
                unit=item["names"]["item_kind__unit"],
                quantity=item["quantity"],
                lines_without_quantity=item["without"],
                values=_money(item["values"], set()),
            )
        )
    return tuple(sorted(result, key=lambda item: item.name))


def plan_compute(data, year):
    """The plan for `year` (from the exchange covering the year before) vs actual."""
    plans = [
        e
        for e in data.exchanges
        if e.year_covered == year - 1
        and (e.planned_visits is not None or e.planned_programmes is not None)
    ]
    source = plans[-1] if plans else None
    return PlanComparison(
        year=year,
        planned_visits=source.planned_visits if source else None,
        planned_programmes=source.planned_programmes if source else None,
        actual_visits=sum(1 for v in data.visits if v.start_date.year == year),
        actual_programmes=sum(
            1 for p in data.programmes if p.year == year and _counts_as_held(p)
        ),
        source=source,
    )


def year_progress_compute(data, year, *, today):
    """Everything the year page and the annual report show for `year`."""
    rotation = rotation_compute(data, today=today)
    visits = tuple(v for v in data.visits if _in_year(v, year))
    programmes = tuple(p for p in data.programmes if p.year == year)
    exchanges = tuple(e for e in data.exchanges if e.year_covered == year)
    distributions = tuple(row for row in data.distributions if row.year == year)
    return YearProgress(
        agreement=data.agreement,
        parties=data.parties,
        year=year,
        phase=year_phase(year, today),
        commitments=commitments_in_year(data, year, today=today, rotation=rotation),
        totals=totals_compute(data, {year}),
        by_district=districts_compute(distributions),
        by_item=items_compute(data.item_sums, {year}),
        rotation=rotation,
        plan=plan_compute(data, year),
        next_year_plan=tuple(
            e
            for e in exchanges
            if e.covers_next_year_plan
            or e.planned_visits is not None
            or e.planned_programmes is not None
        ),
        visits=visits,
        programmes=programmes,
        information_exchanges=exchanges,
        distributions=distributions,
        photos=data.photos,
        has_examples=any(
            record.is_example
            for record in (*visits, *programmes, *exchanges, *distributions)
        ),
    )


def agreement_progress(*, agreement, year, today, published_only=True):
    """The progress of `agreement` in `year`: the one computation pages and exports use.

    Reads the database in 10 queries whatever the volume.
    """
    data = progress_data_load(
        agreement=agreement, years=[year], published_only=published_only, detail=True
    )
    return year_progress_compute(data, year, today=today)


def agreement_overview(*, agreement, today, published_only=True):
    """Every year of `agreement` at a glance: scorecard, totals to date, rotation.

    Reads the database in 8 queries whatever the volume.
    """
    data = progress_data_load(
        agreement=agreement,
        years=list(agreement.years),
        published_only=published_only,
        detail=False,
    )
    rotation = rotation_compute(data, today=today)
    years = []
    for year in data.years:
        year_records = [
            *(v for v in data.visits if _in_year(v, year)),
            *(p for p in data.programmes if p.year == year),
            *(e for e in data.exchanges if e.year_covered == year),
        ]
        years.append(
            YearSummary(
                year=year,
                phase=year_phase(year, today),
                commitments=commitments_in_year(
                    data, year, today=today, rotation=rotation
                ),
                totals=totals_compute(data, {year}),
                has_examples=any(record.is_example for record in year_records),
            )
        )
    timeline = sorted(
        [*data.visits, *data.programmes],
        key=lambda record: (
            record.start_date or datetime.date(record.year, 12, 31),
            record._meta.model_name,
        ),
    )
    return AgreementOverview(
        agreement=agreement,
        parties=data.parties,
        commitments=data.commitments,
        years=tuple(years),
        totals_to_date=totals_compute(
            data, {year for year in data.years if year <= today.year}
        ),
        rotation=rotation,
        timeline=tuple(timeline),
    )
