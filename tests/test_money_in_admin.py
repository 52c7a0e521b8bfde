"""Money in the admin reads as money: grouped for the reader's language, with its
currency, in every list column and wherever it is shown read-only (a Viewer's
pages, a year every party has confirmed), not as Django's bare 269500000,00."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from cooperation.staff_groups import staff_groups_sync
from tests.factories import (
    DistributionItemFactory,
    ExchangeRateFactory,
    GiftDistributionFactory,
    ItemKindFactory,
    JointProgramFactory,
    confirm_year,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _staff_groups():
    """The viewer's group comes from a migration; a transaction test that ran
    before on the same worker may have emptied it (as tests/test_history.py)."""
    staff_groups_sync(apps)


@pytest.fixture
def programme():
    return JointProgramFactory(
        budget=Decimal("300000000"), actual_cost=Decimal("269500000")
    )


@pytest.fixture
def distribution(programme):
    distribution = GiftDistributionFactory(
        program=programme, total_value=Decimal("269500000"), packages=1250
    )
    DistributionItemFactory(
        distribution=distribution,
        item_kind=ItemKindFactory(code="bicycle", name_en="Bicycle"),
        quantity=1250,
        unit_value=Decimal("150000"),
    )
    return distribution


def page(client, name, *args, **headers):
    response = client.get(reverse(name, args=args), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_viewer_reads_the_budget_and_cost_as_money_in_vietnamese(
    viewer_client, programme
):
    content = page(
        viewer_client,
        "admin:programs_jointprogram_change",
        programme.pk,
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert f"300.000.000{NBSP}VND" in content
    assert f"269.500.000{NBSP}VND" in content
    assert "300000000" not in content
    # Labelled as the fields are.
    assert "Kinh phí dự toán" in content


def test_a_confirmed_year_shows_values_and_unit_values_as_money(
    admin_client, distribution
):
    programme = distribution.program
    confirm_year(programme.agreement, programme.year)

    content = page(
        admin_client, "admin:programs_giftdistribution_change", distribution.pk
    )

    assert f"269,500,000{NBSP}VND" in content
    # The items' table, read-only too, in the distribution's currency.
    assert f"150,000{NBSP}VND" in content
    assert "150000.00" not in content


def test_a_form_that_can_be_saved_keeps_its_amount_boxes(admin_client, programme):
    content = page(admin_client, "admin:programs_jointprogram_change", programme.pk)

    assert 'name="budget"' in content
    assert 'name="actual_cost"' in content


def test_programme_totals_and_items_group_their_figures(admin_client, distribution):
    programme = distribution.program

    programme_page = page(
        admin_client, "admin:programs_jointprogram_change", programme.pk
    )
    distribution_page = page(
        admin_client, "admin:programs_giftdistribution_change", distribution.pk
    )

    assert "<div>packages: 1,250</div>" in programme_page
    assert "<div>1,250 × Bicycle </div>" in distribution_page


def test_exchange_rates_read_as_one_unit_in_the_other_currency(admin_client):
    ExchangeRateFactory(
        year=2023,
        currency="LAK",
        units_per_reporting_unit=Decimal("16650.5"),
        rate_date=datetime.date(2023, 12, 31),
    )

    english = page(admin_client, "admin:cooperation_exchangerate_changelist")
    lao = page(
        admin_client,
        "admin:cooperation_exchangerate_changelist",
        HTTP_ACCEPT_LANGUAGE="lo",
    )

    assert f"1{NBSP}USD = 16,650.5{NBSP}LAK" in english
    assert f"1{NBSP}USD = 16.650,5{NBSP}LAK" in lao


@pytest.mark.parametrize(
    ("language", "value"),
    [("vi", "269.500.000"), ("lo", "269.500.000"), ("en", "269,500,000")],
)
def test_distribution_list_shows_value_with_currency_in_each_language(
    admin_client, distribution, language, value
):
    content = page(
        admin_client,
        "admin:programs_giftdistribution_changelist",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert f"{value}{NBSP}VND" in content
