"""A first history row for every record saved before history was kept.

Without it, the first edit of an older record would keep only the new values: the
history could not say what changed from, a lost update's message could not name the
values, and "revert" would have nothing to go back to. Each record without a history
row gets one with its values as they stand, dated now, with no author.
"""

from django.db import migrations
from django.utils import timezone

RECORD_APPS = ("cooperation", "exchanges", "programs")
HISTORICAL = "Historical"
# cooperation.history.REASON_BASELINE, spelled out: a migration keeps its own copy.
BASELINE_REASON = "As recorded before history was kept"


def history_baseline_write(apps, schema_editor):
    now = timezone.now()
    for app_label in RECORD_APPS:
        for historical in apps.get_app_config(app_label).get_models():
            if not historical.__name__.startswith(HISTORICAL):
                continue
            record_model = apps.get_model(
                app_label, historical.__name__.removeprefix(HISTORICAL)
            )
            fields = [field.attname for field in record_model._meta.concrete_fields]
            unrecorded = record_model._default_manager.exclude(
                pk__in=historical._default_manager.values("id")
            ).values(*fields)
            historical._default_manager.bulk_create(
                (
                    historical(
                        **row,
                        history_date=now,
                        history_type="+",
                        history_change_reason=BASELINE_REASON,
                    )
                    for row in unrecorded.iterator(chunk_size=500)
                ),
                batch_size=500,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("cooperation", "0012_history_and_memberships"),
        ("exchanges", "0006_history_versions_and_protected_children"),
        ("programs", "0010_history_versions_and_protected_children"),
    ]

    operations = [
        migrations.RunPython(history_baseline_write, migrations.RunPython.noop)
    ]
