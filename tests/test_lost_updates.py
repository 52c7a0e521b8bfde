"""Two staff edit the same record: the second save, made on a stale form, is refused
with what changed meanwhile, and the first one's values stay."""

import pytest
from django.apps import apps
from django.contrib import admin as django_admin
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cooperation.staff_groups import staff_groups_sync
from programs.models import GiftDistribution, JointProgram
from tests.admin_forms import admin_change_url, admin_form_data, inline_errors
from tests.conftest import EnglishClient
from tests.factories import (
    DistributionItemFactory,
    JointProgramFactory,
    home_branch,
    staff_user,
)

pytestmark = pytest.mark.django_db


def logged_in(username) -> Client:
    client = EnglishClient()
    client.force_login(
        staff_user(username, groups=["Data entry"], organisation=home_branch())
    )
    return client


@pytest.fixture(autouse=True)
def _staff_groups():
    """The groups come from a migration; a test that empties the database (a
    transaction test on the same worker) takes them away."""
    staff_groups_sync(apps)


@pytest.fixture
def two_clerks():
    return logged_in("clerk1"), logged_in("clerk2")


def test_the_second_of_two_concurrent_saves_is_refused_with_what_changed(two_clerks):
    first, second = two_clerks
    programme = JointProgramFactory(title_en="Original title", people_reached=10)
    url = admin_change_url(programme)
    first_form = admin_form_data(first, url, title_en="Title of the first")
    second_form = admin_form_data(second, url, people_reached=99)

    assert first.post(url, first_form).status_code == 302
    response = second.post(url, second_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert escape("was changed by clerk1 at") in html
    assert escape("Title (English) is now “Title of the first”") in html
    assert "Your changes were not saved" in html
    programme.refresh_from_db()
    assert programme.title_en == "Title of the first"
    assert programme.people_reached != 99
    # The form comes back with the newest version: saving again, knowingly, works.
    again = admin_form_data(second, url, people_reached=99)
    assert second.post(url, again).status_code == 302
    programme.refresh_from_db()
    assert (programme.title_en, programme.people_reached) == ("Title of the first", 99)


def test_a_form_posted_without_its_version_is_refused(two_clerks):
    first, _second = two_clerks
    programme = JointProgramFactory(title_en="Original title")
    url = admin_change_url(programme)
    forged = admin_form_data(first, url, title_en="Forged")
    del forged["version"]

    response = first.post(url, forged)

    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    programme.refresh_from_db()
    assert programme.title_en == "Original title"


def test_a_form_opened_before_a_bulk_publication_is_refused(two_clerks):
    first, second = two_clerks
    programme = JointProgramFactory(title_en="Original title", is_published=False)
    url = admin_change_url(programme)
    stale = admin_form_data(second, url, title_en="Stale edit")

    first.post(
        reverse("admin:programs_jointprogram_changelist"),
        {"action": "publish", "_selected_action": [programme.pk]},
    )
    response = second.post(url, stale)

    assert response.status_code == 200
    assert escape("Published is now “yes”") in response.content.decode()
    programme.refresh_from_db()
    assert programme.is_published
    assert programme.title_en == "Original title"


def test_an_inline_row_edited_in_two_tabs_is_refused_the_second_time(two_clerks):
    first, second = two_clerks
    item = DistributionItemFactory(quantity=10)
    url = admin_change_url(item.distribution)
    prefix = "items"
    first_form = admin_form_data(first, url, **{f"{prefix}-0-quantity": 20})
    second_form = admin_form_data(second, url, **{f"{prefix}-0-quantity": 30})

    assert first.post(url, first_form).status_code == 302
    response = second.post(url, second_form)

    assert response.status_code == 200
    errors = inline_errors(response, prefix)["rows"][0]["__all__"]
    assert "was changed by clerk1" in errors[0]
    assert "Quantity is now “20”" in errors[0]
    item.refresh_from_db()
    assert item.quantity == 20


def test_an_unchanged_inline_row_does_not_block_the_record(two_clerks):
    first, second = two_clerks
    item = DistributionItemFactory(quantity=10)
    distribution = item.distribution
    url = admin_change_url(distribution)
    second_form = admin_form_data(second, url, notes="Notes of the second")
    first.post(url, admin_form_data(first, url, **{"items-0-quantity": 20}))

    # The second clerk's own record is stale too (the first saved the whole form).
    response = second.post(url, second_form)
    assert response.status_code == 200

    # Reloaded, the second clerk saves the distribution; the item row is untouched.
    response = second.post(url, admin_form_data(second, url, notes="Notes again"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.quantity == 20
    assert GiftDistribution.objects.get(pk=distribution.pk).notes == "Notes again"


def test_two_saves_at_the_same_moment_cannot_both_win():
    """The form's check and the save are two steps; the save itself updates only
    the version the form was filled in on."""
    from cooperation.history import RecordChangedMeanwhile

    programme = JointProgramFactory(title_en="Original")
    mine = JointProgram.objects.get(pk=programme.pk)
    theirs = JointProgram.objects.get(pk=programme.pk)
    mine._version_seen = theirs._version_seen = programme.version
    theirs.title_en = "Theirs"
    theirs.save()
    mine.title_en = "Mine"

    with pytest.raises(RecordChangedMeanwhile), transaction.atomic():
        mine.save()
    programme.refresh_from_db()
    assert programme.title_en == "Theirs"


def test_two_saves_in_the_same_instant_refuse_the_second_with_a_message(
    two_clerks, monkeypatch
):
    """Both forms pass their check; the other clerk's save lands between the check
    and the write. The database refuses the write; the clerk is told, not shown a
    500, and nothing of theirs is half-saved."""
    first, second = two_clerks
    programme = JointProgramFactory(title_en="Original title", people_reached=10)
    url = admin_change_url(programme)
    form = admin_form_data(first, url, people_reached=99)
    admin = django_admin.site._registry[JointProgram]
    save_model = type(admin).save_model

    def save_model_after_another(self, request, obj, form, change):
        other = JointProgram.objects.get(pk=obj.pk)
        other.title_en = "Saved by the other clerk"
        other.save()
        return save_model(self, request, obj, form, change)

    monkeypatch.setattr(type(admin), "save_model", save_model_after_another)

    response = first.post(url, form, follow=True)

    assert response.redirect_chain[-1][0].endswith(url)
    page = response.content.decode()
    assert "This joint programme was changed by" in page
    assert "Your changes were not saved" in page
    programme.refresh_from_db()
    # Here the other clerk's save ran inside this request's transaction, so it was
    # rolled back with it; in life it is the other request's, and stays.
    assert (programme.title_en, programme.people_reached) == ("Original title", 10)
