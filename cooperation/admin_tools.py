"""Pieces shared by the three apps' admin screens."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .formatting import money_code_text

# Addresses typed without a scheme are read as https (Django 6's default).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


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
        changed = queryset.exclude(is_published=value).update(is_published=value)
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


class YearListFilter(admin.SimpleListFilter):
    """Filter by the calendar year of a date field; set `date_field` in a subclass."""

    title = _("year")
    parameter_name = "year"
    date_field = "start_date"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.dates(self.date_field, "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.date_field}__year": int(self.value())})
        return queryset


def format_money(amount, currency):
    """`amount currency`, grouped for the active language, for admin columns."""
    return money_code_text(amount, currency)
