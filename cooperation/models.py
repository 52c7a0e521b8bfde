"""Agreements between Red Cross organisations, their parties, places and commitments."""

import contextlib
import contextvars
import datetime
import re
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Floor, Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from . import uploads
from .formatting import currency_places
from .forms import AmountFormField, DayFormField
from .history import VersionedModel
from .validation import (
    AMOUNT_HAS_DECIMALS,
    END_BEFORE_START,
    PERIOD_EXCLUDES_RECORDS,
    REOPEN_NEEDS_REASON,
    SAME_SIDE,
    TEXT_TOO_LONG,
    TITLE_REQUIRED,
    WHOLE_UNITS_ONLY,
    YEAR_CONFIRMED_ALREADY,
    YEAR_LOCKED,
    YEAR_NOT_ENDED,
    YEAR_OUTSIDE_AGREEMENT,
    not_a_party_error,
    period_params,
    succession_chain,
    succession_error,
)

LANGUAGE_FALLBACKS = {"vi": ("vi", "en", "lo"), "lo": ("lo", "en", "vi")}
DEFAULT_FALLBACK = ("en", "vi", "lo")

NAME_REQUIRED = _("Enter the name in at least one language.")
PARENT_LEVEL_WRONG = _("A %(level)s must sit inside a larger area, not a %(parent)s.")
COUNTRY_HAS_PARENT = _("A country cannot sit inside another area.")
AREA_NEEDS_PARENT = _("Choose the larger area this one belongs to.")
SUCCESSOR_IS_SELF = _("A record cannot be its own successor.")
HOME_AREA_OUTSIDE_COUNTRY = _("The home area must lie inside the chosen country.")
COUNTRY_LEVEL_WRONG = _("Choose a country, not a smaller area.")
TARGET_MAX_BELOW_MIN = _("The yearly maximum cannot be below the yearly minimum.")
TARGET_MAX_WITHOUT_MIN = _("Give a yearly minimum when you give a maximum.")
ROTATION_ONLY_FOR_EXCHANGES = _(
    "Host rotation only applies to the yearly delegation exchange."
)
PREDECESSOR_IS_SELF = _("An agreement cannot be its own predecessor.")
SAME_CURRENCY = _("Choose two different currencies.")


CONTENT_LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("lo", _("Lao")),
    ("en", _("English")),
]
CONTENT_LANGUAGE_CODES = tuple(code for code, _name in CONTENT_LANGUAGES)


def original_language_field():
    """The language a record's names or texts were first written in."""
    return models.CharField(
        _("written in"),
        max_length=2,
        choices=CONTENT_LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the source or of whoever wrote it first. A reader whose "
            "language is missing sees this one."
        ),
    )


def translated_text_fields(verbose_name, max_length):
    """`<field>_vi`, `<field>_lo`, `<field>_en`: one text in three languages, each
    bounded like `bounded_text_field`; pair with `translated_property`."""
    return tuple(
        bounded_text_field(
            format_lazy("{} ({})", verbose_name, language_name),
            max_length,
            blank=True,
        )
        for _code, language_name in CONTENT_LANGUAGES
    )


def translated_property(field):
    """`record.<field>`: the text in the reader's language, else the original,
    else another. Setting it writes the record's original language (the active
    one when none is recorded), so `Model(purpose=…)` keeps working."""

    def read(self):
        return localized(self, field)

    def write(self, value):
        language = self.original_language or (get_language() or "en")[:2]
        if language not in CONTENT_LANGUAGE_CODES:
            language = "en"
        setattr(self, f"{field}_{language}", value)

    return property(read, write)


def localized_from(values, field, original=""):
    """Return `values[field_<lang>]` in the active language, else in the original
    language (`original`, when known), else in the other languages."""
    active = (get_language() or "en")[:2]
    order = LANGUAGE_FALLBACKS.get(active, DEFAULT_FALLBACK)
    if original:
        order = (order[0], original, *order[1:])
    for code in order:
        value = values.get(f"{field}_{code}")
        if value:
            return value
    return ""


def localized(instance, field):
    """Return `field` in the active language, falling back to the other two."""
    return localized_from(
        vars(instance), field, getattr(instance, "original_language", "")
    )


def year_page_url(agreement, year):
    """The public page of `agreement` in `year`: where a record shows once published."""
    return reverse(
        "reporting:agreement_year", kwargs={"slug": agreement.slug, "year": year}
    )


def any_language_filled(field):
    """A Q that holds when `field` is filled in at least one language."""
    return (
        ~Q(**{f"{field}_vi": ""})
        | ~Q(**{f"{field}_en": ""})
        | ~Q(**{f"{field}_lo": ""})
    )


# Upper limits for free text, in characters. The sources need far less (the longest
# demo text is under 300 characters), and a field stays within a page or two of the
# PDF: a visit purpose of 20,000 characters without a space stalled its layout.
# One clause of an agreement, or where a record's facts come from:
SHORT_TEXT_LENGTH = 2000
# An agenda, outcomes, a summary or plan, a description, notes (about 600 words):
LONG_TEXT_LENGTH = 4000


def bounded_text_field(verbose_name, max_length, **kwargs):
    """Free text of at most `max_length` characters; pair it with
    `text_length_constraint` in Meta.

    Django gives a TextField's max_length to its form field only; the validator
    makes full_clean() refuse longer text too, with the same message.
    """
    return models.TextField(
        verbose_name,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        **kwargs,
    )


def text_length_constraint(model_label, field, max_length):
    """The database refuses text in `field` longer than `max_length` characters.

    LENGTH counts characters, not bytes, in PostgreSQL and SQLite alike, as
    Python's len() and the form do.
    """
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), max_length),
        name=f"{model_label}_{field}_length",
        violation_error_message=TEXT_TOO_LONG,
    )


class Currency(models.TextChoices):
    """ISO 4217 codes that cooperation in the region uses.

    VND and LAK have no minor unit in practice; CHF is what the IFRC reports in.
    """

    VND = "VND", _("Vietnamese đồng (VND)")
    LAK = "LAK", _("Lao kip (LAK)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    CHF = "CHF", _("Swiss franc (CHF)")
    THB = "THB", _("Thai baht (THB)")
    KHR = "KHR", _("Cambodian riel (KHR)")
    CNY = "CNY", _("Chinese yuan (CNY)")


# Currencies written without a minor unit: CLDR's precision 0, the same source that
# formats money (`currency_places`), so what is refused is exactly what would be
# rounded away on display. Today VND and LAK. Decimals in them are a typing slip
# that each row hides: 100,000,000.50 and 90,000,000.50 ₫ show as ₫100,000,000 and
# ₫90,000,000 above a total of ₫190,000,001.
WHOLE_UNIT_CURRENCIES = sorted(
    code for code in Currency.values if currency_places(code) == 0
)


def whole_unit_errors(currency, **amounts):
    """{field: ValidationError} for each amount with decimals in a currency that
    has none; {} for other currencies or missing amounts."""
    if currency not in WHOLE_UNIT_CURRENCIES:
        return {}
    return {
        field: ValidationError(
            AMOUNT_HAS_DECIMALS,
            code="whole_units",
            params={"currency": Currency(currency).label},
        )
        for field, amount in amounts.items()
        # Text, NaN and negative amounts fail their field's own check already: one
        # message is enough.
        if isinstance(amount, Decimal)
        and amount.is_finite()
        and amount >= 0
        and amount != amount.to_integral_value()
    }


def whole_units_constraint(model_label, field, currency_field="currency"):
    """The database's copy of `whole_unit_errors` for `field` in `currency_field`.

    FLOOR is built into PostgreSQL and into SQLite 3.35+ builds with math functions
    (the default); Django supplies it on its own SQLite connections where the build
    lacks it, so only a write through another client of such a build would fail
    with "no such function".
    """
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | ~Q(**{f"{currency_field}__in": WHOLE_UNIT_CURRENCIES})
        | Q(**{field: Floor(field)}),
        name=f"{model_label}_{field}_whole_units",
        violation_error_message=WHOLE_UNITS_ONLY,
    )


def currency_constraint(model_label, field="currency"):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": Currency.values}),
        name=f"{model_label}_{field}_iso_4217",
        violation_error_message=_("Choose a currency code from the list (ISO 4217)."),
    )


# Characters nobody types on purpose and that change what a reader sees: bidi
# overrides and isolates ("exe.live" shown for "evil.exe"), zero-width spaces and
# joiners, the byte-order mark. Lao and Vietnamese need none of them.
INVISIBLE_CHARACTERS = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def text_normalised(value, *, single_line):
    """`value` in NFC (a decomposed "Hội" and a composed one are one name), without
    invisible characters, and on one line for a one-line field."""
    value = INVISIBLE_CHARACTERS.sub("", unicodedata.normalize("NFC", value))
    return LINE_BREAKS.sub(" ", value).strip() if single_line else value


class TextModel(VersionedModel):
    """A model whose text is stored as `text_normalised` leaves it, however it
    arrives: a form, a forged POST, an import or code (bulk `update()` excepted).
    Like every record, it keeps its history and version (cooperation/history.py)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.text_fields_normalise()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.text_fields_normalise()
        super().clean_fields(exclude=exclude)

    def text_fields_normalise(self):
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str):
                single_line = not isinstance(field, models.TextField)
                setattr(
                    self, field.attname, text_normalised(value, single_line=single_line)
                )


class DayField(models.DateField):
    """A date whose form field also reads Lao and full-width digits (`DayFormField`)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DayFormField, **kwargs})


class AmountField(models.DecimalField):
    """A decimal amount whose form field reads it as the clerk's language writes
    it (`AmountFormField`): "60.000.000" is sixty million to a Vietnamese clerk."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AmountFormField, **kwargs})


def non_negative_money_field(verbose_name, **kwargs):
    """An optional amount of money ≥ 0 in the record's `currency`."""
    field = AmountField(
        verbose_name,
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **kwargs,
    )
    # Read by the admin, which shows it with its currency where it is read-only
    # (cooperation/admin_tools.py, MoneyShownMixin). Not part of the migrations.
    field.is_money = True
    return field


class ValidityMixin(TextModel):
    """Validity dates and a successor: history is kept by succession, never renaming.

    Vietnam merged Kon Tum into Quảng Ngãi in 2025 and abolished districts; records
    made before keep pointing at the area or branch as it was then.
    """

    valid_from = DayField(
        _("valid from"),
        null=True,
        blank=True,
        help_text=_("The day it began, where the records need it; else leave empty."),
    )
    valid_until = DayField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty while it still exists."),
    )

    class Meta:
        abstract = True

    def clean_validity(self, errors):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = ValidationError(END_BEFORE_START, code="end")
        if self.pk and self.successor_id == self.pk:
            errors["successor"] = ValidationError(SUCCESSOR_IS_SELF, code="self")

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


def validity_constraints(label):
    return [
        models.CheckConstraint(
            condition=Q(valid_until__isnull=True)
            | Q(valid_from__isnull=True)
            | Q(valid_until__gte=F("valid_from")),
            name=f"{label}_valid_until_after_valid_from",
            violation_error_message=END_BEFORE_START,
        ),
        models.CheckConstraint(
            condition=~Q(successor=F("pk")),
            name=f"{label}_not_own_successor",
            violation_error_message=SUCCESSOR_IS_SELF,
        ),
    ]


class Area(ValidityMixin):
    class Level(models.TextChoices):
        COUNTRY = "country", _("country")
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        COMMUNE = "commune", _("commune")

    LEVEL_RANK = {"country": 0, "province": 1, "district": 2, "commune": 3}

    level = models.CharField(
        _("level"),
        max_length=10,
        choices=Level.choices,
        help_text=_(
            "A country holds provinces; a province holds districts, or communes "
            "where there are no districts (Vietnam since 1 July 2025)."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The larger area it lies in: a district's province."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=150, blank=True)
    name_lo = models.CharField(_("name (Lao)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    original_language = original_language_field()
    iso_code = models.CharField(
        _("ISO 3166 code"),
        max_length=10,
        blank=True,
        help_text=_("For example VN, LA, VN-28 or LA-AT."),
    )
    pcode = models.CharField(
        _("P-code"),
        max_length=20,
        blank=True,
        help_text=_("Humanitarian place code, for example LA1704."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_(
            "What took its place after a merger or a renaming. Set “valid until” "
            "too; the records made before keep this one."
        ),
    )
    notes = bounded_text_field(_("notes"), LONG_TEXT_LENGTH, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["level", "name_en", "name_vi"]
        constraints = [
            *validity_constraints("area"),
            models.CheckConstraint(
                condition=any_language_filled("name"),
                name="area_has_a_name",
                violation_error_message=NAME_REQUIRED,
            ),
            models.UniqueConstraint(
                fields=["pcode"],
                condition=~Q(pcode=""),
                name="area_unique_pcode",
                violation_error_message=_("Another area already has this P-code."),
            ),
            text_length_constraint("area", "notes", LONG_TEXT_LENGTH),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    def clean(self):
        errors = {}
        self.clean_validity(errors)
        if not (self.name_vi or self.name_en or self.name_lo):
            errors["name_en"] = ValidationError(NAME_REQUIRED, code="name")
        if self.level == self.Level.COUNTRY and self.parent_id:
            errors["parent"] = ValidationError(COUNTRY_HAS_PARENT, code="parent")
        elif self.level and self.level != self.Level.COUNTRY and not self.parent_id:
            errors["parent"] = ValidationError(AREA_NEEDS_PARENT, code="parent")
        elif self.parent_id and self.level:
            parent = self.parent
            if self.LEVEL_RANK[parent.level] >= self.LEVEL_RANK[self.level]:
                errors["parent"] = ValidationError(
                    PARENT_LEVEL_WRONG,
                    code="parent",
                    params={
                        "level": self.get_level_display(),
                        "parent": parent.get_level_display(),
                    },
                )
        if errors:
            raise ValidationError(errors)

    def lies_within(self, other):
        """True if `other` is this area or one of the areas containing it."""
        area, seen = self, set()
        while area is not None and area.pk not in seen:
            if area.pk == other.pk:
                return True
            seen.add(area.pk)
            area = area.parent
        return False


class Organisation(ValidityMixin):
    class Kind(models.TextChoices):
        NATIONAL_SOCIETY = "national_society", _("national society")
        PROVINCIAL_BRANCH = "provincial_branch", _("provincial branch")
        DISTRICT_BRANCH = "district_branch", _("district branch")
        OTHER = "other", _("other organisation")

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "A national society, one of its provincial or district branches, or "
            "another organisation (a health department, a school)."
        ),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200, blank=True)
    name_lo = models.CharField(_("name (Lao)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    original_language = original_language_field()
    acronym = models.CharField(
        _("acronym"),
        max_length=30,
        blank=True,
        help_text=_("Shown where space is short, e.g. VNRC; leave empty if none."),
    )
    country = models.ForeignKey(
        Area,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="organisations_in_country",
        limit_choices_to={"level": Area.Level.COUNTRY},
    )
    home_area = models.ForeignKey(
        Area,
        verbose_name=_("home area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The province or district the organisation works in."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        help_text=_("For a branch, its national society."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_(
            "What took its place after a merger or a renaming. Set “valid until” "
            "too; the records made before keep this one."
        ),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en", "name_vi"]
        constraints = [
            *validity_constraints("organisation"),
            models.CheckConstraint(
                condition=any_language_filled("name"),
                name="organisation_has_a_name",
                violation_error_message=NAME_REQUIRED,
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")

    def clean(self):
        errors = {}
        self.clean_validity(errors)
        if not (self.name_vi or self.name_en or self.name_lo):
            errors["name_en"] = ValidationError(NAME_REQUIRED, code="name")
        if self.country_id and self.country.level != Area.Level.COUNTRY:
            errors["country"] = ValidationError(COUNTRY_LEVEL_WRONG, code="country")
        elif (
            self.country_id
            and self.home_area_id
            and not self.home_area.lies_within(self.country)
        ):
            errors["home_area"] = ValidationError(
                HOME_AREA_OUTSIDE_COUNTRY, code="home_area"
            )
        if errors:
            raise ValidationError(errors)


def agreements_active_first(today):
    """The order of `AgreementQuerySet.active_first`, as `order_by` arguments: for
    places that order a queryset themselves (the admin's list and autocomplete)."""
    running = Q(start_date__lte=today, end_date__gte=today) & ~Q(
        status__in=[Agreement.Status.DRAFT, Agreement.Status.TERMINATED]
    )
    running_rank = models.Case(
        models.When(running, then=models.Value(0)), default=models.Value(1)
    )
    return [running_rank.asc(), "-start_date", "is_example", "slug"]


class AgreementQuerySet(models.QuerySet):
    def active_first(self, *, today):
        """Agreements running on `today` first, then the newest by start date; of
        two alike, the real one before a made-up example."""
        return self.order_by(*agreements_active_first(today))


class Agreement(TextModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_FORCE = "in_force", _("in force")
        ENDED = "ended", _("ended")
        TERMINATED = "terminated", _("terminated early")

    slug = models.SlugField(
        _("short web name"),
        max_length=80,
        unique=True,
        help_text=_("Used in web addresses, e.g. kontum-attapeu-2022-2027."),
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300, blank=True)
    title_lo = models.CharField(_("title (Lao)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    original_language = original_language_field()
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.IN_FORCE,
        help_text=_(
            "In force while it runs; ended once its period is over; terminated "
            "early when stopped before its end date. A draft or terminated "
            "agreement is never shown as running."
        ),
    )
    signed_on = DayField(
        _("signed on"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the exact date is not known."),
    )
    signed_at = models.CharField(_("signed at"), max_length=200, blank=True)
    start_date = DayField(_("start date"))
    end_date = DayField(_("end date"))
    period_note = models.CharField(
        _("note on the period"),
        max_length=300,
        blank=True,
        help_text=_("For example: the text gives the years only, not the days."),
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("follows the agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        help_text=_(
            "The earlier agreement this one continues, e.g. 2019–2022 for 2022–2027."
        ),
    )
    parties = models.ManyToManyField(
        Organisation,
        through="AgreementParty",
        verbose_name=_("parties"),
        related_name="agreements",
    )
    signed_document = models.FileField(
        _("signed document"),
        upload_to="agreements/%Y/",
        blank=True,
        help_text=_("A scan of the signed text. Public pages do not offer it."),
    )
    source = bounded_text_field(
        _("source"),
        SHORT_TEXT_LENGTH,
        blank=True,
        help_text=_("Where the facts about this agreement come from."),
    )
    notes = bounded_text_field(_("notes"), LONG_TEXT_LENGTH, blank=True)
    is_example = models.BooleanField(
        _("example agreement"),
        default=False,
        help_text=_(
            "A made-up agreement for demonstration: every page and report of it "
            "says that it is made up."
        ),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start_date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=any_language_filled("title"),
                name="agreement_has_a_title",
                violation_error_message=TITLE_REQUIRED,
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("pk")),
                name="agreement_not_own_predecessor",
                violation_error_message=PREDECESSOR_IS_SELF,
            ),
            text_length_constraint("agreement", "source", SHORT_TEXT_LENGTH),
            text_length_constraint("agreement", "notes", LONG_TEXT_LENGTH),
        ]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("reporting:agreement", kwargs={"slug": self.slug})

    @property
    def title(self):
        return localized(self, "title")

    @property
    def years(self):
        return range(self.start_date.year, self.end_date.year + 1)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(END_BEFORE_START, code="end")
        if not (self.title_vi or self.title_en or self.title_lo):
            errors["title_en"] = ValidationError(TITLE_REQUIRED, code="title")
        if self.pk and self.predecessor_id == self.pk:
            errors["predecessor"] = ValidationError(PREDECESSOR_IS_SELF, code="self")
        if self.pk and self.start_date and self.end_date and not errors:
            records = self.records_outside(self.start_date, self.end_date)
            if records:
                errors["end_date"] = ValidationError(
                    PERIOD_EXCLUDES_RECORDS,
                    code="records_outside",
                    params={"records": records},
                )
        if errors:
            raise ValidationError(errors)

    def records_outside(self, start, end):
        """Describe this agreement's saved records that a start–end period would drop.

        Changing the period must not strand visits, exchanges or programmes outside
        it, so the admin refuses such a change and names what is in the way.
        """
        day_outside = Q(start_date__lt=start) | Q(start_date__gt=end)
        end_outside = Q(end_date__lt=start) | Q(end_date__gt=end)
        return describe_record_counts(
            visits=self.visits.filter(day_outside | end_outside),
            exchanges=self.information_exchanges.filter(
                Q(exchanged_on__lt=start)
                | Q(exchanged_on__gt=end)
                | Q(year_covered__lt=start.year)
                | Q(year_covered__gt=end.year)
            ),
            programmes=self.programs.filter(
                Q(year__lt=start.year)
                | Q(year__gt=end.year)
                | day_outside
                | end_outside
            ),
        )

    def records_naming(self, organisation):
        """Describe this agreement's records that name `organisation` as a party."""
        return describe_record_counts(
            visits=self.visits.filter(
                Q(sending_party=organisation) | Q(host_party=organisation)
            ),
            exchanges=self.information_exchanges.filter(
                Q(from_party=organisation) | Q(to_party=organisation)
            ),
            programmes=self.programs.filter(lead_organisation=organisation),
        )

    def covers(self, day):
        """True if `day` (a date) falls inside the agreement period."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        return self.start_date <= day <= self.end_date

    def covers_year(self, year):
        return self.start_date.year <= year <= self.end_date.year

    def has_party(self, organisation):
        """True if `organisation` is a party, or succeeded one (on any date); uses
        prefetched parties when present."""
        return self.side_of(organisation) is not None

    def sides(self):
        """For each party, its organisation and each that succeeded it, in order.

        A successor continues its predecessor's side without being added as a
        party: Kon Tum's side would continue as the branch that succeeded it.
        """
        return [succession_chain(organisation) for organisation in self.parties.all()]

    def side_of(self, organisation):
        """The side (see `sides`) that `organisation` stands for, or None."""
        if organisation is None:
            return None
        for chain in self.sides():
            if any(member.pk == organisation.pk for member in chain):
                return chain
        return None

    def party_error(self, organisation, first_day, last_day=None):
        """None when `organisation` may stand for its side on a record dated
        `first_day` to `last_day`; else the ValidationError to show.

        Not a party, nor a successor of one: "not a party". A predecessor named
        after its successor took over, or a successor before: the message names
        the one to choose.
        """
        chain = self.side_of(organisation)
        if chain is None:
            return not_a_party_error(organisation)
        index = next(
            i for i, member in enumerate(chain) if member.pk == organisation.pk
        )
        return succession_error(chain, index, first_day, last_day)

    def same_side_error(self, sender, host):
        """The error for two different organisations of one side, or None."""
        chain = self.side_of(sender)
        if sender.pk == host.pk or chain is None:
            return None
        if not any(member.pk == host.pk for member in chain):
            return None
        first, second = sorted(
            (sender, host), key=lambda o: [m.pk for m in chain].index(o.pk)
        )
        return ValidationError(
            SAME_SIDE,
            code="same_side",
            params={"successor": second, "predecessor": first},
        )


RECORD_COUNT_LABELS = {
    "visits": ngettext_lazy("%(count)d visit", "%(count)d visits", "count"),
    "exchanges": ngettext_lazy(
        "%(count)d information exchange", "%(count)d information exchanges", "count"
    ),
    "programmes": ngettext_lazy("%(count)d programme", "%(count)d programmes", "count"),
}


def describe_record_counts(**querysets):
    """'2 visits, 1 programme' for the non-empty querysets given; '' for none."""
    parts = []
    for name, queryset in querysets.items():
        count = queryset.count()
        if count:
            parts.append(RECORD_COUNT_LABELS[name] % {"count": count})
    return ", ".join(parts)


class AgreementParty(TextModel):
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="party_signatures",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="agreement_signatures",
    )
    signatory_name = models.CharField(
        _("signatory"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty if the source does not name the signatory."),
    )
    signatory_title = models.CharField(
        _("signatory's title"), max_length=200, blank=True
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Its place in lists and reports: lower numbers come first."),
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                name="agreement_party_once",
                violation_error_message=_(
                    "This organisation is already a party to the agreement."
                ),
            )
        ]

    def __str__(self):
        return str(self.organisation)


class Commitment(TextModel):
    """A clause of the agreement, and what the progress computation counts for it."""

    class Kind(models.TextChoices):
        YEARLY_EXCHANGE = "yearly_exchange", _("yearly delegation exchange")
        VISITS_ON_REQUEST = (
            "visits_on_request",
            _("delegations and joint tasks on request"),
        )
        INFORMATION_SHARING = (
            "information_sharing",
            _("socio-economic and cultural information"),
        )
        JOINT_PROGRAMMES = "joint_programmes", _("joint humanitarian programmes")
        DISEASE_PREVENTION = "disease_prevention", _("cross-border disease prevention")
        RESULTS_EXCHANGE = "results_exchange", _("yearly exchange of results and plans")
        OTHER = "other", _("other")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    ordinal = models.PositiveSmallIntegerField(
        _("number"),
        validators=[MinValueValidator(1)],
        help_text=_("The clause's number in the agreement's text."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=24,
        choices=Kind.choices,
        help_text=_(
            "Which records count for this clause each year: the visits, "
            "programmes or information exchanges of the matching kind. Choose "
            "“other” for a clause that no record counts for."
        ),
    )
    text_vi = bounded_text_field(_("text (Vietnamese)"), SHORT_TEXT_LENGTH, blank=True)
    text_lo = bounded_text_field(_("text (Lao)"), SHORT_TEXT_LENGTH, blank=True)
    text_en = bounded_text_field(_("text (English)"), SHORT_TEXT_LENGTH, blank=True)
    original_language = original_language_field()
    yearly_target_min = models.PositiveSmallIntegerField(
        _("yearly target, at least"),
        null=True,
        blank=True,
        help_text=_("Leave both targets empty for a qualitative commitment."),
    )
    yearly_target_max = models.PositiveSmallIntegerField(
        _("yearly target, at most"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty when the clause sets no upper figure. A year above it is "
            "allowed, and flagged."
        ),
    )
    host_rotation = models.BooleanField(
        _("hosts take turns"),
        default=False,
        help_text=_("For the yearly exchange: the parties host in rotation."),
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "ordinal"],
                name="commitment_unique_ordinal",
                violation_error_message=_(
                    "This agreement already has a commitment with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ordinal__gte=1),
                name="commitment_ordinal_from_one",
            ),
            models.CheckConstraint(
                condition=Q(yearly_target_max__isnull=True)
                | Q(yearly_target_min__isnull=False),
                name="commitment_max_needs_min",
                violation_error_message=TARGET_MAX_WITHOUT_MIN,
            ),
            models.CheckConstraint(
                condition=Q(yearly_target_max__isnull=True)
                | Q(yearly_target_max__gte=F("yearly_target_min")),
                name="commitment_max_not_below_min",
                violation_error_message=TARGET_MAX_BELOW_MIN,
            ),
            *(
                text_length_constraint("commitment", field, SHORT_TEXT_LENGTH)
                for field in ("text_vi", "text_lo", "text_en")
            ),
        ]

    def __str__(self):
        return f"{self.ordinal}. {self.get_kind_display()}"

    @property
    def text(self):
        return localized(self, "text")

    @property
    def is_countable(self):
        return self.yearly_target_min is not None

    def clean(self):
        errors = {}
        low, high = self.yearly_target_min, self.yearly_target_max
        if high is not None and low is None:
            errors["yearly_target_min"] = ValidationError(
                TARGET_MAX_WITHOUT_MIN, code="min"
            )
        elif high is not None and high < low:
            errors["yearly_target_max"] = ValidationError(
                TARGET_MAX_BELOW_MIN, code="max"
            )
        if self.host_rotation and self.kind != self.Kind.YEARLY_EXCHANGE:
            errors["host_rotation"] = ValidationError(
                ROTATION_ONLY_FOR_EXCHANGES, code="rotation"
            )
        if errors:
            raise ValidationError(errors)


class RecordQuerySet(models.QuerySet):
    def published(self):
        """Records that public pages and public exports may show."""
        return self.filter(is_published=True)


class Record(TextModel):
    """Fields every activity record carries: publication and example labelling."""

    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published records appear on public pages and downloads."),
    )
    is_example = models.BooleanField(
        _("example record"),
        default=False,
        help_text=_("Made-up data for demonstration; always labelled as an example."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True


class AttachmentQuerySet(RecordQuerySet):
    def published(self):
        """Files a public page or public report may show: the attachment and every
        record above it published (see `parent_published_lookups`)."""
        return self.filter(
            is_published=True,
            **{lookup: True for lookup in self.model.parent_published_lookups},
        )


class Attachment(TextModel):
    """A photo or document with its caption and credit, attached to a record.

    The file is checked by its content when it arrives and again when its kind
    changes (cooperation/uploads.py); it is stored under a random name.
    """

    class Kind(models.TextChoices):
        PHOTO = uploads.PHOTO, _("photo")
        DOCUMENT = uploads.DOCUMENT, _("document")

    # Each attachment model names the records above it that must be published too.
    parent_published_lookups = ()

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.PHOTO,
        help_text=_(
            "Photo: a JPEG, PNG or WebP image, shown on the pages and in reports. "
            "Document: a PDF, Word, Excel or OpenDocument file, offered as a download."
        ),
    )
    file = models.FileField(
        _("file"),
        upload_to="attachments/%Y/",
        blank=True,
        db_index=True,
        help_text=_(
            "Leave empty when the file is kept elsewhere; the caption still shows. "
            "Photos are stored without their location and camera data."
        ),
    )
    original_name = models.CharField(
        _("original file name"), max_length=255, blank=True, editable=False
    )
    caption = models.CharField(
        _("caption"),
        max_length=500,
        help_text=_("What the photo shows or what the document is; shown with it."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Who took the photo or wrote the document, as the credit reads."),
    )
    source_url = models.URLField(
        _("source address"),
        blank=True,
        help_text=_("Where it was first published online, if it was."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Shown on public pages and in reports when ticked and its record is "
            "published too."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Its place in lists and reports: lower numbers come first."),
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption

    def save(self, *args, **kwargs):
        self.file_prepare()
        super().save(*args, **kwargs)
        self._stored = (self.kind, self.file.name)

    def clean(self):
        self.file_prepare()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What was stored, so that a change of kind checks the file again.
        instance._stored = (
            instance.__dict__.get("kind"),
            instance.__dict__.get("file"),
        )
        return instance

    def file_prepare(self):
        """Checks a new upload and puts the stored form in its place; checks a
        stored file again when its kind changed. Raises ValidationError on "file"."""
        if not self.file:
            return
        if not self.file._committed:
            if self.file.file is getattr(self, "_prepared_content", None):
                return  # clean() has prepared it; save() is storing it
            checked = uploads.upload_checked(self.file, self.kind)
            self.file = self._prepared_content = checked.content
            self.original_name = checked.original_name
            return
        stored_kind, stored_name = getattr(self, "_stored", (None, None))
        if (self.kind, self.file.name) != (stored_kind, stored_name):
            uploads.stored_file_check(self.file, self.kind)
            self._stored = (self.kind, self.file.name)

    @property
    def download_name(self):
        return uploads.download_name(self.original_name, self.file.name)


class ExchangeRate(TextModel):
    """A yearly rate to show totals in one reporting currency, always as approximate.

    The kip moved from about 11,600 to 16,600 per US dollar in 2022 alone, so a
    converted figure is only honest with its rate, date and source beside it.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year whose amounts this rate converts.")
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        help_text=_("The currency the amounts are recorded in."),
    )
    reporting_currency = models.CharField(
        _("reporting currency"),
        max_length=3,
        choices=Currency.choices,
        default=Currency.USD,
        help_text=_("The currency totals are converted into."),
    )
    units_per_reporting_unit = AmountField(
        _("units per reporting unit"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("For example 23500 when 1 USD buys 23,500 VND."),
    )
    rate_date = DayField(
        _("rate date"), help_text=_("The day the rate was set or published.")
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the rate comes from, e.g. State Bank of Vietnam."),
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-year", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "currency", "reporting_currency"],
                name="exchange_rate_once_a_year",
                violation_error_message=_(
                    "A rate for this year and these currencies already exists."
                ),
            ),
            models.CheckConstraint(
                condition=Q(units_per_reporting_unit__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("The rate must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=~Q(currency=F("reporting_currency")),
                name="exchange_rate_two_currencies",
                violation_error_message=SAME_CURRENCY,
            ),
            currency_constraint("exchange_rate"),
            currency_constraint("exchange_rate", "reporting_currency"),
        ]

    def __str__(self):
        return (
            f"{self.year}: 1 {self.reporting_currency} = "
            f"{self.units_per_reporting_unit:g} {self.currency}"
        )

    def clean(self):
        if self.currency and self.currency == self.reporting_currency:
            raise ValidationError(
                {"reporting_currency": ValidationError(SAME_CURRENCY, code="same")}
            )

    def convert(self, amount):
        return amount / self.units_per_reporting_unit


class YearConfirmationQuerySet(models.QuerySet):
    def standing(self):
        """Confirmations not reopened: the ones that decide whether a year is
        confirmed."""
        return self.filter(reopened_at__isnull=True)

    def locked_years(self):
        """{agreement pk: years every party has confirmed}, in two queries."""
        party_counts = dict(
            AgreementParty.objects.values("agreement")
            .annotate(count=models.Count("pk"))
            .values_list("agreement", "count")
        )
        locked = {}
        rows = (
            self.standing()
            .values("party__agreement", "year")
            .annotate(parties=models.Count("party", distinct=True))
        )
        for row in rows:
            agreement = row["party__agreement"]
            if row["parties"] >= party_counts.get(agreement, 0) > 0:
                locked.setdefault(agreement, set()).add(row["year"])
        return locked


class YearConfirmation(TextModel):
    """A party's word that its side's records of a year are complete.

    Until every party has confirmed a year, a past year's missing activity reads
    "no record yet": the app cannot tell a year without an exchange from one whose
    exchange was never entered. Once every party has, the verdicts are final and
    the year's records are locked. Reopening keeps this row, with who reopened it,
    when and why; confirming again is a new row, so the record of both stays.
    """

    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        related_name="year_confirmations",
        help_text=_("The party whose records of the year you confirm."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    signatory = models.CharField(
        _("name and title in reports"),
        max_length=200,
        help_text=_(
            "As the annual report's signature block should print it, for example "
            "“Nguyễn Văn A, Vice-President”."
        ),
    )
    comment = bounded_text_field(
        _("comment"),
        SHORT_TEXT_LENGTH,
        blank=True,
        help_text=_("Optional: anything a reader of the year should know."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = bounded_text_field(
        _("reason for reopening"), SHORT_TEXT_LENGTH, blank=True
    )

    objects = YearConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("year confirmation")
        verbose_name_plural = _("year confirmations")
        ordering = ["-year", "party__order", "-confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "year"],
                condition=Q(reopened_at__isnull=True),
                name="year_confirmation_once",
                violation_error_message=YEAR_CONFIRMED_ALREADY,
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True)
                | (~Q(reopen_reason="") & Q(reopened_by__isnull=False)),
                name="year_confirmation_reopened_with_reason",
                violation_error_message=REOPEN_NEEDS_REASON,
            ),
            text_length_constraint("year_confirmation", "comment", SHORT_TEXT_LENGTH),
            text_length_constraint(
                "year_confirmation", "reopen_reason", SHORT_TEXT_LENGTH
            ),
        ]

    def __str__(self):
        return _("%(party)s confirmed %(year)s") % {
            "party": self.party,
            "year": self.year,
        }

    @property
    def is_standing(self):
        return self.reopened_at is None

    def clean(self):
        errors = {}
        party = getattr(self, "party", None) if self.party_id else None
        if party is not None and self.year is not None and self.is_standing:
            agreement = party.agreement
            if not agreement.covers_year(self.year):
                errors["year"] = ValidationError(
                    YEAR_OUTSIDE_AGREEMENT,
                    code="year",
                    params={"year": self.year, **period_params(agreement)},
                )
            elif self.year >= timezone.localdate().year:
                errors["year"] = ValidationError(
                    YEAR_NOT_ENDED, code="year_not_ended", params={"year": self.year}
                )
            # The unique constraint says so too, but a form leaves out
            # `reopened_at`, its condition, and Django then skips the check.
            elif (
                YearConfirmation.objects.standing()
                .filter(party=party, year=self.year)
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["year"] = ValidationError(
                    YEAR_CONFIRMED_ALREADY, code="confirmed_already"
                )
        if self.reopened_at is not None and not self.reopen_reason.strip():
            errors["reopen_reason"] = ValidationError(
                REOPEN_NEEDS_REASON, code="reason"
            )
        if errors:
            raise ValidationError(errors)

    def reopen(self, *, by, reason):
        """Reopen the year for this party: its records can change again, and the
        reason stays on record."""
        self.reopen_reason = reason.strip()
        self.reopened_at = timezone.now()
        self.reopened_by = by
        self.full_clean()
        self.save(update_fields=["reopen_reason", "reopened_at", "reopened_by"])


# {(agreement pk, year): locked?} inside `year_locks_remembered()`, else None.
_remembered_locks = contextvars.ContextVar("remembered_locks", default=None)


@contextlib.contextmanager
def year_locks_remembered():
    """Inside the block, whether a year is locked is asked of the database once
    per agreement and year: for checking many records of one year at once (an
    import checks each row with `full_clean()`), not for a block that confirms
    or reopens a year."""
    token = _remembered_locks.set({})
    try:
        yield
    finally:
        _remembered_locks.reset(token)


def year_is_locked(agreement_id, year):
    """True when every party of the agreement has confirmed `year`."""
    if agreement_id is None or year is None:
        return False
    remembered = _remembered_locks.get()
    if remembered is not None and (agreement_id, year) in remembered:
        return remembered[agreement_id, year]
    parties = AgreementParty.objects.filter(agreement_id=agreement_id).count()
    confirmed = (
        YearConfirmation.objects.standing()
        .filter(party__agreement_id=agreement_id, year=year)
        .values("party")
        .distinct()
        .count()
    )
    locked = parties > 0 and confirmed >= parties
    if remembered is not None:
        remembered[agreement_id, year] = locked
    return locked


def _follow(instance, path):
    """`instance.a.b.c` for the lookup path "a__b__c"; None where a link is unset."""
    value = instance
    for name in path.split("__"):
        try:
            value = getattr(value, name)
        except ObjectDoesNotExist:
            return None
        if value is None:
            return None
    return value


class YearLockedRecord:
    """A record that belongs to one year of one agreement and is locked, with the
    rest of that year, once every party has confirmed the year.

    Subclasses name two lookups, from the record: its agreement's pk and its year.
    """

    agreement_lookup = "agreement_id"
    year_lookup = "year"

    def confirmation_scope(self):
        """(agreement pk, year) of the record as it is now, unsaved changes
        included; None where either is unset."""
        # "start_date__year" follows to the date's own `year` attribute.
        return _follow(self, self.agreement_lookup), _follow(self, self.year_lookup)

    def stored_confirmation_scope(self):
        """(agreement pk, year) of the record as saved, or None when new."""
        if self.pk is None:
            return None
        return (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .values_list(self.agreement_lookup, self.year_lookup)
            .first()
        )

    def locked_year_errors(self):
        """{NON_FIELD_ERRORS: error} when the record is in, or would move into or
        out of, a year that every party has confirmed."""
        scopes = {self.confirmation_scope(), self.stored_confirmation_scope()}
        for agreement_id, year in scopes - {None}:
            if year_is_locked(agreement_id, year):
                return {
                    NON_FIELD_ERRORS: ValidationError(
                        YEAR_LOCKED, code="year_locked", params={"year": year}
                    )
                }
        return {}

    def is_in_locked_year(self):
        return bool(self.locked_year_errors())

    def delete(self, *args, **kwargs):
        # The admin offers no delete for such a record; this stops a script too.
        errors = self.locked_year_errors()
        if errors:
            raise ValidationError(errors)
        return super().delete(*args, **kwargs)

    @classmethod
    def locked_condition(cls):
        """A Q for this model's rows in years that every party has confirmed."""
        condition = Q(pk__in=[])
        for agreement, years in YearConfirmation.objects.locked_years().items():
            condition |= Q(
                **{cls.agreement_lookup: agreement, f"{cls.year_lookup}__in": years}
            )
        return condition


class StaffMembership(models.Model):
    """The organisation a staff account works for, which decides the records it may
    change and view (cooperation/scopes.py).

    One organisation per account: a clerk enters records for one branch. After a
    merger the administrator moves the branch's staff to the successor, whose
    scope takes in the records of the branches it succeeded.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.CASCADE,
        related_name="staff_membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="staff_memberships",
        help_text=_(
            "Staff add and change the records this organisation leads, sends or "
            "hosts, and view every record of the agreements it is a party to."
        ),
    )

    class Meta:
        verbose_name = _("organisation of the staff member")
        verbose_name_plural = _("organisations of staff members")
        ordering = ["user__username"]

    def __str__(self):
        return f"{self.user} — {self.organisation}"
