"""The admin as a clerk reads it: the menu follows the work, money has a currency."""

import pytest
from django.urls import reverse

from tests.factories import DistributionItemFactory

pytestmark = pytest.mark.django_db


def menu(client):
    response = client.get(reverse("admin:index"))
    return [
        (app["app_label"], [model["object_name"] for model in app["models"]])
        for app in response.context["app_list"]
    ]


def test_agreements_then_visits_then_programmes_with_reference_lists_after(
    admin_client,
):
    apps = menu(admin_client)

    assert [label for label, _models in apps][:3] == [
        "cooperation",
        "exchanges",
        "programs",
    ]
    models = dict(apps)
    assert models["cooperation"][:2] == ["Agreement", "YearConfirmation"]
    assert models["cooperation"][-3:] == ["Organisation", "Area", "ExchangeRate"]
    assert models["exchanges"][0] == "DelegationVisit"
    assert models["programs"][:2] == ["JointProgram", "GiftDistribution"]
    assert models["programs"][-1] == "ItemKind"


def test_the_order_holds_in_the_sidebar_of_every_page(admin_client):
    html = admin_client.get(
        reverse("admin:programs_jointprogram_changelist")
    ).content.decode()

    assert html.index("/admin/programs/jointprogram/") < html.index(
        "/admin/programs/itemkind/"
    )
    assert html.index("/admin/cooperation/agreement/") < html.index(
        "/admin/cooperation/area/"
    )


def test_the_items_list_shows_values_with_currency_and_grouping(admin_client):
    DistributionItemFactory(unit_value=150000, distribution__currency="VND")

    html = admin_client.get(
        reverse("admin:programs_distributionitem_changelist")
    ).content.decode()

    assert "150,000\u00a0VND" in html
    assert "150000" not in html
