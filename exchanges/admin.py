from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from cooperation.admin_scopes import OrganisationScopeMixin
from cooperation.admin_tools import (
    AttachmentAdminMixin,
    ConfirmedYearLockMixin,
    OriginalLanguageMixin,
    PublishActionsMixin,
    YearListFilter,
    format_dates,
    format_number,
)
from cooperation.history_admin import RecordAdmin, VersionedInlineMixin
from cooperation.models import CONTENT_LANGUAGE_CODES, RECORD_COUNT_LABELS

from .models import DelegationVisit, InformationExchange, VisitAttachment, VisitMember


class VisitMemberInline(
    VersionedInlineMixin, ConfirmedYearLockMixin, admin.TabularInline
):
    model = VisitMember
    autocomplete_fields = ["organisation"]
    extra = 1
    fields = ["full_name", "title", "organisation", "leads_delegation", "order"]


class VisitAttachmentInline(
    VersionedInlineMixin, AttachmentAdminMixin, admin.StackedInline
):
    model = VisitAttachment
    extra = 0


class VisitYearFilter(YearListFilter):
    date_field = "start_date"


@admin.register(DelegationVisit)
class DelegationVisitAdmin(
    OrganisationScopeMixin,
    OriginalLanguageMixin,
    ConfirmedYearLockMixin,
    PublishActionsMixin,
    RecordAdmin,
):
    # "Save as new": next year's visit starts as a copy of this one.
    save_as = True
    # One column for the dates, and examples told by their agreement and the
    # filter: the host and the published mark stay in view on a laptop screen.
    list_display = [
        "dates",
        "kind",
        "sending_party",
        "host_party",
        "place",
        "member_count",
        "is_published",
    ]
    list_display_links = ["dates"]
    list_filter = [
        "agreement",
        VisitYearFilter,
        "kind",
        "is_published",
        "is_example",
    ]
    list_select_related = ["sending_party", "host_party"]
    search_fields = [
        "place",
        *(
            f"{field}_{code}"
            for field in ("purpose", "outcomes")
            for code in CONTENT_LANGUAGE_CODES
        ),
        "members__full_name",
        "agreement__slug",
    ]
    date_hierarchy = "start_date"
    autocomplete_fields = ["agreement", "sending_party", "host_party", "area"]
    inlines = [VisitMemberInline, VisitAttachmentInline]
    fieldsets = [
        (None, {"fields": ["agreement", "kind", ("sending_party", "host_party")]}),
        (
            _("When and where"),
            {"fields": [("start_date", "end_date"), "place", "area"]},
        ),
        # The three languages side by side: a clerk sees at once which are missing.
        (
            _("Content"),
            {
                "fields": [
                    ("purpose_vi", "purpose_lo", "purpose_en"),
                    ("outcomes_vi", "outcomes_lo", "outcomes_en"),
                    "original_language",
                ]
            },
        ),
        (_("Publication"), {"fields": ["is_published", "is_example"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(number_of_members=Count("members", distinct=True))
        )

    @admin.display(description=_("dates"), ordering="start_date")
    def dates(self, visit):
        return format_dates(visit.start_date, visit.end_date)

    @admin.display(description=_("members"), ordering="number_of_members")
    def member_count(self, visit):
        return format_number(visit.number_of_members)


@admin.register(VisitMember)
class VisitMemberAdmin(OrganisationScopeMixin, ConfirmedYearLockMixin, RecordAdmin):
    list_display = ["full_name", "title", "organisation", "visit"]
    list_select_related = ["organisation", "visit__sending_party", "visit__host_party"]
    list_filter = [
        "leads_delegation",
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["full_name", "title"]
    autocomplete_fields = ["visit", "organisation"]


@admin.register(VisitAttachment)
class VisitAttachmentAdmin(
    OrganisationScopeMixin, AttachmentAdminMixin, PublishActionsMixin, RecordAdmin
):
    fields = ["visit", *AttachmentAdminMixin.fields, "order"]
    list_display = ["caption", "kind", "credit", "visit", "is_published"]
    list_select_related = ["visit__sending_party", "visit__host_party"]
    list_filter = ["kind", "is_published"]
    search_fields = ["caption", "credit"]
    autocomplete_fields = ["visit"]


@admin.register(InformationExchange)
class InformationExchangeAdmin(
    OrganisationScopeMixin,
    ConfirmedYearLockMixin,
    PublishActionsMixin,
    RecordAdmin,
):
    list_display = [
        "exchanged_on",
        "year_covered",
        "from_party",
        "to_party",
        "topic_list",
        "plan",
        "is_published",
    ]
    list_display_links = ["exchanged_on", "year_covered"]
    list_filter = [
        "agreement",
        "year_covered",
        "covers_results",
        "covers_next_year_plan",
        "covers_socio_economic",
        "covers_disease_situation",
        "is_outbreak_alert",
        "is_published",
        "is_example",
    ]
    list_select_related = ["from_party", "to_party"]
    search_fields = ["summary", "plan_notes"]
    date_hierarchy = "exchanged_on"
    autocomplete_fields = ["agreement", "from_party", "to_party"]
    fieldsets = [
        (
            None,
            {"fields": ["agreement", "year_covered", ("from_party", "to_party")]},
        ),
        (_("When"), {"fields": ["exchanged_on"]}),
        (
            _("Topics"),
            {
                "fields": [
                    "covers_results",
                    "covers_models_and_experience",
                    "covers_next_year_plan",
                    "covers_socio_economic",
                    "covers_disease_situation",
                    "is_outbreak_alert",
                ]
            },
        ),
        (_("Content"), {"fields": ["summary", "document"]}),
        (
            _("Next year's plan"),
            {"fields": [("planned_visits", "planned_programmes"), "plan_notes"]},
        ),
        (_("Publication"), {"fields": ["is_published", "is_example"]}),
    ]

    @admin.display(description=_("topics"))
    def topic_list(self, exchange):
        return ", ".join(str(label) for label in exchange.topics)

    @admin.display(description=_("planned for next year"))
    def plan(self, exchange):
        """The two planned figures in one column: "2 visits, 1 programme"."""
        planned = {
            "visits": exchange.planned_visits,
            "programmes": exchange.planned_programmes,
        }
        parts = [
            RECORD_COUNT_LABELS[name] % {"count": count}
            for name, count in planned.items()
            if count is not None
        ]
        return ", ".join(parts) or "–"
