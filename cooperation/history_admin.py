"""The admin's side of history and versions (the models' side: cooperation/history.py).

- Every change form and inline row carries the version it was filled in on, in a
  hidden field; a save on top of a newer version is refused with what changed
  meanwhile, by whom and when.
- "History" shows each saved state with its changed values and reverts to one.
- "Deleted records" lists what was deleted and restores it.
"""

from collections import defaultdict
from dataclasses import replace
from functools import cache

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from . import scopes
from .admin_tools import MoneyShownMixin
from .history import REASON_RESTORED, RecordChangedMeanwhile, m2m_values_at

VERSION_FIELD = "version"
# Bookkeeping fields that change with every save: not worth naming to a clerk.
UNINTERESTING_FIELDS = ["version", "updated_at", "created_at"]
DELETED_RECORDS_SHOWN = 200

CHANGED_MEANWHILE = _(
    "This %(record)s was changed by %(user)s at %(time)s while you were editing: "
    "%(changes)s. Your changes were not saved; check the values below and save "
    "again."
)
CHANGED_MEANWHILE_NO_DETAIL = _(
    "This %(record)s was changed by %(user)s at %(time)s while you were editing. "
    "Your changes were not saved; check the values below and save again."
)
FIELD_IS_NOW = _("%(field)s is now “%(value)s”")
VERSION_MISSING = _(
    "This form did not say which version of the %(record)s it was filled in on, "
    "so it was not saved. Reload the page and enter your changes again."
)
SOMEONE = _("someone")
PARENT_DELETED = _(
    "“%(record)s” cannot be restored: its %(parent)s was deleted too. Restore the "
    "%(parent)s first."
)
RESTORED = _("“%(record)s” was restored from its history.")
RESTORE_REFUSED = _("“%(record)s” cannot be restored: %(reasons)s")
ALREADY_THERE = _("“%(record)s” is not deleted: nothing to restore.")


def value_text(field, value):
    """A stored value as a clerk reads it: choice labels, yes/no, names of records."""
    if value is None or value == "":
        return "–"
    if isinstance(value, list):  # many-to-many
        return ", ".join(str(item) for item in value) or "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(formats.localize(value))


def moment_text(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def record_text(instance):
    """str() of a record rebuilt from its history, whose parent may be gone."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} #{instance.pk}"


def changed_meanwhile_message(instance, seen_version):
    """What CHANGED_MEANWHILE says about `instance` since `seen_version`."""
    history = instance.history.select_related("history_user")
    latest = history.first()
    params = {"record": instance._meta.verbose_name, "user": SOMEONE, "time": "–"}
    if latest is None:
        return capfirst(CHANGED_MEANWHILE_NO_DETAIL % params)
    params["user"] = latest.history_user or SOMEONE
    params["time"] = moment_text(latest.history_date)
    seen = history.filter(version=seen_version).first()
    if seen is None:
        return capfirst(CHANGED_MEANWHILE_NO_DETAIL % params)
    delta = latest.diff_against(
        seen, excluded_fields=UNINTERESTING_FIELDS, foreign_keys_are_objs=True
    )
    changes = [
        FIELD_IS_NOW
        % {
            "field": capfirst(instance._meta.get_field(change.field).verbose_name),
            "value": value_text(instance._meta.get_field(change.field), change.new),
        }
        for change in delta.changes
    ]
    if not changes:
        return capfirst(CHANGED_MEANWHILE_NO_DETAIL % params)
    return capfirst(CHANGED_MEANWHILE % {**params, "changes": "; ".join(changes)})


class VersionCheckedForm:
    """A model form that refuses to save over a version it was not filled in on.

    `always_check` is set for a record's own form, which the admin always saves;
    an inline row is checked only when it changed, since an unchanged row is not
    written (a clerk editing a programme is not stopped by a distribution someone
    else edited).
    """

    always_check = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD].initial = self.stored_version()
        history_row = getattr(self.instance, "_history", None)
        if history_row is not None:
            # A revert form: the districts as they were then too (the instance
            # would read today's, which live in their own table).
            for name, ids in m2m_values_at(history_row).items():
                if name in self.fields:
                    self.initial[name] = ids

    def stored_version(self):
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return None
        if hasattr(instance, "_history"):
            # The revert form shows an old version; it is saved over the newest.
            return (
                type(instance)
                ._default_manager.filter(pk=instance.pk)
                .values_list(VERSION_FIELD, flat=True)
                .first()
            )
        return instance.version

    def clean(self):
        cleaned = super().clean()
        stored = self.stored_version()
        if stored is None:
            return cleaned
        edited = [name for name in self.changed_data if name != VERSION_FIELD]
        if not (self.always_check or edited):
            return cleaned
        seen = cleaned.get(VERSION_FIELD)
        record = self.instance._meta.verbose_name
        if seen is None:
            raise ValidationError(
                VERSION_MISSING, code="version_missing", params={"record": record}
            )
        if seen != stored:
            # Shown again with the clerk's values and the newest version: saving
            # again is a decision taken knowing what changed.
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = stored
            raise ValidationError(
                changed_meanwhile_message(self.instance, seen),
                code="changed_meanwhile",
            )
        # Saved on top of the version seen (a revert form holds an older one).
        self.instance.version = self.instance._version_seen = seen
        return cleaned


@cache
def versioned_form(form, always_check):
    """`form` with a hidden version field that VersionCheckedForm checks."""
    return type(
        f"Versioned{form.__name__}",
        (VersionCheckedForm, form),
        {
            VERSION_FIELD: forms.IntegerField(
                label=_("version"),
                widget=forms.HiddenInput,
                required=False,
                min_value=1,
            ),
            "always_check": always_check,
        },
    )


class VersionFieldMixin:
    """Puts the hidden version field in the form wherever the form can be saved."""

    def get_exclude(self, request, obj=None):
        # The form declares the field itself; the model's is not editable, which
        # Django refuses to name in `fields` unless it is excluded too.
        return [*(super().get_exclude(request, obj) or ()), VERSION_FIELD]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        present = VERSION_FIELD in flatten_fieldsets(fieldsets)
        if not self._may_save(request, obj):
            return [
                (name, {**options, "fields": without_version(options["fields"])})
                for name, options in fieldsets
            ]
        if present:
            return fieldsets
        (name, options), *rest = fieldsets
        return [
            (name, {**options, "fields": [*options["fields"], VERSION_FIELD]}),
            *rest,
        ]


def without_version(fields):
    return [
        tuple(f for f in line if f != VERSION_FIELD)
        if isinstance(line, tuple)
        else line
        for line in fields
        if line != VERSION_FIELD
    ]


class VersionedInlineMixin(MoneyShownMixin, VersionFieldMixin):
    """For an inline: each row carries its own version."""

    def _may_save(self, request, obj):
        return self.has_change_permission(request, obj) or self.has_add_permission(
            request, obj
        )

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = versioned_form(kwargs.get("form", self.form), False)
        return super().get_formset(request, obj, **kwargs)


def m2m_rows_by_version(model, name, versions):
    """{history id: [{related field: related object}, …]} for the many-to-many
    field `name` at each of `versions`, as simple-history's diff shapes them."""
    if not versions:
        return {}
    target = model._meta.get_field(name).m2m_reverse_field_name()
    through = getattr(versions[0], name).model
    by_version = defaultdict(list)
    rows = (
        through._default_manager.filter(history_id__in=[v.history_id for v in versions])
        .select_related(target)
        .order_by(target)
    )
    for row in rows:
        by_version[row.history_id].append({target: getattr(row, target)})
    return by_version


class HistoryContextHelper(HistoricalRecordContextHelper):
    """The history page's "changes" column, with values as a clerk reads them."""

    def context_for_delta_changes(self, delta):
        changes = [c for c in delta.changes if c.field not in UNINTERESTING_FIELDS]
        return super().context_for_delta_changes(replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return value_text(self.model._meta.get_field(change.field), value)


class RecordAdmin(MoneyShownMixin, VersionFieldMixin, SimpleHistoryAdmin):
    """A record's admin: versions checked on save, history, deleted records."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    object_history_form_template = "admin/history/object_history_form.html"
    deleted_records_template = "admin/history/deleted_records.html"

    def _may_save(self, request, obj):
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = versioned_form(kwargs.get("form", self.form), True)
        return super().get_form(request, obj, change, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RecordChangedMeanwhile as changed:
            # Two saves in the same instant: each form's check passed, the database
            # let one through (the whole page's save is rolled back). The other is
            # told what the form would have told it, and sees the record as it is.
            record = changed.args[0]
            message = changed_meanwhile_message(record, record._version_seen)
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # History

    def set_history_delta_changes(
        self, request, historical_records, foreign_keys_are_objs=True
    ):
        """simple-history's, but the districts of a page of versions read in one
        query per field, not two per version."""
        m2m_names = list(getattr(self.model, "_history_m2m_fields", ()))
        if not m2m_names:
            return super().set_history_delta_changes(
                request, historical_records, foreign_keys_are_objs
            )
        rows = list(historical_records)
        related = {
            name: m2m_rows_by_version(self.model, name, rows) for name in m2m_names
        }
        for newer, older in zip(rows, rows[1:], strict=False):
            delta = newer.diff_against(
                older,
                excluded_fields=m2m_names,
                foreign_keys_are_objs=foreign_keys_are_objs,
            )
            changes = list(delta.changes)
            for name in m2m_names:
                before = related[name].get(older.history_id, [])
                after = related[name].get(newer.history_id, [])
                if before != after:
                    changes.append(ModelChange(field=name, old=before, new=after))
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(
                replace(delta, changes=changes)
            )

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryContextHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("History of “%(record)s”") % {"record": obj}

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("An earlier version of “%(record)s”") % {"record": obj}
        return _("Revert “%(record)s” to this version") % {"record": obj}

    # Deleted records

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "deleted/",
                view(self.deleted_records_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "deleted/<int:history_id>/restore/",
                view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        info = self.model._meta.app_label, self.model._meta.model_name
        extra_context = {
            "deleted_records_url": reverse(
                "admin:{}_{}_deleted".format(*info), current_app=self.admin_site.name
            ),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a revert for anyone who may view the history;
        # reverting is a change, so it takes the change permission on the record
        # as it stands (its organisation's, its year open).
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def deleted_records(self, request):
        """The last deletion of each record that is still deleted and that the
        user may view, newest first."""
        live = self.model._default_manager.values("pk")
        rows = (
            scopes.viewable(
                request.user,
                self.model.history.filter(history_type="-"),
                rows_of=self.model,
            )
            .exclude(id__in=live)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        seen, latest = set(), []
        for row in rows[: DELETED_RECORDS_SHOWN * 2]:
            if row.id not in seen:
                seen.add(row.id)
                row.record_text = record_text(row.instance)
                latest.append(row)
        return latest[:DELETED_RECORDS_SHOWN]

    def deleted_records_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": capfirst(
                _("Deleted %(records)s") % {"records": opts.verbose_name_plural}
            ),
            "opts": opts,
            "rows": self.deleted_records(request),
            "may_restore": self.has_add_permission(request),
        }
        return TemplateResponse(request, self.deleted_records_template, context)

    def restore_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseRedirect("../../")
        if not self.has_add_permission(request):
            raise PermissionDenied
        deletions = self.model.history.filter(history_type="-")
        row = get_object_or_404(deletions, history_id=history_id)
        instance = row.instance
        name = record_text(instance)
        # First what stands in the way (a parent deleted too: then whose the record
        # is cannot be read through it), then whether it is the user's to restore.
        refusal = self.restore_refusal(instance, name)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect("../../")
        yours = scopes.changeable(request.user, deletions, rows_of=self.model)
        if not yours.filter(history_id=history_id).exists():
            raise PermissionDenied
        instance.version = row.version + 1
        instance._history_user = request.user
        instance._change_reason = REASON_RESTORED
        # The deletion's own row holds no districts (they went first); the last
        # state before it does.
        last_state = (
            self.model.history.filter(
                id=instance.pk, history_date__lte=row.history_date
            )
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
            .first()
        )
        with transaction.atomic():
            instance.save(force_insert=True)
            if last_state is not None:
                for name, ids in m2m_values_at(last_state).items():
                    getattr(instance, name).set(ids)
            self.log_addition(request, instance, [{"added": {}}])
        self.message_user(request, RESTORED % {"record": name}, messages.SUCCESS)
        info = self.model._meta.app_label, self.model._meta.model_name
        return HttpResponseRedirect(
            reverse("admin:{}_{}_change".format(*info), args=[instance.pk])
        )

    def restore_refusal(self, instance, name):
        """Why `instance` cannot come back, or None."""
        if self.model._default_manager.filter(pk=instance.pk).exists():
            return ALREADY_THERE % {"record": name}
        for field in instance._meta.concrete_fields:
            if not field.many_to_one:
                continue
            parent_id = getattr(instance, field.attname)
            related = field.related_model._default_manager
            if parent_id is not None and not related.filter(pk=parent_id).exists():
                return PARENT_DELETED % {
                    "record": name,
                    "parent": field.related_model._meta.verbose_name,
                }
        try:
            instance.full_clean()
        except ValidationError as error:
            reasons = error.message_dict.get(NON_FIELD_ERRORS) or error.messages
            return RESTORE_REFUSED % {"record": name, "reasons": " ".join(reasons)}
        return None
