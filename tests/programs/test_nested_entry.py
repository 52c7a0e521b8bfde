"""A programme, its distributions and their items entered from the programme's page.

Each distribution row of the programme's form holds its items as rows of their own
(cooperation/nested_inlines.py), posted as `distributions-<n>-items-<m>-<field>`
and saved with the programme in one transaction: with a version and a history row
each, or, when anything is wrong, not at all.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from cooperation.staff_groups import DATA_ENTRY, VIEWER
from programs.models import (
    COUNT_TOO_LARGE,
    MOST_QUANTITY,
    DistributionItem,
    GiftDistribution,
    JointProgram,
)
from tests.admin_forms import (
    admin_add_url,
    admin_change_url,
    admin_form_data,
    assert_saved,
    inline_errors,
    inline_rows_add,
    stored_row,
)
from tests.conftest import EnglishClient
from tests.factories import (
    AgreementFactory,
    DistributionItemFactory,
    DistrictFactory,
    GiftDistributionFactory,
    ItemKindFactory,
    JointProgramFactory,
    OrganisationFactory,
    home_branch,
    staff_user,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 9, 12)
ITEMS_BELOW = (
    "Correct the distributed items below: each message is shown beside its row. "
    "Nothing was saved."
)


def lead_party(agreement):
    return agreement.party_signatures.order_by("order")[0].organisation


def programme_values(agreement):
    return {
        "agreement": agreement,
        "year": 2023,
        "status": JointProgram.Status.COMPLETED,
        "lead_organisation": lead_party(agreement),
        "title_en": "Gifts for students in Sanxay",
        "includes_gifts": True,
        "start_date": DAY,
        "currency": "VND",
    }


def distribution_row(**fields):
    return {
        "start_date": DAY,
        "districts": [DistrictFactory()],
        "recipient_group": GiftDistribution.RecipientGroup.STUDENTS,
        "packages": 150,
        "total_value": "30000000",
        "currency": "VND",
        "is_published": True,
    } | fields


def counts():
    return (
        JointProgram.objects.count(),
        GiftDistribution.objects.count(),
        DistributionItem.objects.count(),
    )


def row_html(response, row_id):
    """The HTML of the table row with id `row_id`."""
    html = response.content.decode()
    match = re.search(rf'<tr [^>]*id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row {row_id!r} on the page"
    return match.group(1)


@pytest.fixture
def bicycle():
    return ItemKindFactory(code="bicycle", name_en="Bicycle")


@pytest.fixture
def backpack():
    return ItemKindFactory(code="school-backpack", name_en="School backpack")


@pytest.fixture
def clerk_user(db):
    return staff_user("clerk", groups=[DATA_ENTRY], organisation=home_branch())


@pytest.fixture
def clerk(clerk_user):
    client = EnglishClient()
    client.force_login(clerk_user)
    return client


def test_a_programme_its_distribution_and_two_items_are_entered_on_the_add_page(
    clerk, clerk_user, bicycle, backpack
):
    agreement = AgreementFactory()
    url = admin_add_url(JointProgram)
    data = admin_form_data(clerk, url, **programme_values(agreement))
    inline_rows_add(data, "distributions", distribution_row())
    inline_rows_add(
        data,
        "distributions-0-items",
        {"item_kind": bicycle, "quantity": 10, "unit_value": "1500000"},
        {"item_kind": backpack, "quantity": 150, "unit_value": "100000"},
    )

    assert_saved(clerk.post(url, data))

    programme = JointProgram.objects.get()
    distribution = programme.distributions.get()
    items = sorted(distribution.items.all(), key=lambda item: item.item_kind.code)
    assert [(i.item_kind, i.quantity, i.unit_value) for i in items] == [
        (bicycle, 10, Decimal("1500000")),
        (backpack, 150, Decimal("100000")),
    ]
    # Each record is at its first version, with history rows of it by the clerk
    # (a distribution has a second, for its districts, saved after it).
    for record in (programme, distribution, *items):
        assert record.version == 1
        history = list(record.history.order_by("history_date", "history_id"))
        assert history[0].history_type == "+"
        assert {(row.version, row.history_user) for row in history} == {(1, clerk_user)}
    # The programme's log names the distribution and both items.
    (entry,) = LogEntry.objects.all()
    message = entry.get_change_message()
    assert "Added gift distribution" in message
    assert "10 × Bicycle" in message and "150 × School backpack" in message


def test_distributions_and_items_are_added_on_the_change_page(clerk, bicycle, backpack):
    programme = JointProgramFactory(year=2023, start_date=DAY)
    saved = GiftDistributionFactory(program=programme, start_date=DAY)
    kept = DistributionItemFactory(distribution=saved, item_kind=backpack)
    history_before = (saved.history.count(), kept.history.count())
    url = admin_change_url(programme)
    data = admin_form_data(clerk, url)
    # An item more for the saved distribution, and a new distribution with two.
    inline_rows_add(data, "distributions-0-items", {"item_kind": bicycle})
    inline_rows_add(data, "distributions", distribution_row(packages=20))
    inline_rows_add(
        data,
        "distributions-1-items",
        {"item_kind": bicycle, "quantity": 2, "unit_value": "1500000"},
        {"item_kind": backpack, "quantity": 20},
    )

    assert_saved(clerk.post(url, data))

    saved.refresh_from_db()
    added = programme.distributions.exclude(pk=saved.pk).get()
    assert sorted(saved.items.values_list("item_kind__code", flat=True)) == [
        "bicycle",
        "school-backpack",
    ]
    assert sorted(added.items.values_list("item_kind__code", "quantity")) == [
        ("bicycle", 2),
        ("school-backpack", 20),
    ]
    # What was not changed was not written: no new version, no history row.
    kept_now = DistributionItem.objects.get(pk=kept.pk)
    assert (saved.version, kept_now.version) == (1, 1)
    assert (saved.history.count(), kept_now.history.count()) == history_before
    for item in DistributionItem.objects.exclude(pk=kept.pk):
        assert item.version == 1
        assert item.history.get().history_type == "+"


def test_an_items_error_is_shown_beside_it_and_nothing_is_saved(clerk, bicycle):
    agreement = AgreementFactory()
    url = admin_add_url(JointProgram)
    data = admin_form_data(clerk, url, **programme_values(agreement))
    inline_rows_add(data, "distributions", distribution_row())
    inline_rows_add(
        data,
        "distributions-0-items",
        {"item_kind": bicycle, "quantity": 10},
        {"item_kind": ItemKindFactory(), "quantity": MOST_QUANTITY + 1},
    )

    response = clerk.post(url, data)

    assert response.status_code == 200
    expected = str(COUNT_TOO_LARGE % {"limit_value": MOST_QUANTITY})
    rows = inline_errors(response, "distributions-0-items")["rows"]
    assert rows == [{}, {"quantity": [expected]}]
    # On the page, inside the item's own row, and the distribution says why.
    assert escape(expected) in row_html(response, "distributions-0-items-1")
    assert escape(expected) not in row_html(response, "distributions-0-items-0")
    assert inline_errors(response, "distributions")["rows"][0] == {
        "__all__": [ITEMS_BELOW]
    }
    assert "Please correct the error below." in response.content.decode()
    assert counts() == (0, 0, 0)


def test_an_items_error_on_the_change_page_leaves_everything_as_it_was(clerk, bicycle):
    programme = JointProgramFactory(year=2023, start_date=DAY)
    distribution = GiftDistributionFactory(program=programme, start_date=DAY)
    item = DistributionItemFactory(distribution=distribution, quantity=5)
    before = [stored_row(record) for record in (programme, distribution, item)]
    url = admin_change_url(programme)
    data = admin_form_data(clerk, url, title_en="Renamed meanwhile")
    data["distributions-0-packages"] = "99"
    data["distributions-0-items-0-quantity"] = "6"
    # A VND distribution has no cents.
    inline_rows_add(
        data,
        "distributions-0-items",
        {"item_kind": bicycle, "quantity": 1, "unit_value": "1500000.50"},
    )

    response = clerk.post(url, data)

    assert response.status_code == 200
    rows = inline_errors(response, "distributions-0-items")["rows"]
    assert list(rows[1]) == ["unit_value"]
    assert [stored_row(r) for r in (programme, distribution, item)] == before
    assert counts() == (1, 1, 1)


def test_items_edited_meanwhile_are_not_overwritten(clerk):
    programme = JointProgramFactory(year=2023, start_date=DAY)
    distribution = GiftDistributionFactory(program=programme, start_date=DAY)
    item = DistributionItemFactory(distribution=distribution, quantity=5)
    url = admin_change_url(programme)
    data = admin_form_data(clerk, url)
    data["distributions-0-items-0-quantity"] = "7"
    # Someone else saves the item after the page was opened.
    item.quantity = 6
    item.save()

    response = clerk.post(url, data)

    assert response.status_code == 200
    (error,) = inline_errors(response, "distributions-0-items")["rows"][0]["__all__"]
    assert "was changed by" in error
    assert DistributionItem.objects.get().quantity == 6


def test_save_as_new_copies_the_distributions_with_their_items(clerk, bicycle):
    programme = JointProgramFactory(year=2023, start_date=DAY)
    distribution = GiftDistributionFactory(program=programme, start_date=DAY)
    DistributionItemFactory(distribution=distribution, item_kind=bicycle, quantity=3)
    url = admin_change_url(programme)
    data = admin_form_data(clerk, url, title_en="The same, once more")
    data["_saveasnew"] = "Save as new"

    assert_saved(clerk.post(url, data))

    copy = JointProgram.objects.get(title_en="The same, once more")
    copied = copy.distributions.get()
    assert list(copied.items.values_list("item_kind__code", "quantity")) == [
        ("bicycle", 3)
    ]
    assert distribution.items.count() == 1
    assert counts() == (2, 2, 2)


@pytest.fixture
def other_side():
    """The agreement's second party, with a clerk of its own and a programme of
    the home branch's to aim at."""
    other = OrganisationFactory(name_en="Other Provincial Red Cross", acronym="OTH")
    agreement = AgreementFactory(parties=[home_branch(), other])
    programme = JointProgramFactory(agreement=agreement, year=2023, start_date=DAY)
    distribution = GiftDistributionFactory(program=programme, start_date=DAY)
    own = JointProgramFactory(
        agreement=agreement, year=2023, start_date=DAY, lead_organisation=other
    )
    clerk = EnglishClient()
    user = staff_user("other-clerk", groups=[DATA_ENTRY], organisation=other)
    clerk.force_login(user)
    return clerk, programme, distribution, own


def test_the_other_sides_clerk_cannot_add_items_by_a_forged_nested_post(
    clerk, other_side, bicycle
):
    other_clerk, programme, distribution, _own = other_side
    url = admin_change_url(programme)
    # The POST the programme's own clerk would send, sent by the other side.
    data = admin_form_data(clerk, url)
    inline_rows_add(data, "distributions-0-items", {"item_kind": bicycle})

    page = other_clerk.get(url)
    forged = other_clerk.post(url, data)

    assert page.status_code == 200
    assert 'name="distributions-0-items-TOTAL_FORMS"' not in page.content.decode()
    assert forged.status_code == 403
    assert not distribution.items.exists()


def test_the_other_sides_clerk_cannot_hang_items_on_a_distribution_not_theirs(
    clerk, other_side, bicycle
):
    other_clerk, _programme, distribution, own = other_side
    before = stored_row(distribution)
    url = admin_change_url(own)
    data = admin_form_data(other_clerk, url)
    # Their own programme's page, claiming the home branch's distribution as a
    # saved row of it, with an item added under it.
    inline_rows_add(data, "distributions", distribution_row())
    data["distributions-INITIAL_FORMS"] = "1"
    data["distributions-0-id"] = str(distribution.pk)
    data["distributions-0-version"] = str(distribution.version)
    inline_rows_add(data, "distributions-0-items", {"item_kind": bicycle})

    other_clerk.post(url, data)

    # The row is not found among their programme's distributions: nothing is
    # written to it, under it or in its place.
    assert stored_row(distribution) == before
    assert counts() == (2, 1, 0)


def test_a_viewer_reads_the_items_but_gets_no_item_rows_to_fill_in(client, bicycle):
    distribution = GiftDistributionFactory(currency="VND")
    DistributionItemFactory(
        distribution=distribution,
        item_kind=bicycle,
        quantity=10,
        unit_value=Decimal("1500000"),
    )
    client.force_login(
        staff_user("reader", groups=[VIEWER], organisation=home_branch())
    )

    html = client.get(admin_change_url(distribution.program)).content.decode()

    assert "10 × Bicycle – 1,500,000\N{NO-BREAK SPACE}VND each" in html
    assert "distributions-0-items-TOTAL_FORMS" not in html
    # The value of the priced items, with its currency, grouped for English.
    assert "15,000,000\N{NO-BREAK SPACE}VND" in html


def test_the_items_value_is_shown_with_its_currency_grouped_for_the_language(
    admin_client,
):
    distribution = GiftDistributionFactory(currency="VND")
    DistributionItemFactory(
        distribution=distribution, quantity=10, unit_value=Decimal("1500000")
    )
    DistributionItemFactory(distribution=distribution, quantity=None)
    url = admin_change_url(distribution.program)

    english = admin_client.get(url).content.decode()
    vietnamese = admin_client.get(url, headers={"accept-language": "vi"})

    assert "15,000,000\N{NO-BREAK SPACE}VND, for 1 of its 2 items" in english
    assert "15.000.000\N{NO-BREAK SPACE}VND" in vietnamese.content.decode()


def programme_with(distributions, items_each):
    programme = JointProgramFactory(year=2023, start_date=DAY)
    for _ in range(distributions):
        distribution = GiftDistributionFactory(program=programme, start_date=DAY)
        for _ in range(items_each):
            DistributionItemFactory(distribution=distribution)
    return programme


def page_queries(client, programme):
    url = admin_change_url(programme)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_programme_page_reads_a_fixed_number_of_queries(
    clerk, django_assert_max_num_queries
):
    small, large = programme_with(1, 1), programme_with(5, 4)
    # Content types are cached after the first page, as on a running server.
    clerk.get(admin_change_url(small))

    few = page_queries(clerk, small)
    many = page_queries(clerk, large)

    # 1 session, 2 user, 3 the clerk's organisation, 4 its successors, 5 the
    # programme, 6 its districts, 7–8 permissions (user, groups), 9 and 13 whether
    # the clerk may change it, 10–12 whether its year is confirmed (its stored
    # year, the parties, their confirmations), 14 the distributions, 15 their
    # districts, 16 their items with their kinds, 17 photos, 18 the agreement and
    # 19 the lead organisation named in their fields, 20 the distributions'
    # totals. Five distributions of four items read no more than one of one.
    assert many == few
    with django_assert_max_num_queries(20):
        clerk.get(admin_change_url(large))
