"""Bad input for areas, organisations, agreements and commitments is refused.

Each rule is tried through `full_clean()` and through the admin form: the user reads
the rule's message and nothing already saved is changed. Staff add places; changing
them, and organisations, agreements and commitments, is an administrator's
(cooperation/scopes.py), so those forms are tried as one.
"""

import datetime

import pytest

from cooperation.models import (
    AREA_NEEDS_PARENT,
    COUNTRY_HAS_PARENT,
    HOME_AREA_OUTSIDE_COUNTRY,
    NAME_REQUIRED,
    PARENT_LEVEL_WRONG,
    ROTATION_ONLY_FOR_EXCHANGES,
    TARGET_MAX_BELOW_MIN,
    TARGET_MAX_WITHOUT_MIN,
    Agreement,
    AgreementParty,
    Area,
    Commitment,
    Organisation,
)
from cooperation.validation import (
    END_BEFORE_START,
    PARTY_STILL_USED,
    PERIOD_EXCLUDES_RECORDS,
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
    inline_errors,
    inline_rows_add,
    stored_row,
)
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    CountryFactory,
    DelegationVisitFactory,
    DistrictFactory,
    OrganisationFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db

DUPLICATE_PCODE = constraint_message(Area, "area_unique_pcode")
TITLE_REQUIRED = constraint_message(Agreement, "agreement_has_a_title")
DUPLICATE_ORDINAL = constraint_message(Commitment, "commitment_unique_ordinal")


def wrong_parent_message(level, parent):
    return str(PARENT_LEVEL_WRONG % {"level": level, "parent": parent})


# Area ------------------------------------------------------------------------------


def test_province_inside_a_district_is_refused():
    district = DistrictFactory()
    areas_before = Area.objects.count()
    province = ProvinceFactory.build(parent=district, name_en="Attapeu")

    errors = full_clean_errors(province)

    assert wrong_parent_message("province", "district") in errors["parent"]
    assert Area.objects.count() == areas_before


def test_moving_a_district_inside_another_district_is_refused_and_leaves_it_in_place():
    district, other_district = DistrictFactory(), DistrictFactory()
    province_id = district.parent_id
    district.parent = other_district

    errors = full_clean_errors(district)

    assert wrong_parent_message("district", "district") in errors["parent"]
    district.refresh_from_db()
    assert district.parent_id == province_id


def test_province_inside_a_district_is_refused_in_admin(data_entry_client):
    district = DistrictFactory()
    areas_before = Area.objects.count()
    url = admin_add_url(Area)
    data = admin_form_data(
        data_entry_client, url, level="province", parent=district, name_en="Attapeu"
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(
        response, "parent", wrong_parent_message("province", "district")
    )
    assert Area.objects.count() == areas_before


def test_district_without_a_larger_area_is_refused_in_admin(data_entry_client):
    areas_before = Area.objects.count()
    url = admin_add_url(Area)
    data = admin_form_data(data_entry_client, url, level="district", name_en="Sanxay")

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "parent", AREA_NEEDS_PARENT)
    assert Area.objects.count() == areas_before


def test_country_inside_another_area_is_refused():
    vietnam = CountryFactory()
    areas_before = Area.objects.count()
    laos = CountryFactory.build(parent=vietnam)

    errors = full_clean_errors(laos)

    assert errors["parent"] == [str(COUNTRY_HAS_PARENT)]
    assert Area.objects.count() == areas_before


def test_country_put_inside_another_country_is_refused_in_admin(admin_client):
    vietnam, laos = CountryFactory(), CountryFactory()
    before = stored_row(laos)
    url = admin_change_url(laos)
    data = admin_form_data(admin_client, url, parent=vietnam, name_en="Lao PDR")

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "parent", COUNTRY_HAS_PARENT)
    assert stored_row(laos) == before


def test_area_ending_before_it_starts_is_refused():
    area = ProvinceFactory(valid_from=datetime.date(2020, 1, 1))
    area.valid_until = datetime.date(2019, 12, 31)

    errors = full_clean_errors(area)

    assert errors["valid_until"] == [str(END_BEFORE_START)]
    area.refresh_from_db()
    assert area.valid_until is None


def test_area_ending_before_it_starts_is_refused_in_admin(admin_client):
    area = ProvinceFactory(valid_from=datetime.date(2020, 1, 1))
    before = stored_row(area)
    url = admin_change_url(area)
    data = admin_form_data(
        admin_client,
        url,
        valid_until=datetime.date(2019, 12, 31),
        name_en="Renamed on the way",
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "valid_until", END_BEFORE_START)
    assert stored_row(area) == before


def test_area_without_a_name_in_any_language_is_refused():
    province = ProvinceFactory.build(parent=CountryFactory(), name_en="")
    areas_before = Area.objects.count()

    errors = full_clean_errors(province)

    assert errors["name_en"] == [str(NAME_REQUIRED)]
    assert Area.objects.count() == areas_before


def test_area_without_a_name_in_any_language_is_refused_in_admin(admin_client):
    area = ProvinceFactory(name_vi="tỉnh Kon Tum", name_lo="ແຂວງກອນຕູມ")
    before = stored_row(area)
    url = admin_change_url(area)
    data = admin_form_data(admin_client, url, name_vi="", name_lo="", name_en="")

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "name_en", NAME_REQUIRED)
    assert stored_row(area) == before


def test_second_area_with_the_same_p_code_is_refused():
    first = DistrictFactory(pcode="LA1704")
    areas_before = Area.objects.count()
    second = DistrictFactory.build(parent=first.parent, pcode="LA1704")

    errors = full_clean_errors(second)

    assert errors["__all__"] == [str(DUPLICATE_PCODE)]
    assert Area.objects.count() == areas_before


def test_areas_without_a_p_code_do_not_clash():
    first = DistrictFactory(pcode="")
    second = DistrictFactory.build(parent=first.parent, pcode="")

    second.full_clean()


def test_second_area_with_the_same_p_code_is_refused_in_admin(admin_client):
    DistrictFactory(pcode="LA1704")
    other = DistrictFactory(pcode="LA1705")
    before = stored_row(other)
    url = admin_change_url(other)
    data = admin_form_data(admin_client, url, pcode="LA1704")

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "__all__", DUPLICATE_PCODE)
    assert stored_row(other) == before


# Organisation ----------------------------------------------------------------------


def test_organisation_at_home_outside_its_country_is_refused():
    laos = CountryFactory(name_en="Laos")
    province_in_vietnam = ProvinceFactory()
    organisations_before = Organisation.objects.count()
    branch = OrganisationFactory.build(country=laos, home_area=province_in_vietnam)

    errors = full_clean_errors(branch)

    assert errors["home_area"] == [str(HOME_AREA_OUTSIDE_COUNTRY)]
    assert Organisation.objects.count() == organisations_before


def test_organisation_moved_to_an_area_of_another_country_is_refused_in_admin(
    admin_client,
):
    branch = OrganisationFactory()
    province_elsewhere = ProvinceFactory()
    before = stored_row(branch)
    url = admin_change_url(branch)
    data = admin_form_data(
        admin_client, url, home_area=province_elsewhere, acronym="NEW"
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "home_area", HOME_AREA_OUTSIDE_COUNTRY)
    assert stored_row(branch) == before


def test_organisation_at_home_outside_its_country_is_refused_in_admin(
    admin_client,
):
    laos = CountryFactory(name_en="Laos")
    province_in_vietnam = ProvinceFactory()
    organisations_before = Organisation.objects.count()
    url = admin_add_url(Organisation)
    data = admin_form_data(
        admin_client,
        url,
        kind=Organisation.Kind.PROVINCIAL_BRANCH,
        country=laos,
        home_area=province_in_vietnam,
        name_en="Attapeu Provincial Red Cross",
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "home_area", HOME_AREA_OUTSIDE_COUNTRY)
    assert Organisation.objects.count() == organisations_before


def test_organisation_without_a_name_in_any_language_is_refused():
    branch = OrganisationFactory()
    branch.name_en = branch.name_vi = ""

    errors = full_clean_errors(branch)

    assert errors["name_en"] == [str(NAME_REQUIRED)]
    branch.refresh_from_db()
    assert branch.name_en and branch.name_vi


def test_organisation_without_a_name_in_any_language_is_refused_in_admin(
    admin_client,
):
    country = CountryFactory()
    organisations_before = Organisation.objects.count()
    url = admin_add_url(Organisation)
    data = admin_form_data(
        admin_client,
        url,
        kind=Organisation.Kind.NATIONAL_SOCIETY,
        country=country,
        acronym="LRC",
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "name_en", NAME_REQUIRED)
    assert Organisation.objects.count() == organisations_before


# Agreement -------------------------------------------------------------------------


def agreement_add_data(client, **fields):
    """A complete, valid add form for an agreement between two new branches."""
    url = admin_add_url(Agreement)
    first, second = OrganisationFactory(), OrganisationFactory()
    data = admin_form_data(
        client,
        url,
        slug="kontum-attapeu-2022-2027",
        status=Agreement.Status.IN_FORCE,
        title_en="Memorandum of understanding 2022–2027",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    inline_rows_add(
        data,
        "party_signatures",
        {"organisation": first, "order": 1},
        {"organisation": second, "order": 2},
    )
    data.update(fields)
    return url, data


def test_agreement_ending_before_it_starts_is_refused():
    agreement = AgreementFactory()
    agreement.end_date = datetime.date(2021, 12, 31)

    errors = full_clean_errors(agreement)

    assert errors["end_date"] == [str(END_BEFORE_START)]
    agreement.refresh_from_db()
    assert agreement.end_date == datetime.date(2027, 12, 31)


def test_agreement_ending_before_it_starts_is_refused_in_admin(admin_client):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement)
    before = stored_row(agreement)
    url = admin_change_url(agreement)
    data = admin_form_data(
        admin_client,
        url,
        end_date=datetime.date(2021, 12, 31),
        title_en="A new title that must not be saved either",
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "end_date", END_BEFORE_START)
    assert stored_row(agreement) == before


def test_new_agreement_ending_before_it_starts_saves_neither_it_nor_its_parties(
    admin_client,
):
    url, data = agreement_add_data(admin_client, end_date="2021-12-31")

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "end_date", END_BEFORE_START)
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_agreement_without_a_title_in_any_language_is_refused():
    agreements_before = Agreement.objects.count()
    agreement = AgreementFactory.build(title_en="", title_vi="")

    errors = full_clean_errors(agreement)

    assert errors["title_en"] == [str(TITLE_REQUIRED)]
    assert Agreement.objects.count() == agreements_before


def test_agreement_without_a_title_in_any_language_is_refused_in_admin(
    admin_client,
):
    url, data = agreement_add_data(admin_client, title_en="")

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "title_en", TITLE_REQUIRED)
    assert not Agreement.objects.exists()
    assert not AgreementParty.objects.exists()


def test_shortening_an_agreement_to_leave_a_visit_outside_is_refused_in_admin(
    admin_client,
):
    visit = DelegationVisitFactory(start_date=datetime.date(2023, 9, 12))
    before = stored_row(visit.agreement)
    url = admin_change_url(visit.agreement)
    data = admin_form_data(admin_client, url, end_date=datetime.date(2022, 12, 31))

    response = admin_client.post(url, data)

    assert_refused_in_admin(
        response,
        "end_date",
        PERIOD_EXCLUDES_RECORDS % {"records": "1 visit"},
    )
    assert stored_row(visit.agreement) == before


def test_removing_the_host_of_a_visit_from_the_parties_is_refused_in_admin(
    admin_client,
):
    # Three parties, so that dropping one still leaves the two an agreement needs.
    agreement = AgreementFactory(parties=[OrganisationFactory() for _ in range(3)])
    visit = DelegationVisitFactory(agreement=agreement)
    url = admin_change_url(visit.agreement)
    data = admin_form_data(admin_client, url)
    host_row = next(
        key.removesuffix("-organisation")
        for key, value in data.items()
        if key.startswith("party_signatures-")
        and key.endswith("-organisation")
        and value == str(visit.host_party_id)
    )
    data[f"{host_row}-DELETE"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert_redisplayed_with(
        response,
        PARTY_STILL_USED % {"organisation": visit.host_party, "records": "1 visit"},
    )
    assert visit.agreement.party_signatures.count() == 3


def test_agreement_with_a_single_party_is_refused_in_admin(admin_client):
    agreement = AgreementFactory()
    url = admin_change_url(agreement)
    data = admin_form_data(admin_client, url)
    data["party_signatures-1-DELETE"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert_redisplayed_with(response, "Please submit at least 2 forms.")
    assert agreement.party_signatures.count() == 2


# Commitment ------------------------------------------------------------------------


def test_commitment_with_maximum_below_minimum_is_refused():
    agreement = AgreementFactory()
    commitment = CommitmentFactory.build(
        agreement=agreement, yearly_target_min=2, yearly_target_max=1
    )

    errors = full_clean_errors(commitment)

    assert errors["yearly_target_max"] == [str(TARGET_MAX_BELOW_MIN)]
    assert not Commitment.objects.exists()


def test_commitment_with_maximum_below_minimum_is_refused_in_admin(admin_client):
    commitment = CommitmentFactory(yearly_target_min=1, yearly_target_max=2)
    before = stored_row(commitment)
    url = admin_change_url(commitment)
    data = admin_form_data(
        admin_client, url, yearly_target_min=3, text_en="Changed on the way"
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "yearly_target_max", TARGET_MAX_BELOW_MIN)
    assert stored_row(commitment) == before


def test_commitment_with_maximum_but_no_minimum_is_refused():
    commitment = CommitmentFactory(yearly_target_min=1, yearly_target_max=2)
    commitment.yearly_target_min = None

    errors = full_clean_errors(commitment)

    assert errors["yearly_target_min"] == [str(TARGET_MAX_WITHOUT_MIN)]
    commitment.refresh_from_db()
    assert commitment.yearly_target_min == 1


def test_commitment_with_maximum_but_no_minimum_is_refused_in_the_agreement_form(
    admin_client,
):
    commitment = CommitmentFactory(yearly_target_min=1, yearly_target_max=2)
    agreement_before = stored_row(commitment.agreement)
    commitment_before = stored_row(commitment)
    url = admin_change_url(commitment.agreement)
    data = admin_form_data(admin_client, url, title_en="Changed on the way")
    data["commitments-0-yearly_target_min"] = ""

    response = admin_client.post(url, data)

    assert_redisplayed_with(response, TARGET_MAX_WITHOUT_MIN)
    rows = inline_errors(response, "commitments")["rows"]
    assert rows[0]["yearly_target_min"] == [str(TARGET_MAX_WITHOUT_MIN)]
    assert stored_row(commitment) == commitment_before
    assert stored_row(commitment.agreement) == agreement_before


def test_host_rotation_outside_the_yearly_exchange_is_refused():
    commitment = CommitmentFactory.build(
        agreement=AgreementFactory(),
        kind=Commitment.Kind.JOINT_PROGRAMMES,
        host_rotation=True,
    )

    errors = full_clean_errors(commitment)

    assert errors["host_rotation"] == [str(ROTATION_ONLY_FOR_EXCHANGES)]
    assert not Commitment.objects.exists()


def test_host_rotation_outside_the_yearly_exchange_is_refused_in_admin(
    admin_client,
):
    commitment = CommitmentFactory(yearly_exchange=True)
    before = stored_row(commitment)
    url = admin_change_url(commitment)
    data = admin_form_data(admin_client, url, kind=Commitment.Kind.VISITS_ON_REQUEST)

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "host_rotation", ROTATION_ONLY_FOR_EXCHANGES)
    assert stored_row(commitment) == before


def test_second_commitment_with_the_same_number_is_refused():
    first = CommitmentFactory(ordinal=4)
    second = CommitmentFactory.build(agreement=first.agreement, ordinal=4)

    errors = full_clean_errors(second)

    assert errors["__all__"] == [str(DUPLICATE_ORDINAL)]
    assert Commitment.objects.count() == 1


def test_same_number_in_another_agreement_is_allowed():
    first = CommitmentFactory(ordinal=4)
    other = CommitmentFactory.build(agreement=AgreementFactory(), ordinal=4)
    assert other.agreement_id != first.agreement_id

    other.full_clean()


def test_second_commitment_with_the_same_number_is_refused_in_admin(admin_client):
    first = CommitmentFactory(ordinal=4)
    url = admin_add_url(Commitment)
    data = admin_form_data(
        admin_client,
        url,
        agreement=first.agreement,
        ordinal=4,
        kind=Commitment.Kind.DISEASE_PREVENTION,
        text_en="Work together on cross-border disease prevention.",
    )

    response = admin_client.post(url, data)

    assert_refused_in_admin(response, "__all__", DUPLICATE_ORDINAL)
    assert list(Commitment.objects.all()) == [first]


def test_second_commitment_with_the_same_number_is_refused_in_the_agreement_form(
    admin_client,
):
    first = CommitmentFactory(ordinal=4)
    before = stored_row(first)
    url = admin_change_url(first.agreement)
    data = admin_form_data(admin_client, url)
    inline_rows_add(
        data,
        "commitments",
        {"ordinal": 4, "kind": Commitment.Kind.OTHER, "text_en": "A duplicate"},
    )

    response = admin_client.post(url, data)

    # Rows of one formset are checked against each other by Django itself, which
    # names the field rather than using the constraint's message.
    message = "Please correct the duplicate data for ordinal."
    assert_redisplayed_with(response, message)
    assert inline_errors(response, "commitments")["__formset__"] == [message]
    assert list(Commitment.objects.all()) == [first]
    assert stored_row(first) == before


# Valid input is saved: the POST data the helper builds is complete ----------------


def test_valid_area_is_saved_from_the_admin_add_form(data_entry_client):
    province = ProvinceFactory()
    url = admin_add_url(Area)
    data = admin_form_data(
        data_entry_client,
        url,
        level="district",
        parent=province,
        name_en="Sanxay",
        name_lo="ສານໄຊ",
        pcode="LA1704",
    )

    assert_saved(data_entry_client.post(url, data))

    area = Area.objects.get(pcode="LA1704")
    assert (area.level, area.parent, area.name_lo) == ("district", province, "ສານໄຊ")


def test_valid_organisation_is_saved_from_the_admin_add_form(admin_client):
    province = ProvinceFactory()
    url = admin_add_url(Organisation)
    data = admin_form_data(
        admin_client,
        url,
        kind=Organisation.Kind.PROVINCIAL_BRANCH,
        country=province.parent,
        home_area=province,
        name_en="Attapeu Provincial Red Cross",
        acronym="ATP",
    )

    assert_saved(admin_client.post(url, data))

    branch = Organisation.objects.get(acronym="ATP")
    assert (branch.country, branch.home_area) == (province.parent, province)


def test_valid_agreement_is_saved_with_its_parties_and_commitments(admin_client):
    url, data = agreement_add_data(admin_client)
    inline_rows_add(
        data,
        "commitments",
        {
            "ordinal": 1,
            "kind": Commitment.Kind.YEARLY_EXCHANGE,
            "yearly_target_min": 1,
            "yearly_target_max": 1,
            "host_rotation": True,
            "text_en": "Exchange delegations once a year, hosting in turn.",
        },
    )

    assert_saved(admin_client.post(url, data))

    agreement = Agreement.objects.get(slug="kontum-attapeu-2022-2027")
    assert agreement.party_signatures.count() == 2
    assert agreement.commitments.get().host_rotation


def test_valid_commitment_is_saved_from_the_admin_add_form(admin_client):
    agreement = AgreementFactory()
    url = admin_add_url(Commitment)
    data = admin_form_data(
        admin_client,
        url,
        agreement=agreement,
        ordinal=4,
        kind=Commitment.Kind.JOINT_PROGRAMMES,
        yearly_target_min=1,
        yearly_target_max=2,
        text_en="Organise 1 to 2 humanitarian programmes a year.",
    )

    assert_saved(admin_client.post(url, data))

    commitment = agreement.commitments.get()
    assert (commitment.yearly_target_min, commitment.yearly_target_max) == (1, 2)


def test_change_form_posted_back_unchanged_is_accepted(admin_client):
    commitment = CommitmentFactory()
    url = admin_change_url(commitment.agreement)

    assert_saved(admin_client.post(url, admin_form_data(admin_client, url)))

    assert list(commitment.agreement.commitments.all()) == [commitment]
