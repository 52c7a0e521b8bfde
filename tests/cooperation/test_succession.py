"""Records dated after a succession name the successor, and only then.

Kon Tum province was merged into Quảng Ngãi on 1 July 2025. A record dated after
that which points at the old area, or at an organisation that a successor took
over from, is refused with a message naming the successor, and nothing is saved.
A successor stands for its predecessor's side from its date without being added
as a party. Tried through `full_clean()` and through the admin form.
"""

import datetime

import pytest

from cooperation.formatting import date_text
from cooperation.staff_groups import DATA_ENTRY
from cooperation.validation import (
    ENDED_ON,
    IN_AREA_SUCCEEDED_BY,
    SAME_SIDE,
    SUCCEEDED_BY,
    TOOK_OVER_ON,
)
from exchanges.models import DelegationVisit, InformationExchange
from programs.models import GiftDistribution, JointProgram
from tests.admin_forms import (
    admin_add_url,
    admin_form_data,
    assert_refused_in_admin,
    assert_saved,
    full_clean_errors,
)
from tests.factories import (
    AgreementFactory,
    DelegationVisitFactory,
    DistrictFactory,
    InformationExchangeFactory,
    JointProgramFactory,
    OrganisationFactory,
    ProvinceFactory,
    staff_user,
    succeeded,
)

pytestmark = pytest.mark.django_db

MERGER = datetime.date(2025, 7, 1)
ONE_DAY = datetime.timedelta(days=1)
AFTER = datetime.date(2026, 3, 10)
BEFORE = datetime.date(2025, 3, 10)


@pytest.fixture
def kon_tum():
    return ProvinceFactory(name_en="Kon Tum")


@pytest.fixture
def quang_ngai(kon_tum):
    province = ProvinceFactory(name_en="Quảng Ngãi", parent=kon_tum.parent)
    succeeded(kon_tum, on=MERGER, successor=province)
    return province


@pytest.fixture
def sides():
    """Parties A and B; B is succeeded by a generated B2 from 1 July 2025."""
    a = OrganisationFactory(name_en="A Provincial Red Cross")
    b = OrganisationFactory(name_en="B Provincial Red Cross")
    agreement = AgreementFactory(parties=[a, b])
    b2 = succeeded(b, on=MERGER, name_en="B2 Provincial Red Cross")
    return agreement, a, b, b2


@pytest.fixture
def data_entry_client(client, sides):
    """A clerk of A, which sends the visits and leads the programmes here."""
    _agreement, a, _b, _b2 = sides
    client.force_login(staff_user("clerk", groups=[DATA_ENTRY], organisation=a))
    return client


def visit_data(client, agreement, sender, host, **fields):
    url = admin_add_url(DelegationVisit)
    values = {
        "agreement": agreement,
        "kind": DelegationVisit.Kind.YEARLY_EXCHANGE,
        "sending_party": sender,
        "host_party": host,
        "start_date": AFTER,
        "end_date": AFTER + datetime.timedelta(days=2),
        "place": "Provincial capital",
    }
    return url, admin_form_data(client, url, **(values | fields))


# The old area --------------------------------------------------------------------


def test_visit_after_the_merger_to_the_old_province_is_refused_naming_the_successor(
    kon_tum, quang_ngai
):
    visit = DelegationVisitFactory.build(
        agreement=AgreementFactory(), start_date=AFTER, end_date=AFTER, area=kon_tum
    )

    errors = full_clean_errors(visit)

    assert errors["area"] == [
        f"Kon Tum was succeeded by Quảng Ngãi on {date_text(MERGER)}: choose "
        "Quảng Ngãi for records after that date."
    ]
    assert not DelegationVisit.objects.exists()


def test_visit_after_the_merger_to_the_old_province_is_refused_in_admin(
    data_entry_client, kon_tum, quang_ngai, sides
):
    agreement, a, _b, b2 = sides
    url, data = visit_data(data_entry_client, agreement, a, b2, area=kon_tum)

    response = data_entry_client.post(url, data)

    message = SUCCEEDED_BY % {
        "old": kon_tum,
        "new": quang_ngai,
        "date": date_text(MERGER),
    }
    assert_refused_in_admin(response, "area", str(message))
    assert not DelegationVisit.objects.exists()


def test_visit_after_the_merger_to_a_district_of_the_old_province_is_refused(
    kon_tum, quang_ngai
):
    district = DistrictFactory(name_en="Sa Thầy", parent=kon_tum)
    visit = DelegationVisitFactory(start_date=BEFORE, end_date=BEFORE)
    visit.area, visit.start_date, visit.end_date = district, AFTER, AFTER

    errors = full_clean_errors(visit)

    assert errors["area"] == [
        str(
            IN_AREA_SUCCEEDED_BY
            % {
                "area": district,
                "old": kon_tum,
                "new": quang_ngai,
                "date": date_text(MERGER),
            }
        )
    ]
    visit.refresh_from_db()
    assert visit.area is None and visit.start_date == BEFORE


def test_visit_before_the_merger_keeps_the_old_province(kon_tum, quang_ngai):
    visit = DelegationVisitFactory.build(
        agreement=AgreementFactory(), start_date=BEFORE, end_date=BEFORE, area=kon_tum
    )

    visit.full_clean()


def test_visit_after_the_merger_to_the_new_province_is_accepted(kon_tum, quang_ngai):
    visit = DelegationVisitFactory.build(
        agreement=AgreementFactory(), start_date=AFTER, end_date=AFTER, area=quang_ngai
    )

    visit.full_clean()


# The old organisation and its successor ------------------------------------------


def test_visit_after_the_date_hosted_by_the_old_organisation_is_refused_naming_the_successor(  # noqa: E501
    data_entry_client, sides
):
    agreement, a, b, _b2 = sides
    url, data = visit_data(data_entry_client, agreement, a, b)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(
        response,
        "host_party",
        "B Provincial Red Cross was succeeded by B2 Provincial Red Cross on "
        f"{date_text(MERGER)}: choose B2 Provincial Red Cross for records after "
        "that date.",
    )
    assert not DelegationVisit.objects.exists()


def test_visit_hosted_by_the_successor_after_its_date_is_accepted_without_a_third_party(
    data_entry_client, sides
):
    agreement, a, _b, b2 = sides
    url, data = visit_data(data_entry_client, agreement, a, b2)

    response = data_entry_client.post(url, data)

    assert_saved(response)
    assert DelegationVisit.objects.get().host_party == b2
    assert agreement.party_signatures.count() == 2


def test_visit_hosted_by_the_successor_before_its_date_is_refused(sides):
    agreement, a, b, b2 = sides
    visit = DelegationVisitFactory.build(
        agreement=agreement,
        sending_party=a,
        host_party=b2,
        start_date=BEFORE,
        end_date=BEFORE,
    )

    errors = full_clean_errors(visit)

    assert errors["host_party"] == [
        str(TOOK_OVER_ON % {"new": b2, "old": b, "date": date_text(MERGER)})
    ]
    assert not DelegationVisit.objects.exists()


def test_visit_between_an_organisation_and_its_successor_is_refused(sides):
    agreement, _a, b, b2 = sides
    visit = DelegationVisitFactory.build(
        agreement=agreement, sending_party=b, host_party=b2, start_date=MERGER
    )

    errors = full_clean_errors(visit)

    assert str(SAME_SIDE % {"successor": b2, "predecessor": b}) in errors["host_party"]
    assert not DelegationVisit.objects.exists()


def test_information_from_the_old_organisation_after_the_date_is_refused(sides):
    agreement, a, b, b2 = sides
    exchange = InformationExchangeFactory.build(
        agreement=agreement, from_party=b, to_party=a, year_covered=2025
    )

    errors = full_clean_errors(exchange)

    assert errors["from_party"] == [
        str(SUCCEEDED_BY % {"old": b, "new": b2, "date": date_text(MERGER)})
    ]
    assert not InformationExchange.objects.exists()


def test_programme_led_by_the_old_organisation_after_the_date_is_refused(sides):
    agreement, _a, b, b2 = sides
    programme = JointProgramFactory.build(
        agreement=agreement, year=2026, lead_organisation=b
    )

    errors = full_clean_errors(programme)

    assert errors["lead_organisation"] == [
        str(SUCCEEDED_BY % {"old": b, "new": b2, "date": date_text(MERGER)})
    ]
    assert not JointProgram.objects.exists()


@pytest.mark.parametrize("lead", ["b", "b2"])
def test_undated_programme_in_the_year_of_the_change_may_name_either(sides, lead):
    agreement, _a, b, b2 = sides
    programme = JointProgramFactory.build(
        agreement=agreement,
        year=2025,
        start_date=None,
        status=JointProgram.Status.PLANNED,
        lead_organisation={"b": b, "b2": b2}[lead],
    )

    programme.full_clean()


def test_organisation_ended_without_a_successor_is_refused_after_its_last_day():
    agreement = AgreementFactory()
    first = agreement.party_signatures.get(order=1).organisation
    first.valid_until = datetime.date(2025, 6, 30)
    first.save()
    visit = DelegationVisitFactory.build(
        agreement=agreement, start_date=AFTER, end_date=AFTER
    )

    errors = full_clean_errors(visit)

    assert errors["sending_party"] == [
        str(ENDED_ON % {"old": first, "date": date_text(MERGER - ONE_DAY)})
    ]
    assert not DelegationVisit.objects.exists()


# Districts of programmes and distributions: many-to-many, checked by the form ----


def test_programme_after_the_merger_in_a_district_of_the_old_province_is_refused(
    data_entry_client, kon_tum, quang_ngai, sides
):
    agreement, a, _b, _b2 = sides
    district = DistrictFactory(name_en="Sa Thầy", parent=kon_tum)
    url = admin_add_url(JointProgram)
    data = admin_form_data(
        data_entry_client,
        url,
        agreement=agreement,
        year=2026,
        status=JointProgram.Status.COMPLETED,
        lead_organisation=a,
        title_en="Check-ups in Sa Thầy",
        includes_checkups=True,
        start_date=AFTER,
        currency="VND",
        districts=[district],
    )

    response = data_entry_client.post(url, data)

    message = IN_AREA_SUCCEEDED_BY % {
        "area": district,
        "old": kon_tum,
        "new": quang_ngai,
        "date": date_text(MERGER),
    }
    assert_refused_in_admin(response, "districts", str(message))
    assert not JointProgram.objects.exists()


def test_distribution_after_the_merger_in_a_district_of_the_old_province_is_refused(
    data_entry_client, kon_tum, quang_ngai, sides
):
    agreement, *_ = sides
    programme = JointProgramFactory(agreement=agreement, year=2026, start_date=AFTER)
    district = DistrictFactory(name_en="Sa Thầy", parent=kon_tum)
    url = admin_add_url(GiftDistribution)
    data = admin_form_data(
        data_entry_client,
        url,
        program=programme,
        start_date=AFTER,
        districts=[district],
        recipient_group=GiftDistribution.RecipientGroup.STUDENTS,
        packages=10,
        currency="VND",
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(
        response,
        "districts",
        str(
            IN_AREA_SUCCEEDED_BY
            % {
                "area": district,
                "old": kon_tum,
                "new": quang_ngai,
                "date": date_text(MERGER),
            }
        ),
    )
    assert not GiftDistribution.objects.exists()


def test_distribution_before_the_merger_in_a_district_of_the_old_province_is_saved(
    data_entry_client, kon_tum, quang_ngai, sides
):
    agreement, *_ = sides
    programme = JointProgramFactory(agreement=agreement, year=2025, start_date=BEFORE)
    url = admin_add_url(GiftDistribution)
    data = admin_form_data(
        data_entry_client,
        url,
        program=programme,
        start_date=BEFORE,
        districts=[DistrictFactory(parent=kon_tum)],
        recipient_group=GiftDistribution.RecipientGroup.STUDENTS,
        packages=10,
        currency="VND",
    )

    assert_saved(data_entry_client.post(url, data))
    assert GiftDistribution.objects.count() == 1
