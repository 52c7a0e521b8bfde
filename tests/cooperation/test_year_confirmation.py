"""A year both parties confirm: confirming, the lock it puts on the year's records,
and reopening with a reason that stays on record.

Each refusal is tried as a clerk meets it (the admin) and as code meets it
(`full_clean()`, `delete()`): the message is the rule's, and nothing changes.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cooperation.models import YearConfirmation
from cooperation.validation import (
    REOPEN_NEEDS_REASON,
    YEAR_CONFIRMED_ALREADY,
    YEAR_LOCKED,
    YEAR_NOT_ENDED,
)
from exchanges.models import DelegationVisit, InformationExchange, VisitMember
from programs.models import DistributionItem, GiftDistribution, JointProgram
from tests.admin_forms import (
    admin_add_url,
    admin_change_url,
    admin_form_data,
    assert_refused_in_admin,
    assert_saved,
    full_clean_errors,
)
from tests.factories import (
    AgreementFactory,
    DelegationVisitFactory,
    DistributionItemFactory,
    GiftDistributionFactory,
    InformationExchangeFactory,
    JointProgramFactory,
    UserFactory,
    VisitMemberFactory,
    YearConfirmationFactory,
    confirm_year,
)

pytestmark = pytest.mark.django_db


def locked(year=2024):
    """The lock's message, in the language the test reads it in (not at import)."""
    return str(YEAR_LOCKED % {"year": year})


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def records_2024(agreement):
    """One record of every locked kind in 2024."""
    visit = DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(2024, 9, 10),
        end_date=datetime.date(2024, 9, 12),
    )
    programme = JointProgramFactory(
        agreement=agreement, year=2024, start_date=datetime.date(2024, 9, 11)
    )
    distribution = GiftDistributionFactory(
        program=programme, start_date=datetime.date(2024, 9, 11)
    )
    return {
        DelegationVisit: visit,
        VisitMember: VisitMemberFactory(visit=visit),
        InformationExchange: InformationExchangeFactory(
            agreement=agreement,
            year_covered=2024,
            exchanged_on=datetime.date(2024, 12, 20),
        ),
        JointProgram: programme,
        GiftDistribution: distribution,
        DistributionItem: DistributionItemFactory(distribution=distribution),
    }


def locked_errors(instance):
    return full_clean_errors(instance).get(NON_FIELD_ERRORS, [])


# The lock, in code


def test_records_of_a_year_one_party_confirmed_can_still_change(
    agreement, records_2024
):
    first_party = agreement.party_signatures.first()
    confirm_year(agreement, 2024, parties=[first_party])
    for record in records_2024.values():
        record.full_clean()


@pytest.mark.parametrize(
    "model",
    [
        DelegationVisit,
        VisitMember,
        InformationExchange,
        JointProgram,
        GiftDistribution,
        DistributionItem,
    ],
)
def test_a_record_of_a_year_every_party_confirmed_cannot_change(
    agreement, records_2024, model
):
    confirm_year(agreement, 2024)
    record = records_2024[model]

    assert locked_errors(record) == [locked()]
    with pytest.raises(ValidationError) as caught:
        record.delete()
    assert caught.value.messages == [locked()]
    assert model.objects.filter(pk=record.pk).exists()


def test_a_record_cannot_move_out_of_a_confirmed_year_or_into_one(
    agreement, records_2024
):
    confirm_year(agreement, 2024)
    visit = records_2024[DelegationVisit]
    visit.start_date = visit.end_date = datetime.date(2025, 3, 1)
    assert locked_errors(visit) == [locked()]

    later = DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 2),
    )
    later.full_clean()
    later.start_date = datetime.date(2024, 3, 1)
    assert locked_errors(later) == [locked()]

    new = DelegationVisitFactory.build(
        agreement=agreement,
        sending_party=later.sending_party,
        host_party=later.host_party,
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 5, 2),
    )
    assert locked_errors(new) == [locked()]


def test_reopening_the_year_unlocks_it_and_keeps_the_reason(agreement, records_2024):
    first, second = confirm_year(agreement, 2024)
    clerk = UserFactory(username="reopener")

    first.reopen(by=clerk, reason="The Sanxay distribution was missing.")

    for record in records_2024.values():
        record.full_clean()
    first.refresh_from_db()
    assert (first.reopened_by, first.reopen_reason) == (
        clerk,
        "The Sanxay distribution was missing.",
    )
    assert first.reopened_at is not None
    # A second confirmation is a new row; the reopened one stays.
    YearConfirmationFactory(party=first.party, year=2024)
    assert YearConfirmation.objects.filter(party=first.party, year=2024).count() == 2
    assert locked_errors(records_2024[JointProgram]) == [locked()]


def test_reopening_without_a_reason_is_refused(agreement):
    (confirmation, _second) = confirm_year(agreement, 2024)
    with pytest.raises(ValidationError) as caught:
        confirmation.reopen(by=UserFactory(), reason="   ")
    assert caught.value.message_dict == {"reopen_reason": [str(REOPEN_NEEDS_REASON)]}
    confirmation.refresh_from_db()
    assert confirmation.is_standing


def test_the_database_refuses_a_reopening_without_a_reason(agreement):
    (confirmation, _second) = confirm_year(agreement, 2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearConfirmation.objects.filter(pk=confirmation.pk).update(
            reopened_at=datetime.datetime(2025, 1, 5, tzinfo=datetime.UTC)
        )


def test_the_database_refuses_a_second_standing_confirmation(agreement):
    (confirmation, _second) = confirm_year(agreement, 2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearConfirmationFactory(party=confirmation.party, year=2024)


@pytest.mark.parametrize("year", [2026, 2027])
def test_a_year_that_has_not_ended_cannot_be_confirmed(agreement, year):
    message = str(YEAR_NOT_ENDED % {"year": year})
    confirmation = YearConfirmationFactory.build(
        party=agreement.party_signatures.first(),
        year=year,
        confirmed_by=UserFactory(),
    )
    assert full_clean_errors(confirmation) == {"year": [message]}


# The lock and the confirmation, as staff meet them in the admin


def test_a_locked_record_opens_read_only_and_a_forged_post_changes_nothing(
    admin_client, agreement, records_2024
):
    programme = records_2024[JointProgram]
    url = admin_change_url(programme)
    data = admin_form_data(admin_client, url, title_en="Changed after the fact")
    confirm_year(agreement, 2024)

    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert str(locked()) in html

    response = admin_client.post(url, data)

    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.title_en != "Changed after the fact"


def test_the_delete_page_of_a_locked_record_is_refused(
    admin_client, agreement, records_2024
):
    confirm_year(agreement, 2024)
    visit = records_2024[DelegationVisit]
    url = reverse("admin:exchanges_delegationvisit_delete", args=[visit.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert DelegationVisit.objects.filter(pk=visit.pk).exists()


def test_bulk_delete_leaves_locked_records(admin_client, agreement, records_2024):
    confirm_year(agreement, 2024)
    visit = records_2024[DelegationVisit]
    admin_client.post(
        reverse("admin:exchanges_delegationvisit_changelist"),
        {"action": "delete_selected", "_selected_action": [visit.pk], "post": "yes"},
    )
    assert DelegationVisit.objects.filter(pk=visit.pk).exists()


def test_bulk_unpublish_leaves_locked_records_and_says_so(
    admin_client, agreement, records_2024
):
    open_year = JointProgramFactory(agreement=agreement, year=2025)
    confirm_year(agreement, 2024)
    locked = records_2024[JointProgram]

    response = admin_client.post(
        reverse("admin:programs_jointprogram_changelist"),
        {"action": "unpublish", "_selected_action": [locked.pk, open_year.pk]},
        follow=True,
    )

    assert "1 record is in a year every party has confirmed" in (
        response.content.decode()
    )
    locked.refresh_from_db()
    open_year.refresh_from_db()
    assert (locked.is_published, open_year.is_published) == (True, False)


def test_adding_a_record_to_a_locked_year_is_refused_in_admin(
    admin_client, agreement, records_2024
):
    confirm_year(agreement, 2024)
    sender, host = [party.organisation for party in agreement.party_signatures.all()]
    url = admin_add_url(DelegationVisit)
    data = admin_form_data(
        admin_client,
        url,
        agreement=agreement,
        kind=DelegationVisit.Kind.ON_REQUEST,
        sending_party=sender,
        host_party=host,
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 5, 2),
    )
    before = DelegationVisit.objects.count()

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, NON_FIELD_ERRORS, locked())
    assert DelegationVisit.objects.count() == before


def test_staff_confirm_a_year_for_a_party_in_the_admin(data_entry_client, agreement):
    party = agreement.party_signatures.first()
    url = admin_add_url(YearConfirmation)
    data = admin_form_data(
        data_entry_client,
        url,
        party=party,
        year=2024,
        signatory="Vongsa Phommachanh, Vice-President",
        comment="Checked against the branch's ledger.",
    )

    assert_saved(data_entry_client.post(url, data))

    confirmation = YearConfirmation.objects.get()
    assert confirmation.confirmed_by.username == "clerk"
    assert (confirmation.party, confirmation.year) == (party, 2024)
    # Confirmations are never deleted, by any staff.
    delete_url = reverse(
        "admin:cooperation_yearconfirmation_delete", args=[confirmation.pk]
    )
    assert data_entry_client.get(delete_url).status_code == 403


def test_confirming_twice_is_refused_in_the_admin(admin_client, agreement):
    (confirmation, _second) = confirm_year(agreement, 2024)
    url = admin_add_url(YearConfirmation)
    data = admin_form_data(
        admin_client, url, party=confirmation.party, year=2024, signatory="A. N."
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert_refused_in_admin(response, "year", YEAR_CONFIRMED_ALREADY)
    assert YearConfirmation.objects.count() == 2


def test_confirming_a_year_not_ended_is_refused_in_the_admin(admin_client, agreement):
    url = admin_add_url(YearConfirmation)
    data = admin_form_data(
        admin_client,
        url,
        party=agreement.party_signatures.first(),
        year=2026,
        signatory="A. N.",
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "year", YEAR_NOT_ENDED % {"year": 2026})
    assert not YearConfirmation.objects.exists()


def test_staff_reopen_a_year_in_the_admin_with_a_reason(admin_client, agreement):
    (confirmation, _second) = confirm_year(agreement, 2024)
    url = admin_change_url(confirmation)
    data = admin_form_data(
        admin_client, url, reopen_reason="A distribution was entered twice."
    )

    assert_saved(admin_client.post(url, data))

    confirmation.refresh_from_db()
    assert not confirmation.is_standing
    assert confirmation.reopen_reason == "A distribution was entered twice."
    assert confirmation.reopened_by.is_superuser
    # Reopened, it is history: nothing on it changes any more.
    page = admin_client.get(url).content.decode()
    assert 'name="reopen_reason"' not in page
