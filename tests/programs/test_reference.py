"""A distribution's reference: the clerk's own key, which an import matches rows
on. Blank for records entered by hand; unique in its programme once given."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.models import REFERENCE_TAKEN, GiftDistribution
from tests.factories import GiftDistributionFactory, JointProgramFactory

pytestmark = pytest.mark.django_db


def test_a_reference_taken_in_the_programme_is_refused_with_its_message():
    first = GiftDistributionFactory(reference="2022-01")
    second = GiftDistributionFactory.build(
        program=first.program, reference="2022-01", start_date=first.start_date
    )
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert refused.value.messages == [str(REFERENCE_TAKEN)]
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert GiftDistribution.objects.filter(reference="2022-01").count() == 1


def test_the_same_reference_in_another_programme_and_blank_ones_are_accepted():
    first = GiftDistributionFactory(reference="2022-01")
    GiftDistributionFactory(program=JointProgramFactory(), reference="2022-01")
    GiftDistributionFactory(program=first.program, reference="")
    blank = GiftDistributionFactory.build(program=first.program, reference="")
    blank.full_clean()
    blank.save()
    assert GiftDistribution.objects.filter(program=first.program).count() == 3
