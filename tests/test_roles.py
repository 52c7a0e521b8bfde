"""Roles per organisation: each staff member reaches its own organisation's records.

Three branches: A and B sign one agreement, B and C another. A clerk of A views
everything of the A–B agreement, changes what A sends, hosts, leads or confirms,
and reaches nothing of the B–C agreement: not in lists, pages, forms, dropdowns,
autocomplete answers, sidebar filters, actions, reports or files.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import scopes
from cooperation.admin_scopes import NO_ORGANISATION, out_of_scope_message
from cooperation.models import Agreement, StaffMembership, YearConfirmation
from cooperation.staff_groups import DATA_ENTRY, VIEWER
from exchanges.models import DelegationVisit, InformationExchange
from programs.models import GiftDistribution, JointProgram, Recipient
from tests.admin_forms import (
    admin_add_url,
    admin_change_url,
    admin_form_data,
    assert_refused_in_admin,
    assert_saved,
    stored_row,
)
from tests.conftest import EnglishClient
from tests.factories import (
    AgreementFactory,
    DelegationVisitFactory,
    GiftDistributionFactory,
    InformationExchangeFactory,
    JointProgramFactory,
    OrganisationFactory,
    ProgramAttachmentFactory,
    RecipientFactory,
    YearConfirmationFactory,
    staff_user,
    succeeded,
)
from tests.upload_files import photo_bytes, upload

pytestmark = pytest.mark.django_db


class World:
    """Branches A, B, C; agreements A–B and B–C; a record of each kind."""

    def __init__(self):
        self.a = OrganisationFactory(name_en="A Provincial Red Cross", acronym="A")
        self.b = OrganisationFactory(name_en="B Provincial Red Cross", acronym="B")
        self.c = OrganisationFactory(name_en="C Provincial Red Cross", acronym="C")
        self.ab = AgreementFactory(slug="a-b", parties=[self.a, self.b])
        self.bc = AgreementFactory(slug="b-c", parties=[self.b, self.c])
        self.visit_ab = DelegationVisitFactory(
            agreement=self.ab, sending_party=self.a, host_party=self.b
        )
        self.visit_bc = DelegationVisitFactory(
            agreement=self.bc, sending_party=self.b, host_party=self.c
        )
        self.exchange_a = InformationExchangeFactory(
            agreement=self.ab, from_party=self.a, to_party=self.b
        )
        self.exchange_b = InformationExchangeFactory(
            agreement=self.ab, from_party=self.b, to_party=self.a
        )
        self.programme_a = JointProgramFactory(
            agreement=self.ab, lead_organisation=self.a, title_en="Led by A"
        )
        self.programme_b = JointProgramFactory(
            agreement=self.ab, lead_organisation=self.b, title_en="Led by B"
        )
        self.programme_bc = JointProgramFactory(
            agreement=self.bc, lead_organisation=self.b, title_en="Led by B for C"
        )
        self.distribution_a = GiftDistributionFactory(program=self.programme_a)
        self.distribution_b = GiftDistributionFactory(program=self.programme_b)

    def party(self, agreement, organisation):
        return agreement.party_signatures.get(organisation=organisation)


@pytest.fixture
def world():
    return World()


def login(user):
    client = EnglishClient()
    client.force_login(user)
    return client


@pytest.fixture
def clerk_a(world):
    return login(staff_user("clerk-a", groups=[DATA_ENTRY], organisation=world.a))


@pytest.fixture
def clerk_b(world):
    return login(staff_user("clerk-b", groups=[DATA_ENTRY], organisation=world.b))


@pytest.fixture
def viewer_a(world):
    return login(staff_user("viewer-a", groups=[VIEWER], organisation=world.a))


@pytest.fixture
def clerk_without_organisation(world):
    return login(staff_user("newcomer", groups=[DATA_ENTRY], organisation=None))


def changelist_url(model):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def listed(client, model, **params):
    response = client.get(changelist_url(model), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


# Lists ----------------------------------------------------------------------------


def test_clerk_lists_the_records_of_the_agreements_its_branch_signed(world, clerk_a):
    assert listed(clerk_a, JointProgram) == {world.programme_a, world.programme_b}
    assert listed(clerk_a, DelegationVisit) == {world.visit_ab}
    assert listed(clerk_a, InformationExchange) == {
        world.exchange_a,
        world.exchange_b,
    }
    assert listed(clerk_a, GiftDistribution) == {
        world.distribution_a,
        world.distribution_b,
    }


def test_clerk_of_the_branch_in_both_agreements_lists_both(world, clerk_b):
    assert listed(clerk_b, JointProgram) == {
        world.programme_a,
        world.programme_b,
        world.programme_bc,
    }


def test_viewer_lists_what_its_branch_may_view(world, viewer_a):
    assert listed(viewer_a, JointProgram) == {world.programme_a, world.programme_b}


def test_superuser_lists_everything(world, admin_client):
    assert len(listed(admin_client, JointProgram)) == 3
    assert len(listed(admin_client, DelegationVisit)) == 2


def test_staff_without_an_organisation_see_no_record_and_are_told_why(
    world, clerk_without_organisation
):
    response = clerk_without_organisation.get(changelist_url(JointProgram))

    assert list(response.context["cl"].result_list) == []
    assert str(NO_ORGANISATION) in messages_of(response)
    # The shared lists stay readable; adding anything waits for an organisation.
    assert clerk_without_organisation.get(admin_add_url(JointProgram)).status_code == (
        403
    )


def test_agreements_list_only_those_the_branch_signed(world, clerk_a):
    assert listed(clerk_a, Agreement) == {world.ab}


# Pages and forged posts -----------------------------------------------------------


def test_another_agreements_record_is_refused_outright(world, clerk_a):
    url = admin_change_url(world.programme_bc)
    before = stored_row(world.programme_bc)

    page = clerk_a.get(url)
    forged = clerk_a.post(url, {"title_en": "Taken over"})

    assert page.status_code == 403
    assert forged.status_code == 403
    assert stored_row(world.programme_bc) == before


def test_the_other_sides_programme_is_shown_read_only_and_a_forged_post_is_refused(
    world, clerk_a
):
    url = admin_change_url(world.programme_b)
    before = stored_row(world.programme_b)

    page = clerk_a.get(url)
    forged = clerk_a.post(url, {"title_en": "Changed by A", "lead_organisation": 1})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert forged.status_code == 403
    assert stored_row(world.programme_b) == before


def test_the_sender_changes_its_own_programme(world, clerk_a):
    url = admin_change_url(world.programme_a)
    data = admin_form_data(clerk_a, url, title_en="Renamed by A")

    assert_saved(clerk_a.post(url, data))

    world.programme_a.refresh_from_db()
    assert world.programme_a.title_en == "Renamed by A"


def test_handing_ones_programme_to_the_other_side_is_refused(world, clerk_a):
    url = admin_change_url(world.programme_a)
    before = stored_row(world.programme_a)
    data = admin_form_data(clerk_a, url, lead_organisation=world.b)

    response = clerk_a.post(url, data)

    expected = scopes.rule_for(JointProgram).refusal % {"organisation": world.a}
    assert_refused_in_admin(response, "lead_organisation", expected)
    assert stored_row(world.programme_a) == before


def test_adding_a_programme_led_by_the_other_side_is_refused_with_a_message(
    world, clerk_a
):
    url = admin_add_url(JointProgram)
    data = admin_form_data(
        clerk_a,
        url,
        agreement=world.ab,
        year=2022,
        title_en="Forged",
        lead_organisation=world.b,
        start_date=datetime.date(2022, 5, 1),
        status=JointProgram.Status.COMPLETED,
    )

    response = clerk_a.post(url, data)

    expected = scopes.rule_for(JointProgram).refusal % {"organisation": world.a}
    assert_refused_in_admin(response, "lead_organisation", expected)
    assert not JointProgram.objects.filter(title_en="Forged").exists()


def test_adding_information_sent_by_the_other_side_is_refused(world, clerk_a):
    url = admin_add_url(InformationExchange)
    data = admin_form_data(
        clerk_a,
        url,
        agreement=world.ab,
        year_covered=2023,
        from_party=world.b,
        to_party=world.a,
        exchanged_on=datetime.date(2023, 12, 1),
        covers_results=True,
    )

    response = clerk_a.post(url, data)

    expected = scopes.rule_for(InformationExchange).refusal % {"organisation": world.a}
    assert_refused_in_admin(response, "from_party", expected)
    assert InformationExchange.objects.count() == 2


def test_adding_a_visit_to_an_agreement_not_signed_is_refused(world, clerk_a):
    url = admin_add_url(DelegationVisit)
    data = admin_form_data(
        clerk_a,
        url,
        agreement=world.bc,
        kind=DelegationVisit.Kind.ON_REQUEST,
        sending_party=world.a,
        host_party=world.c,
        start_date=datetime.date(2023, 3, 1),
        end_date=datetime.date(2023, 3, 2),
    )

    response = clerk_a.post(url, data)

    assert response.status_code == 200
    assert "agreement" in response.context["adminform"].form.errors
    assert DelegationVisit.objects.count() == 2


def test_adding_a_distribution_under_the_other_sides_programme_is_refused(
    world, clerk_a
):
    url = admin_add_url(GiftDistribution)
    data = admin_form_data(
        clerk_a,
        url,
        program=world.programme_b,
        start_date=world.programme_b.start_date,
        districts=list(world.distribution_b.districts.all()),
        recipient_group=GiftDistribution.RecipientGroup.STUDENTS,
        packages=5,
        currency="VND",
    )

    response = clerk_a.post(url, data)

    expected = scopes.rule_for(GiftDistribution).refusal % {"organisation": world.a}
    assert_refused_in_admin(response, "program", expected)
    assert world.programme_b.distributions.count() == 1


def test_viewer_cannot_change_its_own_branchs_record(world, viewer_a):
    url = admin_change_url(world.programme_a)
    before = stored_row(world.programme_a)

    response = viewer_a.post(url, {"title_en": "Changed by a viewer"})

    assert response.status_code == 403
    assert stored_row(world.programme_a) == before


def test_the_successors_staff_change_the_predecessors_records(world):
    successor = succeeded(
        world.a, on=datetime.date(2025, 7, 1), name_en="A2 Provincial Red Cross"
    )
    clerk = login(staff_user("clerk-a2", groups=[DATA_ENTRY], organisation=successor))
    url = admin_change_url(world.programme_a)

    assert_saved(clerk.post(url, admin_form_data(clerk, url, title_en="Kept")))
    assert clerk.get(admin_change_url(world.programme_bc)).status_code == 403


# Delete, single and bulk -------------------------------------------------------------


def test_deleting_the_other_sides_programme_is_refused(world, clerk_a):
    url = reverse("admin:programs_jointprogram_delete", args=[world.programme_b.pk])

    response = clerk_a.post(url, {"post": "yes"})

    assert response.status_code == 403
    assert JointProgram.objects.filter(pk=world.programme_b.pk).exists()


def bulk(client, model, action, records, **extra):
    return client.post(
        changelist_url(model),
        {
            "action": action,
            "_selected_action": [record.pk for record in records],
            **extra,
        },
        follow=True,
    )


def test_bulk_delete_with_one_record_out_of_scope_deletes_nothing(world, clerk_a):
    response = bulk(
        clerk_a,
        JointProgram,
        "delete_selected",
        [world.programme_a, world.programme_b],
        post="yes",
    )

    assert out_of_scope_message(1, "delete_selected") in messages_of(response)
    assert (
        JointProgram.objects.filter(
            pk__in=[world.programme_a.pk, world.programme_b.pk]
        ).count()
        == 2
    )


def test_bulk_delete_of_ones_own_records_deletes_them(world, clerk_a):
    world.distribution_a.delete()  # a programme with children is not deleted
    bulk(clerk_a, JointProgram, "delete_selected", [world.programme_a], post="yes")

    assert not JointProgram.objects.filter(pk=world.programme_a.pk).exists()


def test_bulk_delete_cannot_reach_a_record_of_another_agreement(world, clerk_a):
    bulk(clerk_a, JointProgram, "delete_selected", [world.programme_bc], post="yes")

    assert JointProgram.objects.filter(pk=world.programme_bc.pk).exists()


def test_bulk_unpublish_with_the_other_sides_record_changes_nothing(world, clerk_a):
    response = bulk(
        clerk_a, JointProgram, "unpublish", [world.programme_a, world.programme_b]
    )

    assert out_of_scope_message(1, "unpublish") in messages_of(response)
    assert JointProgram.objects.filter(is_published=True).count() == 3


# Dropdowns, autocomplete and filters ---------------------------------------------


def test_autocomplete_offers_only_ones_own_branch_as_lead(world, clerk_a):
    found = autocomplete(clerk_a, "programs", "jointprogram", "lead_organisation")

    assert found == {world.a.pk}


def test_autocomplete_offers_only_agreements_signed(world, clerk_a):
    found = autocomplete(clerk_a, "exchanges", "delegationvisit", "agreement")

    assert found == {world.ab.pk}


def test_autocomplete_offers_only_ones_own_programmes_for_a_distribution(
    world, clerk_a, clerk_b
):
    assert autocomplete(clerk_a, "programs", "giftdistribution", "program") == {
        world.programme_a.pk
    }
    assert autocomplete(clerk_b, "programs", "giftdistribution", "program") == {
        world.programme_b.pk,
        world.programme_bc.pk,
    }


def test_autocomplete_offers_every_visit_of_the_agreement_a_programme_may_name(
    world, clerk_a
):
    found = autocomplete(clerk_a, "programs", "jointprogram", "visit")

    assert found == {world.visit_ab.pk}


def test_superuser_autocomplete_offers_everything(world, admin_client):
    found = autocomplete(admin_client, "programs", "jointprogram", "lead_organisation")

    assert {world.a.pk, world.b.pk, world.c.pk} <= found


def test_agreement_filter_lists_only_agreements_in_scope(world, clerk_a):
    # A filter with a single choice is not shown: A signs a second agreement.
    a_d = AgreementFactory(parties=[world.a, OrganisationFactory()])
    JointProgramFactory(agreement=a_d)

    response = clerk_a.get(changelist_url(JointProgram))

    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "agreement"
    )
    assert {pk for pk, _label in spec.lookup_choices} == {world.ab.pk, a_d.pk}


def test_distribution_agreement_filter_lists_only_agreements_in_scope(world, clerk_a):
    GiftDistributionFactory(program=world.programme_bc)
    a_d = AgreementFactory(parties=[world.a, OrganisationFactory()])
    GiftDistributionFactory(program=JointProgramFactory(agreement=a_d))

    response = clerk_a.get(changelist_url(GiftDistribution))

    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "program__agreement"
    )
    assert {pk for pk, _label in spec.lookup_choices} == {world.ab.pk, a_d.pk}


# Year confirmations --------------------------------------------------------------


def test_confirmation_form_offers_only_ones_own_party(world, clerk_a):
    response = clerk_a.get(admin_add_url(YearConfirmation))

    field = response.context["adminform"].form.fields["party"]
    offered = {int(value.value) for value, _label in field.choices if value}
    assert offered == {world.party(world.ab, world.a).pk}
    content = response.content.decode()
    assert f'value="{world.party(world.ab, world.b).pk}"' not in content


def test_confirming_for_the_other_party_is_refused(world, clerk_a):
    url = admin_add_url(YearConfirmation)
    data = admin_form_data(
        clerk_a,
        url,
        party=world.party(world.ab, world.b),
        year=2022,
        signatory="Forged Signatory",
    )

    response = clerk_a.post(url, data)

    expected = scopes.rule_for(YearConfirmation).refusal % {"organisation": world.a}
    assert_refused_in_admin(response, "party", expected)
    assert not YearConfirmation.objects.exists()


def test_confirming_for_ones_own_party_is_accepted(world, clerk_a):
    url = admin_add_url(YearConfirmation)
    data = admin_form_data(
        clerk_a,
        url,
        party=world.party(world.ab, world.a),
        year=2022,
        signatory="A Signatory, Vice-President",
    )

    assert_saved(clerk_a.post(url, data))
    assert YearConfirmation.objects.get().party.organisation == world.a


def test_reopening_the_other_partys_confirmation_is_refused(world, clerk_a):
    confirmation = YearConfirmationFactory(party=world.party(world.ab, world.b))
    url = admin_change_url(confirmation)

    response = clerk_a.post(url, {"reopen_reason": "Forged reopening"})

    assert response.status_code == 403
    confirmation.refresh_from_db()
    assert confirmation.is_standing


# Reports and files ------------------------------------------------------------------


def staff_report_url(agreement):
    return reverse("staff_agreement_report", args=[agreement.pk, 2022, "csv"])


def test_staff_report_only_for_agreements_signed(world, clerk_a):
    assert clerk_a.get(staff_report_url(world.bc)).status_code == 404
    assert clerk_a.get(staff_report_url(world.ab)).status_code == 200


def test_unpublished_file_only_for_staff_who_may_view_its_record(
    world, clerk_a, clerk_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    attachment = ProgramAttachmentFactory(
        program=world.programme_bc,
        file=upload("photo.jpg", photo_bytes()),
        is_published=False,
    )

    assert clerk_a.get(attachment.file.url).status_code == 404
    assert clerk_b.get(attachment.file.url).status_code == 200


# Users ------------------------------------------------------------------------------


def test_administrator_assigns_a_staff_member_to_an_organisation(world, admin_client):
    user = staff_user("newcomer", groups=[DATA_ENTRY], organisation=None)
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = admin_form_data(admin_client, url)
    data |= {
        # The user form's date and time come as two inputs.
        "date_joined_0": "2025-01-06",
        "date_joined_1": "08:00:00",
        "staff_membership-TOTAL_FORMS": "1",
        "staff_membership-0-organisation": str(world.a.pk),
    }

    assert_saved(admin_client.post(url, data))
    assert StaffMembership.objects.get(user=user).organisation == world.a


def test_clerks_cannot_open_the_user_admin(world, clerk_a):
    response = clerk_a.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 403


# Query counts -------------------------------------------------------------------------


def changelist_queries(client, model):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(changelist_url(model)).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (JointProgram, lambda world: JointProgramFactory(agreement=world.ab)),
        (DelegationVisit, lambda world: DelegationVisitFactory(agreement=world.ab)),
        (
            GiftDistribution,
            lambda world: GiftDistributionFactory(program=world.programme_a),
        ),
        (
            Recipient,
            lambda world: RecipientFactory(
                distribution=GiftDistributionFactory(program=world.programme_b)
            ),
        ),
    ],
    ids=["programmes", "visits", "distributions", "recipients"],
)
def test_a_scoped_changelist_costs_the_same_at_one_row_and_at_twenty(
    world, clerk_a, model, factory, django_assert_max_num_queries
):
    few = changelist_queries(clerk_a, model)
    for _ in range(20):
        factory(world)

    # The scope adds two queries per request (the membership, the organisations it
    # succeeded) and none per row.
    with django_assert_max_num_queries(few):
        clerk_a.get(changelist_url(model))


# History: reverting and restoring reach no further than changing -------------------


def history_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def renamed(programme, title):
    programme.title_en = title
    programme.save()
    return programme


def test_a_clerk_cannot_revert_the_other_sides_record_by_a_forged_post(world, clerk_b):
    programme = renamed(world.programme_a, "Renamed by A")
    first = programme.history.earliest()
    url = history_url(JointProgram, "simple_history", programme.pk, first.pk)

    response = clerk_b.post(url, {"title_en": "Led by A", "version": programme.version})

    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.title_en == "Renamed by A"


def test_a_viewer_cannot_revert_by_a_forged_post(world, viewer_a):
    programme = renamed(world.programme_a, "Renamed by A")
    first = programme.history.earliest()
    url = history_url(JointProgram, "simple_history", programme.pk, first.pk)

    assert viewer_a.get(url).status_code == 200  # the old version may be read
    response = viewer_a.post(url, {"version": programme.version})

    assert response.status_code == 403
    programme.refresh_from_db()
    assert programme.title_en == "Renamed by A"


def test_deleted_records_list_only_what_the_clerk_may_view(world, clerk_a):
    kept_title, hidden_title = "Deleted by A", "Deleted by B for C"
    renamed(world.programme_a, kept_title)
    renamed(world.programme_bc, hidden_title)
    GiftDistribution.objects.filter(program=world.programme_a).delete()
    world.programme_a.delete()
    world.programme_bc.delete()

    html = clerk_a.get(history_url(JointProgram, "deleted")).content.decode()

    assert kept_title in html
    assert hidden_title not in html


def test_a_clerk_cannot_restore_the_other_sides_deleted_record(world, clerk_a):
    GiftDistribution.objects.filter(program=world.programme_b).delete()
    pk = world.programme_b.pk
    world.programme_b.delete()
    deletion = JointProgram.history.get(id=pk, history_type="-")

    response = clerk_a.post(history_url(JointProgram, "restore", deletion.history_id))

    assert response.status_code == 403
    assert not JointProgram.objects.filter(pk=pk).exists()
