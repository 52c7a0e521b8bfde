from django.db import migrations

from cooperation.staff_groups import permissions_create, staff_groups_sync


def create_staff_groups(apps, schema_editor):
    permissions_create(apps)
    staff_groups_sync(apps)


def remove_staff_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Data entry", "Viewer"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cooperation", "0001_initial"),
        ("exchanges", "0001_initial"),
        ("programs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_staff_groups, remove_staff_groups)]
