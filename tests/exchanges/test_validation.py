"""Bad input for delegation visits, information exchanges and visit photos is refused.

Each rule is tried through `full_clean()` and through the admin form: the user reads
the rule's message and nothing already saved is changed. A few rules are also shown
to hold in the database when code skips validation.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction

from cooperation.models import LONG_TEXT_LENGTH
from cooperation.uploads import DOCUMENT_AS_PHOTO, PHOTO_NOT_AN_IMAGE
from cooperation.validation import (
    DATE_OUTSIDE_AGREEMENT,
    END_BEFORE_START,
    NOT_A_PARTY,
    SAME_SENDER_AND_HOST,
    TEXT_TOO_LONG,
    YEAR_OUTSIDE_AGREEMENT,
    period_params,
)
from exchanges.models import (
    NO_TOPIC,
    PLAN_WITHOUT_TOPIC,
    SAME_SENDER_AND_RECIPIENT,
    DelegationVisit,
    InformationExchange,
    VisitAttachment,
    VisitMember,
)
from tests.admin_forms import (
    admin_add_url,
    admin_change_url,
    admin_form_data,
    assert_redisplayed_with,
    assert_refused_in_admin,
    assert_saved,
    full_clean_errors,
    image_upload,
    inline_errors,
    inline_rows_add,
    stored_row,
)
from tests.factories import (
    AgreementFactory,
    DelegationVisitFactory,
    InformationExchangeFactory,
    OrganisationFactory,
    VisitAttachmentFactory,
)

pytestmark = pytest.mark.django_db


def outside_message(agreement):
    return str(DATE_OUTSIDE_AGREEMENT % period_params(agreement))


def not_a_party_message(organisation):
    return str(NOT_A_PARTY % {"organisation": organisation})


def parties(agreement):
    first, second = (p.organisation for p in agreement.party_signatures.all())
    return first, second


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def visit_add_data(client, agreement, **fields):
    """A complete, valid add form for a yearly exchange visit in September 2023."""
    sender, host = parties(agreement)
    url = admin_add_url(DelegationVisit)
    values = {
        "agreement": agreement,
        "kind": DelegationVisit.Kind.YEARLY_EXCHANGE,
        "sending_party": sender,
        "host_party": host,
        "start_date": datetime.date(2023, 9, 12),
        "end_date": datetime.date(2023, 9, 14),
        "place": "Kon Tum city",
    }
    return url, admin_form_data(client, url, **(values | fields))


def exchange_add_data(client, agreement, **fields):
    """A complete, valid add form: results of 2023 and the plan for 2024."""
    sender, recipient = parties(agreement)
    url = admin_add_url(InformationExchange)
    values = {
        "agreement": agreement,
        "year_covered": 2023,
        "from_party": sender,
        "to_party": recipient,
        "exchanged_on": datetime.date(2023, 12, 15),
        "covers_results": True,
        "covers_next_year_plan": True,
        "planned_visits": 1,
        "planned_programmes": 2,
    }
    return url, admin_form_data(client, url, **(values | fields))


# Delegation visit: end before start ------------------------------------------------


def test_visit_ending_before_it_starts_is_refused():
    visit = DelegationVisitFactory()
    before = stored_row(visit)
    visit.end_date = visit.start_date - datetime.timedelta(days=1)

    errors = full_clean_errors(visit)

    assert errors["end_date"] == [str(END_BEFORE_START)]
    visit.refresh_from_db()
    assert visit.end_date == before["end_date"]


def test_visit_ending_before_it_starts_is_refused_in_admin(data_entry_client):
    visit = DelegationVisitFactory()
    before = stored_row(visit)
    url = admin_change_url(visit)
    data = admin_form_data(
        data_entry_client,
        url,
        end_date=visit.start_date - datetime.timedelta(days=1),
        place="A new place that must not be saved either",
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "end_date", END_BEFORE_START)
    assert stored_row(visit) == before


def test_database_refuses_a_visit_ending_before_it_starts():
    visit = DelegationVisitFactory()
    before = stored_row(visit)

    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationVisit.objects.filter(pk=visit.pk).update(
            end_date=visit.start_date - datetime.timedelta(days=1)
        )

    assert stored_row(visit) == before


# Delegation visit: text limits -----------------------------------------------------

# The purpose that stalled the PDF: 20,000 characters and not one space.
UNBROKEN_PURPOSE = "x" * 20_000


def too_long(text, limit=LONG_TEXT_LENGTH):
    """What the form and full_clean() say about `text`, in the active language."""
    return str(
        MaxLengthValidator.message % {"limit_value": limit, "show_value": len(text)}
    )


def test_visit_purpose_longer_than_the_limit_is_refused(agreement):
    visit = DelegationVisitFactory.build(agreement=agreement, purpose=UNBROKEN_PURPOSE)

    errors = full_clean_errors(visit)

    assert errors["purpose_en"] == [too_long(UNBROKEN_PURPOSE)]
    assert not DelegationVisit.objects.exists()


def test_visit_purpose_longer_than_the_limit_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = visit_add_data(
        data_entry_client, agreement, purpose_en=UNBROKEN_PURPOSE
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "purpose_en", too_long(UNBROKEN_PURPOSE))
    assert not DelegationVisit.objects.exists()


def test_visit_outcomes_grown_past_the_limit_are_refused_in_admin(data_entry_client):
    visit = DelegationVisitFactory(outcomes="Agreed on next year's plan.")
    before = stored_row(visit)
    url = admin_change_url(visit)
    outcomes = " ".join(["Agreed."] * 501)
    data = admin_form_data(data_entry_client, url, outcomes_en=outcomes)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "outcomes_en", too_long(outcomes))
    assert stored_row(visit) == before


def test_visit_purpose_of_exactly_the_limit_is_saved(data_entry_client, agreement):
    purpose = "a" * LONG_TEXT_LENGTH
    url, data = visit_add_data(data_entry_client, agreement, purpose_en=purpose)

    assert_saved(data_entry_client.post(url, data))

    assert DelegationVisit.objects.get().purpose == purpose


def test_long_purpose_breaks_the_constraint_with_its_own_message(agreement):
    visit = DelegationVisitFactory.build(agreement=agreement, purpose=UNBROKEN_PURPOSE)

    with pytest.raises(ValidationError) as caught:
        visit.validate_constraints()

    assert caught.value.messages == [str(TEXT_TOO_LONG)]


def test_database_refuses_a_visit_purpose_longer_than_the_limit():
    visit = DelegationVisitFactory()
    before = stored_row(visit)

    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationVisit.objects.filter(pk=visit.pk).update(purpose_en=UNBROKEN_PURPOSE)

    assert stored_row(visit) == before


def test_database_counts_characters_not_bytes():
    # 4,000 Vietnamese letters take 12,000 bytes in UTF-8: within the limit.
    visit = DelegationVisitFactory()
    purpose = "ệ" * LONG_TEXT_LENGTH

    DelegationVisit.objects.filter(pk=visit.pk).update(purpose_en=purpose)

    assert stored_row(visit)["purpose_en"] == purpose


def test_information_summary_longer_than_the_limit_is_refused_in_admin(
    data_entry_client, agreement
):
    summary = " ".join(["Results."] * 500)
    url, data = exchange_add_data(data_entry_client, agreement, summary=summary)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "summary", too_long(summary))
    assert not InformationExchange.objects.exists()


# Delegation visit: host = sender ---------------------------------------------------


def test_visit_hosted_by_its_sender_is_refused(agreement):
    sender, _host = parties(agreement)
    visit = DelegationVisitFactory.build(
        agreement=agreement, sending_party=sender, host_party=sender
    )

    errors = full_clean_errors(visit)

    assert errors["host_party"] == [str(SAME_SENDER_AND_HOST)]
    assert not DelegationVisit.objects.exists()


def test_visit_hosted_by_its_sender_is_refused_in_admin(data_entry_client, agreement):
    sender, _host = parties(agreement)
    url, data = visit_add_data(data_entry_client, agreement, host_party=sender)
    inline_rows_add(data, "members", {"full_name": "Official who must not be saved"})

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "host_party", SAME_SENDER_AND_HOST)
    assert not DelegationVisit.objects.exists()
    assert not VisitMember.objects.exists()


def test_visit_changed_to_be_hosted_by_its_sender_is_refused_in_admin(
    data_entry_client,
):
    visit = DelegationVisitFactory()
    before = stored_row(visit)
    url = admin_change_url(visit)
    data = admin_form_data(data_entry_client, url, host_party=visit.sending_party)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "host_party", SAME_SENDER_AND_HOST)
    assert stored_row(visit) == before


def test_database_refuses_a_visit_hosted_by_its_sender():
    visit = DelegationVisitFactory()
    before = stored_row(visit)

    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationVisit.objects.filter(pk=visit.pk).update(
            host_party=visit.sending_party
        )

    assert stored_row(visit) == before


# Delegation visit: dates outside the agreement -------------------------------------


def test_visit_starting_before_the_agreement_is_refused(agreement):
    visit = DelegationVisitFactory.build(
        agreement=agreement,
        start_date=datetime.date(2021, 12, 30),
        end_date=datetime.date(2022, 1, 2),
    )

    errors = full_clean_errors(visit)

    assert errors["start_date"] == [outside_message(agreement)]
    assert "end_date" not in errors
    assert not DelegationVisit.objects.exists()


def test_visit_moved_past_the_end_of_the_agreement_is_refused():
    visit = DelegationVisitFactory()
    before = stored_row(visit)
    visit.end_date = datetime.date(2028, 1, 1)

    errors = full_clean_errors(visit)

    assert errors["end_date"] == [outside_message(visit.agreement)]
    assert stored_row(visit) == before


def test_visit_ending_after_the_agreement_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = visit_add_data(
        data_entry_client,
        agreement,
        start_date=datetime.date(2027, 12, 30),
        end_date=datetime.date(2028, 1, 2),
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "end_date", outside_message(agreement))
    assert not DelegationVisit.objects.exists()


def test_visit_moved_before_the_agreement_is_refused_in_admin(data_entry_client):
    visit = DelegationVisitFactory()
    before = stored_row(visit)
    url = admin_change_url(visit)
    data = admin_form_data(
        data_entry_client, url, start_date=datetime.date(2021, 12, 31)
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "start_date", outside_message(visit.agreement))
    assert stored_row(visit) == before


# Delegation visit: a party not in the agreement ------------------------------------


def test_visit_sent_by_an_organisation_outside_the_agreement_is_refused(agreement):
    outsider = OrganisationFactory()
    visit = DelegationVisitFactory.build(agreement=agreement, sending_party=outsider)

    errors = full_clean_errors(visit)

    assert errors["sending_party"] == [not_a_party_message(outsider)]
    assert not DelegationVisit.objects.exists()


def test_visit_hosted_by_an_organisation_outside_the_agreement_is_refused_in_admin(
    data_entry_client, agreement
):
    outsider = OrganisationFactory(name_en="Champasak Provincial Red Cross")
    url, data = visit_add_data(data_entry_client, agreement, host_party=outsider)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "host_party", not_a_party_message(outsider))
    assert not DelegationVisit.objects.exists()


def test_visit_changed_to_a_sender_outside_the_agreement_is_refused_in_admin(
    data_entry_client,
):
    visit = DelegationVisitFactory()
    outsider = OrganisationFactory(name_en="Sekong Provincial Red Cross")
    before = stored_row(visit)
    url = admin_change_url(visit)
    data = admin_form_data(data_entry_client, url, sending_party=outsider)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "sending_party", not_a_party_message(outsider))
    assert stored_row(visit) == before


# Information exchange --------------------------------------------------------------


def test_information_sent_to_its_own_sender_is_refused(agreement):
    sender, _recipient = parties(agreement)
    exchange = InformationExchangeFactory.build(
        agreement=agreement, from_party=sender, to_party=sender
    )

    errors = full_clean_errors(exchange)

    assert errors["to_party"] == [str(SAME_SENDER_AND_RECIPIENT)]
    assert not InformationExchange.objects.exists()


def test_information_sent_to_its_own_sender_is_refused_in_admin(
    data_entry_client, agreement
):
    sender, _recipient = parties(agreement)
    url, data = exchange_add_data(data_entry_client, agreement, to_party=sender)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "to_party", SAME_SENDER_AND_RECIPIENT)
    assert not InformationExchange.objects.exists()


def test_information_exchange_without_a_topic_is_refused():
    exchange = InformationExchangeFactory(
        covers_next_year_plan=False, planned_visits=None, planned_programmes=None
    )
    exchange.covers_results = False

    errors = full_clean_errors(exchange)

    assert errors["covers_results"] == [str(NO_TOPIC)]
    exchange.refresh_from_db()
    assert exchange.covers_results


def test_information_exchange_without_a_topic_is_refused_in_admin(data_entry_client):
    exchange = InformationExchangeFactory(
        covers_next_year_plan=False, planned_visits=None, planned_programmes=None
    )
    before = stored_row(exchange)
    url = admin_change_url(exchange)
    data = admin_form_data(
        data_entry_client,
        url,
        covers_results=False,
        summary="A summary that must not be saved either",
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "covers_results", NO_TOPIC)
    assert stored_row(exchange) == before


def test_planned_visits_without_the_plan_topic_are_refused(agreement):
    exchange = InformationExchangeFactory.build(
        agreement=agreement, covers_next_year_plan=False, planned_visits=1
    )

    errors = full_clean_errors(exchange)

    assert errors["covers_next_year_plan"] == [str(PLAN_WITHOUT_TOPIC)]
    assert not InformationExchange.objects.exists()


def test_planned_programmes_without_the_plan_topic_are_refused_in_admin(
    data_entry_client, agreement
):
    url, data = exchange_add_data(
        data_entry_client,
        agreement,
        covers_next_year_plan=False,
        planned_visits=None,
        planned_programmes=2,
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "covers_next_year_plan", PLAN_WITHOUT_TOPIC)
    assert not InformationExchange.objects.exists()


def test_information_on_a_year_outside_the_agreement_is_refused(agreement):
    exchange = InformationExchangeFactory.build(
        agreement=agreement,
        year_covered=2021,
        exchanged_on=datetime.date(2022, 1, 15),
    )

    errors = full_clean_errors(exchange)

    expected = YEAR_OUTSIDE_AGREEMENT % {"year": 2021, **period_params(agreement)}
    assert errors["year_covered"] == [str(expected)]
    assert not InformationExchange.objects.exists()


def test_information_on_a_year_outside_the_agreement_is_refused_in_admin(
    data_entry_client,
):
    exchange = InformationExchangeFactory(year_covered=2027)
    before = stored_row(exchange)
    url = admin_change_url(exchange)
    data = admin_form_data(data_entry_client, url, year_covered=2028)

    response = data_entry_client.post(url, data)

    expected = YEAR_OUTSIDE_AGREEMENT % {
        "year": 2028,
        **period_params(exchange.agreement),
    }
    assert_refused_in_admin(response, "year_covered", expected)
    assert stored_row(exchange) == before


def test_information_exchanged_after_the_agreement_ended_is_refused():
    exchange = InformationExchangeFactory(year_covered=2027)
    before = stored_row(exchange)
    exchange.exchanged_on = datetime.date(2028, 1, 10)

    errors = full_clean_errors(exchange)

    assert errors["exchanged_on"] == [outside_message(exchange.agreement)]
    assert stored_row(exchange) == before


def test_information_exchanged_before_the_agreement_is_refused_in_admin(
    data_entry_client, agreement
):
    url, data = exchange_add_data(
        data_entry_client,
        agreement,
        year_covered=2022,
        exchanged_on=datetime.date(2021, 12, 20),
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "exchanged_on", outside_message(agreement))
    assert not InformationExchange.objects.exists()


def test_information_from_an_organisation_outside_the_agreement_is_refused(agreement):
    outsider = OrganisationFactory()
    exchange = InformationExchangeFactory.build(
        agreement=agreement, from_party=outsider
    )

    errors = full_clean_errors(exchange)

    assert errors["from_party"] == [not_a_party_message(outsider)]
    assert not InformationExchange.objects.exists()


def test_information_to_an_organisation_outside_the_agreement_is_refused_in_admin(
    data_entry_client,
):
    exchange = InformationExchangeFactory()
    outsider = OrganisationFactory(name_en="Gia Lai Provincial Red Cross")
    before = stored_row(exchange)
    url = admin_change_url(exchange)
    data = admin_form_data(data_entry_client, url, to_party=outsider)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "to_party", not_a_party_message(outsider))
    assert stored_row(exchange) == before


# Visit photos ----------------------------------------------------------------------


def test_photo_that_is_not_an_image_file_is_refused(media_root):
    visit = DelegationVisitFactory()
    photo = VisitAttachmentFactory.build(
        visit=visit,
        kind="photo",
        file=SimpleUploadedFile("minutes.png", b"GIF89a\x01\x00\x01\x00"),
    )

    errors = full_clean_errors(photo)

    assert errors["file"] == [PHOTO_NOT_AN_IMAGE]
    assert not VisitAttachment.objects.exists()


def test_document_may_be_a_pdf(media_root):
    visit = DelegationVisitFactory()
    document = VisitAttachmentFactory.build(
        visit=visit,
        kind="document",
        file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF\n"),
    )

    document.full_clean()
    document.save()

    assert document.file.name.endswith(".pdf")
    assert document.original_name == "minutes.pdf"


def test_photo_that_is_not_an_image_file_is_refused_in_admin(
    data_entry_client, media_root
):
    visit = DelegationVisitFactory()
    url = admin_add_url(VisitAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        visit=visit,
        kind="photo",
        caption="Minutes of the meeting",
        file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n"),
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "file", DOCUMENT_AS_PHOTO)
    assert not VisitAttachment.objects.exists()
    assert not any(media_root.rglob("*.pdf"))


def test_photo_that_is_not_an_image_file_is_refused_in_the_visit_form(
    data_entry_client, media_root
):
    visit = DelegationVisitFactory()
    before = stored_row(visit)
    url = admin_change_url(visit)
    data = admin_form_data(data_entry_client, url, place="Changed on the way")
    inline_rows_add(
        data,
        "attachments",
        {
            "kind": "photo",
            "caption": "Minutes of the meeting",
            "file": SimpleUploadedFile("minutes.docx", b"PK\x03\x04"),
        },
    )

    response = data_entry_client.post(url, data)

    assert_redisplayed_with(response, PHOTO_NOT_AN_IMAGE)
    rows = inline_errors(response, "attachments")["rows"]
    assert rows[0]["file"] == [PHOTO_NOT_AN_IMAGE]
    assert not VisitAttachment.objects.exists()
    assert stored_row(visit) == before
    assert not any(media_root.rglob("*.docx"))


# Valid input is saved: the POST data the helper builds is complete ----------------


def test_valid_visit_is_saved_with_its_members(data_entry_client, agreement):
    sender, _host = parties(agreement)
    url, data = visit_add_data(data_entry_client, agreement)
    inline_rows_add(
        data,
        "members",
        {"full_name": "Head of delegation", "organisation": sender, "order": 1},
    )

    assert_saved(data_entry_client.post(url, data))

    visit = DelegationVisit.objects.get()
    assert visit.start_date == datetime.date(2023, 9, 12)
    assert visit.members.get().organisation == sender


def test_valid_information_exchange_is_saved(data_entry_client, agreement):
    url, data = exchange_add_data(data_entry_client, agreement)

    assert_saved(data_entry_client.post(url, data))

    exchange = InformationExchange.objects.get()
    assert exchange.covers_next_year_plan and not exchange.covers_socio_economic
    assert (exchange.planned_visits, exchange.planned_programmes) == (1, 2)


def test_valid_visit_photo_is_saved(data_entry_client, media_root):
    visit = DelegationVisitFactory()
    url = admin_add_url(VisitAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        visit=visit,
        kind="photo",
        caption="The delegations meet",
        file=image_upload("meeting.JPG", "JPEG"),
    )

    assert_saved(data_entry_client.post(url, data))

    photo = VisitAttachment.objects.get()
    assert photo.visit == visit
    assert (media_root / photo.file.name).is_file()


def test_valid_visit_member_is_saved(data_entry_client):
    visit = DelegationVisitFactory()
    url = admin_add_url(VisitMember)
    data = admin_form_data(
        data_entry_client,
        url,
        visit=visit,
        full_name="Vice-chair of the provincial branch",
        organisation=visit.sending_party,
    )

    assert_saved(data_entry_client.post(url, data))

    assert visit.members.get().organisation == visit.sending_party


def test_photo_named_jpg_that_is_not_an_image_is_refused(data_entry_client):
    visit = DelegationVisitFactory()
    url = admin_add_url(VisitAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        visit=visit,
        kind="photo",
        caption="Not really a photo",
        file=SimpleUploadedFile("meeting.jpg", b"this is a text file"),
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "file", PHOTO_NOT_AN_IMAGE)
    assert not VisitAttachment.objects.exists()
