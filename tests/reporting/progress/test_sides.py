"""A successor continues its predecessor's side: in the rules, the rotation and the
names that pages and reports give each side.

The first tests use hand-built, unsaved records (no `db` fixture: pytest-django
fails any that would query); the last read what `loading` gives them.
"""

import datetime

import pytest

from cooperation.models import AgreementParty, Area, Commitment, Organisation
from exchanges.models import DelegationVisit, InformationExchange
from reporting.progress import Status, agreement_overview, agreement_progress
from reporting.progress.rules import results_exchange_rule, yearly_exchange_rule
from reporting.progress.types import Side, YearRecords
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DelegationVisitFactory,
    JointProgramFactory,
    OrganisationFactory,
    succeeded,
)

TODAY = datetime.date(2026, 11, 28)
MERGER = datetime.date(2025, 7, 1)


def organisation(pk, name, **fields):
    return Organisation(pk=pk, name_en=name, **fields)


def hand_built_sides():
    """A, and B succeeded by B2 from 1 July 2025; pks make model equality work."""
    a = organisation(1, "A")
    b2 = organisation(3, "B2", valid_from=MERGER)
    b = organisation(2, "B", valid_until=MERGER - datetime.timedelta(days=1))
    b.successor = b2
    sides = (
        Side(party=AgreementParty(organisation=a, order=1), organisations=(a,)),
        Side(party=AgreementParty(organisation=b, order=2), organisations=(b, b2)),
    )
    return a, b, b2, sides


def test_side_stands_for_the_predecessor_until_the_day_before_the_successor():
    _a, b, b2, (_side_a, side_b) = hand_built_sides()

    assert side_b.organisation_on(datetime.date(2025, 6, 30)) == b
    assert side_b.organisation_on(MERGER) == b2
    assert side_b.organisation_in(2024) == b
    assert side_b.organisation_in(2025) == b2
    assert side_b.includes(b) and side_b.includes(b2)


def test_standing_after_the_change_names_the_predecessor_and_the_date():
    _a, b, b2, (side_a, side_b) = hand_built_sides()

    standing = side_b.standing_in(2026)

    assert (standing.organisation, standing.predecessor, standing.since) == (
        b2,
        b,
        MERGER,
    )
    assert not standing.has_note
    assert side_a.standing_in(2026).predecessor is None


def test_standing_of_a_branch_whose_province_was_merged_without_a_successor_branch():
    quang_ngai = Area(pk=11, level=Area.Level.PROVINCE, name_en="Quảng Ngãi")
    kon_tum = Area(
        pk=10,
        level=Area.Level.PROVINCE,
        name_en="Kon Tum",
        valid_until=datetime.date(2025, 6, 30),
        successor=quang_ngai,
    )
    branch = organisation(5, "Kon Tum Provincial Red Cross", home_area=kon_tum)
    side = Side(party=AgreementParty(organisation=branch), organisations=(branch,))

    assert not side.standing_in(2024).has_note
    standing = side.standing_in(2025)
    assert standing.organisation == branch and standing.predecessor is None
    assert (standing.ended_area, standing.area_successor) == (kon_tum, quang_ngai)


YEARLY_EXCHANGE = Commitment(
    kind=Commitment.Kind.YEARLY_EXCHANGE,
    yearly_target_min=1,
    yearly_target_max=1,
    host_rotation=True,
)
RESULTS = Commitment(
    kind=Commitment.Kind.RESULTS_EXCHANGE, yearly_target_min=1, yearly_target_max=1
)


def test_predecessor_hosting_in_the_successors_year_keeps_the_sides_turn():
    a, b, b2, sides = hand_built_sides()
    day = datetime.date(2025, 5, 2)  # before the change: B still stands
    visit = DelegationVisit(
        kind=DelegationVisit.Kind.YEARLY_EXCHANGE,
        sending_party=a,
        host_party=b,
        start_date=day,
        end_date=day,
    )
    records = YearRecords(
        year=2025,
        today=TODAY,
        parties=(a, b),
        visits=(visit,),
        expected_host=b2,
        sides=sides,
    )

    assert yearly_exchange_rule(YEARLY_EXCHANGE, records).status == Status.MET


def test_results_sent_by_the_successor_count_for_its_side():
    a, b, b2, sides = hand_built_sides()
    day = datetime.date(2026, 1, 20)

    def sent(sender, recipient):
        return InformationExchange(
            from_party=sender,
            to_party=recipient,
            year_covered=2025,
            exchanged_on=day,
            covers_results=True,
            covers_next_year_plan=True,
        )

    records = YearRecords(
        year=2025,
        today=TODAY,
        parties=(a, b),
        exchanges=(sent(a, b2), sent(b2, a)),
        sides=sides,
    )

    assert results_exchange_rule(RESULTS, records).status == Status.MET


# From the database ----------------------------------------------------------------


def exchange_visit(agreement, day, sender, host):
    return DelegationVisitFactory(
        agreement=agreement, start_date=day, sending_party=sender, host_party=host
    )


@pytest.fixture
def succession(db):
    """Parties A and B (2022–2027); B succeeded by a generated B2 on 1 July 2025.

    Yearly exchanges hosted by B in 2024, A in 2025 and B2 in 2026; a programme
    led by A in 2026.
    """
    a = OrganisationFactory(name_en="A Provincial Red Cross")
    b = OrganisationFactory(name_en="B Provincial Red Cross")
    agreement = AgreementFactory(parties=[a, b])
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    b2 = succeeded(b, on=MERGER, name_en="B2 Provincial Red Cross")
    exchange_visit(agreement, datetime.date(2024, 9, 1), a, b)
    exchange_visit(agreement, datetime.date(2025, 9, 1), b2, a)
    exchange_visit(agreement, datetime.date(2026, 9, 1), a, b2)
    JointProgramFactory(agreement=agreement, year=2026, lead_organisation=a)
    return agreement, a, b, b2


def test_successor_continues_its_sides_turn_and_the_rotation_stays_two_sided(
    succession,
):
    agreement, a, b, b2 = succession

    overview = agreement_overview(agreement=agreement, today=TODAY)

    turns = {turn.year: turn for turn in overview.rotation.turns}
    assert [turns[year].host for year in (2024, 2025, 2026)] == [b, a, b2]
    assert turns[2025].turn_kept and turns[2026].turn_kept
    assert turns[2026].expected_host == b2
    # Two sides, not three: after B2, A's turn (not B2's as a third party's).
    assert (overview.rotation.next_year, overview.rotation.next_host) == (2027, a)
    statuses = {year.year: year.commitments[0].status for year in overview.years}
    assert statuses[2025] == statuses[2026] == Status.MET
    assert len(overview.sides) == 2


def test_predecessor_hosting_before_the_change_and_the_successor_due_next(
    succession,
):
    agreement, a, b, b2 = succession
    DelegationVisit.objects.all().delete()
    exchange_visit(agreement, datetime.date(2024, 9, 1), b, a)
    exchange_visit(agreement, datetime.date(2025, 5, 2), a, b)  # before the change
    exchange_visit(agreement, datetime.date(2026, 3, 1), b2, a)

    overview = agreement_overview(agreement=agreement, today=TODAY)

    turns = {turn.year: turn for turn in overview.rotation.turns}
    # B hosted for its side in 2025: the side's turn, named as it stands by the
    # end of 2025.
    assert (turns[2025].host, turns[2025].expected_host) == (b, b2)
    assert turns[2025].turn_kept and turns[2026].turn_kept
    assert (overview.rotation.next_year, overview.rotation.next_host) == (2027, b2)


def test_year_progress_names_the_successor_from_the_year_of_the_change(succession):
    agreement, a, b, b2 = succession

    before = agreement_progress(agreement=agreement, year=2024, today=TODAY)
    after = agreement_progress(agreement=agreement, year=2025, today=TODAY)

    assert [side.organisation for side in before.sides] == [a, b]
    assert [(s.organisation, s.predecessor, s.since) for s in after.sides] == [
        (a, None, None),
        (b2, b, MERGER),
    ]


def test_successors_are_read_with_the_parties_in_the_same_queries(
    succession, django_assert_num_queries
):
    agreement, *_ = succession
    # The same 12 and 9 queries as without a successor: the parties' query joins
    # their successors and home areas.
    with django_assert_num_queries(12):
        agreement_progress(agreement=agreement, year=2026, today=TODAY)
    with django_assert_num_queries(9):
        agreement_overview(agreement=agreement, today=TODAY)
