"""The rules of the progress computation, in plain Python over `ProgressData`.

Nothing here queries the database, so each rule can be tested on hand-made data.

One rule per kind of commitment (`RULES`), each a function of the commitment and
one year's records (`YearRecords`) returning a `Verdict`: status, actual count,
evidence. The README's "Rules" section holds the same table.

    kind                 rule
    -------------------  ---------------------------------------------------------
    yearly exchange      Met by one yearly exchange hosted by the party whose turn
                         it is; hosted out of turn it is partly met, whatever the
                         count.
    visits on request    Visits on request and joint tasks are its evidence (its
                         count, where the commitment sets a yearly target).
    information sharing  Information exchanges carrying socio-economic and cultural
                         information are its evidence.
    joint programmes     Counts the programmes held, in progress or completed and
                         started: planned and cancelled ones count nowhere, nor do
                         their distributions.
    disease prevention   Exchanges on the disease situation, outbreak alerts and
                         programmes held with disease prevention are its evidence.
    results exchange     Met, once a year, when every party has sent its results
                         and its plan for the next year; some parties only: partly
                         met.
    other                No record counts for it on its own.

For every kind:
- Nothing dated after today counts as done: a visit counts from its first day, an
  information exchange from its date, a programme once it has started.
- A countable commitment compares the count with its yearly target: below the
  minimum is "not met" (or "partly met" when some but not enough happened), inside
  the range is "met", above the maximum is "above target" (allowed, but flagged).
- A qualitative commitment needs evidence: "evidence" when records support it that
  year, else "no record".
- A future year is "not due yet"; the current year is "in progress" until met.
- A past year that not every party has confirmed complete (`YearConfirmation`)
  reads "no record yet" where nothing was recorded, never "not met" or "no
  evidence": the app cannot tell an activity not held from one not entered yet.
  Once every party has confirmed, those verdicts are final.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from cooperation.models import Commitment, localized_from
from exchanges.models import DelegationVisit

from .types import (
    AgreementOverview,
    CommitmentProgress,
    ConfirmationState,
    ConvertedMoney,
    DistrictTotal,
    ItemTotal,
    Money,
    PartyConfirmation,
    Phase,
    PlanComparison,
    ProgrammeSums,
    RecipientBreakdown,
    Rotation,
    RotationTurn,
    Status,
    Verdict,
    YearProgress,
    YearRecords,
    YearSummary,
    YearTotals,
)

VISITS_ON_REQUEST_KINDS = (
    DelegationVisit.Kind.ON_REQUEST,
    DelegationVisit.Kind.JOINT_TASK,
)


def year_phase(year, today):
    if year < today.year:
        return Phase.PAST
    if year == today.year:
        return Phase.CURRENT
    return Phase.FUTURE


def count_status(actual, minimum, maximum, phase):
    """Status of a countable commitment in one year."""
    if phase == Phase.FUTURE:
        return Status.NOT_DUE
    if actual >= minimum:
        if maximum is not None and actual > maximum:
            return Status.ABOVE_TARGET
        return Status.MET
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


# One rule per kind of commitment: plain Python over one year's records.


def _in_year(visit, year):
    return visit.start_date.year == year


def visit_is_done(visit, today):
    """A visit counts from its first day: one entered ahead is not done yet."""
    return visit.start_date <= today


def exchange_is_done(exchange, today):
    return exchange.exchanged_on <= today


def year_host(exchanges):
    """The host of a year's yearly exchange: that of the first one held."""
    return min(
        exchanges, key=lambda visit: (visit.start_date, visit.pk or 0)
    ).host_party


def _visits_done(records):
    return [v for v in records.visits if visit_is_done(v, records.today)]


def _exchanges_done(records):
    return [e for e in records.exchanges if exchange_is_done(e, records.today)]


def _verdict(commitment, records, evidence, *, counted=None):
    """The verdict on `evidence`: counted against the yearly target when there is
    one (`counted` defaults to the number of records), else qualitative."""
    phase = year_phase(records.year, records.today)
    evidence = tuple(evidence)
    if not commitment.is_countable:
        return Verdict(evidence_status(len(evidence), phase), None, evidence)
    counted = len(evidence) if counted is None else counted
    status = count_status(
        counted, commitment.yearly_target_min, commitment.yearly_target_max, phase
    )
    return Verdict(status, counted, evidence)


def yearly_exchange_rule(commitment, records):
    """Met by one yearly exchange hosted by the party whose turn it is; out of
    turn, partly met whatever the count."""
    exchanges = [
        visit
        for visit in _visits_done(records)
        if visit.kind == DelegationVisit.Kind.YEARLY_EXCHANGE
    ]
    if commitment.is_countable and commitment.host_rotation and exchanges:
        expected = records.expected_host
        if expected is not None and not same_side(
            records.sides, year_host(exchanges), expected
        ):
            # Out of turn, whatever the count: "above target" would hide it.
            return Verdict(Status.PARTLY_MET, len(exchanges), tuple(exchanges))
    return _verdict(commitment, records, exchanges)


def visits_on_request_rule(commitment, records):
    """Visits on request and joint tasks are the evidence (or the count)."""
    visits = [v for v in _visits_done(records) if v.kind in VISITS_ON_REQUEST_KINDS]
    return _verdict(commitment, records, visits)


def information_sharing_rule(commitment, records):
    """Exchanges with socio-economic and cultural information are the evidence."""
    exchanges = [e for e in _exchanges_done(records) if e.covers_socio_economic]
    return _verdict(commitment, records, exchanges)


def joint_programmes_rule(commitment, records):
    """Counts the programmes held by today; planned and cancelled ones count
    nowhere."""
    programmes = [p for p in records.programmes if p.is_held_by(records.today)]
    return _verdict(commitment, records, programmes)


def disease_prevention_rule(commitment, records):
    """Disease situation reports, outbreak alerts and programmes held with disease
    prevention are the evidence."""
    evidence = [
        e
        for e in _exchanges_done(records)
        if e.covers_disease_situation or e.is_outbreak_alert
    ] + [
        p
        for p in records.programmes
        if p.is_held_by(records.today) and p.includes_disease_prevention
    ]
    return _verdict(commitment, records, evidence)


def same_side(sides, first, second):
    """True when two organisations are one, or stand for one side (a successor
    and its predecessor)."""
    if first == second:
        return True
    return any(side.includes(first) and side.includes(second) for side in sides)


def _has_sent(party, exchanges, topic, sides):
    return any(
        same_side(sides, e.from_party, party) and getattr(e, topic) for e in exchanges
    )


def results_exchange_rule(commitment, records):
    """Met, once a year, when every party has sent its results and its plan for
    the next year; some parties only: partly met."""
    exchanges = [
        e
        for e in _exchanges_done(records)
        if e.covers_results or e.covers_models_and_experience or e.covers_next_year_plan
    ]
    # The year's exchange is one, however many dates it took: both branches
    # reporting on two dates once read "above target".
    held = 1 if exchanges else 0
    verdict = _verdict(commitment, records, exchanges, counted=held)
    both_ways = bool(records.parties) and all(
        _has_sent(party, exchanges, "covers_results", records.sides)
        and _has_sent(party, exchanges, "covers_next_year_plan", records.sides)
        for party in records.parties
    )
    if verdict.status == Status.MET and not both_ways:
        # An exchange needs every side: one side alone is partly met, or still in
        # progress while the year lasts.
        phase = year_phase(records.year, records.today)
        status = Status.IN_PROGRESS if phase == Phase.CURRENT else Status.PARTLY_MET
        return verdict._replace(status=status)
    return verdict


def other_rule(commitment, records):
    """No record counts for a commitment of another kind on its own."""
    return _verdict(commitment, records, ())


RULES = {
    Commitment.Kind.YEARLY_EXCHANGE: yearly_exchange_rule,
    Commitment.Kind.VISITS_ON_REQUEST: visits_on_request_rule,
    Commitment.Kind.INFORMATION_SHARING: information_sharing_rule,
    Commitment.Kind.JOINT_PROGRAMMES: joint_programmes_rule,
    Commitment.Kind.DISEASE_PREVENTION: disease_prevention_rule,
    Commitment.Kind.RESULTS_EXCHANGE: results_exchange_rule,
    Commitment.Kind.OTHER: other_rule,
}


# What a past year's verdict says of nothing recorded, until every party confirms.
NOTHING_RECORDED = (Status.NOT_MET, Status.NO_EVIDENCE)


def commitment_progress(commitment, records):
    """`commitment` in the year of `records`, judged by the rule of its kind.

    In a past year not yet confirmed by every party, "nothing recorded" is not a
    verdict: it reads "no record yet".
    """
    rule = RULES.get(commitment.kind, other_rule)
    status, actual, evidence = rule(commitment, records)
    if status in NOTHING_RECORDED and not records.confirmed:
        status = Status.NO_RECORD_YET
    return CommitmentProgress(
        commitment=commitment,
        year=records.year,
        status=status,
        actual=actual,
        evidence=evidence,
    )


# The computation proper: plain Python over ProgressData, no queries.


def confirmation_compute(data, year):
    """Which parties have confirmed `year`, from the confirmations read."""
    of_year = [c for c in data.confirmations if c.year == year]
    standing = {c.party_id: c for c in of_year if c.is_standing}
    return ConfirmationState(
        year=year,
        parties=tuple(
            PartyConfirmation(party=party, confirmation=standing.get(party.pk))
            for party in data.parties
        ),
        reopened=tuple(
            sorted(
                (c for c in of_year if not c.is_standing),
                key=lambda c: (c.reopened_at, c.pk),
            )
        ),
    )


def year_records(data, year, *, today, rotation, confirmation):
    """What the rules read for `year`: its records, whose turn it is to host and
    whether every party has confirmed it (`confirmation`, a ConfirmationState)."""
    turn = next((t for t in rotation.turns if t.year == year), None)
    return YearRecords(
        year=year,
        today=today,
        parties=tuple(party.organisation for party in data.parties),
        visits=tuple(v for v in data.visits if _in_year(v, year)),
        exchanges=tuple(e for e in data.exchanges if e.year_covered == year),
        programmes=tuple(p for p in data.programmes if p.year == year),
        expected_host=turn.expected_host if turn else None,
        confirmed=confirmation.is_confirmed,
        sides=data.sides,
    )


def commitments_in_year(data, year, *, today, rotation, confirmation):
    """Every commitment's progress in `year`, in the agreement's order."""
    records = year_records(
        data, year, today=today, rotation=rotation, confirmation=confirmation
    )
    return tuple(
        commitment_progress(commitment, records) for commitment in data.commitments
    )


def rotation_compute(data, *, today):
    """Who hosted the yearly exchange each year, and whose turn it is next.

    Turns go round the sides in the parties' signing order. A successor continues
    its predecessor's side (`Side`): it takes that side's turns and is never a
    party of its own. The first exchange may be hosted by anyone; after that the
    next side in order is expected. A year without an exchange keeps the turn
    where it was; a year hosted out of turn moves it on from the side that
    actually hosted. An exchange entered ahead, dated after `today`, has not been
    hosted yet and moves nothing.
    """
    sides = data.sides
    first, last = data.agreement.start_date.year, data.agreement.end_date.year
    held = defaultdict(list)
    for visit in data.visits:
        if visit.kind == DelegationVisit.Kind.YEARLY_EXCHANGE and visit_is_done(
            visit, today
        ):
            held[visit.start_date.year].append(visit)
    hosts = {year: year_host(exchanges) for year, exchanges in held.items()}

    def side_index(organisation):
        return next(
            (index for index, side in enumerate(sides) if side.includes(organisation)),
            None,
        )

    turns, expected = [], None  # expected: the index of the side due to host
    next_year = next_host = None
    for year in range(first, last + 1):
        host = hosts.get(year)
        host_side = side_index(host) if host is not None else None
        expected_host = (
            sides[expected].organisation_in(year) if expected is not None else None
        )
        turns.append(
            RotationTurn(
                year=year,
                host=host,
                expected_host=expected_host,
                host_side=host_side,
                expected_side=expected,
            )
        )
        if next_year is None and year >= today.year and host is None:
            next_year, next_host = year, expected_host
        if host is not None:
            # A host on no side (not a party) leaves the next turn open.
            expected = None if host_side is None else (host_side + 1) % len(sides)
    return Rotation(turns=tuple(turns), next_year=next_year, next_host=next_host)


def sides_on(data, day):
    """Each side as it stands on `day` (`SideStanding`), in signing order."""
    return tuple(side.standing_on(day) for side in data.sides)


def _year_end(data, year):
    """The last day of `year` within the agreement: where a year's page stands."""
    return min(datetime.date(year, 12, 31), data.agreement.end_date)


def _money(amounts, approximate):
    return tuple(
        Money(currency=currency, amount=amount, approximate=currency in approximate)
        for currency, amount in sorted(amounts.items())
    )


def programme_people_reached(programme, sums):
    """The people a programme reached, as every output counts them.

    Its own figure when recorded: it already includes the people its gift
    distributions reached. Otherwise the sum of its distributions' figures; None
    when no record states any.
    """
    if programme.people_reached is not None:
        return programme.people_reached
    return sums.people_reached if sums.people_known else None


def totals_compute(data, years, *, today):
    """Totals over `years` (a set): counts, packages, people, value per currency.

    Only what was done by `today` counts: a visit entered ahead is left out, and
    so is a programme not held by then (planned, cancelled or not started), with
    its distributions (which `loading` leaves out by the same rule).
    """
    programmes = [p for p in data.programmes if p.year in years and p.is_held_by(today)]
    values_by_year = defaultdict(lambda: defaultdict(Decimal))
    values, costs, approximate = defaultdict(Decimal), defaultdict(Decimal), set()
    distributions = packages = 0
    people = None  # stays None when no record states how many people were reached
    for programme in programmes:
        sums = data.programme_sums.get(programme.pk, ProgrammeSums())
        distributions += sums.distributions
        packages += sums.packages
        counted = programme_people_reached(programme, sums)
        if counted is not None:
            people = (people or 0) + counted
        for currency, amount in sums.values.items():
            values[currency] += amount
            values_by_year[programme.year][currency] += amount
        approximate |= sums.approximate
        if programme.actual_cost is not None:
            costs[programme.currency] += programme.actual_cost
    return YearTotals(
        visits=sum(
            1
            for v in data.visits
            if v.start_date.year in years and visit_is_done(v, today)
        ),
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
                name=localized_from(
                    names, "name", item["names"]["item_kind__original_language"]
                )
                or code,
                unit=item["names"]["item_kind__unit"],
                quantity=item["quantity"],
                lines_without_quantity=item["without"],
                values=_money(item["values"], set()),
            )
        )
    return tuple(sorted(result, key=lambda item: item.name))


def recipients_compute(distributions, recipient_counts):
    """The listed recipients of `distributions` (the year's DistributionRows, the
    ones the other tables count) by sex and age band, and each distribution's own
    counts: (RecipientBreakdown, {distribution pk: ((sex, band), count), …}).

    The stated people reached stay the figure; the lists break part of it down.
    """
    counted = {row.pk for row in distributions}
    totals, by_distribution = defaultdict(int), defaultdict(list)
    for pk, sex, age_band, count in recipient_counts:
        if pk in counted:
            totals[(sex, age_band)] += count
            by_distribution[pk].append(((sex, age_band), count))
    stated = [row.people_reached for row in distributions]
    stated = [people for people in stated if people is not None]
    breakdown = RecipientBreakdown(
        counts=tuple(sorted(totals.items())),
        distributions=len(distributions),
        distributions_listed=len(by_distribution),
        gift_recipients=sum(stated) if stated else None,
    )
    return breakdown, {pk: tuple(counts) for pk, counts in by_distribution.items()}


def plan_compute(data, year, *, today):
    """The plan for `year` (from the exchange covering the year before) vs actual.

    A plan dated after `today` has not been sent yet; a visit after it not made.
    """
    plans = [
        e
        for e in data.exchanges
        if e.year_covered == year - 1
        and exchange_is_done(e, today)
        and (e.planned_visits is not None or e.planned_programmes is not None)
    ]
    source = plans[-1] if plans else None
    return PlanComparison(
        year=year,
        planned_visits=source.planned_visits if source else None,
        planned_programmes=source.planned_programmes if source else None,
        actual_visits=sum(
            1 for v in data.visits if _in_year(v, year) and visit_is_done(v, today)
        ),
        actual_programmes=sum(
            1 for p in data.programmes if p.year == year and p.is_held_by(today)
        ),
        source=source,
    )


def year_progress_compute(data, year, *, today):
    """Everything the year page and the annual report show for `year`."""
    rotation = rotation_compute(data, today=today)
    confirmation = confirmation_compute(data, year)
    visits = tuple(v for v in data.visits if _in_year(v, year))
    programmes = tuple(p for p in data.programmes if p.year == year)
    exchanges = tuple(e for e in data.exchanges if e.year_covered == year)
    distributions = tuple(row for row in data.distributions if row.year == year)
    recipients, recipients_by_distribution = recipients_compute(
        distributions, data.recipient_counts
    )
    return YearProgress(
        agreement=data.agreement,
        parties=data.parties,
        sides=sides_on(data, _year_end(data, year)),
        year=year,
        phase=year_phase(year, today),
        commitments=commitments_in_year(
            data, year, today=today, rotation=rotation, confirmation=confirmation
        ),
        totals=totals_compute(data, {year}, today=today),
        by_district=districts_compute(distributions),
        by_item=items_compute(data.item_sums, {year}),
        rotation=rotation,
        plan=plan_compute(data, year, today=today),
        next_year_plan=tuple(
            e
            for e in exchanges
            if exchange_is_done(e, today)
            and (
                e.covers_next_year_plan
                or e.planned_visits is not None
                or e.planned_programmes is not None
            )
        ),
        visits=visits,
        programmes=programmes,
        information_exchanges=exchanges,
        distributions=distributions,
        held_programmes=frozenset(p.pk for p in programmes if p.is_held_by(today)),
        people_by_programme={
            programme.pk: programme_people_reached(
                programme, data.programme_sums.get(programme.pk, ProgrammeSums())
            )
            for programme in programmes
            if programme.is_held_by(today)
        },
        photos=data.photos,
        has_examples=any(
            record.is_example
            for record in (*visits, *programmes, *exchanges, *distributions)
        ),
        confirmation=confirmation,
        recipients=recipients,
        recipients_by_distribution=recipients_by_distribution,
    )


def overview_compute(data, *, today):
    """Every year of the agreement at a glance: scorecard, totals to date, rotation."""
    rotation = rotation_compute(data, today=today)
    years = []
    for year in data.years:
        confirmation = confirmation_compute(data, year)
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
                    data,
                    year,
                    today=today,
                    rotation=rotation,
                    confirmation=confirmation,
                ),
                totals=totals_compute(data, {year}, today=today),
                has_examples=any(record.is_example for record in year_records),
                confirmation=confirmation,
            )
        )
    timeline = sorted(
        [*data.visits, *data.programmes],
        key=lambda record: (
            record.start_date or datetime.date(record.year, 12, 31),
            record._meta.model_name,
        ),
    )
    agreement = data.agreement
    return AgreementOverview(
        agreement=agreement,
        parties=data.parties,
        sides=sides_on(data, max(agreement.start_date, min(today, agreement.end_date))),
        commitments=data.commitments,
        years=tuple(years),
        totals_to_date=totals_compute(
            data, {year for year in data.years if year <= today.year}, today=today
        ),
        rotation=rotation,
        timeline=tuple(timeline),
        latest_visit=max(
            (visit for visit in data.visits if visit.start_date <= today),
            key=lambda visit: (visit.start_date, visit.pk),
            default=None,
        ),
        has_records=bool(
            data.visits
            or data.programmes
            or any(e.year_covered in data.years for e in data.exchanges)
        ),
    )
