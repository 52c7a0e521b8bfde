"""A clerk enters a distribution and its items on the programme's page, in chromium,
under the site's Content-Security-Policy: Django's "Add another" for the
distribution, static/js/nested-rows.js for its items, select2 for their kinds.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from cooperation.staff_groups import DATA_ENTRY, staff_groups_sync
from programs.models import DistributionItem, GiftDistribution
from tests.browser.test_content_security_policy import REPORT_VIOLATIONS, is_violation
from tests.factories import (
    DistrictFactory,
    ItemKindFactory,
    JointProgramFactory,
    home_branch,
    staff_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def violations(page):
    found = []
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.context.on(
        "console",
        lambda message: is_violation(message.text) and found.append(message.text),
    )
    return found


@pytest.fixture
def clerk_page(page, live_server, violations):
    # The groups come from a migration, which an earlier transaction test empties.
    staff_groups_sync(apps)
    user = staff_user("clerk", groups=[DATA_ENTRY], organisation=home_branch())
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    return page


def choose(page, field, text):
    """Pick `text` in the select2 autocomplete `field` (a locator inside its row)."""
    field.locator(".select2-selection").click()
    page.locator(".select2-search__field").last.fill(text[:4])
    page.locator(".select2-results__option", has_text=text).first.click()


def test_a_distribution_and_its_items_are_added_from_the_programme_page(
    clerk_page, live_server, violations, screenshot
):
    page = clerk_page
    programme = JointProgramFactory(year=2023, start_date=None)
    district = DistrictFactory(name_en="Sanxay")
    ItemKindFactory(code="bicycle", name_en="Bicycle")
    ItemKindFactory(code="school-backpack", name_en="School backpack")
    page.goto(
        live_server.url
        + reverse("admin:programs_jointprogram_change", args=[programme.pk])
    )

    page.locator("#distributions-group .add-row a").click()
    row = page.locator("#distributions-0")
    row.locator("[name=distributions-0-start_date]").fill("2023-09-12")
    choose(page, row.locator(".field-districts"), district.name_en)
    row.locator("[name=distributions-0-recipient_group]").select_option("students")
    row.locator("[name=distributions-0-packages]").fill("150")

    # The new distribution's first item row, then one more added beside it.
    items = row.locator(".nested-rows")
    first = items.locator("#distributions-0-items-0")
    choose(page, first.locator(".field-item_kind"), "Bicycle")
    first.locator("[name=distributions-0-items-0-quantity]").fill("10")
    items.locator(".nested-rows__add-button").click()
    second = items.locator("#distributions-0-items-1")
    choose(page, second.locator(".field-item_kind"), "School backpack")
    second.locator("[name=distributions-0-items-1-quantity]").fill("150")
    second.locator("[name=distributions-0-items-1-unit_value]").fill("100000")
    # A third row added and taken out again leaves nothing behind.
    items.locator(".nested-rows__add-button").click()
    items.locator("#distributions-0-items-2 .nested-rows__remove").click()
    assert items.locator("[name=distributions-0-items-TOTAL_FORMS]").input_value() == (
        "2"
    )
    screenshot("admin-programme-nested-items-entered")

    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()

    distribution = GiftDistribution.objects.get(program=programme)
    assert distribution.packages == 150
    assert sorted(
        DistributionItem.objects.values_list("item_kind__code", "quantity")
    ) == [("bicycle", 10), ("school-backpack", 150)]
    # The page again, with the saved items in their rows.
    saved = page.locator("#distributions-0 .nested-rows")
    assert saved.locator("tr.nested-rows__row").count() == 2
    assert "School backpack" in saved.inner_text()
    screenshot("admin-programme-nested-items-saved")
    assert violations == []


def test_item_rows_follow_their_distribution_when_one_before_it_is_removed(
    clerk_page, live_server, violations
):
    # Removing a new distribution renumbers the ones after it, their items' names
    # included: the items then added must be posted under the new number.
    page = clerk_page
    programme = JointProgramFactory(year=2023, start_date=None)
    district = DistrictFactory(name_en="Phouvong")
    ItemKindFactory(code="rice", name_en="Rice")
    ItemKindFactory(code="milk", name_en="Milk")
    page.goto(
        live_server.url
        + reverse("admin:programs_jointprogram_change", args=[programme.pk])
    )
    add_distribution = page.locator("#distributions-group .add-row a")
    add_distribution.click()
    add_distribution.click()
    choose(page, page.locator("#distributions-0-items-0 .field-item_kind"), "Rice")
    page.locator("#distributions-0 .inline-deletelink").click()

    row = page.locator("#distributions-0")
    assert row.locator("[name=distributions-0-items-TOTAL_FORMS]").count() == 1
    row.locator("[name=distributions-0-start_date]").fill("2023-10-01")
    choose(page, row.locator(".field-districts"), district.name_en)
    row.locator("[name=distributions-0-recipient_group]").select_option("families")
    row.locator("[name=distributions-0-packages]").fill("40")
    choose(page, row.locator("#distributions-0-items-0 .field-item_kind"), "Milk")
    row.locator(".nested-rows__add-button").click()
    choose(page, row.locator("#distributions-0-items-1 .field-item_kind"), "Rice")
    row.locator("[name=distributions-0-items-1-quantity]").fill("400")

    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()

    distribution = GiftDistribution.objects.get(program=programme)
    assert distribution.packages == 40
    assert sorted(distribution.items.values_list("item_kind__code", "quantity")) == [
        ("milk", None),
        ("rice", 400),
    ]
    assert violations == []
