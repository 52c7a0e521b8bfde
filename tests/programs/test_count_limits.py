"""Counts within reason: 10¹² packages was once saved. The form, full_clean() and
the database refuse more than one record can hold, and nothing is saved."""

import pytest
from django.db import IntegrityError, transaction

from programs.models import (
    COUNT_TOO_LARGE,
    MOST_PACKAGES,
    MOST_PEOPLE,
    MOST_QUANTITY,
    GiftDistribution,
)
from tests.admin_forms import (
    admin_change_url,
    admin_form_data,
    assert_refused_in_admin,
    full_clean_errors,
)
from tests.factories import (
    DistributionItemFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)

pytestmark = pytest.mark.django_db


def too_large(most):
    return str(COUNT_TOO_LARGE % {"limit_value": most})


@pytest.mark.parametrize(
    ("factory", "field", "most"),
    [
        (GiftDistributionFactory, "packages", MOST_PACKAGES),
        (GiftDistributionFactory, "people_reached", MOST_PEOPLE),
        (JointProgramFactory, "people_reached", MOST_PEOPLE),
        (DistributionItemFactory, "quantity", MOST_QUANTITY),
    ],
)
def test_a_count_above_its_limit_is_refused_and_the_limit_itself_is_kept(
    factory, field, most
):
    record = factory()
    setattr(record, field, most)
    record.full_clean()
    setattr(record, field, 10**12)
    # (PostgreSQL adds its own integer range message beside ours for 10¹².)
    assert too_large(most) in full_clean_errors(record)[field]

    with pytest.raises(IntegrityError), transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(**{field: most + 1})
    record.refresh_from_db()
    assert getattr(record, field) != most + 1


def test_the_admin_refuses_a_trillion_packages_and_keeps_the_old_figure(admin_client):
    distribution = GiftDistributionFactory(packages=150)
    url = admin_change_url(distribution)
    data = admin_form_data(admin_client, url, packages=10**12)

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "packages", too_large(MOST_PACKAGES))
    assert GiftDistribution.objects.get(pk=distribution.pk).packages == 150
