"""Every change is kept with its values and its author, and can be undone: an edit
reverted, a deleted record restored, a bulk publication recorded; a record with
children is not deleted from under them."""

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from cooperation.staff_groups import staff_groups_sync
from exchanges.models import DelegationVisit
from programs.models import DistributionItem, GiftDistribution, JointProgram
from tests.admin_forms import _form_values, admin_change_url, admin_form_data
from tests.factories import (
    DelegationVisitFactory,
    DistributionItemFactory,
    DistrictFactory,
    GiftDistributionFactory,
    JointProgramFactory,
    VisitMemberFactory,
    confirm_year,
    home_branch,
    staff_user,
)

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def revert_form_data(client, url):
    """The revert page's form as a browser sends it back: the old values."""
    form = client.get(url).context["adminform"].form
    return _form_values(form)


@pytest.fixture(autouse=True)
def _staff_groups():
    """The groups come from a migration; a test that empties the database (a
    transaction test on the same worker) takes them away."""
    staff_groups_sync(apps)


@pytest.fixture
def clerk(client):
    user = staff_user("clerk2", groups=["Data entry"], organisation=home_branch())
    client.force_login(user)
    client.user = user
    return client


def test_an_admin_edit_keeps_the_old_and_new_values_and_who_made_it(clerk):
    programme = JointProgramFactory(title_en="Old title")
    url = admin_change_url(programme)

    response = clerk.post(url, admin_form_data(clerk, url, title_en="New title"))

    assert response.status_code == 302
    newest, before = programme.history.all()[:2]
    assert (before.title_en, newest.title_en) == ("Old title", "New title")
    assert newest.history_user == clerk.user
    assert newest.history_type == "~"
    assert newest.version == before.version + 1


def test_the_history_page_shows_each_change_with_its_values_and_author(
    clerk, django_assert_max_num_queries
):
    programme = JointProgramFactory(title_en="Old title", status="in_progress")
    url = admin_change_url(programme)
    saved = clerk.post(
        url, admin_form_data(clerk, url, title_en="New title", status="completed")
    )
    assert saved.status_code == 302
    for number in range(5):
        clerk.post(url, admin_form_data(clerk, url, title_en=f"Title {number}"))

    # The session, the user, the clerk's scope (membership, agreements), the
    # record, the page of history rows with their authors and related records,
    # their districts (one query for the page), and their count: fixed, whatever
    # the number of versions on the page.
    with django_assert_max_num_queries(17):
        response = clerk.get(admin_url(JointProgram, "history", programme.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "clerk2" in html
    assert "Old title" in html and "New title" in html
    # Values as a clerk reads them: the choice's label, not its code.
    assert "in progress &rarr; completed" in html
    # Bookkeeping fields are not listed as changes.
    assert "Version:" not in html


def test_revert_restores_the_earlier_values(clerk):
    programme = JointProgramFactory(title_en="First title")
    url = admin_change_url(programme)
    clerk.post(url, admin_form_data(clerk, url, title_en="Second title"))
    first = programme.history.earliest()
    revert_url = admin_url(JointProgram, "simple_history", programme.pk, first.pk)

    response = clerk.post(revert_url, revert_form_data(clerk, revert_url))

    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.title_en == "First title"
    # The revert is one more version, on top of the newest; nothing is lost.
    assert programme.version == 3
    assert [h.title_en for h in programme.history.all()] == [
        "First title",
        "Second title",
        "First title",
    ]


def test_a_viewer_sees_the_history_but_cannot_revert(client):
    client.force_login(
        staff_user("viewer", groups=["Viewer"], organisation=home_branch())
    )
    programme = JointProgramFactory(title_en="First title")
    programme.title_en = "Second title"
    programme.save()
    first = programme.history.earliest()
    revert_url = admin_url(JointProgram, "simple_history", programme.pk, first.pk)

    history = client.get(admin_url(JointProgram, "history", programme.pk))
    assert history.status_code == 200
    assert "Second title" in history.content.decode()
    page = client.get(revert_url)
    assert page.status_code == 200
    assert "Revert to this version" not in page.content.decode()
    client.post(revert_url, {"title_en": "First title", "version": 2})
    programme.refresh_from_db()
    assert programme.title_en == "Second title"


def test_a_deleted_record_is_listed_and_restored_with_its_values(clerk):
    visit = DelegationVisitFactory(place="Đắk Tô")
    pk = visit.pk
    clerk.post(admin_url(DelegationVisit, "delete", pk), {"post": "yes"})
    assert not DelegationVisit.objects.filter(pk=pk).exists()

    listing = clerk.get(admin_url(DelegationVisit, "deleted"))
    assert listing.status_code == 200
    assert "clerk2" in listing.content.decode()
    deletion = DelegationVisit.history.get(id=pk, history_type="-")
    restore_url = admin_url(DelegationVisit, "restore", deletion.history_id)
    assert restore_url in listing.content.decode()
    # The changelist links to the list.
    changelist = clerk.get(admin_url(DelegationVisit, "changelist"))
    assert admin_url(DelegationVisit, "deleted") in changelist.content.decode()

    response = clerk.post(restore_url, follow=True)

    restored = DelegationVisit.objects.get(pk=pk)
    assert restored.place == "Đắk Tô"
    assert "was restored" in response.content.decode()
    assert restored.history.first().history_type == "+"
    assert restored.history.first().history_user == clerk.user
    # Restored once: the list no longer offers it.
    assert (
        restore_url
        not in clerk.get(admin_url(DelegationVisit, "deleted")).content.decode()
    )


def test_restoring_a_record_whose_parent_is_gone_says_so(clerk):
    distribution = GiftDistributionFactory()
    item = DistributionItemFactory(distribution=distribution)
    item_pk = item.pk
    item.delete()
    distribution.delete()
    deletion = DistributionItem.history.get(id=item_pk, history_type="-")

    response = clerk.post(
        admin_url(DistributionItem, "restore", deletion.history_id), follow=True
    )

    assert not DistributionItem.objects.filter(pk=item_pk).exists()
    html = response.content.decode()
    assert "its gift distribution was deleted too" in html
    assert "Restore the gift distribution first" in html


def test_restoring_needs_the_add_permission(client):
    client.force_login(
        staff_user("viewer", groups=["Viewer"], organisation=home_branch())
    )
    visit = DelegationVisitFactory()
    pk = visit.pk
    visit.delete()
    deletion = DelegationVisit.history.get(id=pk, history_type="-")

    response = client.post(admin_url(DelegationVisit, "restore", deletion.history_id))

    assert response.status_code == 403
    assert not DelegationVisit.objects.filter(pk=pk).exists()


def test_restoring_into_a_confirmed_year_is_refused(clerk):
    programme = JointProgramFactory()
    pk = programme.pk
    programme.delete()
    confirm_year(programme.agreement, programme.year)
    deletion = JointProgram.history.get(id=pk, history_type="-")

    response = clerk.post(
        admin_url(JointProgram, "restore", deletion.history_id), follow=True
    )

    assert not JointProgram.objects.filter(pk=pk).exists()
    assert "cannot be restored" in response.content.decode()


@pytest.mark.parametrize("value", [True, False])
def test_bulk_publication_is_recorded_with_its_author(clerk, value):
    programmes = JointProgramFactory.create_batch(3, is_published=not value)
    action = "publish" if value else "unpublish"

    clerk.post(
        admin_url(JointProgram, "changelist"),
        {"action": action, "_selected_action": [p.pk for p in programmes]},
    )

    for programme in programmes:
        programme.refresh_from_db()
        assert programme.is_published is value
        newest = programme.history.first()
        assert newest.is_published is value
        assert newest.history_user == clerk.user
        assert newest.version == programme.version == 2
        assert newest.history_change_reason == ("Published" if value else "Unpublished")
    entries = LogEntry.objects.filter(action_flag=CHANGE, user=clerk.user)
    assert sorted(int(e.object_id) for e in entries) == sorted(p.pk for p in programmes)


def test_bulk_publication_writes_in_batches_not_a_query_per_record(clerk):
    def publish_queries(count):
        programmes = JointProgramFactory.create_batch(count, is_published=False)
        data = {"action": "publish", "_selected_action": [p.pk for p in programmes]}
        with CaptureQueriesContext(connection) as queries:
            clerk.post(admin_url(JointProgram, "changelist"), data)
        published = JointProgram.objects.filter(pk__in=[p.pk for p in programmes])
        assert published.filter(is_published=True).count() == count
        return len(queries)

    few, many = publish_queries(5), publish_queries(500)

    # Session, user, permissions, the clerk's scope, the selected rows, the locked
    # years, the update, the rows again, their history and their log entries: the
    # last two inserted in batches (SQLite bounds a statement's parameters), so 495
    # more records cost a few batches, never a query each.
    assert few <= 25
    assert many - few <= 20
    assert JointProgram.history.filter(history_change_reason="Published").count() == 505


# Deleting a record with children


def test_deleting_a_programme_with_distributions_is_refused_in_the_admin(clerk):
    programme = JointProgramFactory()
    GiftDistributionFactory(program=programme)

    page = clerk.get(admin_url(JointProgram, "delete", programme.pk))
    response = clerk.post(
        admin_url(JointProgram, "delete", programme.pk), {"post": "yes"}
    )

    assert "would require deleting the following protected related objects" in (
        page.content.decode()
    )
    assert response.status_code == 200
    assert JointProgram.objects.filter(pk=programme.pk).exists()
    assert GiftDistribution.objects.filter(program=programme).count() == 1


def test_bulk_delete_of_a_visit_with_members_is_refused(clerk):
    visit = DelegationVisitFactory()
    VisitMemberFactory(visit=visit)

    response = clerk.post(
        admin_url(DelegationVisit, "changelist"),
        {"action": "delete_selected", "_selected_action": [visit.pk], "post": "yes"},
    )

    assert "protected related objects" in response.content.decode()
    assert DelegationVisit.objects.filter(pk=visit.pk).exists()


def test_deleting_a_distribution_with_items_in_code_is_refused():
    from django.db.models import ProtectedError

    item = DistributionItemFactory()
    with pytest.raises(ProtectedError):
        item.distribution.delete()
    assert DistributionItem.objects.filter(pk=item.pk).exists()


def test_a_parent_is_deleted_once_its_children_are(clerk):
    distribution = GiftDistributionFactory()
    item = DistributionItemFactory(distribution=distribution)
    item.delete()

    clerk.post(admin_url(GiftDistribution, "delete", distribution.pk), {"post": "yes"})

    assert not GiftDistribution.objects.filter(pk=distribution.pk).exists()


def test_history_page_names_the_record_in_its_title(clerk):
    programme = JointProgramFactory(title_en="Checks at the school")
    response = clerk.get(admin_url(JointProgram, "history", programme.pk))
    assert escape("History of “Checks at the school") in response.content.decode()


def test_loading_the_demo_again_writes_no_history():
    from django.apps import apps

    from cooperation.history import is_historical_model
    from reporting.demo import demo_load

    def history_rows():
        return sum(
            model.objects.count()
            for model in apps.get_models()
            if is_historical_model(model)
        )

    demo_load()
    first = history_rows()
    demo_load()

    assert first > 0
    assert history_rows() == first


# Records saved before history was kept


def test_records_from_before_history_get_a_first_row_with_their_values(clerk):
    from importlib import import_module

    baseline = import_module("reporting.migrations.0002_history_baseline")
    programme = JointProgramFactory(title_en="Entered in 2023")
    visit = DelegationVisitFactory()
    # As the database was before the history tables existed.
    programme.history.all().delete()
    visits_recorded = visit.history.count()

    baseline.history_baseline_write(apps, schema_editor=None)
    baseline.history_baseline_write(apps, schema_editor=None)  # once is enough

    first = programme.history.get()
    assert first.title_en == "Entered in 2023"
    assert first.history_change_reason == baseline.BASELINE_REASON
    assert visit.history.count() == visits_recorded
    # The first edit now has something to change from.
    url = admin_change_url(programme)
    clerk.post(url, admin_form_data(clerk, url, title_en="Edited in 2026"))
    html = clerk.get(admin_url(JointProgram, "history", programme.pk)).content.decode()
    assert "Entered in 2023" in html and "Edited in 2026" in html


# The districts of a programme or distribution


def test_a_change_of_districts_is_in_the_history_with_both_lists(clerk):
    first, second = (
        DistrictFactory(name_en="Sanxay"),
        DistrictFactory(name_en="Phouvong"),
    )
    programme = JointProgramFactory(start_date=None)
    programme.districts.set([first])
    url = admin_change_url(programme)

    clerk.post(url, admin_form_data(clerk, url, districts=[first, second]))

    html = clerk.get(admin_url(JointProgram, "history", programme.pk)).content.decode()
    assert "Sanxay &rarr; Sanxay, Phouvong" in html or (
        "Sanxay &rarr; Phouvong, Sanxay" in html
    )


def test_reverting_brings_back_the_districts_of_that_version(clerk):
    first, second = DistrictFactory(), DistrictFactory()
    programme = JointProgramFactory(start_date=None, title_en="First title")
    programme.districts.set([first])
    then = programme.history.first()
    programme.districts.set([second])
    revert_url = admin_url(JointProgram, "simple_history", programme.pk, then.pk)

    response = clerk.post(revert_url, revert_form_data(clerk, revert_url))

    assert response.status_code == 302
    assert list(programme.districts.all()) == [first]


def test_a_restored_distribution_comes_back_with_its_districts(clerk):
    districts = [DistrictFactory(), DistrictFactory()]
    distribution = GiftDistributionFactory(districts=districts)
    pk = distribution.pk
    distribution.delete()
    deletion = GiftDistribution.history.get(id=pk, history_type="-")

    clerk.post(admin_url(GiftDistribution, "restore", deletion.history_id))

    restored = GiftDistribution.objects.get(pk=pk)
    assert set(restored.districts.all()) == set(districts)


def test_why_a_version_was_written_reads_in_the_readers_language(clerk):
    programme = JointProgramFactory(is_published=False)
    data = {"action": "publish", "_selected_action": [programme.pk]}
    clerk.post(admin_url(JointProgram, "changelist"), data)
    clerk.cookies["django_language"] = "lo"

    html = clerk.get(admin_url(JointProgram, "history", programme.pk)).content.decode()

    # Stored as written in English, whoever wrote it; read in the reader's language.
    assert programme.history.first().history_change_reason == "Published"
    with translation.override("lo"):
        published = gettext("Published")
    assert published != "Published"
    assert f"({published})" in html
