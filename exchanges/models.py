"""Delegation visits between the parties and the yearly exchange of information."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cooperation.formatting import date_text
from cooperation.models import (
    CONTENT_LANGUAGE_CODES,
    LONG_TEXT_LENGTH,
    Agreement,
    Area,
    Attachment,
    DayField,
    Organisation,
    Record,
    TextModel,
    YearLockedRecord,
    bounded_text_field,
    original_language_field,
    text_length_constraint,
    translated_property,
    translated_text_fields,
    year_page_url,
)
from cooperation.validation import (
    END_BEFORE_START,
    SAME_SENDER_AND_HOST,
    YEAR_OUTSIDE_AGREEMENT,
    agreement_date_errors,
    area_error,
    period_params,
    raise_if,
)

SAME_SENDER_AND_RECIPIENT = _("The sender and the recipient must be different.")
NO_TOPIC = _("Tick at least one topic.")
PLAN_WITHOUT_TOPIC = _(
    "Planned visits or programmes belong to next year's plan: tick that topic."
)


class DelegationVisitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_year(self, year):
        """Visits that start in `year`."""
        return self.filter(start_date__year=year)


class DelegationVisit(YearLockedRecord, Record):
    year_lookup = "start_date__year"

    class Kind(models.TextChoices):
        YEARLY_EXCHANGE = "yearly_exchange", _("yearly exchange")
        ON_REQUEST = "on_request", _("on request")
        JOINT_TASK = "joint_task", _("joint task")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=Kind.choices,
        help_text=_(
            "Yearly exchange: the visit the agreement asks for each year, the "
            "parties hosting in turn. On request: an extra delegation that one "
            "party asked for. Joint task: work the parties did together."
        ),
    )
    sending_party = models.ForeignKey(
        Organisation,
        verbose_name=_("sending party"),
        on_delete=models.PROTECT,
        related_name="visits_sent",
        help_text=_("The party whose delegation travelled."),
    )
    host_party = models.ForeignKey(
        Organisation,
        verbose_name=_("host party"),
        on_delete=models.PROTECT,
        related_name="visits_hosted",
        help_text=_("The party that received the delegation."),
    )
    start_date = DayField(_("start date"))
    end_date = DayField(_("end date"))
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("The town or venue, as the source names it."),
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("area visited"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        help_text=_("The province or district visited."),
    )
    # Each in Vietnamese, Lao and English; `purpose` and `outcomes` read the
    # reader's language, else the one it was written in.
    purpose_vi, purpose_lo, purpose_en = translated_text_fields(
        _("purpose and agenda"), LONG_TEXT_LENGTH
    )
    outcomes_vi, outcomes_lo, outcomes_en = translated_text_fields(
        _("outcomes"), LONG_TEXT_LENGTH
    )
    original_language = original_language_field()
    purpose = translated_property("purpose")
    outcomes = translated_property("outcomes")

    objects = DelegationVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation visit")
        verbose_name_plural = _("delegation visits")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="visit_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=~Q(host_party=F("sending_party")),
                name="visit_host_is_not_sender",
                violation_error_message=SAME_SENDER_AND_HOST,
            ),
            *(
                text_length_constraint("visit", f"{field}_{code}", LONG_TEXT_LENGTH)
                for field in ("purpose", "outcomes")
                for code in CONTENT_LANGUAGE_CODES
            ),
        ]

    def __str__(self):
        return _("%(sender)s to %(host)s, %(start)s") % {
            "sender": self.sending_party.acronym or self.sending_party,
            "host": self.host_party.acronym or self.host_party,
            "start": date_text(self.start_date),
        }

    def get_absolute_url(self):
        return year_page_url(self.agreement, self.start_date.year)

    @property
    def year(self):
        return self.start_date.year

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(END_BEFORE_START, code="end")
        if self.sending_party_id and self.sending_party_id == self.host_party_id:
            errors["host_party"] = ValidationError(SAME_SENDER_AND_HOST, code="host")
        if self.agreement_id:
            agreement = self.agreement
            errors = (
                agreement_date_errors(
                    agreement, start_date=self.start_date, end_date=self.end_date
                )
                | errors
            )
            for field in ("sending_party", "host_party"):
                if getattr(self, f"{field}_id"):
                    error = agreement.party_error(getattr(self, field), self.start_date)
                    if error is not None:
                        errors.setdefault(field, error)
            if (
                self.sending_party_id
                and self.host_party_id
                and "host_party" not in errors
                and (
                    error := agreement.same_side_error(
                        self.sending_party, self.host_party
                    )
                )
            ):
                errors["host_party"] = error
        if self.area_id and (error := area_error(self.area, self.start_date)):
            errors.setdefault("area", error)
        errors |= self.locked_year_errors()
        raise_if(errors)


class VisitMember(YearLockedRecord, TextModel):
    """A delegation member: a public official, named as the branches publish them."""

    agreement_lookup = "visit__agreement_id"
    year_lookup = "visit__start_date__year"

    visit = models.ForeignKey(
        DelegationVisit,
        verbose_name=_("visit"),
        # Refused while it has children: each is deleted on its own and stays
        # in the history, where it can be restored (see the README).
        on_delete=models.PROTECT,
        related_name="members",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(
        _("title or position"),
        max_length=200,
        blank=True,
        help_text=_("As the source gives it, e.g. Vice-President."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation_members",
    )
    leads_delegation = models.BooleanField(
        _("head of delegation"),
        default=False,
        help_text=_("The head of delegation comes first in the list."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Its place in lists and reports: lower numbers come first."),
    )

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["visit", "-leads_delegation", "order", "pk"]

    def __str__(self):
        return self.full_name

    def clean(self):
        raise_if(self.locked_year_errors())


class VisitAttachment(Attachment):
    parent_published_lookups = ("visit__is_published",)

    visit = models.ForeignKey(
        DelegationVisit,
        verbose_name=_("visit"),
        # Refused while it has children: each is deleted on its own and stays
        # in the history, where it can be restored (see the README).
        on_delete=models.PROTECT,
        related_name="attachments",
    )

    class Meta(Attachment.Meta):
        verbose_name = _("visit photo or document")
        verbose_name_plural = _("visit photos and documents")


class InformationExchangeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def covering(self, year):
        """Exchanges that report on `year` (and carry the plan for `year + 1`)."""
        return self.filter(year_covered=year)


class InformationExchange(YearLockedRecord, Record):
    """One party telling another about a year: results, experience, next year's plan.

    The evidence for the qualitative commitments (socio-economic information, disease
    situation) and the plan that the progress page sets against the next year.
    """

    year_lookup = "year_covered"

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="information_exchanges",
    )
    year_covered = models.PositiveSmallIntegerField(
        _("year reported on"),
        help_text=_(
            "The year the results and information are about; a plan it carries "
            "is for the year after."
        ),
    )
    from_party = models.ForeignKey(
        Organisation,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="information_sent",
    )
    to_party = models.ForeignKey(
        Organisation,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="information_received",
    )
    exchanged_on = DayField(
        _("date"), help_text=_("The day the information was sent or presented.")
    )
    covers_results = models.BooleanField(_("results of the year"), default=False)
    covers_models_and_experience = models.BooleanField(
        _("models and experience"), default=False
    )
    covers_next_year_plan = models.BooleanField(_("next year's plan"), default=False)
    covers_socio_economic = models.BooleanField(
        _("socio-economic and cultural information"), default=False
    )
    covers_disease_situation = models.BooleanField(
        _("disease situation"), default=False
    )
    is_outbreak_alert = models.BooleanField(
        _("outbreak alert"),
        default=False,
        help_text=_("An urgent warning of an infectious disease crossing the border."),
    )
    summary = bounded_text_field(_("summary"), LONG_TEXT_LENGTH, blank=True)
    planned_visits = models.PositiveSmallIntegerField(
        _("visits planned for next year"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the plan gives no figure."),
    )
    planned_programmes = models.PositiveSmallIntegerField(
        _("programmes planned for next year"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the plan gives no figure."),
    )
    plan_notes = bounded_text_field(_("next year's plan"), LONG_TEXT_LENGTH, blank=True)
    document = models.FileField(
        _("document"),
        upload_to="information/%Y/",
        blank=True,
        help_text=_("The report or letter itself. Public pages do not offer it."),
    )

    objects = InformationExchangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("information exchange")
        verbose_name_plural = _("information exchanges")
        ordering = ["-exchanged_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_party=F("to_party")),
                name="information_sender_is_not_recipient",
                violation_error_message=SAME_SENDER_AND_RECIPIENT,
            ),
            models.CheckConstraint(
                condition=Q(covers_results=True)
                | Q(covers_models_and_experience=True)
                | Q(covers_next_year_plan=True)
                | Q(covers_socio_economic=True)
                | Q(covers_disease_situation=True),
                name="information_has_a_topic",
                violation_error_message=NO_TOPIC,
            ),
            text_length_constraint("information", "summary", LONG_TEXT_LENGTH),
            text_length_constraint("information", "plan_notes", LONG_TEXT_LENGTH),
        ]

    def __str__(self):
        return _("%(sender)s to %(recipient)s on %(year)s") % {
            "sender": self.from_party.acronym or self.from_party,
            "recipient": self.to_party.acronym or self.to_party,
            "year": self.year_covered,
        }

    def get_absolute_url(self):
        return year_page_url(self.agreement, self.year_covered)

    @property
    def plan_year(self):
        return self.year_covered + 1

    @property
    def topics(self):
        """The labels of the ticked topics, in the form's order."""
        return [
            self._meta.get_field(name).verbose_name
            for name in TOPIC_FIELDS
            if getattr(self, name)
        ]

    def clean(self):
        errors = {}
        if self.from_party_id and self.from_party_id == self.to_party_id:
            errors["to_party"] = ValidationError(SAME_SENDER_AND_RECIPIENT, code="to")
        if not any(getattr(self, name) for name in TOPIC_FIELDS):
            errors["covers_results"] = ValidationError(NO_TOPIC, code="topic")
        has_plan = (
            self.planned_visits is not None or self.planned_programmes is not None
        )
        if has_plan and not self.covers_next_year_plan:
            errors["covers_next_year_plan"] = ValidationError(
                PLAN_WITHOUT_TOPIC, code="plan"
            )
        if self.agreement_id:
            agreement = self.agreement
            errors = agreement_date_errors(
                agreement, exchanged_on=self.exchanged_on
            ) | (errors)
            if self.year_covered is not None and not agreement.covers_year(
                self.year_covered
            ):
                errors["year_covered"] = ValidationError(
                    YEAR_OUTSIDE_AGREEMENT,
                    code="year",
                    params={"year": self.year_covered, **period_params(agreement)},
                )
            for field in ("from_party", "to_party"):
                if getattr(self, f"{field}_id"):
                    error = agreement.party_error(
                        getattr(self, field), self.exchanged_on
                    )
                    if error is not None:
                        errors.setdefault(field, error)
        errors |= self.locked_year_errors()
        raise_if(errors)


TOPIC_FIELDS = (
    "covers_results",
    "covers_models_and_experience",
    "covers_next_year_plan",
    "covers_socio_economic",
    "covers_disease_situation",
)
