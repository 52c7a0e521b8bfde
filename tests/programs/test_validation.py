"""Bad input for joint programmes, gift distributions and their items is refused.

Each rule is tried through `full_clean()` and through the admin form: the user reads
the rule's message and nothing already saved is changed. A few rules are also shown
to hold in the database when code skips validation.

Negative numbers and unknown currencies are caught by the fields themselves before
`clean()` or the constraints run, so the user reads Django's own messages for them;
the constraints' messages are checked separately with `validate_constraints()`.
"""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from cooperation.models import WHOLE_UNIT_CURRENCIES, Currency
from cooperation.uploads import PHOTO_NOT_AN_IMAGE
from cooperation.validation import (
    AMOUNT_HAS_DECIMALS,
    DATE_OUTSIDE_AGREEMENT,
    END_BEFORE_START,
    ITEM_VALUES_HAVE_DECIMALS,
    NEGATIVE_AMOUNT,
    NOT_A_PARTY,
    UNKNOWN_CURRENCY,
    WHOLE_UNITS_ONLY,
    YEAR_OUTSIDE_AGREEMENT,
    period_params,
)
from programs.models import (
    COMPLETED_IN_THE_FUTURE,
    DISTRIBUTION_OUTSIDE_PROGRAMME_YEAR,
    START_NOT_IN_YEAR,
    TITLE_REQUIRED,
    VISIT_OF_ANOTHER_AGREEMENT,
    DistributionAttachment,
    DistributionItem,
    GiftDistribution,
    ItemKind,
    JointProgram,
    ProgramAttachment,
)
from tests.admin_forms import (
    admin_add_url,
    admin_change_url,
    admin_form_data,
    assert_redisplayed_with,
    assert_refused_in_admin,
    assert_saved,
    constraint_message,
    full_clean_errors,
    image_upload,
    inline_errors,
    inline_rows_add,
    stored_row,
)
from tests.factories import (
    AgreementFactory,
    DelegationVisitFactory,
    DistributionItemFactory,
    DistrictFactory,
    GiftDistributionFactory,
    ItemKindFactory,
    JointProgramFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

# What the model field says about a value outside its choices, and what the form says.
MODEL_INVALID_CHOICE = models.Field.default_error_messages["invalid_choice"]
FORM_INVALID_CHOICE = forms.ChoiceField.default_error_messages["invalid_choice"]
DUPLICATE_ITEM = constraint_message(DistributionItem, "distribution_item_once")


def outside_message(agreement):
    return str(DATE_OUTSIDE_AGREEMENT % period_params(agreement))


def year_outside_message(agreement, year):
    return str(YEAR_OUTSIDE_AGREEMENT % {"year": year, **period_params(agreement)})


def not_negative():
    """What Django's MinValueValidator(0) says, in the active language."""
    return str(MinValueValidator.message % {"limit_value": 0})


def unknown_choice_in_model(value):
    return str(MODEL_INVALID_CHOICE % {"value": value})


def unknown_choice_in_form(value):
    return str(FORM_INVALID_CHOICE % {"value": value})


def lead_party(agreement):
    return agreement.party_signatures.order_by("order")[0].organisation


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def program_add_data(client, agreement, **fields):
    """A complete, valid add form for a gifts programme in September 2023."""
    url = admin_add_url(JointProgram)
    values = {
        "agreement": agreement,
        "year": 2023,
        "status": JointProgram.Status.COMPLETED,
        "lead_organisation": lead_party(agreement),
        "title_en": "Gifts for students in Sanxay",
        "includes_gifts": True,
        "start_date": datetime.date(2023, 9, 12),
        "currency": "VND",
        "districts": [DistrictFactory()],
    }
    return url, admin_form_data(client, url, **(values | fields))


def distribution_add_data(client, program, **fields):
    """A complete, valid add form for a distribution on the programme's first day."""
    url = admin_add_url(GiftDistribution)
    values = {
        "program": program,
        "start_date": program.start_date,
        "districts": [DistrictFactory()],
        "recipient_group": GiftDistribution.RecipientGroup.STUDENTS,
        "packages": 150,
        "people_reached": 150,
        "total_value": "270000000",
        "currency": "VND",
    }
    return url, admin_form_data(client, url, **(values | fields))


def distribution_row(**fields):
    """A valid row of the distributions inline of a programme dated 2023-09-12."""
    return {
        "start_date": datetime.date(2023, 9, 12),
        "districts": [DistrictFactory()],
        "recipient_group": GiftDistribution.RecipientGroup.FAMILIES,
        "packages": 20,
        "currency": "VND",
    } | fields


# Joint programme: year and dates ---------------------------------------------------


def test_programme_in_a_year_outside_the_agreement_is_refused(agreement):
    program = JointProgramFactory.build(agreement=agreement, year=2030, start_date=None)

    errors = full_clean_errors(program)

    assert errors["year"] == [year_outside_message(agreement, 2030)]
    assert not JointProgram.objects.exists()


def test_programme_moved_to_a_year_outside_the_agreement_is_refused_in_admin(
    data_entry_client,
):
    program = JointProgramFactory(planned=True, year=2027)
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(
        data_entry_client, url, year=2028, title_en="Changed on the way"
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(
        response, "year", year_outside_message(program.agreement, 2028)
    )
    assert stored_row(program) == before


def test_programme_starting_in_another_year_than_its_own_is_refused(agreement):
    program = JointProgramFactory.build(
        agreement=agreement, year=2023, start_date=datetime.date(2022, 12, 28)
    )

    errors = full_clean_errors(program)

    expected = START_NOT_IN_YEAR % {"start": 2022, "year": 2023}
    assert errors["start_date"] == [str(expected)]
    assert not JointProgram.objects.exists()


def test_programme_starting_in_another_year_than_its_own_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = program_add_data(
        data_entry_client, agreement, year=2024, start_date=datetime.date(2023, 9, 12)
    )

    response = data_entry_client.post(url, data)

    expected = START_NOT_IN_YEAR % {"start": 2023, "year": 2024}
    assert_refused_in_admin(response, "start_date", expected)
    assert not JointProgram.objects.exists()


def test_programme_ending_before_it_starts_is_refused():
    program = JointProgramFactory()
    before = stored_row(program)
    program.end_date = program.start_date - datetime.timedelta(days=1)

    errors = full_clean_errors(program)

    assert errors["end_date"] == [str(END_BEFORE_START)]
    assert stored_row(program) == before


def test_programme_ending_before_it_starts_is_refused_in_admin(data_entry_client):
    program = JointProgramFactory()
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(
        data_entry_client, url, end_date=program.start_date - datetime.timedelta(1)
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "end_date", END_BEFORE_START)
    assert stored_row(program) == before


def test_programme_ending_after_the_agreement_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = program_add_data(
        data_entry_client,
        agreement,
        year=2027,
        start_date=datetime.date(2027, 12, 30),
        end_date=datetime.date(2028, 1, 3),
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "end_date", outside_message(agreement))
    assert not JointProgram.objects.exists()


# Joint programme: "completed" only once it has happened ---------------------------

DAY = datetime.timedelta(days=1)


@pytest.fixture
def agreement_around_today():
    """An agreement from last year to next year, so that tomorrow lies inside it."""
    today = timezone.localdate()
    return AgreementFactory(
        start_date=datetime.date(today.year - 1, 1, 1),
        end_date=datetime.date(today.year + 1, 12, 31),
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [(1, None), (1, 5), (-3, 1)],
    ids=["starts-tomorrow", "starts-and-ends-later", "started-but-ends-tomorrow"],
)
def test_completed_programme_dated_after_today_is_refused(
    agreement_around_today, start, end
):
    today = timezone.localdate()
    start_date = today + start * DAY
    program = JointProgramFactory.build(
        agreement=agreement_around_today,
        year=start_date.year,
        status=JointProgram.Status.COMPLETED,
        start_date=start_date,
        end_date=None if end is None else today + end * DAY,
    )

    errors = full_clean_errors(program)

    assert errors["status"] == [str(COMPLETED_IN_THE_FUTURE)]
    assert not JointProgram.objects.exists()


@pytest.mark.parametrize(
    ("status", "start", "end"),
    [
        (JointProgram.Status.COMPLETED, -3, 0),
        (JointProgram.Status.COMPLETED, 0, None),
        (JointProgram.Status.IN_PROGRESS, -3, 5),
        (JointProgram.Status.PLANNED, 10, 12),
    ],
    ids=["completed-today", "one-day-today", "under-way", "planned-ahead"],
)
def test_programme_dated_after_today_is_accepted_unless_completed(
    agreement_around_today, status, start, end
):
    today = timezone.localdate()
    start_date = today + start * DAY
    program = JointProgramFactory.build(
        agreement=agreement_around_today,
        year=start_date.year,
        status=status,
        start_date=start_date,
        end_date=None if end is None else today + end * DAY,
    )

    program.full_clean()


def test_completing_a_programme_planned_for_next_week_is_refused_in_admin(
    data_entry_client, agreement_around_today
):
    next_week = timezone.localdate() + 7 * DAY
    program = JointProgramFactory(
        agreement=agreement_around_today,
        year=next_week.year,
        status=JointProgram.Status.PLANNED,
        start_date=next_week,
    )
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(
        data_entry_client,
        url,
        status=JointProgram.Status.COMPLETED,
        title_en="Changed on the way",
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "status", COMPLETED_IN_THE_FUTURE)
    assert stored_row(program) == before


def test_new_programme_completed_tomorrow_is_refused_in_admin(
    data_entry_client, agreement_around_today
):
    tomorrow = timezone.localdate() + DAY
    url, data = program_add_data(
        data_entry_client,
        agreement_around_today,
        year=tomorrow.year,
        start_date=tomorrow,
        status=JointProgram.Status.COMPLETED,
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "status", COMPLETED_IN_THE_FUTURE)
    assert not JointProgram.objects.exists()


# Joint programme: lead organisation and visit --------------------------------------


def test_programme_led_by_an_organisation_outside_the_agreement_is_refused(agreement):
    outsider = OrganisationFactory()
    program = JointProgramFactory.build(agreement=agreement, lead_organisation=outsider)

    errors = full_clean_errors(program)

    expected = NOT_A_PARTY % {"organisation": outsider}
    assert errors["lead_organisation"] == [str(expected)]
    assert not JointProgram.objects.exists()


def test_programme_handed_to_an_outsider_is_refused_in_admin(
    data_entry_client,
):
    program = JointProgramFactory()
    outsider = OrganisationFactory(name_en="Quang Nam Provincial Red Cross")
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(data_entry_client, url, lead_organisation=outsider)

    response = data_entry_client.post(url, data)

    expected = NOT_A_PARTY % {"organisation": outsider}
    assert_refused_in_admin(response, "lead_organisation", expected)
    assert stored_row(program) == before


def test_programme_during_a_visit_of_another_agreement_is_refused(agreement):
    visit_elsewhere = DelegationVisitFactory()
    program = JointProgramFactory.build(agreement=agreement, visit=visit_elsewhere)

    errors = full_clean_errors(program)

    assert errors["visit"] == [str(VISIT_OF_ANOTHER_AGREEMENT)]
    assert not JointProgram.objects.exists()


def test_programme_during_a_visit_of_another_agreement_is_refused_in_admin(
    data_entry_client, agreement
):
    visit_elsewhere = DelegationVisitFactory(start_date=datetime.date(2023, 9, 11))
    url, data = program_add_data(data_entry_client, agreement, visit=visit_elsewhere)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "visit", VISIT_OF_ANOTHER_AGREEMENT)
    assert not JointProgram.objects.exists()


# Joint programme: money and title --------------------------------------------------


def test_programme_with_a_negative_budget_is_refused():
    program = JointProgramFactory(budget=Decimal("5000000"))
    program.budget = Decimal("-1")

    errors = full_clean_errors(program)

    assert errors["budget"] == [not_negative()]
    program.refresh_from_db()
    assert program.budget == Decimal("5000000")


def test_programme_with_a_negative_budget_is_refused_in_admin(data_entry_client):
    program = JointProgramFactory(budget=Decimal("5000000"))
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(data_entry_client, url, budget="-5000000")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "budget", not_negative())
    assert stored_row(program) == before


def test_programme_with_a_negative_actual_cost_is_refused(agreement):
    program = JointProgramFactory.build(
        agreement=agreement, actual_cost=Decimal("-0.01")
    )

    errors = full_clean_errors(program)

    assert errors["actual_cost"] == [not_negative()]
    assert not JointProgram.objects.exists()


def test_programme_with_a_negative_actual_cost_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = program_add_data(data_entry_client, agreement, actual_cost="-120")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "actual_cost", not_negative())
    assert not JointProgram.objects.exists()


def test_negative_budget_breaks_the_constraint_with_its_own_message():
    program = JointProgramFactory.build(
        agreement=AgreementFactory(), budget=Decimal("-1")
    )

    with pytest.raises(ValidationError) as caught:
        program.validate_constraints()

    assert caught.value.messages == [str(NEGATIVE_AMOUNT)]


def test_programme_in_an_unknown_currency_is_refused():
    program = JointProgramFactory()
    program.currency = "XYZ"

    errors = full_clean_errors(program)

    assert errors["currency"] == [unknown_choice_in_model("XYZ")]
    program.refresh_from_db()
    assert program.currency == "VND"


def test_programme_in_an_unknown_currency_is_refused_in_admin(data_entry_client):
    program = JointProgramFactory()
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(data_entry_client, url, currency="XYZ")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "currency", unknown_choice_in_form("XYZ"))
    assert stored_row(program) == before


def test_unknown_currency_breaks_the_constraint_with_its_own_message():
    program = JointProgramFactory.build(agreement=AgreementFactory(), currency="XYZ")

    with pytest.raises(ValidationError) as caught:
        program.validate_constraints()

    assert caught.value.messages == [str(UNKNOWN_CURRENCY)]


def test_database_refuses_a_programme_in_an_unknown_currency():
    program = JointProgramFactory()
    before = stored_row(program)

    with pytest.raises(IntegrityError), transaction.atomic():
        JointProgram.objects.filter(pk=program.pk).update(currency="XYZ")

    assert stored_row(program) == before


def test_database_refuses_a_programme_with_a_negative_budget():
    program = JointProgramFactory(budget=Decimal("100"))
    before = stored_row(program)

    with pytest.raises(IntegrityError), transaction.atomic():
        JointProgram.objects.filter(pk=program.pk).update(budget=Decimal("-100"))

    assert stored_row(program) == before


def test_programme_without_a_title_in_any_language_is_refused(agreement):
    program = JointProgramFactory.build(agreement=agreement, title_en="")

    errors = full_clean_errors(program)

    assert errors["title_en"] == [str(TITLE_REQUIRED)]
    assert not JointProgram.objects.exists()


def test_programme_without_a_title_in_any_language_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = program_add_data(data_entry_client, agreement, title_en="")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "title_en", TITLE_REQUIRED)
    assert not JointProgram.objects.exists()


# Gift distribution: dates ----------------------------------------------------------


def test_distribution_after_the_agreement_ended_is_refused():
    distribution = GiftDistributionFactory(
        program=JointProgramFactory(year=2027, start_date=datetime.date(2027, 12, 30))
    )
    before = stored_row(distribution)
    distribution.end_date = datetime.date(2028, 1, 2)

    errors = full_clean_errors(distribution)

    assert errors["end_date"] == [outside_message(distribution.program.agreement)]
    assert stored_row(distribution) == before


def test_distribution_moved_before_the_agreement_is_refused_in_admin(
    data_entry_client,
):
    distribution = GiftDistributionFactory()
    before = stored_row(distribution)
    url = admin_change_url(distribution)
    data = admin_form_data(
        data_entry_client,
        url,
        start_date=datetime.date(2021, 11, 20),
        notes="Notes that must not be saved either",
    )

    response = data_entry_client.post(url, data)

    expected = outside_message(distribution.program.agreement)
    assert_refused_in_admin(response, "start_date", expected)
    assert stored_row(distribution) == before


def test_distribution_outside_the_agreement_is_refused_in_a_new_programme_form(
    data_entry_client, agreement
):
    url, data = program_add_data(data_entry_client, agreement)
    inline_rows_add(
        data, "distributions", distribution_row(start_date=datetime.date(2028, 2, 1))
    )

    response = data_entry_client.post(url, data)

    # The programme is not saved yet when its distributions are checked.
    expected = outside_message(agreement)
    assert_redisplayed_with(response, expected)
    rows = inline_errors(response, "distributions")["rows"]
    assert rows[0]["start_date"] == [expected]
    assert not JointProgram.objects.exists()
    assert not GiftDistribution.objects.exists()


def test_distribution_ending_before_it_starts_is_refused():
    program = JointProgramFactory()
    distribution = GiftDistributionFactory.build(
        program=program, end_date=program.start_date - datetime.timedelta(days=1)
    )

    errors = full_clean_errors(distribution)

    assert errors["end_date"] == [str(END_BEFORE_START)]
    assert not GiftDistribution.objects.exists()


def test_distribution_ending_before_it_starts_is_refused_in_admin(data_entry_client):
    program = JointProgramFactory()
    url, data = distribution_add_data(
        data_entry_client,
        program,
        end_date=program.start_date - datetime.timedelta(days=1),
    )
    inline_rows_add(data, "items", {"item_kind": ItemKindFactory(), "quantity": 5})

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "end_date", END_BEFORE_START)
    assert not GiftDistribution.objects.exists()
    assert not DistributionItem.objects.exists()


# Gift distribution: inside its programme's year -----------------------------------


def outside_programme_year(date_year, year):
    return str(
        DISTRIBUTION_OUTSIDE_PROGRAMME_YEAR % {"date_year": date_year, "year": year}
    )


def test_distribution_dated_2024_under_a_2023_programme_is_refused():
    program = JointProgramFactory(year=2023)
    distribution = GiftDistributionFactory.build(
        program=program, start_date=datetime.date(2024, 1, 15)
    )

    errors = full_clean_errors(distribution)

    assert errors["start_date"] == [outside_programme_year(2024, 2023)]
    assert not GiftDistribution.objects.exists()


def test_distribution_dated_2024_under_a_2023_programme_is_refused_in_admin(
    data_entry_client,
):
    program = JointProgramFactory(year=2023)
    url, data = distribution_add_data(
        data_entry_client, program, start_date=datetime.date(2024, 1, 15)
    )
    inline_rows_add(data, "items", {"item_kind": ItemKindFactory(), "quantity": 5})

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "start_date", outside_programme_year(2024, 2023))
    assert not GiftDistribution.objects.exists()
    assert not DistributionItem.objects.exists()


def test_distribution_moved_to_another_year_is_refused_in_admin(data_entry_client):
    distribution = GiftDistributionFactory(program=JointProgramFactory(year=2023))
    before = stored_row(distribution)
    url = admin_change_url(distribution)
    data = admin_form_data(
        data_entry_client, url, start_date=datetime.date(2022, 12, 20), packages=999
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "start_date", outside_programme_year(2022, 2023))
    assert stored_row(distribution) == before


def test_distribution_of_another_year_is_refused_in_a_new_programme_form(
    data_entry_client, agreement
):
    url, data = program_add_data(data_entry_client, agreement, year=2023)
    inline_rows_add(
        data, "distributions", distribution_row(start_date=datetime.date(2024, 2, 1))
    )

    response = data_entry_client.post(url, data)

    expected = outside_programme_year(2024, 2023)
    assert_redisplayed_with(response, expected)
    rows = inline_errors(response, "distributions")["rows"]
    assert rows[0]["start_date"] == [expected]
    assert not JointProgram.objects.exists()
    assert not GiftDistribution.objects.exists()


def test_programme_moved_to_another_year_without_its_distributions_is_refused(
    data_entry_client,
):
    # The programme form checks its saved distributions against the year it is
    # given, so they cannot be left behind in the old year.
    program = JointProgramFactory(year=2023)
    distribution = GiftDistributionFactory(program=program)
    before = stored_row(program), stored_row(distribution)
    url = admin_change_url(program)
    data = admin_form_data(
        data_entry_client, url, year=2024, start_date=datetime.date(2024, 9, 28)
    )

    response = data_entry_client.post(url, data)

    expected = outside_programme_year(2023, 2024)
    assert_redisplayed_with(response, expected)
    rows = inline_errors(response, "distributions")["rows"]
    assert rows[0]["start_date"] == [expected]
    assert (stored_row(program), stored_row(distribution)) == before


def test_distribution_running_over_new_year_is_accepted():
    # The rule is on the distribution's date (its first day), as a programme's
    # year is on its start date: either may end in the next year.
    program = JointProgramFactory(year=2023, start_date=datetime.date(2023, 12, 30))
    distribution = GiftDistributionFactory.build(
        program=program,
        start_date=datetime.date(2023, 12, 30),
        end_date=datetime.date(2024, 1, 2),
    )

    distribution.full_clean()


# Gift distribution: numbers and currency -------------------------------------------


def test_distribution_with_a_negative_value_is_refused():
    distribution = GiftDistributionFactory()
    before = stored_row(distribution)
    distribution.total_value = Decimal("-90000000")

    errors = full_clean_errors(distribution)

    assert errors["total_value"] == [not_negative()]
    assert stored_row(distribution) == before


def test_distribution_with_a_negative_value_is_refused_in_admin(data_entry_client):
    distribution = GiftDistributionFactory()
    before = stored_row(distribution)
    url = admin_change_url(distribution)
    data = admin_form_data(data_entry_client, url, total_value="-90000000")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "total_value", not_negative())
    assert stored_row(distribution) == before


def test_database_refuses_a_distribution_with_a_negative_value():
    distribution = GiftDistributionFactory()
    before = stored_row(distribution)

    with pytest.raises(IntegrityError), transaction.atomic():
        GiftDistribution.objects.filter(pk=distribution.pk).update(
            total_value=Decimal("-1")
        )

    assert stored_row(distribution) == before


def test_distribution_in_an_unknown_currency_is_refused():
    program = JointProgramFactory()
    distribution = GiftDistributionFactory.build(program=program, currency="ABC")

    errors = full_clean_errors(distribution)

    assert errors["currency"] == [unknown_choice_in_model("ABC")]
    assert not GiftDistribution.objects.exists()


def test_distribution_in_an_unknown_currency_is_refused_in_admin(data_entry_client):
    program = JointProgramFactory()
    url, data = distribution_add_data(data_entry_client, program, currency="ABC")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "currency", unknown_choice_in_form("ABC"))
    assert not GiftDistribution.objects.exists()


def test_database_refuses_a_distribution_in_an_unknown_currency():
    distribution = GiftDistributionFactory()
    before = stored_row(distribution)

    with pytest.raises(IntegrityError), transaction.atomic():
        GiftDistribution.objects.filter(pk=distribution.pk).update(currency="ABC")

    assert stored_row(distribution) == before


def test_distribution_with_negative_packages_is_refused():
    program = JointProgramFactory()
    distribution = GiftDistributionFactory.build(program=program, packages=-5)

    errors = full_clean_errors(distribution)

    assert errors["packages"] == [not_negative()]
    assert not GiftDistribution.objects.exists()


def test_distribution_with_negative_packages_is_refused_in_admin(data_entry_client):
    distribution = GiftDistributionFactory()
    before = stored_row(distribution)
    url = admin_change_url(distribution)
    data = admin_form_data(data_entry_client, url, packages="-5")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "packages", not_negative())
    assert stored_row(distribution) == before


# Distributed items -----------------------------------------------------------------


def test_item_with_a_negative_quantity_is_refused():
    item = DistributionItemFactory(quantity=10)
    item.quantity = -10

    errors = full_clean_errors(item)

    assert errors["quantity"] == [not_negative()]
    item.refresh_from_db()
    assert item.quantity == 10


def test_item_with_a_negative_quantity_is_refused_in_the_distribution_form(
    data_entry_client,
):
    item = DistributionItemFactory(quantity=10)
    distribution = item.distribution
    item_before, distribution_before = stored_row(item), stored_row(distribution)
    url = admin_change_url(distribution)
    data = admin_form_data(data_entry_client, url, packages=60)
    data["items-0-quantity"] = "-10"

    response = data_entry_client.post(url, data)

    assert_redisplayed_with(response, not_negative())
    assert inline_errors(response, "items")["rows"][0]["quantity"] == [not_negative()]
    assert stored_row(item) == item_before
    assert stored_row(distribution) == distribution_before


def test_item_with_a_negative_unit_value_is_refused():
    distribution = GiftDistributionFactory()
    item = DistributionItemFactory.build(
        distribution=distribution, item_kind=ItemKindFactory(), unit_value=-1
    )

    errors = full_clean_errors(item)

    assert errors["unit_value"] == [not_negative()]
    assert not DistributionItem.objects.exists()


def test_item_with_a_negative_unit_value_is_refused_in_admin(data_entry_client):
    item = DistributionItemFactory(unit_value=Decimal("150000"))
    before = stored_row(item)
    url = admin_change_url(item)
    data = admin_form_data(data_entry_client, url, unit_value="-150000")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "unit_value", not_negative())
    assert stored_row(item) == before


def test_database_refuses_an_item_with_a_negative_unit_value():
    item = DistributionItemFactory()
    before = stored_row(item)

    with pytest.raises(IntegrityError), transaction.atomic():
        DistributionItem.objects.filter(pk=item.pk).update(unit_value=-1)

    assert stored_row(item) == before


def test_same_item_listed_twice_for_a_distribution_is_refused():
    first = DistributionItemFactory()
    second = DistributionItemFactory.build(
        distribution=first.distribution, item_kind=first.item_kind, quantity=3
    )

    errors = full_clean_errors(second)

    assert errors["__all__"] == [str(DUPLICATE_ITEM)]
    assert list(DistributionItem.objects.all()) == [first]


def test_same_item_listed_twice_for_a_distribution_is_refused_in_admin(
    data_entry_client,
):
    first = DistributionItemFactory()
    url = admin_add_url(DistributionItem)
    data = admin_form_data(
        data_entry_client,
        url,
        distribution=first.distribution,
        item_kind=first.item_kind,
        quantity=3,
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "__all__", DUPLICATE_ITEM)
    assert list(DistributionItem.objects.all()) == [first]


def test_same_item_listed_twice_is_refused_in_the_distribution_form(
    data_entry_client,
):
    first = DistributionItemFactory()
    before = stored_row(first)
    url = admin_change_url(first.distribution)
    data = admin_form_data(data_entry_client, url)
    inline_rows_add(data, "items", {"item_kind": first.item_kind, "quantity": 3})

    response = data_entry_client.post(url, data)

    # Rows of one formset are checked against each other by Django itself, which
    # names the field rather than using the constraint's message.
    message = "Please correct the duplicate data for item_kind."
    assert_redisplayed_with(response, message)
    assert inline_errors(response, "items")["__formset__"] == [message]
    assert list(DistributionItem.objects.all()) == [first]
    assert stored_row(first) == before


# Currencies without a minor unit: VND and LAK amounts are whole numbers -----------


def has_decimals(code):
    """What clean() says about decimals in `code`, in the active language."""
    return str(AMOUNT_HAS_DECIMALS % {"currency": Currency(code).label})


def test_the_whole_unit_currencies_are_those_cldr_writes_without_decimals():
    assert WHOLE_UNIT_CURRENCIES == ["LAK", "VND"]


def test_programme_budget_with_decimals_in_vnd_is_refused(agreement):
    program = JointProgramFactory.build(
        agreement=agreement, currency="VND", budget=Decimal("100000000.50")
    )

    errors = full_clean_errors(program)

    assert errors["budget"] == [has_decimals("VND")]
    assert "đồng" in errors["budget"][0]
    assert not JointProgram.objects.exists()


def test_programme_cost_with_decimals_in_vnd_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = program_add_data(
        data_entry_client, agreement, currency="VND", actual_cost="100000000.50"
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "actual_cost", has_decimals("VND"))
    assert not JointProgram.objects.exists()


def test_programme_changed_to_kip_keeps_its_cents_out(data_entry_client):
    program = JointProgramFactory(currency="USD", budget=Decimal("1200.75"))
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(data_entry_client, url, currency="LAK")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "budget", has_decimals("LAK"))
    assert stored_row(program) == before


def test_programme_budget_with_cents_in_usd_is_accepted(data_entry_client, agreement):
    url, data = program_add_data(
        data_entry_client, agreement, currency="USD", budget="10.50"
    )

    assert_saved(data_entry_client.post(url, data))

    assert JointProgram.objects.get().budget == Decimal("10.50")


def test_whole_vnd_written_with_zero_decimals_is_accepted(agreement):
    program = JointProgramFactory.build(
        agreement=agreement, currency="VND", budget=Decimal("100000000.00")
    )

    program.full_clean()


def test_distribution_value_with_decimals_in_vnd_is_refused():
    program = JointProgramFactory()
    distribution = GiftDistributionFactory.build(
        program=program, currency="VND", total_value=Decimal("100000000.50")
    )

    errors = full_clean_errors(distribution)

    assert errors["total_value"] == [has_decimals("VND")]
    assert not GiftDistribution.objects.exists()


def test_distribution_value_with_decimals_in_kip_is_refused_in_admin(
    data_entry_client,
):
    program = JointProgramFactory()
    url, data = distribution_add_data(
        data_entry_client, program, currency="LAK", total_value="12500000.5"
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "total_value", has_decimals("LAK"))
    assert not GiftDistribution.objects.exists()


def test_distribution_value_with_decimals_is_refused_in_the_programme_form(
    data_entry_client,
):
    program = JointProgramFactory()
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(data_entry_client, url)
    inline_rows_add(data, "distributions", distribution_row(total_value="90000000.50"))

    response = data_entry_client.post(url, data)

    rows = inline_errors(response, "distributions")["rows"]
    assert rows[0]["total_value"] == [has_decimals("VND")]
    assert stored_row(program) == before
    assert not GiftDistribution.objects.exists()


def test_distribution_value_with_cents_in_usd_is_accepted(data_entry_client):
    program = JointProgramFactory()
    url, data = distribution_add_data(
        data_entry_client, program, currency="USD", total_value="10.50"
    )

    assert_saved(data_entry_client.post(url, data))

    assert GiftDistribution.objects.get().total_value == Decimal("10.50")


def test_item_value_with_decimals_in_a_vnd_distribution_is_refused():
    distribution = GiftDistributionFactory(currency="VND")
    item = DistributionItemFactory.build(
        distribution=distribution,
        item_kind=ItemKindFactory(),
        unit_value=Decimal("150000.50"),
    )

    errors = full_clean_errors(item)

    assert errors["unit_value"] == [has_decimals("VND")]
    assert not DistributionItem.objects.exists()


def test_item_value_with_decimals_is_refused_in_the_distribution_form(
    data_entry_client,
):
    distribution = GiftDistributionFactory(currency="LAK")
    before = stored_row(distribution)
    url = admin_change_url(distribution)
    data = admin_form_data(data_entry_client, url)
    inline_rows_add(
        data,
        "items",
        {"item_kind": ItemKindFactory(), "quantity": 5, "unit_value": "20000.25"},
    )

    response = data_entry_client.post(url, data)

    rows = inline_errors(response, "items")["rows"]
    assert rows[-1]["unit_value"] == [has_decimals("LAK")]
    assert stored_row(distribution) == before
    assert not DistributionItem.objects.exists()


def test_item_value_with_cents_in_a_usd_distribution_is_accepted():
    distribution = GiftDistributionFactory(currency="USD", total_value=Decimal("50"))
    item = DistributionItemFactory.build(
        distribution=distribution,
        item_kind=ItemKindFactory(),
        unit_value=Decimal("4.99"),
    )

    item.full_clean()


def test_distribution_moved_to_vnd_with_items_in_cents_is_refused(data_entry_client):
    distribution = GiftDistributionFactory(currency="USD", total_value=Decimal("50"))
    DistributionItemFactory(
        distribution=distribution,
        item_kind=ItemKindFactory(code="school-backpack", name_en="School backpack"),
        unit_value=Decimal("4.99"),
    )
    before = stored_row(distribution)
    # Through the programme's form, where the items are rows of the distribution.
    url = admin_change_url(distribution.program)
    data = admin_form_data(data_entry_client, url)
    data["distributions-0-currency"] = "VND"

    response = data_entry_client.post(url, data)

    expected = ITEM_VALUES_HAVE_DECIMALS % {
        "currency": Currency.VND.label,
        "items": "School backpack",
    }
    assert_redisplayed_with(response, expected)
    rows = inline_errors(response, "distributions")["rows"]
    assert rows[0]["currency"] == [str(expected)]
    assert stored_row(distribution) == before


def test_decimals_break_the_constraint_with_its_own_message():
    program = JointProgramFactory.build(
        agreement=AgreementFactory(), currency="VND", budget=Decimal("0.5")
    )

    with pytest.raises(ValidationError) as caught:
        program.validate_constraints()

    assert caught.value.messages == [str(WHOLE_UNITS_ONLY)]


@pytest.mark.parametrize("field", ["budget", "actual_cost"])
def test_database_refuses_a_programme_amount_with_decimals_in_vnd(field):
    program = JointProgramFactory(currency="VND", **{field: Decimal("100000000")})
    before = stored_row(program)

    with pytest.raises(IntegrityError), transaction.atomic():
        JointProgram.objects.filter(pk=program.pk).update(
            **{field: Decimal("100000000.50")}
        )

    assert stored_row(program) == before


def test_database_refuses_a_change_to_kip_that_leaves_decimals():
    program = JointProgramFactory(currency="USD", budget=Decimal("10.50"))
    before = stored_row(program)

    with pytest.raises(IntegrityError), transaction.atomic():
        JointProgram.objects.filter(pk=program.pk).update(currency="LAK")

    assert stored_row(program) == before


def test_database_refuses_a_distribution_value_with_decimals_in_kip():
    distribution = GiftDistributionFactory(currency="LAK")
    before = stored_row(distribution)

    with pytest.raises(IntegrityError), transaction.atomic():
        GiftDistribution.objects.filter(pk=distribution.pk).update(
            total_value=Decimal("12500000.01")
        )

    assert stored_row(distribution) == before


def test_database_keeps_cents_in_usd():
    program = JointProgramFactory(currency="USD")

    JointProgram.objects.filter(pk=program.pk).update(
        budget=Decimal("10.50"), actual_cost=Decimal("0.01")
    )

    assert stored_row(program)["budget"] == Decimal("10.50")


# Photos of programmes and distributions --------------------------------------------


def test_programme_photo_that_is_not_an_image_file_is_refused(media_root):
    program = JointProgramFactory()
    photo = ProgramAttachment(
        program=program,
        kind="photo",
        caption="Report",
        file=SimpleUploadedFile("report.jpg", b"<html><script>alert(1)</script>"),
    )

    errors = full_clean_errors(photo)

    assert errors["file"] == [PHOTO_NOT_AN_IMAGE]
    assert not ProgramAttachment.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_programme_photo_that_is_not_an_image_file_is_refused_in_the_programme_form(
    data_entry_client, media_root
):
    program = JointProgramFactory()
    before = stored_row(program)
    url = admin_change_url(program)
    data = admin_form_data(data_entry_client, url, title_en="Changed on the way")
    inline_rows_add(
        data,
        "attachments",
        {
            "kind": "photo",
            "caption": "Gifts handed over",
            "file": SimpleUploadedFile("gifts.gif", b"GIF89a"),
        },
    )

    response = data_entry_client.post(url, data)

    assert_redisplayed_with(response, PHOTO_NOT_AN_IMAGE)
    rows = inline_errors(response, "attachments")["rows"]
    assert rows[0]["file"] == [PHOTO_NOT_AN_IMAGE]
    assert not ProgramAttachment.objects.exists()
    assert stored_row(program) == before
    assert not any(media_root.rglob("*.gif"))


def test_distribution_photo_that_is_not_an_image_file_is_refused_in_admin(
    data_entry_client, media_root
):
    distribution = GiftDistributionFactory()
    url = admin_add_url(DistributionAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        distribution=distribution,
        kind="photo",
        caption="Students receive bicycles",
        file=SimpleUploadedFile("bicycles.heic", b"\x00\x00\x00\x18ftypheic"),
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "file", PHOTO_NOT_AN_IMAGE)
    assert not DistributionAttachment.objects.exists()
    assert not any(media_root.rglob("*.heic"))


# Valid input is saved: the POST data the helper builds is complete ----------------


def test_valid_programme_is_saved_with_a_distribution(data_entry_client, agreement):
    url, data = program_add_data(data_entry_client, agreement, budget="300000000")
    inline_rows_add(data, "distributions", distribution_row(packages=150))

    assert_saved(data_entry_client.post(url, data))

    program = JointProgram.objects.get()
    assert (program.year, program.budget) == (2023, Decimal("300000000"))
    assert program.districts.count() == 1
    assert program.distributions.get().packages == 150


def test_valid_distribution_is_saved_with_its_items(data_entry_client):
    program = JointProgramFactory()
    url, data = distribution_add_data(data_entry_client, program)
    bicycle, milk = ItemKindFactory(code="bicycle"), ItemKindFactory(code="milk")
    inline_rows_add(
        data,
        "items",
        {"item_kind": bicycle, "quantity": 10, "unit_value": "1500000"},
        {"item_kind": milk},
    )

    assert_saved(data_entry_client.post(url, data))

    distribution = GiftDistribution.objects.get()
    assert distribution.total_value == Decimal("270000000")
    assert sorted(distribution.items.values_list("item_kind__code", "quantity")) == [
        ("bicycle", 10),
        ("milk", None),
    ]


def test_valid_distribution_item_is_saved(data_entry_client):
    distribution = GiftDistributionFactory()
    item_kind = ItemKindFactory(code="rice", unit=ItemKind.Unit.KILOGRAM)
    url = admin_add_url(DistributionItem)
    data = admin_form_data(
        data_entry_client,
        url,
        distribution=distribution,
        item_kind=item_kind,
        quantity=500,
        unit_value="20000",
    )

    assert_saved(data_entry_client.post(url, data))

    assert distribution.items.get().value == Decimal("10000000")


def test_valid_item_kind_is_saved(data_entry_client):
    url = admin_add_url(ItemKind)
    data = admin_form_data(
        data_entry_client,
        url,
        code="school-backpack",
        name_en="School backpack",
        name_vi="Ba lô học sinh",
    )

    assert_saved(data_entry_client.post(url, data))

    assert ItemKind.objects.get(code="school-backpack").unit == ItemKind.Unit.PIECE


def test_valid_programme_photo_is_saved(data_entry_client, media_root):
    program = JointProgramFactory()
    url = admin_add_url(ProgramAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        program=program,
        kind="photo",
        caption="Gifts handed over",
        file=image_upload("gifts.webp", "WEBP"),
    )

    assert_saved(data_entry_client.post(url, data))

    assert program.attachments.get().file.name.endswith(".webp")


def test_valid_distribution_document_is_saved(data_entry_client, media_root):
    distribution = GiftDistributionFactory()
    url = admin_add_url(DistributionAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        distribution=distribution,
        kind="document",
        caption="List of recipients",
        file=SimpleUploadedFile("recipients.pdf", b"%PDF-1.4\n"),
    )

    assert_saved(data_entry_client.post(url, data))

    assert distribution.attachments.get().kind == "document"
