import datetime
from decimal import Decimal

import pytest

from cooperation.models import Commitment, ExchangeRate, Organisation
from exchanges.models import DelegationVisit, InformationExchange
from programs.models import JointProgram
from reporting.progress import (
    Phase,
    Status,
    agreement_overview,
    agreement_progress,
)
from reporting.progress.rules import (
    RULES,
    commitment_progress,
    count_status,
    disease_prevention_rule,
    evidence_status,
    information_sharing_rule,
    joint_programmes_rule,
    other_rule,
    results_exchange_rule,
    visits_on_request_rule,
    yearly_exchange_rule,
)
from reporting.progress.types import YearRecords
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DelegationVisitFactory,
    DistributionItemFactory,
    DistrictFactory,
    GiftDistributionFactory,
    InformationExchangeFactory,
    ItemKindFactory,
    JointProgramFactory,
    OrganisationFactory,
    RecipientFactory,
    UserFactory,
    confirm_year,
)

TODAY = datetime.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("actual", "phase", "expected"),
    [
        (0, Phase.PAST, Status.NOT_MET),
        (1, Phase.PAST, Status.MET),
        (2, Phase.PAST, Status.MET),
        (3, Phase.PAST, Status.ABOVE_TARGET),
        (0, Phase.CURRENT, Status.IN_PROGRESS),
        (1, Phase.CURRENT, Status.MET),
        (3, Phase.CURRENT, Status.ABOVE_TARGET),
        (0, Phase.FUTURE, Status.NOT_DUE),
        (2, Phase.FUTURE, Status.NOT_DUE),
    ],
)
def test_programme_target_one_to_two(actual, phase, expected):
    assert count_status(actual, 1, 2, phase) == expected


def test_some_but_not_enough_is_partly_met():
    assert count_status(1, 2, 3, Phase.PAST) == Status.PARTLY_MET


@pytest.mark.parametrize(
    ("evidence", "phase", "expected"),
    [
        (1, Phase.PAST, Status.EVIDENCED),
        (0, Phase.PAST, Status.NO_EVIDENCE),
        (0, Phase.CURRENT, Status.IN_PROGRESS),
        (1, Phase.CURRENT, Status.EVIDENCED),
        (1, Phase.FUTURE, Status.NOT_DUE),
    ],
)
def test_qualitative_status(evidence, phase, expected):
    assert evidence_status(evidence, phase) == expected


# One rule per kind of commitment, on hand-built records: no database ------------
#
# Nothing below asks for the `db` fixture, so pytest-django fails any test here
# that would touch the database. The records are unsaved model instances.

KT = Organisation(name_en="Kon Tum Provincial Red Cross", acronym="KT")
AT = Organisation(name_en="Attapeu Provincial Red Cross", acronym="AT")
PARTIES = (KT, AT)
YEARLY = DelegationVisit.Kind.YEARLY_EXCHANGE
PAST, CURRENT, FUTURE = 2025, TODAY.year, 2027
NEXT_MONTH = datetime.date(2026, 12, 10)


def commitment(kind, low=None, high=None, *, rotation=False):
    return Commitment(
        kind=kind,
        yearly_target_min=low,
        yearly_target_max=high,
        host_rotation=rotation,
    )


YEARLY_EXCHANGE = commitment(Commitment.Kind.YEARLY_EXCHANGE, 1, 1, rotation=True)
ON_REQUEST = commitment(Commitment.Kind.VISITS_ON_REQUEST)
INFORMATION = commitment(Commitment.Kind.INFORMATION_SHARING)
DISEASE = commitment(Commitment.Kind.DISEASE_PREVENTION)
PROGRAMMES = commitment(Commitment.Kind.JOINT_PROGRAMMES, 1, 2)
RESULTS = commitment(Commitment.Kind.RESULTS_EXCHANGE, 1, 1)
OTHER = commitment(Commitment.Kind.OTHER)

COMPLETED, UNDER_WAY = JointProgram.Status.COMPLETED, JointProgram.Status.IN_PROGRESS
PLANNED, CANCELLED = JointProgram.Status.PLANNED, JointProgram.Status.CANCELLED


def test_every_kind_of_commitment_has_its_rule():
    assert set(RULES) == set(Commitment.Kind)


def visit(day, host=AT, kind=YEARLY):
    sender = KT if host is AT else AT
    return DelegationVisit(
        kind=kind, sending_party=sender, host_party=host, start_date=day, end_date=day
    )


def exchange(sender, day, year=None, **topics):
    recipient = KT if sender is AT else AT
    return InformationExchange(
        from_party=sender,
        to_party=recipient,
        year_covered=year or day.year,
        exchanged_on=day,
        **topics,
    )


def programme(status, start=None, year=None, **activities):
    return JointProgram(
        year=year or start.year,
        status=status,
        start_date=start,
        title_en="Programme",
        **activities,
    )


def records(year, **kwargs):
    return YearRecords(year=year, today=TODAY, parties=PARTIES, **kwargs)


@pytest.mark.parametrize(
    ("year", "visits", "expected_host", "status", "actual", "counted"),
    [
        (PAST, [visit(datetime.date(PAST, 9, 1), host=AT)], AT, Status.MET, 1, [0]),
        (
            PAST,
            [visit(datetime.date(PAST, 9, 1), host=KT)],
            AT,
            Status.PARTLY_MET,
            1,
            [0],
        ),
        # Two out of turn once read "above target", which hid the broken turn.
        (
            PAST,
            [
                visit(datetime.date(PAST, 4, 1), host=KT),
                visit(datetime.date(PAST, 9, 1), host=KT),
            ],
            AT,
            Status.PARTLY_MET,
            2,
            [0, 1],
        ),
        (
            PAST,
            [
                visit(datetime.date(PAST, 4, 1), host=AT),
                visit(datetime.date(PAST, 9, 1), host=AT),
            ],
            AT,
            Status.ABOVE_TARGET,
            2,
            [0, 1],
        ),
        # The first exchange of the agreement: either party may host.
        (PAST, [visit(datetime.date(PAST, 9, 1), host=KT)], None, Status.MET, 1, [0]),
        (
            CURRENT,
            [visit(datetime.date(CURRENT, 6, 1), host=AT)],
            AT,
            Status.MET,
            1,
            [0],
        ),
        (
            CURRENT,
            [visit(datetime.date(CURRENT, 6, 1), host=KT)],
            AT,
            Status.PARTLY_MET,
            1,
            [0],
        ),
        (PAST, [], AT, Status.NOT_MET, 0, []),
        (CURRENT, [], AT, Status.IN_PROGRESS, 0, []),
        # Entered ahead: next month's exchange is not done, nor next year's.
        (CURRENT, [visit(NEXT_MONTH, host=AT)], AT, Status.IN_PROGRESS, 0, []),
        (
            FUTURE,
            [visit(datetime.date(FUTURE, 5, 1), host=AT)],
            AT,
            Status.NOT_DUE,
            0,
            [],
        ),
        # A visit on request is not the yearly exchange.
        (
            PAST,
            [visit(datetime.date(PAST, 9, 1), kind=DelegationVisit.Kind.ON_REQUEST)],
            AT,
            Status.NOT_MET,
            0,
            [],
        ),
    ],
    ids=[
        "in-turn",
        "out-of-turn",
        "two-out-of-turn",
        "two-in-turn-above-target",
        "first-exchange-any-host",
        "in-turn-this-year",
        "out-of-turn-this-year",
        "none-in-a-past-year",
        "none-yet-this-year",
        "this-year-but-dated-next-month",
        "entered-ahead-for-next-year",
        "visit-on-request-only",
    ],
)
def test_yearly_exchange_rule(year, visits, expected_host, status, actual, counted):
    verdict = yearly_exchange_rule(
        YEARLY_EXCHANGE,
        records(year, visits=tuple(visits), expected_host=expected_host),
    )

    assert verdict == (status, actual, tuple(visits[i] for i in counted))


@pytest.mark.parametrize(
    ("year", "programmes", "status", "counted"),
    [
        (PAST, [programme(COMPLETED, datetime.date(PAST, 9, 1))], Status.MET, [0]),
        (
            PAST,
            [
                programme(UNDER_WAY, datetime.date(PAST, 12, 1)),
                programme(COMPLETED, year=PAST),
            ],
            Status.MET,
            [0, 1],
        ),
        # Planned: shown as planned, counted nowhere.
        (PAST, [programme(PLANNED, year=PAST)], Status.NOT_MET, []),
        (PAST, [programme(CANCELLED, datetime.date(PAST, 5, 1))], Status.NOT_MET, []),
        (CURRENT, [programme(PLANNED, NEXT_MONTH)], Status.IN_PROGRESS, []),
        # Under way from next month is not under way today.
        (CURRENT, [programme(UNDER_WAY, NEXT_MONTH)], Status.IN_PROGRESS, []),
        (CURRENT, [programme(UNDER_WAY, year=CURRENT)], Status.MET, [0]),
        (FUTURE, [programme(UNDER_WAY, year=FUTURE)], Status.NOT_DUE, []),
        (
            PAST,
            [
                programme(COMPLETED, datetime.date(PAST, 3, 1)),
                programme(PLANNED, year=PAST),
                programme(CANCELLED, datetime.date(PAST, 6, 1)),
                programme(COMPLETED, datetime.date(PAST, 9, 1)),
            ],
            Status.MET,
            [0, 3],
        ),
        (
            PAST,
            [
                programme(COMPLETED, datetime.date(PAST, month, 1))
                for month in (3, 6, 9)
            ],
            Status.ABOVE_TARGET,
            [0, 1, 2],
        ),
    ],
    ids=[
        "one-completed",
        "one-under-way-one-completed-undated",
        "planned-only",
        "cancelled-only",
        "planned-this-year",
        "under-way-from-next-month",
        "under-way-undated-this-year",
        "future-year",
        "two-held-among-planned-and-cancelled",
        "three-held-above-target",
    ],
)
def test_joint_programmes_rule_counts_programmes_held_by_today(
    year, programmes, status, counted
):
    verdict = joint_programmes_rule(
        PROGRAMMES, records(year, programmes=tuple(programmes))
    )

    held = tuple(programmes[i] for i in counted)
    assert verdict == (status, len(held), held)


def report(sender, day, year=PAST, *, results=True, plan=True, **topics):
    """`sender`'s report on `year`: its results and its plan for the next year."""
    return exchange(
        sender,
        day,
        year,
        covers_results=results,
        covers_next_year_plan=plan,
        **topics,
    )


DEC_15, DEC_20 = datetime.date(PAST, 12, 15), datetime.date(PAST, 12, 20)


@pytest.mark.parametrize(
    ("year", "exchanges", "status", "actual", "counted"),
    [
        (PAST, [report(KT, DEC_15), report(AT, DEC_15)], Status.MET, 1, [0, 1]),
        # Both sides on two dates once read "above target".
        (PAST, [report(KT, DEC_15), report(AT, DEC_20)], Status.MET, 1, [0, 1]),
        # One side alone once read "met".
        (PAST, [report(KT, DEC_15)], Status.PARTLY_MET, 1, [0]),
        (
            PAST,
            [report(KT, DEC_15), report(KT, DEC_20)],
            Status.PARTLY_MET,
            1,
            [0, 1],
        ),
        # Results and plan may come separately; both are needed from each side.
        (
            PAST,
            [
                report(KT, DEC_15),
                report(AT, DEC_15, plan=False),
                report(AT, DEC_20, results=False),
            ],
            Status.MET,
            1,
            [0, 1, 2],
        ),
        (
            PAST,
            [report(KT, DEC_15), report(AT, DEC_15, plan=False)],
            Status.PARTLY_MET,
            1,
            [0, 1],
        ),
        (
            PAST,
            [
                report(KT, DEC_15),
                report(
                    AT,
                    DEC_15,
                    results=False,
                    plan=False,
                    covers_models_and_experience=True,
                ),
            ],
            Status.PARTLY_MET,
            1,
            [0, 1],
        ),
        # Socio-economic news is not the results exchange.
        (
            PAST,
            [report(KT, DEC_15, results=False, plan=False, covers_socio_economic=True)],
            Status.NOT_MET,
            0,
            [],
        ),
        (PAST, [], Status.NOT_MET, 0, []),
        # Attapeu's report on 2025, dated next month, is not sent yet.
        (
            PAST,
            [report(KT, DEC_15), report(AT, NEXT_MONTH)],
            Status.PARTLY_MET,
            1,
            [0],
        ),
        (
            CURRENT,
            [report(KT, datetime.date(CURRENT, 11, 2), CURRENT)],
            Status.IN_PROGRESS,
            1,
            [0],
        ),
        (
            CURRENT,
            [
                report(KT, datetime.date(CURRENT, 11, 2), CURRENT),
                report(AT, datetime.date(CURRENT, 11, 20), CURRENT),
            ],
            Status.MET,
            1,
            [0, 1],
        ),
        (FUTURE, [], Status.NOT_DUE, 0, []),
    ],
    ids=[
        "both-sides-one-day",
        "both-sides-two-dates",
        "one-side-only",
        "one-side-twice",
        "results-and-plan-sent-separately",
        "one-side-without-its-plan",
        "one-side-with-experience-only",
        "socio-economic-only",
        "none",
        "other-side-dated-after-today",
        "one-side-so-far-this-year",
        "both-sides-this-year",
        "future-year",
    ],
)
def test_results_exchange_rule_needs_every_side(
    year, exchanges, status, actual, counted
):
    verdict = results_exchange_rule(RESULTS, records(year, exchanges=tuple(exchanges)))

    assert verdict == (status, actual, tuple(exchanges[i] for i in counted))


@pytest.mark.parametrize(
    ("rule", "commitment", "year", "given", "status", "counted"),
    [
        (
            visits_on_request_rule,
            ON_REQUEST,
            PAST,
            {
                "visits": (
                    visit(
                        datetime.date(PAST, 4, 2), kind=DelegationVisit.Kind.JOINT_TASK
                    ),
                )
            },
            Status.EVIDENCED,
            [0],
        ),
        (
            visits_on_request_rule,
            ON_REQUEST,
            CURRENT,
            {"visits": (visit(NEXT_MONTH, kind=DelegationVisit.Kind.ON_REQUEST),)},
            Status.IN_PROGRESS,
            [],
        ),
        (
            information_sharing_rule,
            INFORMATION,
            PAST,
            {
                "exchanges": (
                    exchange(KT, datetime.date(PAST, 3, 1), covers_socio_economic=True),
                )
            },
            Status.EVIDENCED,
            [0],
        ),
        (
            information_sharing_rule,
            INFORMATION,
            PAST,
            {
                "exchanges": (
                    exchange(KT, datetime.date(PAST, 3, 1), covers_results=True),
                )
            },
            Status.NO_EVIDENCE,
            [],
        ),
        (
            disease_prevention_rule,
            DISEASE,
            PAST,
            {
                "exchanges": (
                    exchange(AT, datetime.date(PAST, 7, 1), is_outbreak_alert=True),
                )
            },
            Status.EVIDENCED,
            [0],
        ),
        # The 2025 situation report, dated next month, is not sent yet.
        (
            disease_prevention_rule,
            DISEASE,
            PAST,
            {
                "exchanges": (
                    exchange(AT, NEXT_MONTH, PAST, covers_disease_situation=True),
                )
            },
            Status.NO_EVIDENCE,
            [],
        ),
        (
            disease_prevention_rule,
            DISEASE,
            PAST,
            {
                "programmes": (
                    programme(
                        COMPLETED,
                        datetime.date(PAST, 5, 5),
                        includes_disease_prevention=True,
                    ),
                )
            },
            Status.EVIDENCED,
            [0],
        ),
        (
            disease_prevention_rule,
            DISEASE,
            PAST,
            {
                "programmes": (
                    programme(PLANNED, year=PAST, includes_disease_prevention=True),
                )
            },
            Status.NO_EVIDENCE,
            [],
        ),
        (
            disease_prevention_rule,
            DISEASE,
            FUTURE,
            {},
            Status.NOT_DUE,
            [],
        ),
        (
            other_rule,
            OTHER,
            PAST,
            {"visits": (visit(datetime.date(PAST, 9, 1)),)},
            Status.NO_EVIDENCE,
            [],
        ),
    ],
    ids=[
        "joint-task-is-evidence",
        "request-visit-dated-next-month-is-not",
        "socio-economic-information-is-evidence",
        "results-alone-are-not-socio-economic-information",
        "outbreak-alert-is-evidence",
        "exchange-dated-after-today-is-not",
        "prevention-programme-held-is-evidence",
        "prevention-programme-planned-is-not",
        "future-year-is-not-due",
        "other-commitment-has-no-record-of-its-own",
    ],
)
def test_qualitative_rules_need_evidence(
    rule, commitment, year, given, status, counted
):
    given_records = [
        *given.get("visits", ()),
        *given.get("exchanges", ()),
        *given.get("programmes", ()),
    ]

    verdict = rule(commitment, records(year, **given))

    assert verdict == (status, None, tuple(given_records[i] for i in counted))


# A year that every party confirms: until then nothing recorded is "no record yet".


@pytest.mark.parametrize(
    ("commitment", "year", "given", "confirmed", "status"),
    [
        (PROGRAMMES, PAST, {}, False, Status.NO_RECORD_YET),
        (PROGRAMMES, PAST, {}, True, Status.NOT_MET),
        (INFORMATION, PAST, {}, False, Status.NO_RECORD_YET),
        (INFORMATION, PAST, {}, True, Status.NO_EVIDENCE),
        (
            PROGRAMMES,
            PAST,
            {"programmes": (programme(COMPLETED, datetime.date(PAST, 5, 1)),)},
            False,
            Status.MET,
        ),
        (
            PROGRAMMES,
            PAST,
            {"programmes": (programme(PLANNED, year=PAST),)},
            False,
            Status.NO_RECORD_YET,
        ),
        (
            YEARLY_EXCHANGE,
            PAST,
            {"visits": (visit(datetime.date(PAST, 9, 1), host=KT),)},
            False,
            Status.PARTLY_MET,
        ),
        (PROGRAMMES, CURRENT, {}, False, Status.IN_PROGRESS),
        (PROGRAMMES, FUTURE, {}, True, Status.NOT_DUE),
    ],
    ids=[
        "unconfirmed-past-year-without-programme-has-no-record-yet",
        "confirmed-past-year-without-programme-is-not-met",
        "unconfirmed-past-year-without-evidence-has-no-record-yet",
        "confirmed-past-year-without-evidence-has-no-evidence",
        "unconfirmed-year-with-programme-is-met",
        "planned-programme-in-unconfirmed-year-has-no-record-yet",
        "out-of-turn-exchange-is-partly-met-confirmed-or-not",
        "current-year-is-in-progress",
        "future-year-is-not-due-even-confirmed",
    ],
)
def test_nothing_recorded_is_a_verdict_only_once_the_year_is_confirmed(
    commitment, year, given, confirmed, status
):
    given = {"expected_host": AT, **given}

    result = commitment_progress(
        commitment, records(year, confirmed=confirmed, **given)
    )

    assert result.status == status


@pytest.fixture
def agreement(db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    CommitmentFactory(agreement=agreement, ordinal=2)  # programmes 1–2 a year
    CommitmentFactory(agreement=agreement, ordinal=3, qualitative=True)
    CommitmentFactory(
        agreement=agreement,
        ordinal=4,
        kind=Commitment.Kind.RESULTS_EXCHANGE,
        yearly_target_min=1,
        yearly_target_max=1,
    )
    return agreement


def status_of(progress, kind):
    return next(c for c in progress.commitments if c.commitment.kind == kind)


@pytest.mark.parametrize(
    ("programmes", "expected"),
    [
        (0, Status.NOT_MET),
        (1, Status.MET),
        (2, Status.MET),
        (3, Status.ABOVE_TARGET),
    ],
)
def test_year_with_n_programmes(agreement, programmes, expected):
    JointProgramFactory.create_batch(programmes, agreement=agreement, year=2023)
    confirm_year(agreement, 2023)
    progress = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    result = status_of(progress, Commitment.Kind.JOINT_PROGRAMMES)
    assert (result.actual, result.status) == (programmes, expected)
    assert len(result.evidence) == programmes


def test_cancelled_and_unpublished_programmes_do_not_count(agreement):
    JointProgramFactory(agreement=agreement, year=2023, status="cancelled")
    JointProgramFactory(agreement=agreement, year=2023, is_published=False)
    public = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    assert status_of(public, Commitment.Kind.JOINT_PROGRAMMES).actual == 0
    staff = agreement_progress(
        agreement=agreement, year=2023, today=TODAY, published_only=False
    )
    assert status_of(staff, Commitment.Kind.JOINT_PROGRAMMES).actual == 1


def test_future_year_is_not_due_and_current_year_in_progress(agreement):
    future = agreement_progress(agreement=agreement, year=2027, today=TODAY)
    assert {c.status for c in future.commitments} == {Status.NOT_DUE}
    current = agreement_progress(agreement=agreement, year=2026, today=TODAY)
    assert current.phase == Phase.CURRENT
    assert {c.status for c in current.commitments} == {Status.IN_PROGRESS}


def exchange_visit(agreement, year, sender, host):
    return DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(year, 9, 1),
        sending_party=sender,
        host_party=host,
    )


def test_rotation_kept_and_next_turn(agreement):
    first, second = [p.organisation for p in agreement.party_signatures.all()]
    exchange_visit(agreement, 2022, first, second)
    exchange_visit(agreement, 2023, second, first)
    overview = agreement_overview(agreement=agreement, today=TODAY)
    turns = {t.year: t for t in overview.rotation.turns}
    assert turns[2022].host == second and turns[2022].turn_kept
    assert turns[2023].host == first and turns[2023].turn_kept
    assert overview.rotation.next_year == 2026
    # 2024 and 2025 were missed: the turn stays with the second party.
    assert overview.rotation.next_host == second
    statuses = {y.year: y.commitments[0].status for y in overview.years}
    assert statuses[2022] == statuses[2023] == Status.MET
    # Nobody has confirmed 2024: the missed exchange may just not be entered.
    assert statuses[2024] == Status.NO_RECORD_YET


def test_confirmation_by_one_party_leaves_the_year_unconfirmed(agreement):
    first_party, second_party = agreement.party_signatures.all()
    confirm_year(agreement, 2024, parties=[first_party])

    progress = agreement_progress(agreement=agreement, year=2024, today=TODAY)

    assert not progress.confirmation.is_confirmed
    assert [p.party for p in progress.confirmation.unconfirmed] == [second_party]
    assert status_of(progress, Commitment.Kind.JOINT_PROGRAMMES).status == (
        Status.NO_RECORD_YET
    )

    confirm_year(agreement, 2024, parties=[second_party])
    progress = agreement_progress(agreement=agreement, year=2024, today=TODAY)

    assert progress.confirmation.is_confirmed
    assert status_of(progress, Commitment.Kind.JOINT_PROGRAMMES).status == (
        Status.NOT_MET
    )


def test_a_reopened_confirmation_no_longer_counts_and_stays_on_record(agreement):
    first, second = confirm_year(agreement, 2024)
    first.reopen(by=UserFactory(), reason="A distribution in Sanxay was missing.")

    overview = agreement_overview(agreement=agreement, today=TODAY)

    state = next(y for y in overview.years if y.year == 2024).confirmation
    assert not state.is_confirmed
    assert [p.confirmation for p in state.parties] == [None, second]
    assert [c.reopen_reason for c in state.reopened] == [
        "A distribution in Sanxay was missing."
    ]


def test_rotation_broken_is_partly_met(agreement):
    first, second = [p.organisation for p in agreement.party_signatures.all()]
    exchange_visit(agreement, 2022, first, second)
    exchange_visit(agreement, 2023, first, second)  # second should have sent
    progress = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    turn = next(t for t in progress.rotation.turns if t.year == 2023)
    assert turn.expected_host == first and turn.turn_kept is False
    assert (
        status_of(progress, Commitment.Kind.YEARLY_EXCHANGE).status == Status.PARTLY_MET
    )
    assert progress.rotation.next_host == first


def test_two_exchanges_out_of_turn_are_partly_met_not_above_target(agreement):
    first, second = [p.organisation for p in agreement.party_signatures.all()]
    exchange_visit(agreement, 2022, first, second)
    exchange_visit(agreement, 2023, first, second)  # second should have sent
    DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(2023, 11, 2),
        sending_party=first,
        host_party=second,
    )

    progress = agreement_progress(agreement=agreement, year=2023, today=TODAY)

    result = status_of(progress, Commitment.Kind.YEARLY_EXCHANGE)
    assert (result.status, result.actual) == (Status.PARTLY_MET, 2)


def test_rotation_with_three_parties_cycles_in_signing_order(db):
    parties = [OrganisationFactory() for _ in range(3)]
    agreement = AgreementFactory(parties=parties)
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    a, b, c = parties
    exchange_visit(agreement, 2022, a, b)
    exchange_visit(agreement, 2023, a, c)
    exchange_visit(agreement, 2024, b, a)
    overview = agreement_overview(agreement=agreement, today=TODAY)
    assert [t.turn_kept for t in overview.rotation.turns[:3]] == [True, True, True]
    assert overview.rotation.next_host == b


def test_visits_entered_ahead_count_nowhere_until_their_day(agreement):
    first, second = [p.organisation for p in agreement.party_signatures.all()]
    exchange_visit(agreement, 2022, first, second)
    # Entered ahead: next month's exchange (this year) and one for next year.
    DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(2026, 12, 10),
        sending_party=second,
        host_party=first,
    )
    exchange_visit(agreement, 2027, first, second)

    overview = agreement_overview(agreement=agreement, today=TODAY)

    exchanges = {y.year: y.commitments[0] for y in overview.years}
    assert (exchanges[2026].status, exchanges[2026].actual) == (Status.IN_PROGRESS, 0)
    assert (exchanges[2027].status, exchanges[2027].actual) == (Status.NOT_DUE, 0)
    assert overview.totals_to_date.visits == 1
    assert [t.host for t in overview.rotation.turns] == [second] + [None] * 5
    assert (overview.rotation.next_year, overview.rotation.next_host) == (2026, first)
    progress = agreement_progress(agreement=agreement, year=2026, today=TODAY)
    assert progress.totals.visits == 0
    assert len(progress.visits) == 1  # still listed on the year page


def test_visits_on_request_are_not_yearly_exchanges(agreement):
    DelegationVisitFactory(agreement=agreement, kind=DelegationVisit.Kind.ON_REQUEST)
    progress = agreement_progress(agreement=agreement, year=2022, today=TODAY)
    assert status_of(progress, Commitment.Kind.YEARLY_EXCHANGE).actual == 0


def test_records_outside_the_period_are_ignored(agreement):
    JointProgramFactory(agreement=agreement, year=2023)
    # Written around clean(), as a direct import might: a programme in 2030.
    JointProgram.objects.filter(pk=JointProgramFactory(agreement=agreement).pk).update(
        year=2030, start_date=datetime.date(2030, 1, 1)
    )
    DelegationVisit.objects.filter(
        pk=DelegationVisitFactory(agreement=agreement).pk
    ).update(start_date=datetime.date(2030, 1, 5), end_date=datetime.date(2030, 1, 6))
    overview = agreement_overview(agreement=agreement, today=TODAY)
    assert [y.year for y in overview.years] == [2022, 2023, 2024, 2025, 2026, 2027]
    assert overview.totals_to_date.programmes == 1
    assert overview.totals_to_date.visits == 0
    assert all(t.host is None for t in overview.rotation.turns)


@pytest.mark.parametrize(
    ("second_reports_on", "expected"),
    [
        (datetime.date(2023, 12, 10), (1, Status.MET, 2)),
        # Once counted as two meetings against a maximum of one: "above target".
        (datetime.date(2023, 12, 22), (1, Status.MET, 2)),
        # Once "met": an exchange of results needs both sides.
        (None, (1, Status.PARTLY_MET, 1)),
    ],
    ids=["both-on-one-day", "both-on-two-dates", "one-side-only"],
)
def test_results_exchange_is_met_once_both_parties_have_reported(
    agreement, second_reports_on, expected
):
    # This test once counted distinct dates ("meetings, not reports"); the rule
    # is now one exchange a year, met when every party has sent its results and
    # its plan.
    first, second = [p.organisation for p in agreement.party_signatures.all()]
    InformationExchangeFactory(
        agreement=agreement,
        year_covered=2023,
        exchanged_on=datetime.date(2023, 12, 10),
    )
    if second_reports_on:
        InformationExchangeFactory(
            agreement=agreement,
            year_covered=2023,
            exchanged_on=second_reports_on,
            from_party=second,
            to_party=first,
        )
    progress = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    result = status_of(progress, Commitment.Kind.RESULTS_EXCHANGE)
    assert (result.actual, result.status, len(result.evidence)) == expected


def test_plan_for_a_year_comes_from_the_exchange_covering_the_year_before(agreement):
    exchange = InformationExchangeFactory(
        agreement=agreement, year_covered=2022, planned_visits=1, planned_programmes=2
    )
    JointProgramFactory(agreement=agreement, year=2023)
    progress = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    plan = progress.plan
    assert (plan.planned_visits, plan.planned_programmes) == (1, 2)
    assert (plan.actual_visits, plan.actual_programmes) == (0, 1)
    assert plan.source == exchange
    year_before = agreement_progress(agreement=agreement, year=2022, today=TODAY)
    assert year_before.next_year_plan == (exchange,)


def test_year_totals_by_currency_district_and_item(agreement):
    sanxay, phouvong = (
        DistrictFactory(name_en="Sanxay"),
        DistrictFactory(name_en="Phouvong"),
    )
    programme = JointProgramFactory(agreement=agreement, year=2023)
    GiftDistributionFactory(
        program=programme,
        districts=[sanxay],
        packages=100,
        people_reached=100,
        total_value=Decimal("100000000"),
    )
    GiftDistributionFactory(
        program=programme,
        districts=[sanxay, phouvong],
        packages=50,
        people_reached=None,
        total_value=Decimal("5000000"),
        currency="LAK",
        value_is_approximate=True,
    )
    rice = ItemKindFactory(code="rice", name_en="Rice")
    for distribution in programme.distributions.all():
        DistributionItemFactory(
            distribution=distribution, item_kind=rice, quantity=10, unit_value=1000
        )
    ExchangeRate.objects.create(
        year=2023,
        currency="VND",
        units_per_reporting_unit=Decimal("25000"),
        rate_date=datetime.date(2023, 12, 31),
        source="Test rate",
    )

    totals = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    assert totals.totals.packages == 150
    assert totals.totals.people_reached == 100
    assert [(m.currency, m.amount, m.approximate) for m in totals.totals.values] == [
        ("LAK", Decimal("5000000"), True),
        ("VND", Decimal("100000000"), False),
    ]
    converted = totals.totals.converted_value
    assert converted.amount == Decimal("4000.00")
    assert converted.missing_currencies == ("LAK",)
    by_district = [
        ([a.name for a in t.districts], t.packages) for t in totals.by_district
    ]
    assert by_district == [(["Sanxay"], 100), (["Phouvong", "Sanxay"], 50)]
    (item,) = totals.by_item
    assert (item.name, item.quantity) == ("Rice", 20)
    assert sorted((m.currency, m.amount) for m in item.values) == [
        ("LAK", Decimal("10000")),
        ("VND", Decimal("10000")),
    ]


def test_programme_people_figure_is_not_added_to_its_distributions(agreement):
    programme = JointProgramFactory(agreement=agreement, year=2023, people_reached=400)
    GiftDistributionFactory(program=programme, people_reached=150)
    progress = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    assert progress.totals.people_reached == 400


def test_unpublished_distribution_is_left_out_of_public_totals(agreement):
    programme = JointProgramFactory(agreement=agreement, year=2023)
    GiftDistributionFactory(program=programme, packages=10)
    GiftDistributionFactory(program=programme, packages=99, is_published=False)
    public = agreement_progress(agreement=agreement, year=2023, today=TODAY)
    assert public.totals.packages == 10
    staff = agreement_progress(
        agreement=agreement, year=2023, today=TODAY, published_only=False
    )
    assert staff.totals.packages == 109


def volume(agreement, programmes, distributions_each):
    districts = DistrictFactory.create_batch(3)
    for index in range(programmes):
        programme = JointProgramFactory(
            agreement=agreement, year=2022 + index % 4, districts=districts[:2]
        )
        for _ in range(distributions_each):
            distribution = GiftDistributionFactory(
                program=programme, districts=districts[index % 3 :]
            )
            DistributionItemFactory(distribution=distribution)
            RecipientFactory.create_batch(2, distribution=distribution)
    for year in (2022, 2023):
        DelegationVisitFactory(
            agreement=agreement, start_date=datetime.date(year, 5, 1)
        )
        InformationExchangeFactory(agreement=agreement, year_covered=year)


@pytest.mark.parametrize("programmes", [1, 12])
def test_year_progress_reads_a_fixed_number_of_queries(
    agreement, programmes, django_assert_num_queries
):
    volume(agreement, programmes, distributions_each=3)
    # parties, commitments, visits joined to their members, exchanges, programmes,
    # programme districts, distributions with districts, exchange rates, year
    # confirmations, item sums, photos, recipient counts by sex and age band.
    with django_assert_num_queries(12):
        agreement_progress(agreement=agreement, year=2022, today=TODAY)


@pytest.mark.parametrize("programmes", [1, 12])
def test_overview_reads_a_fixed_number_of_queries(
    agreement, programmes, django_assert_num_queries
):
    volume(agreement, programmes, distributions_each=3)
    # parties, commitments, visits, exchanges, programmes, programme districts,
    # distribution sums per programme, exchange rates.
    with django_assert_num_queries(9):
        agreement_overview(agreement=agreement, today=TODAY)


@pytest.mark.parametrize(
    ("status", "start", "day"),
    [
        ("cancelled", datetime.date(2026, 9, 1), datetime.date(2026, 9, 1)),
        ("planned", datetime.date(2026, 9, 1), datetime.date(2026, 9, 1)),
        ("planned", None, datetime.date(2026, 9, 1)),
        # Under way from next month, its distribution entered ahead.
        ("in_progress", datetime.date(2026, 12, 10), datetime.date(2026, 12, 10)),
    ],
    ids=["cancelled", "planned", "planned-undated", "under-way-from-next-month"],
)
def test_a_programme_not_held_counts_nowhere_not_even_its_distributions(
    agreement, status, start, day
):
    held = JointProgramFactory(agreement=agreement, year=2026)
    distribution = GiftDistributionFactory(program=held, packages=25, people_reached=25)
    DistributionItemFactory(distribution=distribution, quantity=5)
    not_held = JointProgramFactory(
        agreement=agreement,
        year=2026,
        status=status,
        start_date=start,
        people_reached=400,
        actual_cost=Decimal("5000000"),
    )
    DistributionItemFactory(
        distribution=GiftDistributionFactory(
            program=not_held, start_date=day, packages=100
        ),
        quantity=50,
    )

    progress = agreement_progress(agreement=agreement, year=2026, today=TODAY)

    assert progress.held_programmes == {held.pk}
    assert (progress.totals.programmes, progress.totals.packages) == (1, 25)
    assert progress.totals.people_reached == 25
    assert progress.totals.costs == ()
    assert sum(row.packages for row in progress.distributions) == 25
    assert sum(total.packages for total in progress.by_district) == 25
    assert [item.quantity for item in progress.by_item] == [5]
    assert progress.plan.actual_programmes == 1
    assert len(progress.programmes) == 2  # still listed, with its status
    overview = agreement_overview(agreement=agreement, today=TODAY)
    assert overview.years[4].totals.packages == 25
    assert overview.totals_to_date.packages == 25
    assert overview.years[4].commitments[1].actual == 1
