"""Recipient lists: who received a gift, kept private.

A recipient is personal data, often of a child. The model refuses what cannot be
(born after the gift, an age band the year of birth contradicts, a guardian for
an adult, a list longer than the people reached); only staff of the parties with
the dedicated permission see a recipient in the admin; nothing that stores a
record's `str()` (the admin's log, its messages) ever holds a name.
"""

import datetime
import logging

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.urls import reverse

from cooperation.staff_groups import DATA_ENTRY, VIEWER
from programs.models import (
    AGE_BAND_CONTRADICTS_BIRTH_YEAR,
    ANONYMISED_STAYS_ANONYMOUS,
    BIRTH_YEAR_TOO_EARLY,
    BORN_AFTER_DISTRIBUTION,
    DATE_MAKES_WARDS_ADULTS,
    GUARDIAN_ONLY_FOR_MINORS,
    LIST_LONGER_THAN_PEOPLE_REACHED,
    LIST_NEEDS_PEOPLE_REACHED,
    LIST_NUMBER_TAKEN,
    PEOPLE_REACHED_BELOW_LIST,
    RECIPIENT_NAME_REQUIRED,
    AgeBand,
    GiftDistribution,
    Recipient,
    Sex,
    age_band_of,
)
from tests.admin_forms import (
    admin_change_url,
    admin_form_data,
    assert_saved,
    full_clean_errors,
    inline_errors,
    inline_rows_add,
    stored_row,
)
from tests.conftest import EnglishClient
from tests.factories import (
    GiftDistributionFactory,
    OrganisationFactory,
    RecipientFactory,
    confirm_year,
    home_branch,
    staff_user,
)

pytestmark = pytest.mark.django_db

# Made up, and spelled so that no other text of the app contains them: a test
# that finds one in an output has found a recipient's details.
NAME = "Zyxwa Quorrelby"
GUARDIAN = "Yvexa Quorrelby"
SCHOOL = "Xantrop Hamlet School"
SECRETS = (NAME, GUARDIAN, SCHOOL, "Quorrelby", "Xantrop")
INLINE = "recipients"


def child(distribution=None, **fields):
    """A ten-year-old pupil with a guardian, on a distribution of 2022."""
    distribution = distribution or GiftDistributionFactory()
    values = {
        "distribution": distribution,
        "list_number": 1,
        "full_name": NAME,
        "sex": Sex.FEMALE,
        "birth_year": distribution.start_date.year - 10,
        "school_or_village": SCHOOL,
        "guardian": GUARDIAN,
    } | fields
    return RecipientFactory(**values)


def text_of(response):
    return response.content.decode()


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text, secret


# Age bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, AgeBand.INFANTS),
        (4, AgeBand.INFANTS),
        (5, AgeBand.CHILDREN),
        (17, AgeBand.CHILDREN),
        (18, AgeBand.ADULTS),
        (59, AgeBand.ADULTS),
        (60, AgeBand.ELDERLY),
        (101, AgeBand.ELDERLY),
    ],
)
def test_age_bands_follow_the_humanitarian_convention(age, band):
    assert age_band_of(age) == band


def test_the_age_band_follows_from_the_year_of_birth_and_the_distribution_year():
    distribution = GiftDistributionFactory()  # 28 September 2022
    recipient = Recipient(
        distribution=distribution, list_number=1, full_name=NAME, sex=Sex.MALE
    )
    for birth_year, band in [(2018, "0-4"), (2017, "5-17"), (2004, "18-59")]:
        recipient.birth_year, recipient.age_band = birth_year, ""
        recipient.full_clean()
        assert recipient.age_band == band, birth_year


def test_a_band_without_a_year_of_birth_is_kept_as_entered():
    recipient = child(birth_year=None, age_band=AgeBand.CHILDREN)
    recipient.full_clean()
    assert recipient.age_band == AgeBand.CHILDREN


def test_a_save_without_validation_still_stores_the_band_of_the_birth_year():
    recipient = child(birth_year=2020, age_band="")
    assert Recipient.objects.get(pk=recipient.pk).age_band == AgeBand.INFANTS


# Bad input: the message, and nothing saved ------------------------------------------


def test_a_recipient_born_after_the_distribution_is_refused():
    recipient = child()
    before = stored_row(recipient)
    recipient.birth_year = 2023

    errors = full_clean_errors(recipient)

    assert errors["birth_year"] == [
        BORN_AFTER_DISTRIBUTION % {"birth_year": 2023, "year": 2022}
    ]
    assert stored_row(recipient) == before


def test_an_implausibly_early_year_of_birth_is_refused():
    recipient = child()
    recipient.birth_year = 1850
    assert full_clean_errors(recipient)["birth_year"] == [str(BIRTH_YEAR_TOO_EARLY)]


def test_an_age_band_the_year_of_birth_contradicts_is_refused():
    recipient = child()
    recipient.age_band = AgeBand.ADULTS

    errors = full_clean_errors(recipient)

    assert errors["age_band"] == [
        AGE_BAND_CONTRADICTS_BIRTH_YEAR
        % {
            "birth_year": 2012,
            "age": 10,
            "year": 2022,
            "expected": AgeBand.CHILDREN.label,
            "given": AgeBand.ADULTS.label,
        }
    ]


def test_a_guardian_for_an_adult_is_refused_by_the_form_and_the_database():
    recipient = child()
    recipient.birth_year, recipient.age_band = 1990, ""

    assert full_clean_errors(recipient)["guardian"] == [str(GUARDIAN_ONLY_FOR_MINORS)]
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.filter(pk=recipient.pk).update(age_band=AgeBand.ADULTS)
    assert Recipient.objects.get(pk=recipient.pk).age_band == AgeBand.CHILDREN


def test_a_recipient_without_a_name_is_refused():
    recipient = child()
    recipient.full_name = " "
    assert full_clean_errors(recipient)["full_name"] == [str(RECIPIENT_NAME_REQUIRED)]
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.filter(pk=recipient.pk).update(full_name="")


def test_a_list_number_is_used_once_per_distribution():
    first = child()
    second = Recipient(
        distribution=first.distribution,
        list_number=first.list_number,
        full_name="Another pupil",
        sex=Sex.MALE,
    )
    errors = full_clean_errors(second)
    assert str(LIST_NUMBER_TAKEN) in errors["__all__"]
    assert Recipient.objects.count() == 1


def test_the_list_cannot_outnumber_the_people_reached():
    distribution = GiftDistributionFactory(people_reached=1)
    child(distribution)
    second = Recipient(
        distribution=distribution, list_number=2, full_name="Other", sex=Sex.MALE
    )

    errors = full_clean_errors(second)

    assert errors["__all__"] == [
        LIST_LONGER_THAN_PEOPLE_REACHED % {"people": 1, "listed": 2}
    ]


def test_a_list_needs_the_people_reached_stated_first():
    distribution = GiftDistributionFactory(people_reached=None)
    recipient = Recipient(
        distribution=distribution, list_number=1, full_name=NAME, sex=Sex.FEMALE
    )
    assert full_clean_errors(recipient)["__all__"] == [str(LIST_NEEDS_PEOPLE_REACHED)]


def test_people_reached_cannot_fall_below_the_saved_list():
    distribution = GiftDistributionFactory(people_reached=2)
    child(distribution, list_number=1)
    child(distribution, list_number=2, full_name="Second pupil")
    distribution.people_reached = 1

    errors = full_clean_errors(distribution)

    assert errors["people_reached"] == [PEOPLE_REACHED_BELOW_LIST % {"listed": 2}]
    assert GiftDistribution.objects.get(pk=distribution.pk).people_reached == 2


def test_a_date_that_would_make_a_listed_ward_an_adult_is_refused():
    distribution = GiftDistributionFactory()
    child(distribution, birth_year=2005)  # 17 in 2022, 18 in 2023
    distribution.program.year = 2023
    distribution.start_date = datetime.date(2023, 3, 1)

    errors = full_clean_errors(distribution)

    assert errors["start_date"] == [DATE_MAKES_WARDS_ADULTS % {"count": 1}]


def test_moving_a_distribution_to_another_year_brings_the_bands_up_to_date():
    distribution = GiftDistributionFactory()
    recipient = child(distribution, birth_year=2018, guardian="")  # 4 in 2022
    distribution = GiftDistribution.objects.get(pk=distribution.pk)

    distribution.start_date = datetime.date(2023, 3, 1)
    distribution.save()

    recipient.refresh_from_db()
    assert recipient.age_band == AgeBand.CHILDREN
    assert recipient.history.first().age_band == AgeBand.CHILDREN


def test_a_recipient_of_a_confirmed_year_cannot_be_added_or_changed():
    distribution = GiftDistributionFactory()
    recipient = child(distribution)
    confirm_year(distribution.program.agreement, 2022)
    recipient.full_name = "Changed"

    assert "__all__" in full_clean_errors(recipient)


def anonymised():
    return child(
        full_name="",
        guardian="",
        school_or_village="",
        birth_year=None,
        age_band=AgeBand.CHILDREN,
        anonymised_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )


def test_an_anonymised_recipient_takes_no_personal_detail_again():
    recipient = anonymised()
    recipient.full_name = NAME

    assert full_clean_errors(recipient) == {
        "full_name": [str(ANONYMISED_STAYS_ANONYMOUS)]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.filter(pk=recipient.pk).update(full_name=NAME)


def test_a_recipient_reads_as_its_number_never_its_name():
    recipient = child(list_number=12)
    assert str(recipient).startswith("No. 12 of ")
    assert_no_secret(str(recipient))


# Who sees a recipient in the admin ------------------------------------------------


def distribution_page(client, distribution):
    return client.get(admin_change_url(distribution))


def test_data_entry_sees_the_list_on_the_distribution_page(data_entry_client):
    recipient = child()
    response = distribution_page(data_entry_client, recipient.distribution)

    assert response.status_code == 200
    assert NAME in text_of(response)
    assert GUARDIAN in text_of(response)


def test_a_viewer_sees_the_distribution_but_no_recipient(viewer_client):
    recipient = child()
    distribution_response = distribution_page(viewer_client, recipient.distribution)

    assert distribution_response.status_code == 200
    assert_no_secret(text_of(distribution_response))
    # The list's length is a count, shown to whoever reads the distribution.
    assert "1 of 50 people reached are listed by name" in text_of(distribution_response)
    for url in (
        reverse("admin:programs_recipient_changelist"),
        reverse("admin:programs_recipient_change", args=[recipient.pk]),
        reverse("admin:programs_recipient_history", args=[recipient.pk]),
        reverse("admin:programs_recipient_deleted"),
        reverse("admin:programs_recipient_changelist") + "?q=Quorrelby",
    ):
        response = viewer_client.get(url)
        assert response.status_code == 403, url
        assert_no_secret(text_of(response))
    index = viewer_client.get(reverse("admin:index"))
    assert reverse("admin:programs_recipient_changelist") not in text_of(index)


def test_anonymous_readers_reach_no_recipient_page(client):
    recipient = child()
    for url in (
        reverse("admin:programs_recipient_change", args=[recipient.pk]),
        reverse("admin:programs_recipient_history", args=[recipient.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert_no_secret(text_of(response))


def test_the_other_partys_clerk_sees_the_list_but_cannot_change_it():
    recipient = child()
    agreement = recipient.distribution.program.agreement
    other = agreement.party_signatures.exclude(organisation=home_branch()).get()
    client = EnglishClient()
    client.force_login(
        staff_user("other-clerk", groups=[DATA_ENTRY], organisation=other.organisation)
    )
    url = reverse("admin:programs_recipient_change", args=[recipient.pk])

    page = client.get(url)
    post = client.post(url, {"full_name": "Changed"})

    assert NAME in text_of(page)
    assert 'name="_save"' not in text_of(page)
    assert post.status_code == 403
    assert Recipient.objects.get(pk=recipient.pk).full_name == NAME


def test_a_clerk_of_another_agreement_reaches_no_recipient():
    recipient = child()
    client = EnglishClient()
    client.force_login(
        staff_user("stranger", groups=[DATA_ENTRY], organisation=OrganisationFactory())
    )
    url = reverse("admin:programs_recipient_change", args=[recipient.pk])
    listing = client.get(reverse("admin:programs_recipient_changelist"))

    assert client.get(url).status_code == 403
    assert list(listing.context["cl"].result_list) == []


def test_without_the_dedicated_permission_data_entry_sees_no_name(data_entry_client):
    """An administrator can take seeing names away from a clerk who still enters
    distributions: the group keeps the rest."""
    recipient = child()
    group = Group.objects.get(name=DATA_ENTRY)
    group.permissions.remove(Permission.objects.get(codename="see_recipient_names"))

    page = distribution_page(data_entry_client, recipient.distribution)
    listing = data_entry_client.get(reverse("admin:programs_recipient_changelist"))

    assert page.status_code == 200
    assert_no_secret(text_of(page))
    assert listing.status_code == 403


def test_a_viewer_given_the_view_permission_alone_still_sees_no_name(viewer_client):
    recipient = child()
    Group.objects.get(name=VIEWER).permissions.add(
        Permission.objects.get(codename="view_recipient")
    )
    response = viewer_client.get(
        reverse("admin:programs_recipient_change", args=[recipient.pk])
    )
    assert response.status_code == 403


def test_an_anonymised_recipient_is_read_only_in_the_admin(data_entry_client):
    recipient = anonymised()
    page = data_entry_client.get(
        reverse("admin:programs_recipient_change", args=[recipient.pk])
    )
    assert page.status_code == 200
    assert 'name="_save"' not in text_of(page)


# Entering a list on the distribution's page ---------------------------------------


def pupil_row(number, name, **fields):
    return {"list_number": number, "full_name": name, "sex": Sex.MALE} | fields


def test_a_clerk_enters_a_list_on_the_distribution_page(data_entry_client):
    distribution = GiftDistributionFactory(people_reached=2)
    url = admin_change_url(distribution)
    data = inline_rows_add(
        admin_form_data(data_entry_client, url),
        INLINE,
        pupil_row(1, NAME, birth_year=2012, guardian=GUARDIAN),
        pupil_row(2, "Second Pupil", age_band=AgeBand.CHILDREN),
    )

    assert_saved(data_entry_client.post(url, data))

    listed = list(distribution.recipients.values_list("full_name", "age_band"))
    assert listed == [(NAME, AgeBand.CHILDREN), ("Second Pupil", AgeBand.CHILDREN)]
    # The admin's log names the records by their number, never by the name.
    assert_no_secret(
        " ".join(LogEntry.objects.values_list("change_message", flat=True))
    )
    assert_no_secret(" ".join(LogEntry.objects.values_list("object_repr", flat=True)))


def test_rows_saved_together_cannot_outnumber_the_people_reached(data_entry_client):
    distribution = GiftDistributionFactory(people_reached=2)
    url = admin_change_url(distribution)
    data = inline_rows_add(
        admin_form_data(data_entry_client, url),
        INLINE,
        *(pupil_row(number, f"Pupil {number}") for number in (1, 2, 3)),
    )

    response = data_entry_client.post(url, data)

    errors = inline_errors(response, INLINE)
    assert errors["__formset__"] == [
        LIST_LONGER_THAN_PEOPLE_REACHED % {"people": 2, "listed": 3}
    ]
    assert not distribution.recipients.exists()


def test_a_bad_row_names_its_field_and_saves_nothing(data_entry_client):
    distribution = GiftDistributionFactory(people_reached=2)
    url = admin_change_url(distribution)
    data = inline_rows_add(
        admin_form_data(data_entry_client, url),
        INLINE,
        pupil_row(1, "Good Pupil"),
        pupil_row(2, "Adult", birth_year=1980, guardian=GUARDIAN),
    )

    response = data_entry_client.post(url, data)

    rows = inline_errors(response, INLINE)["rows"]
    assert rows[1]["guardian"] == [str(GUARDIAN_ONLY_FOR_MINORS)]
    assert not distribution.recipients.exists()


def test_no_log_line_carries_a_recipients_details(
    data_entry_client, viewer_client, caplog
):
    recipient = child()
    with caplog.at_level(logging.DEBUG):
        data_entry_client.get(admin_change_url(recipient.distribution))
        data_entry_client.get(
            reverse("admin:programs_recipient_changelist") + "?q=Quorrelby"
        )
        viewer_client.get(
            reverse("admin:programs_recipient_change", args=[recipient.pk])
        )
    assert any("forbidden" in record.getMessage() for record in caplog.records)
    assert_no_secret("\n".join(record.getMessage() for record in caplog.records))


def test_the_distribution_page_costs_the_same_at_one_and_at_twenty_recipients(
    data_entry_client, django_assert_max_num_queries
):
    distribution = GiftDistributionFactory()
    RecipientFactory(distribution=distribution)
    url = admin_change_url(distribution)
    data_entry_client.get(url)  # warm the per-process caches
    with django_assert_max_num_queries(40) as one:
        data_entry_client.get(url)
    RecipientFactory.create_batch(19, distribution=distribution)

    with django_assert_max_num_queries(40) as twenty:
        response = data_entry_client.get(url)

    assert response.status_code == 200
    assert len(twenty) == len(one)
