"""The two staff groups and their permissions, kept in one place.

Migrations call `staff_groups_sync` with the historical app registry; a later migration
that adds a model calls it again so both groups keep covering every record.
"""

DATA_ENTRY = "Data entry"
VIEWER = "Viewer"
RECORD_APPS = ("cooperation", "exchanges", "programs")
# Agreements are the frame every record hangs on; only administrators delete them.
# A year confirmation is never deleted, only reopened, so its record stays.
NOT_DELETABLE_BY_DATA_ENTRY = {"delete_agreement", "delete_yearconfirmation"}
# Bookkeeping the app keeps for itself, not records staff keep: the content version
# of the page cache, and spreadsheets between their preview and their import.
INTERNAL_MODELS = {"contentversion", "pendingimport"}
# Which organisation a staff member works for is the administrators' to say.
ADMINISTRATOR_MODELS = {"staffmembership"}
# The history tables beside each model (cooperation/history.py): both groups may read
# them; nobody edits them. Reverting and restoring go through the record's own
# change and add permissions, which Data entry has.
HISTORY_MODEL_PREFIX = "historical"
# Personal data of the people who received gifts (programs.Recipient): Data entry
# keeps the lists and sees them; a Viewer reads the records but never a recipient,
# nor a recipient's history. Named by model, as the apps above are not imported here.
PERSONAL_DATA_MODELS = {"recipient", "historicalrecipient"}


def staff_groups_sync(apps):
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    permissions = list(
        permission_model.objects.filter(content_type__app_label__in=RECORD_APPS)
        .exclude(content_type__model__in=INTERNAL_MODELS | ADMINISTRATOR_MODELS)
        .select_related("content_type")
    )
    history = [
        p
        for p in permissions
        if p.content_type.model.startswith(HISTORY_MODEL_PREFIX)
        and p.codename.startswith("view_")
    ]
    records = [
        p
        for p in permissions
        if not p.content_type.model.startswith(HISTORY_MODEL_PREFIX)
    ]
    data_entry, _created = group_model.objects.get_or_create(name=DATA_ENTRY)
    data_entry.permissions.set(
        [p for p in records if p.codename not in NOT_DELETABLE_BY_DATA_ENTRY] + history
    )
    viewer, _created = group_model.objects.get_or_create(name=VIEWER)
    viewer.permissions.set(
        p
        for p in [*records, *history]
        if p.codename.startswith("view_")
        and p.content_type.model not in PERSONAL_DATA_MODELS
    )


def permissions_create(apps):
    """Create content types and permissions now; Django does it only after migrate."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
