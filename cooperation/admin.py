from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet, ModelChoiceField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admin_scopes import OrganisationScopeMixin
from .admin_tools import HTTPS_URL_FIELDS, OriginalLanguageMixin, format_number
from .history_admin import RecordAdmin, VersionedInlineMixin
from .models import (
    Agreement,
    AgreementParty,
    Area,
    Commitment,
    ExchangeRate,
    Organisation,
    StaffMembership,
    YearConfirmation,
    agreements_active_first,
)
from .validation import PARTY_STILL_USED

NAME_SEARCH = ["name_vi", "name_lo", "name_en"]


@admin.register(Area)
class AreaAdmin(OrganisationScopeMixin, OriginalLanguageMixin, RecordAdmin):
    list_display = [
        "name",
        "level",
        "parent",
        "iso_code",
        "pcode",
        "valid_from",
        "valid_until",
        "successor",
    ]
    list_filter = ["level", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent", "successor"]
    search_fields = [*NAME_SEARCH, "iso_code", "pcode"]
    autocomplete_fields = ["parent", "successor"]
    fieldsets = [
        (None, {"fields": ["level", "parent", "iso_code", "pcode"]}),
        # The languages side by side: a clerk sees at once which are missing.
        (
            _("Names"),
            {"fields": [("name_vi", "name_lo", "name_en"), "original_language"]},
        ),
        (
            _("History"),
            {
                "fields": ["valid_from", "valid_until", "successor", "notes"],
                "description": _(
                    "When an area is merged or renamed, end it here and link its "
                    "successor; never rename the old record."
                ),
            },
        ),
    ]

    @admin.display(description=_("name"), ordering="name_en")
    def name(self, area):
        return area.name


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopeMixin, OriginalLanguageMixin, RecordAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = [
        "name",
        "acronym",
        "kind",
        "country",
        "home_area",
        "parent",
        "valid_until",
    ]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "home_area", "parent"]
    search_fields = [*NAME_SEARCH, "acronym"]
    autocomplete_fields = ["country", "home_area", "parent", "successor"]
    fieldsets = [
        (None, {"fields": ["kind", "acronym", "country", "home_area", "parent"]}),
        (
            _("Names"),
            {
                "fields": [
                    ("name_vi", "name_lo", "name_en"),
                    "original_language",
                    "website",
                ]
            },
        ),
        (
            _("History"),
            {"fields": ["valid_from", "valid_until", "successor"]},
        ),
    ]

    @admin.display(description=_("name"), ordering="name_en")
    def name(self, organisation):
        return organisation.name


class AgreementPartyFormSet(BaseInlineFormSet):
    """Refuses to drop or replace a party that the agreement's records still name."""

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        for form in self.initial_forms:
            dropped = self.can_delete and self._should_delete_form(form)
            replaced = "organisation" in form.changed_data
            if not (dropped or replaced):
                continue
            organisation = form.initial_organisation
            records = self.instance.records_naming(organisation)
            if records:
                raise ValidationError(
                    PARTY_STILL_USED,
                    code="party_used",
                    params={"organisation": organisation, "records": records},
                )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.initial_organisation = (
            form.instance.organisation if form.instance.pk else None
        )


class AgreementPartyInline(VersionedInlineMixin, admin.TabularInline):
    model = AgreementParty
    formset = AgreementPartyFormSet
    autocomplete_fields = ["organisation"]
    extra = 0
    min_num = 2
    fields = ["organisation", "signatory_name", "signatory_title", "order"]

    def get_formset(self, request, obj=None, **kwargs):
        # An agreement has at least two parties; Django checks min_num only when
        # asked to.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class CommitmentInline(VersionedInlineMixin, admin.StackedInline):
    model = Commitment
    extra = 0
    fields = [
        ("ordinal", "kind"),
        ("yearly_target_min", "yearly_target_max", "host_rotation"),
        ("text_vi", "text_lo", "text_en"),
        "original_language",
    ]


@admin.register(Agreement)
class AgreementAdmin(OrganisationScopeMixin, OriginalLanguageMixin, RecordAdmin):
    change_form_template = "admin/cooperation/agreement/change_form.html"
    list_display = [
        "title",
        "period",
        "status",
        "party_names",
        "commitment_count",
        "is_example",
    ]
    list_filter = ["status", "is_example"]
    search_fields = ["slug", "title_vi", "title_lo", "title_en"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["predecessor"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [AgreementPartyInline, CommitmentInline]
    readonly_fields = ["record_totals"]
    fieldsets = [
        (None, {"fields": ["slug", "status", "predecessor", "is_example"]}),
        (
            _("Title"),
            {"fields": [("title_vi", "title_lo", "title_en"), "original_language"]},
        ),
        (
            _("Period and signature"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    "period_note",
                    ("signed_on", "signed_at"),
                    "signed_document",
                ]
            },
        ),
        (_("Source and notes"), {"fields": ["source", "notes"]}),
        (_("Records so far"), {"fields": ["record_totals"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(number_of_commitments=Count("commitments", distinct=True))
            .prefetch_related("party_signatures__organisation")
        )

    def get_ordering(self, request):
        """The agreements running today first, then the newest, the real one
        before a made-up example: searching "2022" offers the 2022–2027
        agreement before the 2019–2022 one that ended, in the list and in every
        autocomplete that picks an agreement."""
        return agreements_active_first(timezone.localdate())

    @admin.display(description=_("title"), ordering="title_en")
    def title(self, agreement):
        return agreement.title

    @admin.display(description=_("period"), ordering="start_date")
    def period(self, agreement):
        return f"{agreement.start_date.year}–{agreement.end_date.year}"

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return " · ".join(
            party.organisation.acronym or party.organisation.name
            for party in agreement.party_signatures.all()
        )

    @admin.display(description=_("commitments"), ordering="number_of_commitments")
    def commitment_count(self, agreement):
        return agreement.number_of_commitments

    @admin.display(description=_("records"))
    def record_totals(self, agreement):
        if agreement.pk is None:
            return "–"
        return _(
            "%(visits)d visits, %(exchanges)d information exchanges, "
            "%(programs)d programmes"
        ) % {
            "visits": agreement.visits.count(),
            "exchanges": agreement.information_exchanges.count(),
            "programs": agreement.programs.count(),
        }


class PartyChoiceField(ModelChoiceField):
    """A party named with its agreement: the same branch signs several."""

    def label_from_instance(self, party):
        return f"{party.agreement} — {party.organisation}"


@admin.register(YearConfirmation)
class YearConfirmationAdmin(OrganisationScopeMixin, RecordAdmin):
    """Confirming a year, and reopening it with a reason.

    A confirmation is made once and never edited or deleted: the change form only
    offers to reopen it, which keeps the row with who reopened it, when and why.
    """

    list_display = [
        "year",
        "agreement",
        "organisation",
        "signatory",
        "confirmed_at",
        "confirmed_by",
        "state",
    ]
    list_display_links = ["year", "agreement"]
    list_filter = ["party__agreement", "year"]
    list_select_related = [
        "party__agreement",
        "party__organisation",
        "confirmed_by",
        "reopened_by",
    ]
    search_fields = ["signatory", "comment", "reopen_reason"]
    fields_to_confirm = ["party", "year", "signatory", "comment"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": self.fields_to_confirm})]
        confirmed = [*self.fields_to_confirm, "confirmed_by", "confirmed_at"]
        reopened = ["reopen_reason", "reopened_by", "reopened_at"]
        description = (
            _(
                "To correct a record of this year, reopen it here for this party: "
                "give the reason and save. The reason stays on record; confirm "
                "the year again once the records are right."
            )
            if obj.is_standing
            else None
        )
        return [
            (_("Confirmation"), {"fields": confirmed}),
            (_("Reopening"), {"fields": reopened, "description": description}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        everything = [
            *self.fields_to_confirm,
            "confirmed_by",
            "confirmed_at",
            "reopened_by",
            "reopened_at",
        ]
        return everything if obj.is_standing else [*everything, "reopen_reason"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "party":
            kwargs["form_class"] = PartyChoiceField
            kwargs["queryset"] = AgreementParty.objects.select_related(
                "agreement", "organisation"
            ).order_by("agreement__slug", "order")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        return {
            "year": timezone.localdate().year - 1,
            "signatory": request.user.get_full_name(),
            **super().get_changeform_initial_data(request),
        }

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.confirmed_by = request.user
            obj.save()
        elif "reopen_reason" in form.changed_data and obj.reopen_reason.strip():
            obj.reopen(by=request.user, reason=obj.reopen_reason)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and obj.is_standing:
            form.base_fields["reopen_reason"].help_text = _(
                "Leave empty to keep the year confirmed."
            )
        return form

    @admin.display(description=_("agreement"), ordering="party__agreement__slug")
    def agreement(self, confirmation):
        return confirmation.party.agreement

    @admin.display(description=_("party"), ordering="party__order")
    def organisation(self, confirmation):
        return confirmation.party.organisation

    @admin.display(description=_("state"))
    def state(self, confirmation):
        if confirmation.is_standing:
            return _("confirmed")
        return _("reopened")


@admin.register(Commitment)
class CommitmentAdmin(OrganisationScopeMixin, OriginalLanguageMixin, RecordAdmin):
    list_display = ["ordinal", "kind", "agreement", "yearly_target", "host_rotation"]
    list_display_links = ["ordinal", "kind"]
    list_filter = ["agreement", "kind"]
    list_select_related = ["agreement"]
    search_fields = ["text_vi", "text_lo", "text_en"]
    autocomplete_fields = ["agreement"]

    @admin.display(description=_("yearly target"))
    def yearly_target(self, commitment):
        low, high = commitment.yearly_target_min, commitment.yearly_target_max
        if low is None:
            return _("qualitative")
        if high is None or high == low:
            return str(low)
        return f"{low}–{high}"


@admin.register(ExchangeRate)
class ExchangeRateAdmin(OrganisationScopeMixin, RecordAdmin):
    list_display = ["year", "rate", "rate_date", "source"]
    list_filter = ["year", "currency", "reporting_currency"]
    search_fields = ["source"]

    @admin.display(description=_("rate"), ordering="units_per_reporting_unit")
    def rate(self, exchange_rate):
        """The rate as "1 USD = 23.500 VND", grouped for the reader's language."""
        units = format_number(exchange_rate.units_per_reporting_unit.normalize())
        reporting, currency = exchange_rate.reporting_currency, exchange_rate.currency
        return f"1\u00a0{reporting} = {units}\u00a0{currency}"


class StaffMembershipInline(admin.StackedInline):
    model = StaffMembership
    autocomplete_fields = ["organisation"]
    can_delete = False
    fields = ["organisation"]


# Django's user admin, with the organisation each staff member works for.
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffMembershipInline]
    list_display = [*UserAdmin.list_display, "organisation"]
    list_filter = [
        *UserAdmin.list_filter,
        ("staff_membership__organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["staff_membership__organisation"]

    @admin.display(
        description=_("organisation"), ordering="staff_membership__organisation"
    )
    def organisation(self, user):
        membership = getattr(user, "staff_membership", None)
        return membership.organisation if membership else "–"
