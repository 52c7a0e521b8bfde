"""Joins the two 0011 migrations (history and versions; staff memberships), made side
by side, and gives the staff groups their permissions once both exist: the history
tables' view permissions, and none on memberships (cooperation/staff_groups.py)."""

from django.db import migrations

from cooperation.staff_groups import permissions_create, staff_groups_sync


def groups_sync(apps, schema_editor):
    permissions_create(apps)
    staff_groups_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0011_history_and_versions"),
        ("cooperation", "0011_staff_membership"),
        ("programs", "0010_history_versions_and_protected_children"),
    ]

    operations = [migrations.RunPython(groups_sync, migrations.RunPython.noop)]
