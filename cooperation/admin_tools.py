"""Pieces shared by the three apps' admin screens."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from . import scopes, uploads
from .formatting import UNKNOWN, date_range_text, money_code_text, number_text
from .history import REASON_PUBLISHED, REASON_UNPUBLISHED
from .models import CONTENT_LANGUAGE_CODES
from .validation import YEAR_LOCKED

# Addresses typed without a scheme are read as https (Django 6's default).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class AttachmentAdminMixin:
    """Photos and documents, inline or on their own page.

    The file chooser offers the allowed types first (a hint only: the content is
    what is checked, in cooperation/uploads.py); the name a file came with shows
    beside it, since it is stored under a random one.
    """

    formfield_overrides = {
        **HTTPS_URL_FIELDS,
        models.FileField: {
            "widget": forms.ClearableFileInput(
                attrs={"accept": ",".join(uploads.ACCEPT)}
            )
        },
    }
    readonly_fields = ["original_name"]
    fields = [
        ("kind", "file"),
        "original_name",
        "caption",
        ("credit", "source_url"),
        "is_published",
    ]


class PublishActionsMixin:
    """Bulk publish and unpublish for records with an `is_published` flag."""

    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected records"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(
        description=_("Unpublish the selected records"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, value):
        if hasattr(self.model, "locked_condition"):
            # Publishing changes public verdicts: a confirmed year keeps its own.
            locked_condition = self.model.locked_condition()
            locked = queryset.filter(locked_condition).count()
            if locked:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d record is in a year every party has confirmed "
                        "and was left as it was.",
                        "%(count)d records are in a year every party has confirmed "
                        "and were left as they were.",
                        locked,
                    )
                    % {"count": locked},
                    messages.WARNING,
                )
                queryset = queryset.exclude(locked_condition)
        changed = self._publication_write(request, queryset, value)
        if value:
            text = ngettext(
                "%(count)d record published.", "%(count)d records published.", changed
            )
        else:
            text = ngettext(
                "%(count)d record unpublished.",
                "%(count)d records unpublished.",
                changed,
            )
        self.message_user(request, text % {"count": changed}, messages.SUCCESS)

    def _publication_write(self, request, queryset, value):
        """Set `is_published` on the rows that differ, in a fixed number of queries
        whatever their number: one update (the version too, so that a form opened
        before it is refused), then a history row and an admin log entry each."""
        ids = list(queryset.exclude(is_published=value).values_list("pk", flat=True))
        if not ids:
            return 0
        model = self.model
        changes = {"is_published": value, "version": F("version") + 1}
        if any(field.name == "updated_at" for field in model._meta.fields):
            changes["updated_at"] = timezone.now()
        reason = REASON_PUBLISHED if value else REASON_UNPUBLISHED
        # Stored untranslated, like Django's own; the log translates it when shown.
        with translation.override(None):
            published_label = str(model._meta.get_field("is_published").verbose_name)
        with transaction.atomic():
            model._default_manager.filter(pk__in=ids).update(**changes)
            changed = list(model._default_manager.filter(pk__in=ids))
            model.history.bulk_history_create(
                changed,
                update=True,
                default_user=request.user,
                default_change_reason=reason,
            )
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=changed,
                action_flag=CHANGE,
                change_message=[{"changed": {"fields": [published_label]}}],
            )
        return len(changed)


class ConfirmedYearLockMixin:
    """Records of a year that every party has confirmed are read-only.

    For a model admin `obj` is the record; for an inline it is the parent record,
    whose year is the children's. The view then shows the record without a save
    or delete button, says why, and a forged POST is refused by Django's own
    permission check; `clean()` and `delete()` on the model refuse it as well.
    """

    def _in_locked_year(self, obj):
        if obj is None or not hasattr(obj, "is_in_locked_year"):
            return False
        # Asked several times per page (the record, each inline): ask once.
        if not hasattr(obj, "_in_locked_year"):
            obj._in_locked_year = obj.is_in_locked_year()
        return obj._in_locked_year

    def has_add_permission(self, request, obj=None):
        # A model admin asks without `obj`; an inline asks with its parent (None
        # on the parent's add page).
        if not isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request)
        return super().has_add_permission(request, obj) and not self._in_locked_year(
            obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._in_locked_year(
            obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._in_locked_year(
            obj
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if self._in_locked_year(obj):
            year = obj.confirmation_scope()[1]
            self.message_user(request, YEAR_LOCKED % {"year": year}, messages.INFO)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


class OriginalLanguageMixin:
    """A new record is written in its clerk's language unless the clerk says
    otherwise: what a reader of another language falls back to."""

    def get_changeform_initial_data(self, request):
        language = (get_language() or "")[:2]
        initial = super().get_changeform_initial_data(request)
        if language in CONTENT_LANGUAGE_CODES:
            initial.setdefault("original_language", language)
        return initial


class YearListFilter(admin.SimpleListFilter):
    """Filter by the calendar year of a date field; set `date_field` in a subclass."""

    title = _("year")
    parameter_name = "year"
    date_field = "start_date"

    def lookups(self, request, model_admin):
        # The years of the records the user may view, not of every record.
        records = scopes.viewable(request.user, model_admin.model.objects.all())
        years = records.dates(self.date_field, "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.date_field}__year": int(self.value())})
        return queryset


# A money field shown read-only goes by this name (`MoneyShownMixin`).
MONEY_SHOWN = "_as_money"


def money_field_names(model):
    """The fields of `model` holding money in its `currency`."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if getattr(field, "is_money", False)
    ]


def _money_shown_line(line, money):
    if isinstance(line, list | tuple):
        return tuple(_money_shown_line(name, money) for name in line)
    return f"{line}{MONEY_SHOWN}" if line in money else line


class MoneyShownMixin:
    """Amounts a reader may only view (a Viewer; a year every party confirmed)
    read as in the lists, grouped for their language and with the currency:
    `269.500.000 VND`, where Django would show `269500000,00`.

    For a model or inline admin with `_may_save` (cooperation/history_admin.py):
    on a page that cannot be saved each money field is replaced by a read-only
    `<field>_as_money` that this mixin answers.
    """

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        money = money_field_names(self.model)
        if not money or self._may_save(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        _money_shown_line(line, money) for line in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if self._may_save(request, obj):
            return readonly
        shown = [f"{name}{MONEY_SHOWN}" for name in money_field_names(self.model)]
        return [*readonly, *shown]

    def __getattr__(self, name):
        field_name = name.removesuffix(MONEY_SHOWN)
        if field_name == name or field_name not in money_field_names(self.model):
            raise AttributeError(name)
        label = self.model._meta.get_field(field_name).verbose_name

        @admin.display(description=label)
        def shown(record):
            return format_money(getattr(record, field_name), record.currency)

        return shown


def format_money(amount, currency, *, approximate=False):
    """`amount currency`, grouped for the active language, for admin columns; one
    line, however narrow the column ("≈ 270.000.000 VND")."""
    text = money_code_text(amount, currency)
    if approximate and amount is not None:
        text = f"≈ {text}"
    return text.replace(" ", "\u00a0")


def format_number(value):
    """A count grouped for the active language (1.200 in Vietnamese); a dash when
    it was never recorded."""
    return number_text(value)


def format_dates(start, end):
    """`start – end` in the active language's format; one date when they agree."""
    return date_range_text(start, end) or UNKNOWN
