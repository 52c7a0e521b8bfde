"""What a programme's state means on a given day, in Python and in the database."""

import datetime

import pytest

from programs.models import GiftDistribution, JointProgram
from tests.factories import (
    AgreementFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)

DAY = datetime.date(2026, 11, 28)


@pytest.mark.django_db
def test_held_by_in_the_database_agrees_with_is_held_by():
    # The progress rules judge programmes in Python and load their distributions
    # with the database condition: they must pick the same programmes.
    agreement = AgreementFactory()
    programmes = [
        JointProgramFactory(
            agreement=agreement, year=start.year, status=status, **dates
        )
        for status in JointProgram.Status.values
        for start in (
            datetime.date(2025, 6, 1),
            DAY,
            DAY + datetime.timedelta(days=1),
            datetime.date(2027, 3, 1),
        )
        for dates in ({"start_date": start}, {"start_date": None})
    ]
    for programme in programmes:
        GiftDistributionFactory(program=programme, start_date=DAY)

    in_python = {p.pk for p in programmes if p.is_held_by(DAY)}

    assert set(JointProgram.objects.held_by(DAY).values_list("pk", flat=True)) == (
        in_python
    )
    given = GiftDistribution.objects.given_by(DAY)
    assert set(given.values_list("program_id", flat=True)) == in_python
    # In progress or completed, and started by DAY: dated 2025-06-01 or DAY, or
    # undated in 2025 or 2026 (an undated programme starts with its year).
    assert len(in_python) == 2 * 5


@pytest.mark.django_db
def test_a_distribution_entered_ahead_is_not_given_yet():
    programme = JointProgramFactory(year=2026, status=JointProgram.Status.IN_PROGRESS)
    GiftDistributionFactory(program=programme, start_date=DAY)
    GiftDistributionFactory(program=programme, start_date=DAY + datetime.timedelta(1))

    given = GiftDistribution.objects.given_by(DAY)

    assert list(given.values_list("start_date", flat=True)) == [DAY]
