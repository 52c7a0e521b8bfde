"""Joint humanitarian programmes, their gift distributions and the items given."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Floor
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.formatting import date_text, number_text
from cooperation.history import VersionedModel
from cooperation.models import (
    CONTENT_LANGUAGE_CODES,
    LONG_TEXT_LENGTH,
    WHOLE_UNIT_CURRENCIES,
    Agreement,
    Area,
    Attachment,
    Currency,
    DayField,
    Organisation,
    Record,
    TextModel,
    YearLockedRecord,
    any_language_filled,
    bounded_text_field,
    currency_constraint,
    localized,
    non_negative_money_field,
    original_language_field,
    text_length_constraint,
    translated_property,
    translated_text_fields,
    whole_unit_errors,
    whole_units_constraint,
    year_page_url,
)
from cooperation.validation import (
    END_BEFORE_START,
    ITEM_VALUES_HAVE_DECIMALS,
    NEGATIVE_AMOUNT,
    TITLE_REQUIRED,
    YEAR_OUTSIDE_AGREEMENT,
    agreement_date_errors,
    period_params,
    raise_if,
    related_or_none,
)
from exchanges.models import DelegationVisit

START_NOT_IN_YEAR = _("The programme starts in %(start)s, not in its year %(year)s.")
# Districts, or communes where (as in Vietnam since 2025) there are no districts.
DISTRICT_LEVELS = [Area.Level.DISTRICT, Area.Level.COMMUNE]
VISIT_OF_ANOTHER_AGREEMENT = _("This visit belongs to another agreement.")
COMPLETED_IN_THE_FUTURE = _(
    "A programme marked completed cannot be dated after today: set it to planned "
    "or in progress, or correct its dates."
)
DISTRIBUTION_OUTSIDE_PROGRAMME_YEAR = _(
    "This distribution is dated in %(date_year)s, but its programme is for "
    "%(year)s: correct the date or choose that year's programme."
)


def end_after_start_constraint(label):
    return models.CheckConstraint(
        condition=Q(end_date__isnull=True)
        | Q(start_date__isnull=True)
        | Q(end_date__gte=F("start_date")),
        name=f"{label}_end_after_start",
        violation_error_message=END_BEFORE_START,
    )


# The most one record takes: far above anything two provincial branches give or
# reach (the demo's distribution is 150 packages), far below what a slip of the
# keyboard types (10¹² packages was once saved). A larger real figure is a
# summary of several distributions: record them one by one.
MOST_PACKAGES = 1_000_000
MOST_PEOPLE = 10_000_000
MOST_QUANTITY = 1_000_000
COUNT_TOO_LARGE = _(
    "This is more than one record can hold (at most %(limit_value)s): check the "
    "figure, or record a larger one as several records."
)


def count_field(verbose_name, most, **kwargs):
    """A count of things or people, from 0 to `most`; pair with
    `count_limit_constraint`."""
    validators = [
        MaxValueValidator(most, message=COUNT_TOO_LARGE),
        *kwargs.pop("validators", ()),
    ]
    return models.PositiveIntegerField(verbose_name, validators=validators, **kwargs)


def count_limit_constraint(label, field, most):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": most}),
        name=f"{label}_{field}_at_most_{most}",
        violation_error_message=COUNT_TOO_LARGE,
    )


def non_negative_constraint(label, field):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=f"{label}_{field}_not_negative",
        violation_error_message=NEGATIVE_AMOUNT,
    )


class ItemKind(TextModel):
    """The catalogue of things given: bicycle, school backpack, rice, medicine kit…"""

    class Unit(models.TextChoices):
        PIECE = "piece", _("piece")
        PACKAGE = "package", _("package")
        SET = "set", _("set")
        KILOGRAM = "kg", _("kilogram")
        LITRE = "litre", _("litre")
        BOX = "box", _("box")

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_(
            "A short unique name in lower-case letters, digits and hyphens, e.g. "
            "school-backpack."
        ),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120, blank=True)
    name_lo = models.CharField(_("name (Lao)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    original_language = original_language_field()
    unit = models.CharField(
        _("unit"),
        max_length=10,
        choices=Unit.choices,
        default=Unit.PIECE,
        help_text=_("How a quantity of it is counted."),
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Untick to hide from new entries; old records keep it."),
    )

    class Meta:
        verbose_name = _("item kind")
        verbose_name_plural = _("item catalogue")
        ordering = ["name_en", "code"]

    def __str__(self):
        return self.name or self.code

    @property
    def name(self):
        return localized(self, "name")


class JointProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_year(self, year):
        return self.filter(year=year)

    def held_by(self, day):
        """Programmes completed or under way on `day`: those that count."""
        return self.filter(held_by_condition(day))


class JointProgram(YearLockedRecord, Record):
    # The districts are part of each version too (django-simple-history).
    _history_m2m_fields = ["districts"]

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        help_text=_(
            "The year whose target the programme counts towards; its start date, "
            "when known, falls in it."
        ),
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300, blank=True)
    title_lo = models.CharField(_("title (Lao)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    original_language = original_language_field()
    description_vi, description_lo, description_en = translated_text_fields(
        _("description"), LONG_TEXT_LENGTH
    )
    description = translated_property("description")
    includes_checkups = models.BooleanField(
        _("medical check-ups and treatment"), default=False
    )
    includes_free_medicine = models.BooleanField(_("free medicine"), default=False)
    includes_gifts = models.BooleanField(_("gifts"), default=False)
    includes_disease_prevention = models.BooleanField(
        _("disease prevention"), default=False
    )
    includes_other = models.BooleanField(_("other activities"), default=False)
    districts = models.ManyToManyField(
        Area,
        verbose_name=_("districts"),
        blank=True,
        related_name="programs",
        limit_choices_to={"level__in": DISTRICT_LEVELS},
        help_text=_("Where the programme was held."),
    )
    start_date = DayField(_("start date"), null=True, blank=True)
    end_date = DayField(_("end date"), null=True, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="programs_led",
        help_text=_("The party that organised the programme."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        default=Currency.VND,
        help_text=_("The currency of the budget and the actual cost."),
    )
    budget = non_negative_money_field(
        _("budget"), help_text=_("The planned cost, when known.")
    )
    actual_cost = non_negative_money_field(
        _("actual cost"), help_text=_("What was spent, once known.")
    )
    people_reached = count_field(
        _("people reached"),
        MOST_PEOPLE,
        null=True,
        blank=True,
        help_text=_("Everyone the programme reached, distributions included."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text=_(
            "Programmes in progress or completed count towards the year's target; "
            "planned and cancelled ones do not."
        ),
    )
    visit = models.ForeignKey(
        DelegationVisit,
        verbose_name=_("during the visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programs",
        help_text=_("The delegation visit during which it was held, if any."),
    )

    objects = JointProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint programme")
        verbose_name_plural = _("joint programmes")
        ordering = ["-year", "start_date", "pk"]
        constraints = [
            count_limit_constraint("program", "people_reached", MOST_PEOPLE),
            end_after_start_constraint("program"),
            non_negative_constraint("program", "budget"),
            non_negative_constraint("program", "actual_cost"),
            currency_constraint("program"),
            whole_units_constraint("program", "budget"),
            whole_units_constraint("program", "actual_cost"),
            models.CheckConstraint(
                condition=any_language_filled("title"),
                name="program_has_a_title",
                violation_error_message=TITLE_REQUIRED,
            ),
            *(
                text_length_constraint(
                    "program", f"description_{code}", LONG_TEXT_LENGTH
                )
                for code in CONTENT_LANGUAGE_CODES
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return year_page_url(self.agreement, self.year)

    @property
    def title(self):
        return localized(self, "title")

    @property
    def activity_labels(self):
        return [
            self._meta.get_field(name).verbose_name
            for name in ACTIVITY_FIELDS
            if getattr(self, name)
        ]

    def is_held_by(self, day):
        """True when the programme is completed or under way on `day`.

        A planned or cancelled programme is not, nor one that starts after `day`
        (without a start date: after 1 January of its year). `held_by_condition`
        says the same to the database; tests hold the two together.
        """
        start = self.start_date or datetime.date(self.year, 1, 1)
        return self.status in HELD_STATUSES and start <= day

    def clean(self):
        errors = {}
        if not (self.title_vi or self.title_lo or self.title_en):
            errors["title_en"] = ValidationError(TITLE_REQUIRED, code="title")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(END_BEFORE_START, code="end")
        errors |= whole_unit_errors(
            self.currency, budget=self.budget, actual_cost=self.actual_cost
        )
        if self.start_date and self.year and self.start_date.year != self.year:
            errors.setdefault(
                "start_date",
                ValidationError(
                    START_NOT_IN_YEAR,
                    code="year",
                    params={"start": self.start_date.year, "year": self.year},
                ),
            )
        if self.agreement_id:
            agreement = self.agreement
            errors = (
                agreement_date_errors(
                    agreement, start_date=self.start_date, end_date=self.end_date
                )
                | errors
            )
            if self.year is not None and not agreement.covers_year(self.year):
                errors["year"] = ValidationError(
                    YEAR_OUTSIDE_AGREEMENT,
                    code="year",
                    params={"year": self.year, **period_params(agreement)},
                )
            if self.lead_organisation_id and (
                error := agreement.party_error(
                    self.lead_organisation, *self.dated_span()
                )
            ):
                errors["lead_organisation"] = error
            if self.visit_id and self.visit.agreement_id != self.agreement_id:
                errors["visit"] = ValidationError(
                    VISIT_OF_ANOTHER_AGREEMENT, code="visit"
                )
        errors |= self.completion_errors(timezone.localdate())
        errors |= self.locked_year_errors()
        raise_if(errors)

    def dated_span(self):
        """(first day, last day) the programme may have been held on: its start
        date, else its whole year; (None, None) when neither is known."""
        if self.start_date is not None:
            return self.start_date, self.start_date
        if self.year and datetime.MINYEAR <= self.year <= datetime.MAXYEAR:
            return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)
        return None, None

    def completion_errors(self, today):
        """{"status": error} when the programme is marked completed but a date of it
        lies after `today`.

        No CheckConstraint mirrors this: "today" moves, and the database judges a
        CHECK only when a row is written, so it could not hold the rule over time.
        """
        dates = [day for day in (self.start_date, self.end_date) if day is not None]
        if self.status == self.Status.COMPLETED and any(day > today for day in dates):
            return {
                "status": ValidationError(
                    COMPLETED_IN_THE_FUTURE, code="completed_in_future"
                )
            }
        return {}


HELD_STATUSES = (JointProgram.Status.IN_PROGRESS, JointProgram.Status.COMPLETED)


def held_by_condition(day, prefix=""):
    """`JointProgram.is_held_by(day)` as a database condition; `prefix` reaches the
    programme from a related model ("program__" from a distribution)."""
    return Q(**{f"{prefix}status__in": HELD_STATUSES}) & (
        Q(**{f"{prefix}start_date__lte": day})
        | Q(**{f"{prefix}start_date__isnull": True, f"{prefix}year__lte": day.year})
    )


ACTIVITY_FIELDS = (
    "includes_checkups",
    "includes_free_medicine",
    "includes_gifts",
    "includes_disease_prevention",
    "includes_other",
)


REFERENCE_LENGTH = 40
REFERENCE_TAKEN = _(
    "Another distribution of this programme already has this reference: choose "
    "another one."
)


class GiftDistributionQuerySet(models.QuerySet):
    def published(self):
        """Published distributions of published programmes."""
        return self.filter(is_published=True, program__is_published=True)

    def in_year(self, year):
        return self.filter(program__year=year)

    def given_by(self, day):
        """Distributions that count on `day`: of a programme held by then, and
        dated up to `day` (one entered ahead is not given yet)."""
        return self.filter(held_by_condition(day, "program__"), start_date__lte=day)


class GiftDistribution(YearLockedRecord, Record):
    # The districts are part of each version too (django-simple-history).
    _history_m2m_fields = ["districts"]
    agreement_lookup = "program__agreement_id"
    year_lookup = "program__year"

    class RecipientGroup(models.TextChoices):
        STUDENTS = "students", _("students in difficult circumstances")
        FAMILIES = "families", _("families in difficult circumstances")
        ELDERLY = "elderly", _("elderly people")
        DISABILITY = "disability", _("people with disabilities")
        PATIENTS = "patients", _("patients")
        DISASTER = "disaster", _("people affected by disaster")
        OTHER = "other", _("other")

    program = models.ForeignKey(
        JointProgram,
        verbose_name=_("programme"),
        # Refused while it has children: each is deleted on its own and stays
        # in the history, where it can be restored (see the README).
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    # The clerk's own name for the distribution, which an import matches rows on
    # (programs/imports/): blank for one entered by hand, unique in its programme
    # once given.
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_LENGTH,
        blank=True,
        help_text=_(
            "Your own short name for the distribution, for example 2024-03. A "
            "spreadsheet import updates the distribution with this reference "
            "instead of adding another."
        ),
    )
    start_date = DayField(_("date (or first day)"))
    end_date = DayField(
        _("last day"),
        null=True,
        blank=True,
        help_text=_("When the source gives a span of days rather than one day."),
    )
    districts = models.ManyToManyField(
        Area,
        verbose_name=_("districts"),
        related_name="distributions",
        limit_choices_to={"level__in": DISTRICT_LEVELS},
        help_text=_(
            "Pick several only when the source gives one total for them together."
        ),
    )
    recipient_group = models.CharField(
        _("recipients"),
        max_length=12,
        choices=RecipientGroup.choices,
        help_text=_("The group the source names; say more in “recipients in detail”."),
    )
    recipient_description = models.CharField(
        _("recipients in detail"),
        max_length=300,
        blank=True,
        help_text=_("For example: pupils of the primary school in Sanxay."),
    )
    packages = count_field(
        _("packages"),
        MOST_PACKAGES,
        default=0,
        help_text=_("Gift packages or sets handed over."),
    )
    people_reached = count_field(
        _("people reached"),
        MOST_PEOPLE,
        null=True,
        blank=True,
        help_text=_(
            "People who received gifts; leave empty when the source does not say."
        ),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        default=Currency.VND,
        help_text=_("The currency of the total value and of the items' unit values."),
    )
    total_value = non_negative_money_field(
        _("total value"),
        help_text=_("The value of everything given, as the source states it."),
    )
    value_is_approximate = models.BooleanField(
        _("value is approximate"),
        default=False,
        help_text=_("Tick when the source says 'about' or 'nearly'."),
    )
    notes = bounded_text_field(_("notes"), LONG_TEXT_LENGTH, blank=True)
    # Public only when its programme is published too (`published()`): ticked by
    # default, so publishing a programme publishes the gifts entered with it, and
    # unticked only to withhold one distribution of a published programme.
    is_published = models.BooleanField(
        _("published with its programme"),
        default=True,
        help_text=_(
            "Untick to keep this distribution off public pages even when its "
            "programme is published."
        ),
    )

    objects = GiftDistributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("gift distribution")
        verbose_name_plural = _("gift distributions")
        ordering = ["-start_date", "pk"]
        constraints = [
            count_limit_constraint("distribution", "packages", MOST_PACKAGES),
            count_limit_constraint("distribution", "people_reached", MOST_PEOPLE),
            end_after_start_constraint("distribution"),
            non_negative_constraint("distribution", "total_value"),
            currency_constraint("distribution"),
            whole_units_constraint("distribution", "total_value"),
            text_length_constraint("distribution", "notes", LONG_TEXT_LENGTH),
            models.UniqueConstraint(
                fields=["program", "reference"],
                condition=~Q(reference=""),
                name="distribution_reference_once_per_programme",
                violation_error_message=REFERENCE_TAKEN,
            ),
        ]

    def __str__(self):
        return _("%(packages)s packages, %(date)s") % {
            "packages": self.packages,
            "date": date_text(self.start_date),
        }

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        year = self.start_date.year if self.start_date else None
        stored_year = getattr(self, "_stored_year", None)
        if stored_year is not None and year != stored_year:
            self.recipients_age_bands_refresh()
        self._stored_year = year

    def get_absolute_url(self):
        return self.program.get_absolute_url()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The year its recipients' age bands were worked out for (see save()).
        instance._stored_year = getattr(
            instance.__dict__.get("start_date"), "year", None
        )
        return instance

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(END_BEFORE_START, code="end")
        errors |= whole_unit_errors(self.currency, total_value=self.total_value)
        if "currency" not in errors:
            errors |= self.item_value_errors()
        program = related_or_none(self, "program")
        if program is not None and program.agreement_id:
            errors = (
                agreement_date_errors(
                    program.agreement,
                    start_date=self.start_date,
                    end_date=self.end_date,
                )
                | errors
            )
        if program is not None and program.year and self.start_date:
            # The programme is another table, which a CHECK constraint cannot read:
            # this rule holds in forms and full_clean() only.
            if self.start_date.year != program.year:
                errors.setdefault(
                    "start_date",
                    ValidationError(
                        DISTRIBUTION_OUTSIDE_PROGRAMME_YEAR,
                        code="programme_year",
                        params={
                            "date_year": self.start_date.year,
                            "year": program.year,
                        },
                    ),
                )
        errors |= self.recipient_list_errors()
        errors |= self.locked_year_errors()
        raise_if(errors)

    def recipient_list_errors(self):
        """Errors the saved recipient list finds in the distribution as it now
        stands: people reached below the list's length (the figure is the
        distribution's, the list breaks it down), or a date on which a listed
        child with a guardian would be an adult.

        Only counts and ages are read, so the message names nobody.
        """
        if not self.pk:
            return {}
        errors = {}
        # The latest birth year that makes an adult in the distribution's year.
        adult_by = (
            self.start_date.year - AGE_BAND_STARTS[2][0] if self.start_date else 0
        )
        counts = self.recipients.aggregate(
            listed=Count("pk"),
            wards=Count("pk", filter=~Q(guardian="") & Q(birth_year__lte=adult_by)),
        )
        listed, wards = counts["listed"], counts["wards"]
        if listed and (self.people_reached is None or self.people_reached < listed):
            errors["people_reached"] = ValidationError(
                PEOPLE_REACHED_BELOW_LIST,
                code="below_list",
                params={"listed": listed},
            )
        if wards:
            errors.setdefault(
                "start_date",
                ValidationError(
                    DATE_MAKES_WARDS_ADULTS,
                    code="wards_adults",
                    params={"count": wards},
                ),
            )
        return errors

    def recipients_age_bands_refresh(self):
        """Each listed recipient's age band again from its year of birth, after the
        distribution's year changed; recipients without one keep theirs."""
        for recipient in self.recipients.filter(birth_year__isnull=False):
            recipient.distribution = self
            band = recipient.age_band
            recipient.age_band_derive()
            if recipient.age_band != band:
                recipient.save(update_fields=["age_band"])

    def item_value_errors(self):
        """{"currency": error} when a whole-unit currency would leave saved items
        with decimals in their value per unit.

        Items keep no currency of their own, so changing the distribution's (in its
        own form or in the programme's) must answer for the items already saved.
        """
        if not self.pk or self.currency not in WHOLE_UNIT_CURRENCIES:
            return {}
        items = self.items.filter(unit_value__isnull=False).exclude(
            unit_value=Floor("unit_value")
        )
        names = [str(item.item_kind) for item in items.select_related("item_kind")]
        if not names:
            return {}
        return {
            "currency": ValidationError(
                ITEM_VALUES_HAVE_DECIMALS,
                code="item_decimals",
                params={
                    "currency": Currency(self.currency).label,
                    "items": ", ".join(names),
                },
            )
        }


class DistributionItem(YearLockedRecord, VersionedModel):
    agreement_lookup = "distribution__program__agreement_id"
    year_lookup = "distribution__program__year"

    distribution = models.ForeignKey(
        GiftDistribution,
        verbose_name=_("distribution"),
        # Refused while it has children: each is deleted on its own and stays
        # in the history, where it can be restored (see the README).
        on_delete=models.PROTECT,
        related_name="items",
    )
    item_kind = models.ForeignKey(
        ItemKind,
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="distribution_items",
        help_text=_("From the item catalogue; add a missing kind there first."),
    )
    quantity = count_field(
        _("quantity"),
        MOST_QUANTITY,
        null=True,
        blank=True,
        help_text=_("Leave empty when the source does not say how many."),
    )
    unit_value = non_negative_money_field(
        _("value per unit"), help_text=_("In the distribution's currency.")
    )

    class Meta:
        verbose_name = _("distributed item")
        verbose_name_plural = _("distributed items")
        ordering = ["distribution", "item_kind__code"]
        constraints = [
            count_limit_constraint("distribution_item", "quantity", MOST_QUANTITY),
            models.UniqueConstraint(
                fields=["distribution", "item_kind"],
                name="distribution_item_once",
                violation_error_message=_(
                    "This item is already listed for the distribution."
                ),
            ),
            non_negative_constraint("distribution_item", "unit_value"),
        ]

    def __str__(self):
        if self.quantity is None:
            return str(self.item_kind)
        return f"{number_text(self.quantity)} × {self.item_kind}"

    def clean(self):
        # The currency is the distribution's, in another table, which a CHECK
        # constraint cannot read: this rule holds in forms and full_clean() only.
        errors = self.locked_year_errors()
        distribution = related_or_none(self, "distribution")
        if distribution is not None:
            errors |= whole_unit_errors(
                distribution.currency, unit_value=self.unit_value
            )
        raise_if(errors)

    @property
    def currency(self):
        """The distribution's: an item's value per unit is in it."""
        return self.distribution.currency

    @property
    def value(self):
        if self.quantity is None or self.unit_value is None:
            return None
        return self.quantity * self.unit_value


# Recipient lists: personal data, often of minors. Only staff with the permission
# below see them (README, "Recipients and their privacy"); pages and reports show
# counts by sex and age band only.
RECIPIENT_NAMES_PERMISSION = "programs.see_recipient_names"
# A year of birth this early is a slip of the keyboard (someone 120 or older).
EARLIEST_BIRTH_YEAR = 1900
NAME_LENGTH = 200

RECIPIENT_NAME_REQUIRED = _("Enter the recipient's full name.")
BORN_AFTER_DISTRIBUTION = _(
    "A recipient born in %(birth_year)s cannot have received gifts in %(year)s: "
    "check the year of birth."
)
BIRTH_YEAR_TOO_EARLY = _("A year of birth before 1900 is not plausible: check it.")
AGE_BAND_CONTRADICTS_BIRTH_YEAR = _(
    "Born in %(birth_year)s, the recipient was %(age)s in %(year)s, which is the "
    "band %(expected)s, not %(given)s: correct one of the two, or leave the band "
    "empty and it follows from the year of birth."
)
GUARDIAN_ONLY_FOR_MINORS = _(
    "A guardian is recorded only for a recipient under 18: leave it empty for an adult."
)
ANONYMISED_STAYS_ANONYMOUS = _(
    "This recipient was anonymised under the retention rule: the name, year of "
    "birth, school or village and guardian cannot be entered again."
)
LIST_NEEDS_PEOPLE_REACHED = _(
    "Enter the distribution's people reached before listing its recipients: the "
    "list breaks that figure down by sex and age."
)
LIST_LONGER_THAN_PEOPLE_REACHED = _(
    "The distribution states %(people)s people reached, but its list would hold "
    "%(listed)s: raise the figure, or correct the list."
)
PEOPLE_REACHED_BELOW_LIST = _(
    "Its recipient list holds %(listed)s people: people reached cannot be fewer, "
    "or empty. Correct the figure, or the list first."
)
DATE_MAKES_WARDS_ADULTS = _(
    "On this date %(count)s listed recipients with a guardian would be 18 or "
    "older: correct their years of birth or guardians first."
)
LIST_NUMBER_STARTS_AT_ONE = _("List numbers start at 1.")
LIST_NUMBER_TAKEN = _("This number is already on the distribution's list.")
SEX_UNKNOWN_VALUE = _("Choose female, male or not recorded.")
AGE_BAND_UNKNOWN_VALUE = _("Choose one of the age bands, or leave it empty.")


class AgeBand(models.TextChoices):
    """The age bands of humanitarian sex- and age-disaggregated data (OCHA, IASC).

    A recipient's age is the one reached in the year of the distribution: its
    year minus the year of birth, since lists give a year, not a day.
    """

    INFANTS = "0-4", _("0–4 years")
    CHILDREN = "5-17", _("5–17 years")
    ADULTS = "18-59", _("18–59 years")
    ELDERLY = "60+", _("60 years and over")


# The first age of each band, youngest first.
AGE_BAND_STARTS = (
    (0, AgeBand.INFANTS),
    (5, AgeBand.CHILDREN),
    (18, AgeBand.ADULTS),
    (60, AgeBand.ELDERLY),
)
ADULT_BANDS = (AgeBand.ADULTS, AgeBand.ELDERLY)


def age_band_of(age):
    """The AgeBand of someone aged `age` (None for a negative age)."""
    band = None
    for start, candidate in AGE_BAND_STARTS:
        if age >= start:
            band = candidate
    return band


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    # The list does not say: counted apart, never guessed from a name.
    NOT_RECORDED = "not_recorded", _("not recorded")


PERSONAL_FIELDS = ("full_name", "birth_year", "school_or_village", "guardian")


def has_no_personal_details(prefix=""):
    """A Q for rows that hold none of `PERSONAL_FIELDS`."""
    return Q(
        **{
            f"{prefix}full_name": "",
            f"{prefix}birth_year__isnull": True,
            f"{prefix}school_or_village": "",
            f"{prefix}guardian": "",
        }
    )


class Recipient(YearLockedRecord, TextModel):
    """One person on a distribution's recipient list, as the clerk's paper list
    gives them.

    Personal data, often of a minor: only staff with the permission
    `RECIPIENT_NAMES_PERMISSION` see a recipient; public pages and reports count
    recipients by sex and age band and never show one. `str()` carries no name,
    so the admin's log and messages never hold one. After the retention period
    the personal details are erased (`anonymised_at`), here and in the history,
    and the sex and age band stay for the counts.
    """

    agreement_lookup = "distribution__program__agreement_id"
    year_lookup = "distribution__program__year"

    distribution = models.ForeignKey(
        GiftDistribution,
        verbose_name=_("distribution"),
        # Refused while it has children: each is deleted on its own and stays
        # in the history, where it can be restored (see the README).
        on_delete=models.PROTECT,
        related_name="recipients",
    )
    list_number = count_field(
        _("No."),
        MOST_PEOPLE,
        validators=[MinValueValidator(1, message=LIST_NUMBER_STARTS_AT_ONE)],
        help_text=_(
            "The number of the line on the paper list (STT), once per "
            "distribution: an import finds the recipient again by it."
        ),
    )
    full_name = models.CharField(_("full name"), max_length=NAME_LENGTH, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(EARLIEST_BIRTH_YEAR, message=BIRTH_YEAR_TOO_EARLY)
        ],
        help_text=_("Leave empty when the list gives no year: choose the age band."),
    )
    age_band = models.CharField(
        _("age band"),
        max_length=5,
        choices=AgeBand.choices,
        blank=True,
        help_text=_(
            "Follows from the year of birth (the age reached in the year of the "
            "distribution) when that is given."
        ),
    )
    school_or_village = models.CharField(
        _("school or village"),
        max_length=NAME_LENGTH,
        blank=True,
        help_text=_("A pupil's school, or where the list says the person lives."),
    )
    guardian = models.CharField(
        _("guardian"),
        max_length=NAME_LENGTH,
        blank=True,
        help_text=_("For a child, when the list names a parent or guardian."),
    )
    anonymised_at = models.DateTimeField(
        _("anonymised"), null=True, blank=True, editable=False
    )

    class Meta:
        # "Listed": the distribution's own "recipients" is the group it served.
        verbose_name = _("listed recipient")
        verbose_name_plural = _("listed recipients")
        ordering = ["distribution", "list_number"]
        # Django's permission names are English, as its own are.
        permissions = [("see_recipient_names", "Can see recipients' names")]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "list_number"],
                name="recipient_list_number_once",
                violation_error_message=LIST_NUMBER_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(list_number__gte=1),
                name="recipient_list_number_from_one",
                violation_error_message=LIST_NUMBER_STARTS_AT_ONE,
            ),
            count_limit_constraint("recipient", "list_number", MOST_PEOPLE),
            models.CheckConstraint(
                condition=Q(sex__in=Sex.values),
                name="recipient_sex_known_value",
                violation_error_message=SEX_UNKNOWN_VALUE,
            ),
            models.CheckConstraint(
                condition=Q(age_band="") | Q(age_band__in=AgeBand.values),
                name="recipient_age_band_known_value",
                violation_error_message=AGE_BAND_UNKNOWN_VALUE,
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=EARLIEST_BIRTH_YEAR),
                name="recipient_birth_year_plausible",
                violation_error_message=BIRTH_YEAR_TOO_EARLY,
            ),
            models.CheckConstraint(
                condition=Q(guardian="") | ~Q(age_band__in=ADULT_BANDS),
                name="recipient_guardian_only_for_minors",
                violation_error_message=GUARDIAN_ONLY_FOR_MINORS,
            ),
            models.CheckConstraint(
                condition=~Q(full_name="") | Q(anonymised_at__isnull=False),
                name="recipient_has_a_name",
                violation_error_message=RECIPIENT_NAME_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | has_no_personal_details(),
                name="recipient_anonymised_holds_nothing_personal",
                violation_error_message=ANONYMISED_STAYS_ANONYMOUS,
            ),
        ]

    def __str__(self):
        # Never the name: this text goes into the admin's log and messages.
        return _("No. %(number)s of %(distribution)s") % {
            "number": self.list_number,
            "distribution": self.distribution,
        }

    def save(self, *args, **kwargs):
        self.age_band_derive()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.anonymised_at is not None:
            # On the field entered, which also spares the constraint's own message.
            entered = [n for n in PERSONAL_FIELDS if getattr(self, n) not in ("", None)]
            if entered:
                errors[entered[0]] = ValidationError(
                    ANONYMISED_STAYS_ANONYMOUS, code="anonymised"
                )
        elif not self.full_name:
            errors["full_name"] = ValidationError(RECIPIENT_NAME_REQUIRED, code="name")
        distribution = related_or_none(self, "distribution")
        if distribution is not None:
            errors |= self.birth_year_errors(distribution)
            errors |= self.list_length_errors(distribution)
        if "age_band" not in errors and "birth_year" not in errors:
            self.age_band_derive()
        if self.guardian and self.age_band in ADULT_BANDS:
            errors.setdefault(
                "guardian", ValidationError(GUARDIAN_ONLY_FOR_MINORS, code="guardian")
            )
        errors |= self.locked_year_errors()
        raise_if(errors)

    @property
    def distribution_year(self):
        distribution = related_or_none(self, "distribution")
        if distribution is None or distribution.start_date is None:
            return None
        return distribution.start_date.year

    def age_band_derive(self):
        """Set the age band from the year of birth, where both it and the
        distribution's date are known; leave a band entered alone otherwise."""
        year = self.distribution_year
        if self.birth_year is None or year is None or self.birth_year > year:
            return
        self.age_band = age_band_of(year - self.birth_year)

    def birth_year_errors(self, distribution):
        year = self.distribution_year
        if self.birth_year is None or year is None:
            return {}
        if self.birth_year > year:
            return {
                "birth_year": ValidationError(
                    BORN_AFTER_DISTRIBUTION,
                    code="born_after",
                    params={"birth_year": self.birth_year, "year": year},
                )
            }
        expected = age_band_of(year - self.birth_year)
        if self.age_band and self.age_band != expected:
            return {
                "age_band": ValidationError(
                    AGE_BAND_CONTRADICTS_BIRTH_YEAR,
                    code="age_band",
                    params={
                        "birth_year": self.birth_year,
                        "age": year - self.birth_year,
                        "year": year,
                        "expected": expected.label,
                        "given": AgeBand(self.age_band).label,
                    },
                )
            }
        return {}

    def list_length_errors(self, distribution):
        """The list may not outgrow the distribution's people reached: the stated
        figure is the distribution's, and the list breaks it down.

        Another table, which a CHECK constraint cannot read: forms, imports and
        full_clean() hold it; the admin's inline also counts the rows it saves
        together (programs/admin.py), and marks its rows so that each does not
        count again.
        """
        if getattr(self, "_list_length_checked_together", False):
            return {}
        if distribution.people_reached is None:
            return {
                NON_FIELD_ERRORS: ValidationError(
                    LIST_NEEDS_PEOPLE_REACHED, code="people_reached_missing"
                )
            }
        others = 0
        if distribution.pk is not None:
            others = distribution.recipients.exclude(pk=self.pk).count()
        if others + 1 > distribution.people_reached:
            return {
                NON_FIELD_ERRORS: ValidationError(
                    LIST_LONGER_THAN_PEOPLE_REACHED,
                    code="list_too_long",
                    params={
                        "people": distribution.people_reached,
                        "listed": others + 1,
                    },
                )
            }
        return {}


class ProgramAttachment(Attachment):
    parent_published_lookups = ("program__is_published",)

    program = models.ForeignKey(
        JointProgram,
        verbose_name=_("programme"),
        # Refused while it has children: each is deleted on its own and stays
        # in the history, where it can be restored (see the README).
        on_delete=models.PROTECT,
        related_name="attachments",
    )

    class Meta(Attachment.Meta):
        verbose_name = _("programme photo or document")
        verbose_name_plural = _("programme photos and documents")


class DistributionAttachment(Attachment):
    parent_published_lookups = (
        "distribution__is_published",
        "distribution__program__is_published",
    )

    distribution = models.ForeignKey(
        GiftDistribution,
        verbose_name=_("distribution"),
        # Refused while it has children: each is deleted on its own and stays
        # in the history, where it can be restored (see the README).
        on_delete=models.PROTECT,
        related_name="attachments",
    )

    class Meta(Attachment.Meta):
        verbose_name = _("distribution photo or document")
        verbose_name_plural = _("distribution photos and documents")


class PendingImport(models.Model):
    """An uploaded spreadsheet between its preview and the clerk's confirmation.

    Kept here, not in the browser: the confirmation reads the file again from this
    row and saves what it says, never rows posted back by the page. The random
    `token` is the row's address, good only for the clerk who uploaded it and for
    `PENDING_IMPORT_MINUTES`; a confirmed or cancelled import deletes its row, and
    every visit to an import page deletes those that have expired
    (programs/imports/views.py).
    """

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        JointProgram,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    # For a CSV file, which holds one sheet: the sheet's key, or "" to recognise
    # it by its headers.
    csv_sheet = models.CharField(_("sheet of a CSV file"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("spreadsheet awaiting import")
        verbose_name_plural = _("spreadsheets awaiting import")
        ordering = ["created_at"]

    def __str__(self):
        return self.file_name
