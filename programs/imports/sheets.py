"""The sheets an import reads: each a model, the columns that identify a row, and
typed columns.

A sheet whose rows belong to a record of another sheet (an item to its
distribution) names that sheet (`parent`) and the column holding the parent's key
(`parent_column`); the parent's rows are read first. Adding a sheet is a
subclass here, its place in `SHEETS`, and its tests.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cooperation.models import Area, Currency
from cooperation.validation import area_error

from ..models import (
    DISTRICT_LEVELS,
    EARLIEST_BIRTH_YEAR,
    LIST_LONGER_THAN_PEOPLE_REACHED,
    LIST_NEEDS_PEOPLE_REACHED,
    MOST_PACKAGES,
    MOST_PEOPLE,
    MOST_QUANTITY,
    RECIPIENT_NAMES_PERMISSION,
    AgeBand,
    DistributionItem,
    GiftDistribution,
    ItemKind,
    Recipient,
    Sex,
)
from .columns import (
    AmountColumn,
    ChoiceColumn,
    CountColumn,
    DateColumn,
    DistrictsColumn,
    ItemKindColumn,
    ParentColumn,
    ReferenceColumn,
    TextColumn,
    YearColumn,
    YesNoColumn,
    folded,
    folded_in_every_language,
    in_every_language,
)

# What an import does with a row (plan.py decides; a sheet's own checks read it).
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

# The template's sheets that hold no rows: its instructions, and the lists its
# dropdowns offer.
INSTRUCTIONS_TITLE = pgettext_lazy("sheet of the import template", "Instructions")
LISTS_TITLE = pgettext_lazy("sheet of the import template", "Lists")


def auxiliary_names():
    return {
        folded(title)
        for text in (INSTRUCTIONS_TITLE, LISTS_TITLE)
        for title in in_every_language(text)
    }


@dataclass
class ItemKinds:
    all: list
    by_code: dict
    by_name: dict


@dataclass
class Districts:
    by_code: dict
    by_name: dict
    offered: list


@dataclass
class ImportContext:
    """What the columns and sheets of one import read: the programme, and the
    catalogues they look values up in, each read once."""

    program: object
    user: object
    cache: dict = field(default_factory=dict)

    @property
    def date_span(self):
        year = self.program.year
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    @functools.cached_property
    def item_kinds(self):
        kinds = list(ItemKind.objects.order_by("name_en", "code"))
        by_name = {}
        for kind in kinds:
            for name in {kind.name_vi, kind.name_lo, kind.name_en} - {""}:
                by_name.setdefault(folded(name), []).append(kind)
        return ItemKinds(
            all=sorted(kinds, key=lambda kind: folded(kind.name)),
            by_code={kind.code.lower(): kind for kind in kinds},
            by_name=by_name,
        )

    @functools.cached_property
    def districts(self):
        """Every district and commune (whether one may be named on a date is the
        model's rule, `area_error`); the template offers those of the agreement's
        countries that exist during the programme's year."""
        areas = list(
            Area.objects.filter(level__in=DISTRICT_LEVELS).select_related(
                "parent__parent", "successor"
            )
        )
        by_code, by_name = {}, {}
        for area in areas:
            if area.pcode:
                by_code[folded(area.pcode)] = area
            for name in {area.name_vi, area.name_lo, area.name_en} - {""}:
                by_name.setdefault(folded(name), []).append(area)
        first, last = self.date_span
        countries = set(
            self.program.agreement.party_signatures.values_list(
                "organisation__country", flat=True
            )
        )
        offered = [
            area
            for area in areas
            if area_country_id(area) in countries
            and (area.valid_from is None or area.valid_from <= last)
            and (area.valid_until is None or area.valid_until >= first)
        ]
        offered.sort(key=lambda area: folded(area.name))
        return Districts(by_code=by_code, by_name=by_name, offered=offered)


def area_country_id(area):
    seen = set()
    while area.parent_id is not None and area.pk not in seen:
        seen.add(area.pk)
        area = area.parent
    return area.pk


class Sheet:
    """One kind of row. Subclasses declare the class attributes and say how to
    find the stored records and make a new one."""

    key = ""
    title = ""
    description = ""
    model = None
    columns = ()
    # Column keys whose values, together, identify a row.
    key_columns = ()
    parent = None  # the key of the sheet whose records this sheet's rows belong to
    parent_column = None  # the column holding the parent's key
    parent_field = None  # the model field pointing at the parent
    # The model's UniqueConstraints that matching rows on the key decides.
    key_constraints = ()
    # Relations the sheet itself looks up (the programme, the catalogue's item),
    # which full_clean() need not look up again.
    relations_looked_up = ()

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def column(self, key):
        return next(column for column in self.columns if column.key == key)

    @functools.cached_property
    def names_recognised(self):
        """The sheet's key and its title in each language, folded."""
        return {folded(self.key)} | folded_in_every_language(self.title)

    def stored(self, context):
        """{key: record} of the programme's records this sheet may update."""
        raise NotImplementedError

    def record_new(self, context, parent):
        raise NotImplementedError

    def record_key(self, values):
        return tuple(values.get(key) for key in self.key_columns)

    def extra_errors(self, record, values):
        """{field: ValidationError} the model cannot see itself (many-to-many
        fields are saved after the record)."""
        return {}

    def values_read(self, values):
        """Adjusts a row's values once its cells are read ({column key: value})."""

    def may_import(self, user):
        """Whether `user` may import this sheet, beyond the permissions every
        import asks (`always_imported`)."""
        return True

    def check_together(self, rows, stored):
        """Adds to `rows` the errors of rules about the rows taken together."""


class DistributionSheet(Sheet):
    key = "distributions"
    title = pgettext_lazy("sheet of the import template", "Distributions")
    description = _(
        "One row per distribution of this programme. The reference is yours (for "
        "example 2024-03): a row whose reference the programme already has updates "
        "that distribution; a new reference adds one."
    )
    model = GiftDistribution
    columns = (
        ReferenceColumn(
            "reference",
            _("Reference"),
            field="reference",
            required=True,
            width=14,
            help=_(
                "Your own short name for the distribution, unique in the programme."
            ),
        ),
        DateColumn(
            "start_date",
            _("Date (or first day)"),
            field="start_date",
            required=True,
            width=14,
            help=_("In the programme's year."),
        ),
        DateColumn(
            "end_date",
            _("Last day"),
            field="end_date",
            width=14,
            help=_("Only when the distribution took several days."),
        ),
        DistrictsColumn(
            "districts",
            _("Districts"),
            field="districts",
            required=True,
            width=30,
            help=_(
                "Pick from the list; for several districts with one total, separate "
                "them with a semicolon (;)."
            ),
        ),
        ChoiceColumn(
            "recipient_group",
            _("Recipients"),
            field="recipient_group",
            choices=GiftDistribution.RecipientGroup,
            required=True,
            width=30,
            help=_("Pick from the list."),
        ),
        TextColumn(
            "recipient_description",
            _("Recipients in detail"),
            field="recipient_description",
            width=30,
        ),
        CountColumn(
            "packages",
            _("Packages"),
            field="packages",
            most=MOST_PACKAGES,
            width=12,
        ),
        CountColumn(
            "people_reached",
            _("People reached"),
            field="people_reached",
            most=MOST_PEOPLE,
            width=12,
        ),
        AmountColumn(
            "total_value",
            _("Total value"),
            field="total_value",
            width=16,
            help=_("In the currency of the next column."),
        ),
        ChoiceColumn(
            "currency",
            _("Currency"),
            field="currency",
            choices=Currency,
            by_code=True,
            width=10,
            help=_("VND, LAK, USD…; empty: VND."),
        ),
        YesNoColumn(
            "value_is_approximate",
            _("Value is approximate"),
            field="value_is_approximate",
            width=12,
            help=_("Yes when the source says “about” or “nearly”."),
        ),
        YesNoColumn(
            "is_published",
            _("Published"),
            field="is_published",
            width=11,
            help=_("Empty for a new distribution: published as the programme is."),
        ),
        TextColumn(
            "notes",
            _("Notes"),
            field="notes",
            single_line=False,
            width=40,
            help=_("Never shown on public pages."),
        ),
    )
    key_columns = ("reference",)
    key_constraints = ("distribution_reference_once_per_programme",)
    relations_looked_up = ("program",)

    def stored(self, context):
        records = (
            context.program.distributions.exclude(reference="")
            .select_related("program__agreement")
            .prefetch_related("districts")
        )
        return {(record.reference,): record for record in records}

    def record_new(self, context, parent):
        program = context.program
        # Publication follows the programme unless the row says otherwise; the
        # records of a made-up programme are made up too.
        return GiftDistribution(
            program=program,
            is_published=program.is_published,
            is_example=program.is_example,
        )

    def extra_errors(self, record, values):
        # The admin's form says the same (programs/admin.py,
        # DistrictsOnTheirDateForm), with the same function.
        for area in values.get("districts") or ():
            error = area_error(area, record.start_date, record.start_date)
            if error is not None:
                return {"districts": error}
        return {}


class ItemSheet(Sheet):
    key = "items"
    title = pgettext_lazy("sheet of the import template", "Items")
    description = _(
        "What each distribution gave, one row per item: the distribution's "
        "reference (from the Distributions sheet, or one the programme already "
        "has) and the item. A row for an item the distribution already lists "
        "updates it."
    )
    model = DistributionItem
    columns = (
        ParentColumn(
            "distribution",
            _("Distribution reference"),
            required=True,
            width=16,
            help=_("The reference of the distribution the item was given in."),
        ),
        ItemKindColumn(
            "item_kind",
            _("Item"),
            field="item_kind",
            required=True,
            width=34,
            help=_("Pick from the list (the item catalogue)."),
        ),
        CountColumn(
            "quantity",
            _("Quantity"),
            field="quantity",
            most=MOST_QUANTITY,
            width=12,
            help=_("Empty when the source does not say how many."),
        ),
        AmountColumn(
            "unit_value",
            _("Value per unit"),
            field="unit_value",
            width=16,
            help=_("In the distribution's currency."),
        ),
    )
    key_columns = ("distribution", "item_kind")
    key_constraints = ("distribution_item_once",)
    relations_looked_up = ("distribution", "item_kind")
    parent = "distributions"
    parent_column = "distribution"
    parent_field = "distribution"

    def stored(self, context):
        records = (
            DistributionItem.objects.filter(distribution__program=context.program)
            .exclude(distribution__reference="")
            .select_related("distribution__program__agreement", "item_kind")
        )
        return {
            (record.distribution.reference, record.item_kind.code): record
            for record in records
        }

    def record_key(self, values):
        kind = values.get("item_kind")
        return (values.get("distribution"), kind.code if kind else None)

    def record_new(self, context, parent):
        return DistributionItem(distribution=parent)


class RecipientSheet(Sheet):
    """The names of the people a distribution reached: personal data, often of
    children. Offered and read only for staff allowed to see recipients' names;
    the file waits for its confirmation an hour at most (`PendingImport`)."""

    key = "recipients"
    title = pgettext_lazy("sheet of the import template", "Recipient lists")
    description = _(
        "The people each distribution reached, one row per person, as the paper "
        "list has them: the distribution's reference and the person's number on "
        "the list (STT). A row whose number the distribution's list already has "
        "updates that person. The list may not hold more people than the "
        "distribution's people reached."
    )
    model = Recipient
    columns = (
        ParentColumn(
            "distribution",
            _("Distribution reference"),
            required=True,
            width=16,
            help=_("The reference of the distribution the person received from."),
        ),
        CountColumn(
            "list_number",
            _("No."),
            field="list_number",
            required=True,
            most=MOST_PEOPLE,
            width=8,
            help=_("The person's number on the paper list (STT)."),
        ),
        TextColumn("full_name", _("Full name"), field="full_name", width=28),
        ChoiceColumn(
            "sex",
            _("Sex"),
            field="sex",
            choices=Sex,
            required=True,
            width=14,
            help=_("Pick from the list; “not recorded” when the list does not say."),
        ),
        YearColumn(
            "birth_year",
            _("Year of birth"),
            field="birth_year",
            earliest=EARLIEST_BIRTH_YEAR,
            width=12,
            help=_("Empty when the list gives none: then choose the age band."),
        ),
        ChoiceColumn(
            "age_band",
            _("Age band"),
            field="age_band",
            choices=AgeBand,
            width=12,
            help=_("Follows from the year of birth when that is given."),
        ),
        TextColumn(
            "school_or_village",
            _("School or village"),
            field="school_or_village",
            width=24,
        ),
        TextColumn(
            "guardian",
            _("Guardian"),
            field="guardian",
            width=24,
            help=_("For a child, when the list names a parent or guardian."),
        ),
    )
    key_columns = ("distribution", "list_number")
    key_constraints = ("recipient_list_number_once",)
    relations_looked_up = ("distribution",)
    parent = "distributions"
    parent_column = "distribution"
    parent_field = "distribution"

    def may_import(self, user):
        return user.has_perms(
            [
                RECIPIENT_NAMES_PERMISSION,
                "programs.add_recipient",
                "programs.change_recipient",
            ]
        )

    def values_read(self, values):
        # An empty band beside a year of birth is the band that year gives
        # (`Recipient.age_band_derive`): left as it is, not emptied.
        if values.get("birth_year") is not None and not values.get("age_band"):
            values["age_band"] = None

    def stored(self, context):
        records = (
            Recipient.objects.filter(distribution__program=context.program)
            .exclude(distribution__reference="")
            .select_related("distribution__program__agreement")
        )
        stored = {}
        for record in records:
            # The list's length is checked for the file's rows together.
            record._list_length_checked_together = True
            stored[(record.distribution.reference, record.list_number)] = record
        return stored

    def record_new(self, context, parent):
        record = Recipient(distribution=parent)
        record._list_length_checked_together = True
        return record

    def check_together(self, rows, stored):
        """A distribution's list, as it would be after the import (nothing is
        deleted), may not outnumber its people reached: the stated figure stays
        the distribution's, the list breaks it down (`Recipient.clean`)."""
        listed = {}
        for record in stored.values():
            listed[record.distribution_id] = listed.get(record.distribution_id, 0) + 1
        for row in rows:
            if row.action != CREATE or row.parent is None:
                continue
            distribution = row.parent
            key = distribution.pk or id(distribution)
            listed[key] = listed.get(key, 0) + 1
            if distribution.people_reached is None:
                row.add_error(None, LIST_NEEDS_PEOPLE_REACHED)
            elif listed[key] > distribution.people_reached:
                row.add_error(
                    None,
                    LIST_LONGER_THAN_PEOPLE_REACHED
                    % {"people": distribution.people_reached, "listed": listed[key]},
                )


SHEETS = (DistributionSheet(), ItemSheet(), RecipientSheet())


def sheets_for(user):
    """The sheets `user` may import, in their order."""
    return [sheet for sheet in SHEETS if sheet.may_import(user)]


def sheet_by_key(key):
    return next((sheet for sheet in SHEETS if sheet.key == key), None)
