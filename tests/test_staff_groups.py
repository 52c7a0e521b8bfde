"""The two staff groups the migrations create, and what they let a person do."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from cooperation.models import Agreement
from cooperation.staff_groups import (
    ADMINISTRATOR_MODELS,
    DATA_ENTRY,
    INTERNAL_MODELS,
    NOT_DELETABLE_BY_DATA_ENTRY,
    PERSONAL_DATA_MODELS,
    RECORD_APPS,
    VIEWER,
)
from exchanges.models import DelegationVisit
from tests import factories

pytestmark = pytest.mark.django_db

ACTIONS = ("add", "change", "delete", "view")
REGISTERED_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in RECORD_APPS),
    key=lambda model: model._meta.label,
)


def label(model):
    return model._meta.label


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def record_permissions(actions=ACTIONS):
    """(app label, codename) of every permission of every model of the three apps."""
    return {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for app_label in RECORD_APPS
        for model in apps.get_app_config(app_label).get_models()
        if model._meta.model_name not in INTERNAL_MODELS | ADMINISTRATOR_MODELS
        for action in actions
    }


def custom_permissions():
    """(app label, codename) of the permissions models declare in Meta.permissions:
    seeing recipients' names."""
    return {
        (app_label, codename)
        for app_label in RECORD_APPS
        for model in apps.get_app_config(app_label).get_models()
        for codename, _name in model._meta.permissions
    }


def personal_data_permissions():
    """Every permission on recipients and their history, and seeing names."""
    return custom_permissions() | {
        (app_label, codename)
        for app_label, codename in record_permissions()
        if codename.split("_", 1)[1] in PERSONAL_DATA_MODELS
    }


def group_permissions(name):
    return set(
        Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )


def test_migrations_create_the_data_entry_and_viewer_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {DATA_ENTRY, VIEWER}


def history_edits():
    """Permissions to add, change or delete rows of the history: nobody's."""
    return {
        (app_label, codename)
        for app_label, codename in record_permissions()
        if "_historical" in codename and not codename.startswith("view_")
    }


def test_data_entry_may_do_everything_to_records_but_delete_an_agreement():
    expected = (
        (record_permissions() | custom_permissions())
        - history_edits()
        - {("cooperation", codename) for codename in NOT_DELETABLE_BY_DATA_ENTRY}
    )
    assert group_permissions(DATA_ENTRY) == expected
    assert ("cooperation", "delete_agreement") not in group_permissions(DATA_ENTRY)


def test_viewer_may_only_view_records():
    assert group_permissions(VIEWER) == (
        record_permissions(actions=["view"]) - personal_data_permissions()
    )


def test_data_entry_sees_recipients_names_and_a_viewer_does_not():
    assert ("programs", "see_recipient_names") in custom_permissions()
    assert ("programs", "see_recipient_names") in group_permissions(DATA_ENTRY)
    assert ("programs", "view_historicalrecipient") in group_permissions(DATA_ENTRY)
    assert not group_permissions(VIEWER) & personal_data_permissions()
    assert ("programs", "view_historicalrecipient") not in group_permissions(VIEWER)


def test_both_groups_read_the_history_and_neither_edits_it():
    for name in (DATA_ENTRY, VIEWER):
        permissions = group_permissions(name)
        assert ("programs", "view_historicaljointprogram") in permissions
        assert not permissions & history_edits()


def test_groups_cover_every_model_including_ones_without_an_admin():
    covered = {codename for _app, codename in group_permissions(VIEWER)}
    assert "view_agreementparty" in covered


def test_data_entry_opens_the_add_page_of_a_visit(data_entry_client):
    response = data_entry_client.get(admin_url(DelegationVisit, "add"))
    assert response.status_code == 200


def test_data_entry_cannot_open_the_delete_page_of_an_agreement(data_entry_client):
    agreement = factories.AgreementFactory()
    response = data_entry_client.get(admin_url(Agreement, "delete", agreement.pk))
    assert response.status_code == 403
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_data_entry_cannot_delete_an_agreement_by_post(data_entry_client):
    agreement = factories.AgreementFactory()
    response = data_entry_client.post(
        admin_url(Agreement, "delete", agreement.pk), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_data_entry_can_delete_a_visit(data_entry_client):
    visit = factories.DelegationVisitFactory()
    url = admin_url(DelegationVisit, "delete", visit.pk)
    assert data_entry_client.get(url).status_code == 200
    response = data_entry_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not DelegationVisit.objects.filter(pk=visit.pk).exists()


def test_agreement_change_page_offers_data_entry_no_delete_link(data_entry_client):
    agreement = factories.AgreementFactory()
    response = data_entry_client.get(admin_url(Agreement, "change", agreement.pk))
    assert response.status_code == 200
    assert admin_url(Agreement, "delete", agreement.pk) not in response.content.decode()


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=label)
def test_viewer_is_refused_the_add_page(viewer_client, model):
    assert viewer_client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.parametrize(
    "model",
    [m for m in REGISTERED_MODELS if m._meta.model_name not in PERSONAL_DATA_MODELS],
    ids=label,
)
def test_viewer_opens_the_changelist(viewer_client, model):
    assert viewer_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize(
    "model",
    [m for m in REGISTERED_MODELS if m._meta.model_name in PERSONAL_DATA_MODELS],
    ids=label,
)
def test_viewer_is_refused_the_list_of_personal_data(viewer_client, model):
    assert viewer_client.get(admin_url(model, "changelist")).status_code == 403


def test_viewer_sees_a_visit_but_cannot_save_it(viewer_client):
    visit = factories.DelegationVisitFactory(place="Attapeu town")
    url = admin_url(DelegationVisit, "change", visit.pk)

    page = viewer_client.get(url)
    response = viewer_client.post(url, {"place": "Changed"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.place == "Attapeu town"


@pytest.mark.parametrize("client_fixture", ["data_entry_client", "viewer_client"])
def test_admin_index_groups_models_under_the_three_app_names(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    response = client.get(reverse("admin:index"))

    content = response.content.decode()
    assert response.status_code == 200
    for app_label in RECORD_APPS:
        assert str(apps.get_app_config(app_label).verbose_name) in content


def test_admin_index_names_the_apps_as_apps_py_declares_them(data_entry_client):
    content = data_entry_client.get(reverse("admin:index")).content.decode()
    for verbose_name in (
        "Agreements, parties and places",
        "Delegation visits and information exchanges",
        "Joint programmes and gift distributions",
    ):
        assert verbose_name in content


def test_a_staff_user_made_after_the_groups_were_emptied_still_gets_its_group():
    # As after a browser test on the same worker, whose flush empties every table.
    Group.objects.all().delete()

    user = factories.staff_user(
        "late-clerk", groups=[DATA_ENTRY], organisation=factories.home_branch()
    )

    assert list(user.groups.values_list("name", flat=True)) == [DATA_ENTRY]
    assert user.has_perm("programs.add_giftdistribution")
