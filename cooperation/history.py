"""Every record keeps its history and a version number.

The history (django-simple-history) holds each saved state of a record with who saved
it and when: the admin shows it, reverts to an earlier state and restores a deleted
record from it. The version number counts the saves; a form sends back the version it
was filled in on, and a save on top of a newer one is refused instead of silently
undoing someone else's change (see cooperation/history_admin.py).
"""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RecordChangedMeanwhile(Exception):
    """A save based on a version that is no longer the stored one."""


def is_historical_model(model):
    """True for the history tables django-simple-history adds beside each model."""
    return hasattr(model, "instance_type") and hasattr(model, "history_id")


HISTORY_OF = _("history of {}")

# Why a version was written: stored in English, like Django's own admin log, and
# shown in the reader's language (`change_reason_text`), whoever wrote it.
REASON_PUBLISHED = "Published"
REASON_UNPUBLISHED = "Unpublished"
REASON_RESTORED = "Restored"
REASON_BASELINE = "As recorded before history was kept"  # reporting/migrations/0002
# Followed by the name of the file (programs/imports/).
REASON_IMPORTED = "Imported from "
IMPORTED_FROM = _("Imported from %(file)s")
# What simple-history's column holds (CharField(max_length=100)).
REASON_LENGTH = 100
REASON_ANONYMISED = "Anonymised under the retention rule"  # programs/retention.py
CHANGE_REASONS = {
    REASON_PUBLISHED: _("Published"),
    REASON_UNPUBLISHED: _("Unpublished"),
    REASON_RESTORED: _("Restored"),
    REASON_BASELINE: _("As recorded before history was kept"),
    REASON_ANONYMISED: _("Anonymised under the retention rule"),
}


def change_reason_text(reason):
    if reason and reason.startswith(REASON_IMPORTED):
        return IMPORTED_FROM % {"file": reason.removeprefix(REASON_IMPORTED)}
    return CHANGE_REASONS.get(reason, reason)


def import_reason(file_name):
    """The stored reason of a version written by an import of `file_name`."""
    room = REASON_LENGTH - len(REASON_IMPORTED)
    name = file_name if len(file_name) <= room else file_name[: room - 1] + "…"
    return REASON_IMPORTED + name


def m2m_values_at(history_row):
    """{field name: [related ids]} of the many-to-many fields the history keeps
    (a model's `_history_m2m_fields`), as they were at `history_row`."""
    model = history_row.instance_type
    values = {}
    for name in getattr(model, "_history_m2m_fields", ()):
        target = model._meta.get_field(name).m2m_reverse_field_name()
        values[name] = list(
            getattr(history_row, name).values_list(f"{target}_id", flat=True)
        )
    return values


class TranslatedHistoricalRecords(HistoricalRecords):
    """History tables whose names read in the clerk's language ("history of
    programme"): django-simple-history names them "historical …" in English only,
    and staff meet the names in the permission lists of the staff groups."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["verbose_name"] = format_lazy(HISTORY_OF, model._meta.verbose_name)
        options["verbose_name_plural"] = format_lazy(
            HISTORY_OF, model._meta.verbose_name_plural
        )
        return options

    def get_meta_options_m2m(self, through_model):
        """ "history of joint programme: districts" for the table that keeps each
        version's districts."""
        options = super().get_meta_options_m2m(through_model)
        owner = through_model._meta.auto_created
        field = next(
            field
            for field in owner._meta.many_to_many
            if field.remote_field.through is through_model
        )
        name = format_lazy(
            HISTORY_OF,
            format_lazy("{}: {}", owner._meta.verbose_name, field.verbose_name),
        )
        options["verbose_name"] = options["verbose_name_plural"] = name
        return options


class VersionedModel(models.Model):
    """A record with a history and a version that every save increases.

    `_version_seen`, when a form sets it, is the version the form was filled in on:
    the update then only happens on that version, atomically, and raises
    RecordChangedMeanwhile otherwise (a check between the form's own and the save
    is no guarantee against two saves at the same moment).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = TranslatedHistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        seen = getattr(self, "_version_seen", None)
        if seen is None:
            return super()._do_update(
                base_qs, using, pk_val, values, update_fields, forced_update
            )
        updated = super()._do_update(
            base_qs.filter(version=seen),
            using,
            pk_val,
            values,
            update_fields,
            forced_update,
        )
        if not updated:
            raise RecordChangedMeanwhile(self)
        self._version_seen = self.version
        return updated
