from collections import defaultdict

from django import forms
from django.contrib import admin
from django.db.models import Prefetch, Sum
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperation.admin_scopes import OrganisationScopeMixin
from cooperation.admin_tools import (
    AttachmentAdminMixin,
    ConfirmedYearLockMixin,
    OriginalLanguageMixin,
    PublishActionsMixin,
    format_dates,
    format_money,
    format_number,
)
from cooperation.history_admin import RecordAdmin, VersionedInlineMixin
from cooperation.nested_inlines import (
    NestedRowsField,
    NestedRowsForm,
    NestedRowsFormSet,
    NestedRowsInlineMixin,
)
from cooperation.prefetched_choices import (
    PrefetchedChoicesAdminMixin,
    PrefetchedChoicesForm,
)
from cooperation.validation import area_error

from .imports.views import DistributionImportMixin
from .models import (
    LIST_LONGER_THAN_PEOPLE_REACHED,
    LIST_NEEDS_PEOPLE_REACHED,
    RECIPIENT_NAMES_PERMISSION,
    DistributionAttachment,
    DistributionItem,
    GiftDistribution,
    ItemKind,
    JointProgram,
    ProgramAttachment,
    Recipient,
)


def people_reached_text(distributions):
    """The sum of the stated figures, or "not recorded" when none states one."""
    stated = [d.people_reached for d in distributions if d.people_reached is not None]
    return format_number(sum(stated)) if stated else _("not recorded")


def district_names(areas):
    return ", ".join(area.name for area in areas)


def item_value_text(item, currency):
    """ " – 150.000 VND each" after an item, or nothing when it has no value."""
    if item.unit_value is None:
        return ""
    return " – " + _("%(value)s each") % {
        "value": format_money(item.unit_value, currency)
    }


def items_value_text(items, currency):
    """The value of a distribution's priced items, saying how many are priced."""
    if not items:
        return _("No item recorded yet.")
    priced = [item.value for item in items if item.value is not None]
    if not priced:
        return _("No item has a quantity and a value per unit yet.")
    value = format_money(sum(priced), currency)
    if len(priced) == len(items):
        return value
    return ngettext(
        "%(value)s, for %(priced)d of its %(count)d item; the others have no "
        "quantity or no value per unit.",
        "%(value)s, for %(priced)d of its %(count)d items; the others have no "
        "quantity or no value per unit.",
        len(items),
    ) % {"value": value, "priced": len(priced), "count": len(items)}


class DistrictsOnTheirDateForm(forms.ModelForm):
    """Refuses a district that has ended (or not begun) by the record's date, with
    the message naming its successor: Kon Tum's districts after 1 July 2025.

    Districts are many-to-many and saved after the record, so the model's
    clean() cannot see them; the form can.
    """

    def clean(self):
        cleaned = super().clean()
        first, last = self.dated_span(cleaned)
        for area in cleaned.get("districts") or ():
            error = area_error(area, first, last)
            if error is not None:
                self.add_error("districts", error)
                break
        return cleaned

    def dated_span(self, cleaned):
        start = cleaned.get("start_date")
        return start, start


class ProgrammeForm(DistrictsOnTheirDateForm):
    class Meta:
        help_texts = {
            "is_published": _(
                "Only published records appear on public pages and downloads. Its "
                "distributions are published with it, except those whose own box "
                "is unticked."
            )
        }

    def dated_span(self, cleaned):
        return JointProgram(
            year=cleaned.get("year"), start_date=cleaned.get("start_date")
        ).dated_span()


@admin.register(ItemKind)
class ItemKindAdmin(OrganisationScopeMixin, OriginalLanguageMixin, RecordAdmin):
    list_display = ["code", "name_vi", "name_lo", "name_en", "unit", "is_active"]
    list_filter = ["unit", "is_active"]
    search_fields = ["code", "name_vi", "name_lo", "name_en"]


class DistributionItemForm(PrefetchedChoicesForm, forms.ModelForm):
    pass


class DistributionItemInline(
    PrefetchedChoicesAdminMixin,
    VersionedInlineMixin,
    ConfirmedYearLockMixin,
    admin.TabularInline,
):
    model = DistributionItem
    form = DistributionItemForm
    autocomplete_fields = ["item_kind"]
    extra = 1
    fields = ["item_kind", "quantity", "unit_value"]

    def get_queryset(self, request):
        # The item kinds' names without a query per row (prefetched_choices.py).
        return super().get_queryset(request).select_related("item_kind")


class DistributionForm(NestedRowsForm, PrefetchedChoicesForm, DistrictsOnTheirDateForm):
    """A distribution in its programme's form, its items as rows inside it."""

    nested_field = "items_given"
    items_given = NestedRowsField(label=_("Items given"))


class DistributionFormSet(NestedRowsFormSet, BaseInlineFormSet):
    pass


class GiftDistributionInline(
    NestedRowsInlineMixin,
    PrefetchedChoicesAdminMixin,
    VersionedInlineMixin,
    ConfirmedYearLockMixin,
    admin.StackedInline,
):
    model = GiftDistribution
    form = DistributionForm
    formset = DistributionFormSet
    # Its items, entered on the programme's page too (cooperation/nested_inlines.py).
    nested_inline = DistributionItemInline
    nested_field = "items_given"
    extra = 0
    show_change_link = True
    autocomplete_fields = ["districts"]
    readonly_fields = ["items_value"]
    fields = [
        ("reference", "start_date", "end_date"),
        "districts",
        ("recipient_group", "recipient_description"),
        ("packages", "people_reached"),
        ("total_value", "currency", "value_is_approximate"),
        "items_given",
        "items_value",
        # One a line: side by side, their help texts ran together.
        "is_published",
        "is_example",
    ]

    def get_queryset(self, request):
        # Every distribution's districts and items in one query each, whatever
        # their number (the items' rows read them: PrefetchedChildrenFormSet).
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "districts",
                Prefetch(
                    "items",
                    queryset=DistributionItem.objects.select_related("item_kind"),
                ),
            )
        )

    @admin.display(description=_("Items given"))
    def items_given(self, distribution):
        """The items as text, for those who may not edit them here."""
        if distribution is None or distribution.pk is None:
            return "–"
        items = list(distribution.items.all())
        if not items:
            return _("No item recorded yet.")
        return format_html_join(
            "",
            "<div>{}{}</div>",
            ((item, item_value_text(item, distribution.currency)) for item in items),
        )

    @admin.display(description=_("value of the items"))
    def items_value(self, distribution):
        """What the priced items add up to, in the distribution's currency and
        grouped as the reader's language writes it, beside the value entered."""
        if distribution is None or distribution.pk is None:
            return "–"
        return items_value_text(list(distribution.items.all()), distribution.currency)


class ProgramAttachmentInline(
    VersionedInlineMixin, AttachmentAdminMixin, admin.StackedInline
):
    model = ProgramAttachment
    extra = 0


@admin.register(JointProgram)
class JointProgramAdmin(
    OrganisationScopeMixin,
    DistributionImportMixin,
    OriginalLanguageMixin,
    ConfirmedYearLockMixin,
    PublishActionsMixin,
    RecordAdmin,
):
    form = ProgrammeForm
    # "Save as new": a programme repeated each year starts as a copy.
    save_as = True
    # Examples are told by their agreement and the filter, and the number of
    # distributions by the totals on the programme's page, not by columns of their
    # own: the list keeps its figures in view on a laptop screen.
    list_display = [
        "title",
        "year",
        "lead_organisation",
        "district_list",
        "packages",
        "people",
        "cost",
        "status",
        "is_published",
    ]
    list_filter = [
        "agreement",
        "year",
        "status",
        "includes_gifts",
        "includes_checkups",
        ("districts", admin.RelatedOnlyFieldListFilter),
        "is_published",
        "is_example",
    ]
    list_select_related = ["lead_organisation"]
    search_fields = [
        "title_vi",
        "title_lo",
        "title_en",
        "description_vi",
        "description_lo",
        "description_en",
    ]
    date_hierarchy = "start_date"
    autocomplete_fields = ["agreement", "lead_organisation", "districts", "visit"]
    inlines = [GiftDistributionInline, ProgramAttachmentInline]
    readonly_fields = ["distribution_totals"]
    fieldsets = [
        (None, {"fields": ["agreement", "year", "status", "lead_organisation"]}),
        (
            _("Title"),
            {"fields": [("title_vi", "title_lo", "title_en"), "original_language"]},
        ),
        (
            _("Activities"),
            {
                "fields": [
                    "includes_checkups",
                    "includes_free_medicine",
                    "includes_gifts",
                    "includes_disease_prevention",
                    "includes_other",
                    ("description_vi", "description_lo", "description_en"),
                ]
            },
        ),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date"), "districts", "visit"]},
        ),
        (
            _("Money and people"),
            {"fields": [("budget", "actual_cost", "currency"), "people_reached"]},
        ),
        (_("Totals of the distributions"), {"fields": ["distribution_totals"]}),
        (_("Publication"), {"fields": ["is_published", "is_example"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(total_packages=Sum("distributions__packages"))
            .prefetch_related("districts")
        )

    @admin.display(description=_("title"), ordering="title_en")
    def title(self, program):
        return program.title

    @admin.display(description=_("districts"))
    def district_list(self, program):
        return district_names(program.districts.all())

    @admin.display(description=_("packages"), ordering="total_packages")
    def packages(self, program):
        return format_number(program.total_packages or 0)

    @admin.display(description=_("people reached"), ordering="people_reached")
    def people(self, program):
        return format_number(program.people_reached)

    @admin.display(description=_("actual cost"), ordering="actual_cost")
    def cost(self, program):
        return format_money(program.actual_cost, program.currency)

    @admin.display(description=_("totals"))
    def distribution_totals(self, program):
        if program.pk is None:
            return "–"
        distributions = list(program.distributions.all())
        values = defaultdict(int)
        for distribution in distributions:
            if distribution.total_value is not None:
                values[distribution.currency] += distribution.total_value
        lines = [
            (_("distributions"), format_number(len(distributions))),
            (_("packages"), format_number(sum(d.packages for d in distributions))),
            (_("people reached"), people_reached_text(distributions)),
            *(
                (_("value"), format_money(amount, currency))
                for currency, amount in sorted(values.items())
            ),
        ]
        return format_html_join("", "<div>{}: {}</div>", lines)


def may_see_recipients(user):
    """Whether `user` may see recipients at all: their names are personal data,
    often of minors, so a dedicated permission comes on top of the usual ones
    (Data entry has it; a Viewer does not)."""
    return user.is_active and user.has_perm(RECIPIENT_NAMES_PERMISSION)


class RecipientPrivacyMixin:
    """Recipients, in their own list or inline, only for staff with the permission
    to see their names: without it Django's admin leaves out the inline, the
    list, the menu entry, the history and the deleted records."""

    def has_view_permission(self, request, obj=None):
        return may_see_recipients(request.user) and super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request, *args, **kwargs):
        return may_see_recipients(request.user) and super().has_add_permission(
            request, *args, **kwargs
        )

    def has_change_permission(self, request, obj=None):
        if isinstance(obj, Recipient) and obj.anonymised_at is not None:
            # Nothing personal is left to correct; sex and age band stay as counted.
            return False
        return may_see_recipients(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return may_see_recipients(request.user) and super().has_delete_permission(
            request, obj
        )


class RecipientListFormSet(forms.BaseInlineFormSet):
    """Checks the list as a whole: the rows saved together may not outnumber the
    distribution's people reached (each row alone counts only the saved ones)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance._list_length_checked_together = True
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        listed = sum(
            1
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        )
        people = self.instance.people_reached
        if listed and people is None:
            raise forms.ValidationError(
                LIST_NEEDS_PEOPLE_REACHED, code="people_reached_missing"
            )
        if people is not None and listed > people:
            raise forms.ValidationError(
                LIST_LONGER_THAN_PEOPLE_REACHED,
                code="list_too_long",
                params={"people": people, "listed": listed},
            )


RECIPIENT_ROW_FIELDS = [
    "list_number",
    "full_name",
    "sex",
    "birth_year",
    "age_band",
    "school_or_village",
    "guardian",
]


class RecipientRowForm(forms.ModelForm):
    """A line of the list, narrow enough that the list's columns fit a laptop."""

    class Meta:
        model = Recipient
        fields = RECIPIENT_ROW_FIELDS
        widgets = {
            name: forms.TextInput(attrs={"size": 14})
            for name in ("full_name", "school_or_village", "guardian")
        }


class RecipientInline(
    RecipientPrivacyMixin,
    VersionedInlineMixin,
    ConfirmedYearLockMixin,
    admin.TabularInline,
):
    model = Recipient
    form = RecipientRowForm
    formset = RecipientListFormSet
    extra = 1
    fields = RECIPIENT_ROW_FIELDS

    def get_queryset(self, request):
        # Each row's label names its distribution: read with the row, not per row.
        return super().get_queryset(request).select_related("distribution")


class DistributionAttachmentInline(
    VersionedInlineMixin, AttachmentAdminMixin, admin.StackedInline
):
    model = DistributionAttachment
    extra = 0


@admin.register(GiftDistribution)
class GiftDistributionAdmin(
    OrganisationScopeMixin,
    ConfirmedYearLockMixin,
    PublishActionsMixin,
    RecordAdmin,
):
    form = DistrictsOnTheirDateForm
    # Short headings, and examples told by their programme and the filter rather
    # than a column: the figures stay in view on a laptop screen.
    list_display = [
        "date",
        "programme",
        "district_list",
        "recipient_group",
        "packages_count",
        "people",
        "value",
        "is_published",
    ]
    list_display_links = ["date", "programme"]
    list_filter = [
        ("program__agreement", admin.RelatedOnlyFieldListFilter),
        "program__year",
        "recipient_group",
        ("districts", admin.RelatedOnlyFieldListFilter),
        "value_is_approximate",
        "is_published",
        "is_example",
    ]
    list_select_related = ["program"]
    search_fields = [
        "program__title_vi",
        "program__title_lo",
        "program__title_en",
        "recipient_description",
        "notes",
        "reference",
    ]
    date_hierarchy = "start_date"
    autocomplete_fields = ["program", "districts"]
    inlines = [DistributionItemInline, RecipientInline, DistributionAttachmentInline]
    readonly_fields = ["item_totals", "recipient_list"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("program", "reference"),
                    ("start_date", "end_date"),
                    "districts",
                ]
            },
        ),
        (
            _("Recipients"),
            {
                "fields": [
                    ("recipient_group", "recipient_description"),
                    ("packages", "people_reached"),
                    "recipient_list",
                ]
            },
        ),
        (
            _("Value"),
            {"fields": [("total_value", "currency", "value_is_approximate")]},
        ),
        (_("Items given"), {"fields": ["item_totals"]}),
        (
            _("Notes and publication"),
            {"fields": ["notes", "is_published", "is_example"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("districts")

    @admin.display(description=_("date"), ordering="start_date")
    def date(self, distribution):
        return format_dates(distribution.start_date, distribution.end_date)

    @admin.display(description=_("programme"), ordering="program")
    def programme(self, distribution):
        return distribution.program.title

    @admin.display(description=_("districts"))
    def district_list(self, distribution):
        return district_names(distribution.districts.all())

    @admin.display(description=_("packages"), ordering="packages")
    def packages_count(self, distribution):
        return format_number(distribution.packages)

    @admin.display(description=_("people reached"), ordering="people_reached")
    def people(self, distribution):
        return format_number(distribution.people_reached)

    @admin.display(description=_("value"), ordering="total_value")
    def value(self, distribution):
        return format_money(
            distribution.total_value,
            distribution.currency,
            approximate=distribution.value_is_approximate,
        )

    @admin.display(description=_("recipient list"))
    def recipient_list(self, distribution):
        """How much of the people reached the list covers: a count, never a
        name, so every reader of the distribution may see it."""
        if distribution.pk is None:
            return "–"
        listed = distribution.recipients.count()
        if not listed:
            return _("No recipient list recorded.")
        return _("%(listed)s of %(people)s people reached are listed by name.") % {
            "listed": listed,
            "people": distribution.people_reached,
        }

    @admin.display(description=_("items"))
    def item_totals(self, distribution):
        if distribution.pk is None:
            return "–"
        items = list(distribution.items.select_related("item_kind"))
        if not items:
            return _("No item recorded yet.")
        priced = [item.value for item in items if item.value is not None]
        lines = [(str(item), "") for item in items]
        if priced:
            lines.append(
                (
                    _("value of priced items"),
                    format_money(sum(priced), distribution.currency),
                )
            )
        return format_html_join("", "<div>{} {}</div>", lines)


@admin.register(DistributionItem)
class DistributionItemAdmin(
    OrganisationScopeMixin, ConfirmedYearLockMixin, RecordAdmin
):
    list_display = ["item_kind", "how_many", "value_per_unit", "distribution"]
    list_select_related = ["item_kind", "distribution"]
    list_filter = [("item_kind", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["item_kind__name_en", "item_kind__name_vi", "item_kind__code"]
    autocomplete_fields = ["distribution", "item_kind"]

    @admin.display(description=_("quantity"), ordering="quantity")
    def how_many(self, item):
        return format_number(item.quantity)

    @admin.display(description=_("value per unit"), ordering="unit_value")
    def value_per_unit(self, item):
        """In the distribution's currency, grouped as the reader's language writes
        it: 150.000 VND, not 150000.00."""
        return format_money(item.unit_value, item.distribution.currency)


@admin.register(ProgramAttachment)
class ProgramAttachmentAdmin(
    OrganisationScopeMixin, AttachmentAdminMixin, PublishActionsMixin, RecordAdmin
):
    fields = ["program", *AttachmentAdminMixin.fields, "order"]
    list_display = ["caption", "kind", "credit", "program", "is_published"]
    list_select_related = ["program"]
    list_filter = ["kind", "is_published"]
    search_fields = ["caption", "credit"]
    autocomplete_fields = ["program"]


@admin.register(DistributionAttachment)
class DistributionAttachmentAdmin(
    OrganisationScopeMixin, AttachmentAdminMixin, PublishActionsMixin, RecordAdmin
):
    fields = ["distribution", *AttachmentAdminMixin.fields, "order"]
    list_display = ["caption", "kind", "credit", "distribution", "is_published"]
    list_select_related = ["distribution"]
    list_filter = ["kind", "is_published"]
    search_fields = ["caption", "credit"]
    autocomplete_fields = ["distribution"]


class AnonymisedListFilter(admin.SimpleListFilter):
    title = _("anonymised")
    parameter_name = "anonymised"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(anonymised_at__isnull=self.value() == "no")
        return queryset


@admin.register(Recipient)
class RecipientAdmin(
    OrganisationScopeMixin,
    RecipientPrivacyMixin,
    ConfirmedYearLockMixin,
    RecordAdmin,
):
    list_display = [
        "list_number",
        "full_name",
        "sex",
        "age_band",
        "distribution",
        "anonymised_at",
    ]
    list_display_links = ["list_number", "full_name"]
    list_select_related = ["distribution"]
    list_filter = [
        ("distribution__program__agreement", admin.RelatedOnlyFieldListFilter),
        "distribution__program__year",
        "sex",
        "age_band",
        AnonymisedListFilter,
    ]
    search_fields = ["full_name", "school_or_village", "guardian"]
    autocomplete_fields = ["distribution"]
    readonly_fields = ["anonymised_at"]
    fields = [
        "distribution",
        "list_number",
        "full_name",
        "sex",
        ("birth_year", "age_band"),
        "school_or_village",
        "guardian",
        "anonymised_at",
    ]
